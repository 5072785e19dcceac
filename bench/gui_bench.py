"""The desktop app's start-up, as a user feels it: the time from launch to the main window's
first paint, each run a separate process, against a floor measured in the same run.

1. `ooh-desk gui DEMO --quit-after-paint` from source against a bare PySide6 window shown and
   closed after its own first paint. Goal: ratio <= 2 (above 3 is a failure).
2. The same on a register of 20,000 feedback comments and 2,000 risks against an empty
   register. Goal: ratio <= 1.2 (above 1.5 is a failure): only the view on screen is built,
   and tables fetch a page at a time, so a big register opens as fast as an empty one.
3. `ooh-desk gui EMPTY --smoke-test` (every view opened) against the same floor, for the record.
   Goal: ratio <= 5 (above 8 is a failure).

With --frozen, instead: the bundle `dist/ooh-desk/ooh-desk gui DEMO --quit-after-paint`
against `dist/qt-floor/qt-floor`, the bare window frozen by the same build script
(`python packaging/build.py` and `python packaging/build.py --floor`). Goal <= 2, fail > 3.

Runs alternate between the two sides of each ratio and the best of each is kept, so a busy
machine slows both alike. Peak memory (max RSS) and CPU seconds of each best run are printed.

    .venv/bin/python bench/gui_bench.py [--feedback 20000] [--risks 2000] [--repeat 7]
    .venv/bin/python bench/gui_bench.py --frozen [--dist dist]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import measure
from measure import Run, measured

# The floor: the smallest PySide6 app that shows a main window, and ends after its first
# paint exactly as `--quit-after-paint` does (an event filter, then a zero timer, then the
# process ends without tearing down: both sides are timed to the paint, not to a clean exit).
FLOOR = """
import os
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
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


def best_pair(a: list[str], b: list[str], repeat: int) -> tuple[Run, Run]:
    """The best run of each command, run alternately after one warm-up each."""
    measured(a)
    measured(b)
    runs_a, runs_b = [], []
    for _ in range(repeat):
        runs_a.append(measured(a))
        runs_b.append(measured(b))
    return _best(runs_a), _best(runs_b)


def _best(runs: list[Run]) -> Run:
    fastest = min(runs, key=lambda r: r.seconds)
    return Run(fastest.seconds, min(r.cpu for r in runs), max(r.peak_mb for r in runs))


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


def line(name: str, run: Run) -> str:
    return f"{name}: {run.seconds * 1000:.0f} ms ({run.cpu * 1000:.0f} ms CPU), peak {run.peak_mb} MB"


def verdict(ratio: float, goal: float, fail: float) -> str:
    word = "met" if ratio <= goal else ("missed" if ratio <= fail else "FAILED")
    return f"ratio {ratio:.2f} (goal <= {goal:g}, fail > {fail:g}): {word}"


def isolate(tmp: Path) -> None:
    """Settings, recent registers and the demo live in the run's own folders, never the
    user's; every window is drawn offscreen."""
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")
    os.environ["QT_QPA_PLATFORM"] = "offscreen"


def from_source(args: argparse.Namespace) -> int:
    py = sys.executable
    cli = [py, "-m", "ooh_desk.cli"]
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
        floor, ours = best_pair([py, "-c", FLOOR],
                                [*cli, "gui", str(demo), "--quit-after-paint"], args.repeat)
        bare, large = best_pair([*cli, "gui", str(empty), "--quit-after-paint"],
                                [*cli, "gui", str(big), "--quit-after-paint"], args.repeat)
        smoke = _best([measured([*cli, "gui", str(empty), "--smoke-test"])
                       for _ in range(max(1, args.repeat // 2))])
    start_ratio, size_ratio, smoke_ratio = (ours.seconds / floor.seconds,
                                            large.seconds / bare.seconds,
                                            smoke.seconds / floor.seconds)
    print(line("bare PySide6 window to first paint", floor))
    print(line("ooh-desk gui DEMO --quit-after-paint", ours) + "; "
          + verdict(start_ratio, 2, 3) + f"; CPU ratio {ours.cpu / floor.cpu:.2f}")
    print(line("empty register", bare))
    print(line(f"{args.feedback:,} feedback + {args.risks:,} risks", large) + "; to empty "
          + verdict(size_ratio, 1.2, 1.5))
    print(line("smoke test (every view), empty register", smoke) + "; "
          + verdict(smoke_ratio, 5, 8))
    return 0 if start_ratio <= 3 and size_ratio <= 1.5 and smoke_ratio <= 8 else 1


def frozen(args: argparse.Namespace) -> int:
    dist = Path(args.dist).resolve()
    app = dist / "ooh-desk" / ("ooh-desk.exe" if os.name == "nt" else "ooh-desk")
    floor_exe = dist / "qt-floor" / ("qt-floor.exe" if os.name == "nt" else "qt-floor")
    missing = [str(p) for p in (app, floor_exe) if not p.exists()]
    if missing:
        print(f"not built: {', '.join(missing)}; run python packaging/build.py and "
              "python packaging/build.py --floor first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        isolate(tmp)
        demo = tmp / "demo.oohdesk"
        subprocess.run([str(app), "demo", str(demo)], check=True, stdout=subprocess.DEVNULL)
        floor, ours = best_pair([str(floor_exe)],
                                [str(app), "gui", str(demo), "--quit-after-paint"], args.repeat)
    ratio = ours.seconds / floor.seconds
    print(line("frozen bare window (qt-floor) to first paint", floor))
    print(line("frozen ooh-desk gui DEMO --quit-after-paint", ours) + "; "
          + verdict(ratio, 2, 3) + f"; CPU ratio {ours.cpu / floor.cpu:.2f}")
    return 0 if ratio <= 3 else 1


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
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--frozen", action="store_true",
                        help="time the built bundle against the frozen bare window")
    parser.add_argument("--dist", default=str(measure.ROOT / "dist"),
                        help="where packaging/build.py put its output (default: dist)")
    args = parser.parse_args()
    code = frozen(args) if args.frozen else from_source(args)
    busy_warning()
    return code


if __name__ == "__main__":
    sys.exit(main())
