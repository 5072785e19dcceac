"""Turn Word (and other office) documents into tagged PDF with LibreOffice, headless, all in
one LibreOffice start (each start costs a second or more), with a profile folder of its own
so two runs never share one. Also where LibreOffice is found on each platform, and the clean
environment it is started with from a frozen app. Imports no Qt.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

# Tagged PDF keeps headings, lists and tables readable by screen readers.
PDF_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
SETTING = "OOH_DESK_SOFFICE"
INSTALL_HINT = ("LibreOffice is needed to turn Word documents into PDF and was not found; "
                "install it from https://www.libreoffice.org/download/ (on Debian or Ubuntu: "
                "apt-get install libreoffice-writer-nogui), or set OOH_DESK_SOFFICE to its "
                "soffice program, then try again")
CONVERT_TIMEOUT_SECONDS = 600
# A frozen app (PyInstaller) points the dynamic loader at its own libraries and keeps the
# user's values under *_ORIG; Qt and Python variables name the bundle's own plugins and
# modules. LibreOffice must start as if from the desktop, so none of these reach it.
LOADER_VARIABLES = ("LD_LIBRARY_PATH", "LIBPATH", "DYLD_LIBRARY_PATH", "DYLD_FRAMEWORK_PATH",
                    "DYLD_FALLBACK_LIBRARY_PATH", "DYLD_FALLBACK_FRAMEWORK_PATH",
                    "DYLD_INSERT_LIBRARIES")
FROZEN_ONLY = ("PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONUSERBASE", "PYTHONNOUSERSITE",
               "PYTHONDONTWRITEBYTECODE", "PYTHONUTF8", "PYTHONIOENCODING", "QT_PLUGIN_PATH",
               "QT_QPA_PLATFORM_PLUGIN_PATH", "QML2_IMPORT_PATH", "QML_IMPORT_PATH",
               "QTWEBENGINEPROCESS_PATH")


class OfficeMissing(Exception):
    """LibreOffice is not installed; the message says how to install it."""


def frozen() -> bool:
    """Whether this is the bundled app (PyInstaller) rather than Python running our source."""
    return bool(getattr(sys, "frozen", False))


def install_folders(platform: str | None = None, environ: Mapping[str, str] | None = None,
                    home: Path | None = None, root: Path = Path("/")) -> list[Path]:
    """Where LibreOffice's soffice program usually sits on `platform` (sys.platform's words),
    most likely first; PATH is asked before these. `root` is the file system's top (the tests
    fake it)."""
    platform = platform or sys.platform
    environ = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    if platform.startswith("win"):
        roots = [environ.get(name) for name in ("ProgramFiles", "ProgramW6432",
                                                "ProgramFiles(x86)")]
        roots += [r"C:\Program Files", r"C:\Program Files (x86)"]
        local = environ.get("LOCALAPPDATA")
        if local:  # a per-user install, no admin rights: the MSI's "just for me"
            roots.append(str(Path(local) / "Programs"))
        out: list[Path] = []
        for folder in dict.fromkeys(r for r in roots if r):
            base = Path(folder)
            out.append(base / "LibreOffice" / "program" / "soffice.exe")
            # Older installers named the folder after the version: "LibreOffice 7".
            out += _newest_first(base.glob("LibreOffice*/program/soffice.exe"))
        return list(dict.fromkeys(out))
    if platform == "darwin":
        bundle = Path("LibreOffice.app") / "Contents" / "MacOS" / "soffice"
        return [root / "Applications" / bundle, home / "Applications" / bundle]
    return [root / "usr/lib/libreoffice/program/soffice",
            root / "usr/lib64/libreoffice/program/soffice",
            # The Document Foundation's own packages install under /opt, one folder a version.
            *_newest_first((root / "opt").glob("libreoffice*/program/soffice")),
            root / "snap/bin/libreoffice",
            root / "var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice",
            home / ".local/share/flatpak/exports/bin/org.libreoffice.LibreOffice"]


def _newest_first(programs: Iterable[Path]) -> list[Path]:
    """Versioned install folders, the highest version first (24.8 before 7.6)."""
    def version(program: Path) -> list[int]:
        return [int(n) for n in re.findall(r"\d+", program.parents[1].name)]
    return sorted(programs, key=version, reverse=True)


def _program(path: Path, platform: str) -> Path | None:
    """The soffice program a setting names: the program itself, the LibreOffice.app bundle
    or the install folder (a user may paste any of the three)."""
    name = "soffice.exe" if platform.startswith("win") else "soffice"
    for candidate in (path, path / "Contents" / "MacOS" / "soffice", path / "program" / name,
                      path / name):
        if candidate.is_file():
            return candidate
    return None


def find_soffice(platform: str | None = None, environ: Mapping[str, str] | None = None,
                 home: Path | None = None, which: Callable[[str], str | None] | None = None,
                 root: Path = Path("/")) -> str | None:
    """LibreOffice's soffice program: the OOH_DESK_SOFFICE setting when set (and nothing else
    then: a wrong setting is reported, not quietly overruled), else PATH, else the usual
    install folders of the platform. None when it is not installed."""
    platform = platform or sys.platform
    environ = os.environ if environ is None else environ
    if which is None:
        def which(name: str) -> str | None:
            return shutil.which(name, path=environ.get("PATH"))
    configured = environ.get(SETTING)
    if configured:
        found = _program(Path(configured).expanduser(), platform)
        return str(found) if found else None
    for name in ("soffice", "libreoffice"):
        found = which(name)
        if found:
            return found
    for candidate in install_folders(platform, environ, home, root):
        if candidate.is_file():
            return str(candidate)
    return None


def clean_environment(environ: Mapping[str, str] | None = None,
                      is_frozen: bool | None = None) -> dict[str, str]:
    """The environment to start the machine's own programs with (LibreOffice, pdftoppm,
    fc-list, the desktop's cache tools): ours, less what a frozen app set for itself. Where
    PyInstaller saved the user's own value (LD_LIBRARY_PATH_ORIG), that value is put back;
    where it saved none, the variable goes. The one place this is decided."""
    env = dict(os.environ if environ is None else environ)
    is_frozen = frozen() if is_frozen is None else is_frozen
    for name in LOADER_VARIABLES:
        original = env.pop(f"{name}_ORIG", None)
        if original is not None:
            env[name] = original
        elif is_frozen:
            env.pop(name, None)
    for name in list(env):
        ours = name.startswith("_PYI_") or name == "_MEIPASS2"
        if ours or (is_frozen and name in FROZEN_ONLY):
            del env[name]
    return env


def office_version(soffice: str | None = None, timeout: float = 60) -> str | None:
    """What LibreOffice says it is ("LibreOffice 7.4.7.2 40(Build:2)"), or None when it is not
    found or will not say."""
    soffice = soffice or find_soffice()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="ooh-lo-profile-") as profile:
        try:
            done = subprocess.run(
                [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                 "--version"], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                timeout=timeout, env=clean_environment())
        except (OSError, subprocess.SubprocessError):
            return None
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    return lines[-1] if lines else None


def convert_to_pdf(documents: Sequence[Path], outdir: Path,
                   stop: Callable[[], bool] | None = None) -> dict[Path, Path | None]:
    """Each document's PDF in outdir, or None where LibreOffice could not convert it
    (damaged, password-protected, not really a document). Names must be unique by stem.
    With `stop`, asked ten times a second, LibreOffice is killed as soon as it says so, and
    the answer is empty (the app's preview, when the paper changes under it)."""
    if not documents:
        return {}
    soffice = find_soffice()
    if soffice is None:
        raise OfficeMissing(INSTALL_HINT)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ooh-lo-profile-") as profile:
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", PDF_FILTER,
                   "--outdir", str(outdir), *map(str, documents)]
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    env=clean_environment())
        except FileNotFoundError:
            raise OfficeMissing(INSTALL_HINT) from None
        deadline = time.monotonic() + CONVERT_TIMEOUT_SECONDS
        while True:
            try:
                proc.wait(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                if (stop and stop()) or time.monotonic() > deadline:
                    proc.kill()
                    proc.wait()
                    if stop and stop():
                        return {}
                    break
    out: dict[Path, Path | None] = {}
    for document in documents:
        pdf = outdir / f"{document.stem}.pdf"
        out[document] = pdf if pdf.exists() and pdf.stat().st_size > 0 else None
    return out
