"""Build OOH Desk's installable bundle with PyInstaller, from a checkout:

    python packaging/build.py            dist/ooh-desk/ (run dist/ooh-desk/ooh-desk) and
                                         dist/ooh-desk-<version>-<platform>.tar.gz (.zip on Windows)
    python packaging/build.py --floor    dist/qt-floor/qt-floor: a bare frozen PySide6 window,
                                         the floor bench/gui_bench.py times the frozen app against

Needs the build extra: `pip install -e ".[packaging]"`. The same command builds on Windows
(dist/ooh-desk/ooh-desk.exe) and macOS (dist/OOH Desk.app); see packaging/README.md.
Prints the bundle's unpacked size and the archive's against their goals; with --check-sizes
a size over its goal, or anything in the bundle that should not be there, fails the build."""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
MB = 1024 * 1024
GOAL_UNPACKED_MB = 150
GOAL_ARCHIVE_MB = 70

# Nothing of these may be in the bundle: the tests and benchmarks, and the Qt modules the app
# does not use (QML, Quick, WebEngine, multimedia, 3D), nor Qt's translations.
FORBIDDEN = re.compile(r"(^|/)(tests|bench|pytest|_pytest|hypothesis)(/|$)|Qt6?Qml|Qt6?Quick|"
                       r"WebEngine|Multimedia|Qt3D|Qt6Network|Qt/translations/|conftest")


def version() -> str:
    text = (ROOT / "ooh_desk" / "__init__.py").read_text("utf-8")
    found = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    if not found:
        raise SystemExit("ooh_desk/__init__.py has no __version__")
    return found.group(1)


def platform_tag() -> str:
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform,
                                                                         sys.platform)
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}"


def pyinstaller(spec: Path, dist: Path, work: Path) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit("PyInstaller is not installed here; install the build extra first: "
                         "pip install -e \".[packaging]\"") from None
    command = [sys.executable, "-m", "PyInstaller", str(spec), "--noconfirm", "--clean",
               "--distpath", str(dist), "--workpath", str(work), "--log-level", "WARN"]
    print("Running:", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() or p.is_symlink()]


def unpacked_size(folder: Path) -> int:
    """Bytes on unpacking: each file once (a symlink is the link, not its target)."""
    return sum(p.lstat().st_size for p in files_in(folder))


def forbidden_files(folder: Path) -> list[str]:
    return sorted(rel for p in files_in(folder)
                  if FORBIDDEN.search(rel := p.relative_to(folder).as_posix()))


def archive(folder: Path, target_stem: Path) -> Path:
    """The folder as one archive holding it by name (tar.gz keeps the bundle's symlinks and
    permissions; Windows users expect a .zip)."""
    if sys.platform == "win32":
        target = target_stem.with_name(target_stem.name + ".zip")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for path in sorted(files_in(folder)):
                zf.write(path, Path(folder.name) / path.relative_to(folder))
        return target
    target = target_stem.with_name(target_stem.name + ".tar.gz")
    with tarfile.open(target, "w:gz", compresslevel=9) as tf:
        tf.add(folder, arcname=folder.name)
    return target


def build_app(dist: Path, work: Path, make_archive: bool, check_sizes: bool) -> int:
    started = time.perf_counter()
    pyinstaller(PACKAGING / "ooh-desk.spec", dist, work)
    folder = dist / ("OOH Desk.app" if sys.platform == "darwin" else "ooh-desk")
    problems = []
    stray = forbidden_files(folder)
    if stray:
        problems.append(f"the bundle holds what it should not: {', '.join(stray[:10])}")
    size = unpacked_size(folder) / MB
    print(f"Bundle: {folder} {size:.1f} MB unpacked (goal <= {GOAL_UNPACKED_MB} MB)")
    if size > GOAL_UNPACKED_MB:
        problems.append(f"the bundle is {size:.1f} MB, over its {GOAL_UNPACKED_MB} MB goal")
    if make_archive:
        packed = archive(folder, dist / f"ooh-desk-{version()}-{platform_tag()}")
        packed_mb = packed.stat().st_size / MB
        print(f"Archive: {packed} {packed_mb:.1f} MB (goal <= {GOAL_ARCHIVE_MB} MB)")
        if packed_mb > GOAL_ARCHIVE_MB:
            problems.append(f"the archive is {packed_mb:.1f} MB, over its {GOAL_ARCHIVE_MB} MB "
                            "goal")
    print(f"Built in {time.perf_counter() - started:.0f} s")
    for problem in problems:
        print(("Failed: " if check_sizes else "Warning: ") + problem, file=sys.stderr)
    return 1 if problems and check_sizes else 0


def build_floor(dist: Path, work: Path) -> int:
    pyinstaller(PACKAGING / "qt-floor.spec", dist, work)
    folder = dist / "qt-floor"
    print(f"Floor: {folder / ('qt-floor.exe' if os.name == 'nt' else 'qt-floor')} "
          f"({unpacked_size(folder) / MB:.1f} MB unpacked)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--floor", action="store_true",
                        help="build dist/qt-floor/ (a bare frozen window) instead of the app")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build",
                        help="PyInstaller's working folder")
    parser.add_argument("--no-archive", action="store_true", help="build the folder only")
    parser.add_argument("--check-sizes", action="store_true",
                        help="fail when a size is over its goal or the bundle holds test, "
                             "bench or unused Qt files")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    if args.floor:
        return build_floor(dist, work / "qt-floor")
    return build_app(dist, work / "ooh-desk", not args.no_archive, args.check_sizes)


if __name__ == "__main__":
    sys.exit(main())
