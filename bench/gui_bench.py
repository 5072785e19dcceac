"""The desktop app's start-up and its indifference to register size, as separate processes:

1. `ooh-desk gui EMPTY --smoke-test` (opens every view offscreen) against a bare PySide6
   window started and closed the same way. Goal: ratio <= 5 (above 8 is a failure).
2. The same smoke test on a register of 20,000 feedback comments and 2,000 risks against the
   empty register. Goal: ratio <= 1.2 (above 1.5 is a failure): the tables fetch a page at a
   time, so a big register must open as fast as an empty one.

Peak memory (max RSS) of each process is printed too.

    .venv/bin/python bench/gui_bench.py [--feedback 20000] [--risks 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import measure  # noqa: F401  (our bytecode compiled, as an install has it)

FLOOR = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.resize(1280, 800)
window.show()
app.processEvents()
window.close()
app.processEvents()
"""


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall time in seconds and peak memory in MB of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {err}")
    return elapsed, usage.ru_maxrss // 1024


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


def best(cmd: list[str], repeat: int) -> tuple[float, int]:
    runs = [timed(cmd) for _ in range(repeat)]
    return min(t for t, _ in runs), max(m for _, m in runs)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feedback", type=int, default=20000)
    parser.add_argument("--risks", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    py = sys.executable
    cli = [py, "-m", "ooh_desk.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")  # keep settings out of the user's
        empty, big = tmp / "empty.oohdesk", tmp / "big.oohdesk"
        for reg in (empty, big):
            subprocess.run([*cli, "init", str(reg)], check=True, stdout=subprocess.DEVNULL)
        write_feedback(tmp / "feedback.csv", args.feedback)
        write_risks(tmp / "risks.csv", args.risks)
        for name in ("feedback.csv", "risks.csv"):
            subprocess.run([*cli, "import", str(big), str(tmp / name)], check=True,
                           stdout=subprocess.DEVNULL)
        timed([py, "-c", FLOOR])  # warm the file cache for both sides
        timed([*cli, "gui", str(empty), "--smoke-test"])
        floor, floor_mb = best([py, "-c", FLOOR], args.repeat)
        ours, ours_mb = best([*cli, "gui", str(empty), "--smoke-test"], args.repeat)
        large, large_mb = best([*cli, "gui", str(big), "--smoke-test"], args.repeat)
    start_ratio, size_ratio = ours / floor, large / ours
    print(f"bare PySide6 window: {floor * 1000:.0f} ms, peak {floor_mb} MB")
    print(f"smoke test, empty register: {ours * 1000:.0f} ms, peak {ours_mb} MB; "
          f"ratio {start_ratio:.2f} (goal <= 5, fail > 8)")
    print(f"smoke test, {args.feedback:,} feedback + {args.risks:,} risks: {large * 1000:.0f} ms, "
          f"peak {large_mb} MB; ratio to empty {size_ratio:.2f} (goal <= 1.2, fail > 1.5)")
    return 0 if start_ratio <= 8 and size_ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
