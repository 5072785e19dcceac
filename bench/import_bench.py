"""Import through the real CLI against a floor measured in the same run: csv.DictReader +
sqlite-utils insert_all of the same file into a fresh database, as a separate process.

Two cases: 5,000 risks with refs (17 columns, two mitigations each), and 20,000 feedback
items with no ref column, so every row takes a new ref. Goal for each: ratio <= 2.5 (above 4
is a failure, exit 1). Each import must leave one "created" audit row per record, or the
bench fails: the history is part of the work being timed. Runs are interleaved, ours beside
the floor, and the best of --repeat is taken. CPU seconds (user + system) are printed too:
on a busy machine they move less than wall-clock time. Also: `ooh-desk --version` start-up
against `python -c pass`.

    .venv/bin/python bench/import_bench.py [--rows 5000] [--feedback-rows 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import measured  # compiles our bytecode first, as an install has it

GOAL, FAILURE = 2.5, 4.0

FLOOR = """
import csv, sys, sqlite_utils
db = sqlite_utils.Database(sys.argv[2])
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    db[sys.argv[3]].insert_all(csv.DictReader(f), pk=sys.argv[4] or None)
"""


def write_csv(path: Path, rows: int) -> None:
    """Risks with refs, in the canonical columns."""
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


ROUTES = ("market", "clinical", "staff", "patient and public", "survey")


def write_feedback_csv(path: Path, rows: int) -> None:
    """Feedback items as an engagement log keeps them: no ref column at all."""
    lines = ["event,route,date,stakeholder_group,comment,themes,action_taken,status"]
    for n in range(1, rows + 1):
        lines.append(
            f"Drop-in session {n % 40},{ROUTES[n % 5]},{(n % 28) + 1:02d}/09/2017,"
            f'Group {n % 7},"Comment {n}: people asked for the clinic to open later, '
            f'and on Saturdays",Access; Workforce,We asked the provider to look at it ({n}),'
            "open")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def created(register: Path, kind: str) -> tuple[int, int]:
    """How many records of the kind the register holds, and its audit rows creating them."""
    with sqlite3.connect(register) as conn:
        records = conn.execute(f"select count(*) from [{kind}]").fetchone()[0]
        audit = conn.execute("select count(*) from audit where kind = ? and new = 'created'",
                             [kind]).fetchone()[0]
    return records, audit


def case(name: str, source: Path, kind: str, pk: str, rows: int, repeat: int,
         tmp: Path) -> float:
    py = sys.executable
    ours, floor = [], []
    for n in range(repeat):  # interleaved, so machine load hits both alike
        floor.append(measured([py, "-c", FLOOR, str(source), str(tmp / f"{kind}-floor{n}.db"),
                            kind, pk]))
        reg = tmp / f"{kind}-ours{n}.oohdesk"
        subprocess.run([py, "-m", "ooh_desk.cli", "init", str(reg)], check=True,
                       stdout=subprocess.DEVNULL)
        ours.append(measured([py, "-m", "ooh_desk.cli", "import", str(reg), str(source)]))
        if created(reg, kind) != (rows, rows):
            records, audit = created(reg, kind)
            raise SystemExit(f"{name}: the register holds {records} {kind} and {audit} audit "
                             f"rows creating them; expected {rows} of each")
    best_ours, best_floor = min(r.seconds for r in ours), min(r.seconds for r in floor)
    cpu_ours, cpu_floor = min(r.cpu for r in ours), min(r.cpu for r in floor)
    wall, cpu = best_ours / best_floor, cpu_ours / cpu_floor
    verdict = "ok" if wall <= GOAL else ("slow" if wall <= FAILURE else "FAIL")
    print(f"{name}: ooh-desk {best_ours:.2f} s, floor (csv + sqlite-utils "
          f"insert_all) {best_floor:.2f} s, ratio {wall:.2f} "
          f"(goal <= {GOAL}, fail > {FAILURE}): {verdict}; CPU {cpu_ours:.2f} s "
          f"vs {cpu_floor:.2f} s, ratio {cpu:.2f}")
    return wall


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--feedback-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        risks, feedback = tmp / "risks.csv", tmp / "feedback.csv"
        write_csv(risks, args.rows)
        write_feedback_csv(feedback, args.feedback_rows)
        ratios = [case(f"import {args.rows} risks with refs", risks, "risks", "ref", args.rows,
                       args.repeat, tmp),
                  case(f"import {args.feedback_rows} feedback items without refs", feedback,
                       "feedback", "", args.feedback_rows, args.repeat, tmp)]
        start_ours = min(measured([py, "-m", "ooh_desk.cli", "--version"]).seconds
                         for _ in range(5))
        start_floor = min(measured([py, "-c", "pass"]).seconds for _ in range(5))
    print(f"start-up: ooh-desk --version {start_ours * 1000:.0f} ms, python -c pass "
          f"{start_floor * 1000:.0f} ms, ratio {start_ours / start_floor:.1f}")
    return 0 if max(ratios) <= FAILURE else 1


if __name__ == "__main__":
    sys.exit(main())
