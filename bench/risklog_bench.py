"""Export a 10,000-risk register as an Excel risk log through the real CLI, against a floor
measured in the same run: openpyxl write-only writing the same cells (the log's 10,000 rows
x its columns, values only, no styles) as a separate process. Goal: ratio <= 2 (above 3 is a
failure). Prints peak memory (max RSS) of each process, at 1,000 and at the full row count so
growth with rows shows, and times importing the exported log back into a fresh register.

    .venv/bin/python bench/risklog_bench.py [--rows 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from import_bench import write_csv  # noqa: E402  (same 17-column risk rows as the import bench)

# Run a command in a child process and report its own peak memory, so each figure is one
# process's. On Linux that is VmHWM: a child's ru_maxrss starts from the parent's high-water
# mark at the moment it was spawned (the kernel carries it across exec), so it would report
# this script's own memory whenever that was larger.
CHILD = """
import resource, runpy, sys, time
start = time.perf_counter()
kind, *args = sys.argv[1:]
if kind == "cli":
    from ooh_desk.cli import main
    code = main(args)
else:
    sys.argv = [kind, *args]
    runpy.run_path(kind, run_name="__main__")
    code = 0
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{time.perf_counter() - start:.4f} {peak}", file=sys.stderr)
sys.exit(code)
"""

FLOOR = """
import json, sys
from openpyxl import Workbook
rows = json.load(open(sys.argv[1], encoding="utf-8"))
wb = Workbook(write_only=True)
ws = wb.create_sheet("Risk log")
for row in rows:
    ws.append(row)
wb.save(sys.argv[2])
"""


def run(args: list[str]) -> tuple[float, int]:
    """Wall time of the whole process, and its peak memory in MB."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=ROOT, check=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    peak_kb = int(proc.stderr.strip().splitlines()[-1].split()[1])
    return wall, peak_kb // 1024


def build_register(tmp: Path, rows: int) -> Path:
    source = tmp / f"risks{rows}.csv"
    write_csv(source, rows)
    reg = tmp / f"reg{rows}.oohdesk"
    for args in (["init", str(reg)], ["import", str(reg), str(source)]):
        subprocess.run([sys.executable, "-m", "ooh_desk.cli", *args], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    return reg


def log_cells(path: Path, out: Path) -> int:
    """The exported log's cells, values only, for the floor to write."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    rows = [[v.isoformat() if hasattr(v, "isoformat") else v for v in row]
            for row in wb["Risk log"].iter_rows(values_only=True)]
    wb.close()
    out.write_text(json.dumps(rows), encoding="utf-8")
    return len(rows[0])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small = build_register(tmp, 1000)
        big = build_register(tmp, args.rows)
        _, small_peak = run(["cli", "export", str(small), "risk-log", "-o", str(tmp / "s.xlsx")])
        ours, floor = [], []
        ours_peak = floor_peak = 0
        log = tmp / "log.xlsx"
        cells = tmp / "cells.json"
        floor_script = tmp / "floor.py"
        floor_script.write_text(FLOOR, encoding="utf-8")
        for n in range(args.repeat):
            wall, peak = run(["cli", "export", str(big), "risk-log", "-o", str(log)])
            ours.append(wall)
            ours_peak = max(ours_peak, peak)
            if n == 0:
                columns = log_cells(log, cells)
            wall, peak = run([str(floor_script), str(cells), str(tmp / f"floor{n}.xlsx")])
            floor.append(wall)
            floor_peak = max(floor_peak, peak)
        imports = []
        for n in range(args.repeat):
            fresh = tmp / f"fresh{n}.oohdesk"
            subprocess.run([sys.executable, "-m", "ooh_desk.cli", "init", str(fresh)], cwd=ROOT,
                           check=True, stdout=subprocess.DEVNULL)
            imports.append(run(["cli", "import", str(fresh), str(log)]))
    best_ours, best_floor = min(ours), min(floor)
    ratio = best_ours / best_floor
    print(f"export {args.rows} risks x {columns} columns: ooh-desk {best_ours:.2f}s, floor "
          f"(openpyxl write-only, same cells, no styles) {best_floor:.2f}s, ratio {ratio:.2f} "
          "(goal <= 2, fail > 3)")
    pairs = sorted(o / f for o, f in zip(ours, floor, strict=True))
    print(f"each run's ratio (export / the floor run beside it): {pairs[0]:.2f} to "
          f"{pairs[-1]:.2f}, median {pairs[len(pairs) // 2]:.2f}; the export also streams "
          "the closed risks and every action to their own sheets, which the floor does not")
    print(f"peak memory: ooh-desk export {ours_peak} MB at {args.rows} rows, {small_peak} MB at "
          f"1000 rows; floor {floor_peak} MB (it holds the cells as JSON in memory)")
    best_import = min(imports)
    print(f"import the {args.rows}-risk log back: {best_import[0]:.2f}s, peak {best_import[1]} MB")
    return 0 if ratio <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
