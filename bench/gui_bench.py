"""The desktop app's start-up, as a user feels it: the time from launch to the main window's
first paint, each run a separate process, against a floor measured in the same run.

1. `ooh-desk gui DEMO --quit-after-paint` from source against a bare PySide6 window shown and
   closed after its own first paint. Goal: ratio <= 2 (above 3 is a failure).
2. The same on a register of 20,000 feedback comments and 2,000 risks against an empty
   register. Goal: ratio <= 1.2 (above 1.5 is a failure): only the view on screen is built,
   and tables fetch a page at a time, so a big register opens as fast as an empty one.
3. `ooh-desk gui EMPTY --smoke-test` (every view opened) against the same floor, for the record.
   Goal: ratio <= 5 (above 8 is a failure).

4. When the bundle is built, the frozen app: `dist/ooh-desk/ooh-desk gui DEMO
   --quit-after-paint` against `dist/qt-floor/qt-floor`, the bare window frozen by the same
   build script (`python packaging/build.py` and `python packaging/build.py --floor`).
   Goal <= 2, fail > 3. With --frozen, only this; with --source, never this.

Every side of a ratio is run `--repeat` times after one warm-up, the two sides interleaved
(ABBA: floor, app, app, floor, ...) so a machine that is busier for a while slows both
alike. Each side is summed up by its median and its spread (lowest to highest), wall clock
and CPU seconds (user + system); the ratio is of the medians, with the spread of the ratios
of each interleaved pair beside it. The CPU ratio is the steadier on a busy machine: it
leaves out the time a process waits for a core. Both start ratios, source and frozen, are
printed together at the end.

With --instructions, each start (from source, and frozen when built) is also run once under
valgrind (cachegrind, no cache simulation) and the instructions each side ran are counted:
the same to 0.1% from run to run however busy the machine, so the steadiest measure of what
a change to the start path cost or saved (it leaves out what instructions do not show:
waiting on the disc, the cache, a core). Needs valgrind; about a minute.

    .venv/bin/python bench/gui_bench.py [--feedback 20000] [--risks 2000] [--repeat 9]
    .venv/bin/python bench/gui_bench.py --frozen [--dist dist] [--instructions]
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import measure
from measure import Run, measured

# The floor: the smallest PySide6 app that shows a main window, and ends after its first
# paint exactly as `--quit-after-paint` does (an event filter, then a zero timer that leaves
# the event loop with `exit`, which closes no window, then the process ends without tearing
# down: both sides are timed to the paint, not to a clean exit).
FLOOR = """
import os
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, lambda: app.exit(0))
        return False

app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.resize(1280, 800)
watcher = FirstPaint(window)
window.installEventFilter(watcher)
window.show()
app.exec()
os._exit(0)
"""


@dataclass(frozen=True)
class Side:
    """Every timed run of one command."""

    runs: list[Run]

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mb(self) -> int:
        return max(r.peak_mb for r in self.runs)

    def spread(self) -> str:
        low, high = (min(r.seconds for r in self.runs), max(r.seconds for r in self.runs))
        return f"{low * 1000:.0f}-{high * 1000:.0f} ms"


@dataclass(frozen=True)
class Ratio:
    """One side against its floor: medians, and how the ratio of each pair of runs spread."""

    floor: Side
    ours: Side

    @property
    def wall(self) -> float:
        return self.ours.seconds / self.floor.seconds

    @property
    def cpu(self) -> float:
        return self.ours.cpu / self.floor.cpu

    def spread(self) -> str:
        pairs = sorted(o.seconds / f.seconds
                       for f, o in zip(self.floor.runs, self.ours.runs, strict=True))
        return f"{pairs[0]:.2f}-{pairs[-1]:.2f}"


def interleaved(a: list[str], b: list[str], repeat: int) -> Ratio:
    """Each command `repeat` times after one warm-up each, in ABBA order."""
    measured(a)
    measured(b)
    runs_a, runs_b = [], []
    for n in range(repeat):
        if n % 2 == 0:
            runs_a.append(measured(a))
            runs_b.append(measured(b))
        else:
            runs_b.append(measured(b))
            runs_a.append(measured(a))
    return Ratio(Side(runs_a), Side(runs_b))


def instructions(cmd: list[str]) -> int:
    """Instructions `cmd` ran under valgrind, following it into any program it starts (the
    frozen bootloader starts itself again with its own library path)."""
    proc = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                           "--cachegrind-out-file=/dev/null", "--trace-children=yes", *cmd],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    counts = re.findall(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if proc.returncode != 0 or not counts:
        raise SystemExit(f"{' '.join(cmd)} failed under valgrind: {proc.stderr[-2000:]}")
    return sum(int(c.replace(",", "")) for c in counts)


def counted(name: str, floor: list[str], ours: list[str]) -> str:
    """The instructions a start ran against its floor's, as a line to print."""
    low, high = instructions(floor), instructions(ours)
    return (f"{name}: {high / 1e6:,.0f} M instructions against the floor's {low / 1e6:,.0f} M:"
            f" ratio {high / low:.2f}")


def write_feedback(path: Path, rows: int) -> None:
    lines = ["ref,event,route,date,stakeholder_group,comment,themes,action_taken,status"]
    for n in range(1, rows + 1):
        lines.append(f"F-{n:05d},Locality workshop {n % 40},workshop,{(n % 28) + 1:02d}/10/2017,"
                     f"Group {n % 12},Comment {n} about access to community services and "
                     f"transport,access; transport; theme {n % 30},We did {n},open")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_risks(path: Path, rows: int) -> None:
    lines = ["ref,title,description,owner,workstream,likelihood,impact,mitigations,status"]
    for n in range(1, rows + 1):
        lines.append(f"R-{n:05d},Risk {n} to the programme,Cause {n} and its effect,"
                     f"Owner {n % 17},Workstream {n % 5},{(n % 5) + 1},{(n % 4) + 1},"
                     f'"- First mitigation {n}\n- Second mitigation",open')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def line(name: str, side: Side) -> str:
    return (f"{name}: median {side.seconds * 1000:.0f} ms ({side.spread()} over "
            f"{len(side.runs)} runs), {side.cpu * 1000:.0f} ms CPU, peak {side.peak_mb} MB")


def verdict(ratio: Ratio, goal: float, fail: float) -> str:
    word = "met" if ratio.wall <= goal else ("missed" if ratio.wall <= fail else "FAILED")
    return (f"ratio {ratio.wall:.2f} (pairs {ratio.spread()}; CPU {ratio.cpu:.2f}; goal <= "
            f"{goal:g}, fail > {fail:g}): {word}")


def isolate(tmp: Path) -> None:
    """Settings, recent registers and the demo live in the run's own folders, never the
    user's; every window is drawn offscreen."""
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")
    os.environ["QT_QPA_PLATFORM"] = "offscreen"


def compiled_as_installed() -> None:
    """Every module of ours byte-compiled, as pip leaves an installed package: a checkout
    whose .pyc files are stale (or never written, under PYTHONDONTWRITEBYTECODE) would
    otherwise time Python compiling our source on every start, which no user's start does."""
    import ooh_desk

    compileall.compile_dir(Path(ooh_desk.__file__).parent, quiet=1)


def from_source(args: argparse.Namespace) -> tuple[int, Ratio]:
    py = sys.executable
    cli = [py, "-m", "ooh_desk.cli"]
    compiled_as_installed()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        isolate(tmp)
        demo, empty, big = tmp / "demo.oohdesk", tmp / "empty.oohdesk", tmp / "big.oohdesk"
        subprocess.run([*cli, "demo", str(demo)], check=True, stdout=subprocess.DEVNULL)
        for reg in (empty, big):
            subprocess.run([*cli, "init", str(reg)], check=True, stdout=subprocess.DEVNULL)
        write_feedback(tmp / "feedback.csv", args.feedback)
        write_risks(tmp / "risks.csv", args.risks)
        for name in ("feedback.csv", "risks.csv"):
            subprocess.run([*cli, "import", str(big), str(tmp / name)], check=True,
                           stdout=subprocess.DEVNULL)
        start = interleaved([py, "-c", FLOOR], [*cli, "gui", str(demo), "--quit-after-paint"],
                            args.repeat)
        size = interleaved([*cli, "gui", str(empty), "--quit-after-paint"],
                           [*cli, "gui", str(big), "--quit-after-paint"], args.repeat)
        smoke = interleaved([py, "-c", FLOOR], [*cli, "gui", str(empty), "--smoke-test"],
                            max(3, args.repeat // 2))
        steady = [counted("instructions, from source, to first paint", [py, "-c", FLOOR],
                          [*cli, "gui", str(demo), "--quit-after-paint"])
                  ] if args.instructions else []
    print(line("bare PySide6 window to first paint", start.floor))
    print(line("ooh-desk gui DEMO --quit-after-paint", start.ours) + "; "
          + verdict(start, 2, 3))
    print(line("empty register", size.floor))
    print(line(f"{args.feedback:,} feedback + {args.risks:,} risks", size.ours) + "; to empty "
          + verdict(size, 1.2, 1.5))
    print(line("smoke test (every view), empty register", smoke.ours) + "; to the bare window "
          + verdict(smoke, 5, 8))
    for text in steady:
        print(text)
    failed = start.wall > 3 or size.wall > 1.5 or smoke.wall > 8
    return (1 if failed else 0), start


def bundle(dist: Path) -> tuple[Path, Path]:
    """The frozen app and the frozen floor, as packaging/build.py lays them out."""
    exe = ".exe" if os.name == "nt" else ""
    return dist / "ooh-desk" / f"ooh-desk{exe}", dist / "qt-floor" / f"qt-floor{exe}"


def frozen(args: argparse.Namespace) -> tuple[int, Ratio]:
    app, floor_exe = bundle(Path(args.dist).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        isolate(tmp)
        demo = tmp / "demo.oohdesk"
        subprocess.run([str(app), "demo", str(demo)], check=True, stdout=subprocess.DEVNULL)
        start = interleaved([str(floor_exe)], [str(app), "gui", str(demo), "--quit-after-paint"],
                            args.repeat)
        steady = [counted("instructions, frozen, to first paint", [str(floor_exe)],
                          [str(app), "gui", str(demo), "--quit-after-paint"])
                  ] if args.instructions else []
    print(line("frozen bare window (qt-floor) to first paint", start.floor))
    print(line("frozen ooh-desk gui DEMO --quit-after-paint", start.ours) + "; "
          + verdict(start, 2, 3))
    for text in steady:
        print(text)
    return (1 if start.wall > 3 else 0), start


def busy_warning() -> None:
    """Wall-clock ratios mean little on a machine already running more than it has cores."""
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load > cores:
        print(f"note: load average {load:.1f} on {cores} cores; wall-clock ratios are noisy "
              "here, the CPU ratios less so")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feedback", type=int, default=20000)
    parser.add_argument("--risks", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=9,
                        help="timed runs of each side of a ratio (default: 9)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--frozen", action="store_true",
                       help="only the built bundle against the frozen bare window")
    which.add_argument("--source", action="store_true",
                       help="only from source, even when the bundle is built")
    parser.add_argument("--dist", default=str(measure.ROOT / "dist"),
                        help="where packaging/build.py put its output (default: dist)")
    parser.add_argument("--instructions", action="store_true",
                        help="also count each start's instructions under valgrind (steady "
                             "on a busy machine)")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        print("--instructions needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    built = all(p.exists() for p in bundle(Path(args.dist).resolve()))
    if args.frozen and not built:
        print(f"not built: {' and '.join(str(p) for p in bundle(Path(args.dist).resolve()))}; "
              "run python packaging/build.py and python packaging/build.py --floor first",
              file=sys.stderr)
        return 2
    codes, starts = [], {}
    if not args.frozen:
        code, starts["from source"] = from_source(args)
        codes.append(code)
    if built and not args.source:
        code, starts["frozen"] = frozen(args)
        codes.append(code)
    elif not args.frozen:
        print("frozen: not built (python packaging/build.py and --floor), not timed")
    print("start to first paint against its floor: " + "; ".join(
        f"{name} {r.wall:.2f} (CPU {r.cpu:.2f})" for name, r in starts.items()))
    busy_warning()
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
