"""Import 5,000 risks through the real CLI against a floor measured in the same run:
csv.DictReader + sqlite-utils insert_all into a fresh file, as a separate process.
Goal: ratio <= 4 (above 6 is a failure). Also: `ooh-desk --version` start against `python -c pass`.

    .venv/bin/python bench/import_bench.py [--rows 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import timed  # bench/ is on sys.path when a bench is run as a script

FLOOR = """
import csv, sys, sqlite_utils
db = sqlite_utils.Database(sys.argv[2])
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    db["risks"].insert_all(csv.DictReader(f), pk="ref")
"""


def write_csv(path: Path, rows: int) -> None:
    lines = ["ref,title,description,category,owner,workstream,raised,inherent_likelihood,"
             "inherent_impact,likelihood,impact,target_likelihood,target_impact,controls,"
             "mitigations,review_date,status"]
    for n in range(1, rows + 1):
        lines.append(
            f'R-{n:05d},Risk {n} to the programme,"Cause {n}, effect and consequence",'
            f"Workforce,Owner {n % 17},Workstream {n % 5},{(n % 28) + 1:02d}/09/2017,5,4,"
            f"{(n % 5) + 1},{(n % 4) + 1},1,2,Monthly review,"
            f'"- First mitigation {n}\n- Second mitigation",{(n % 28) + 1:02d}/12/2017,open')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "risks.csv"
        write_csv(source, args.rows)
        ours, floor = [], []
        for n in range(args.repeat):
            floor_db = tmp / f"floor{n}.db"
            floor.append(timed([py, "-c", FLOOR, str(source), str(floor_db)]))
            reg = tmp / f"ours{n}.oohdesk"
            subprocess.run([py, "-m", "ooh_desk.cli", "init", str(reg)], check=True,
                           stdout=subprocess.DEVNULL)
            ours.append(timed([py, "-m", "ooh_desk.cli", "import", str(reg), str(source)]))
        start_ours = min(timed([py, "-m", "ooh_desk.cli", "--version"]) for _ in range(5))
        start_floor = min(timed([py, "-c", "pass"]) for _ in range(5))
    best_ours, best_floor = min(ours), min(floor)
    ratio = best_ours / best_floor
    print(f"import {args.rows} risks: ooh-desk {best_ours:.2f}s, floor {best_floor:.2f}s, "
          f"ratio {ratio:.2f} (goal <= 4, fail > 6)")
    print(f"start-up: ooh-desk --version {start_ours * 1000:.0f} ms, python -c pass "
          f"{start_floor * 1000:.0f} ms, ratio {start_ours / start_floor:.1f}")
    return 0 if ratio <= 6 else 1


if __name__ == "__main__":
    sys.exit(main())
