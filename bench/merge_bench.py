"""Merging two copies of a big register through the command line, against a floor measured
in the same run (issue 14).

The register holds 2,000 risks (two mitigations each) and 20,000 feedback items. It is copied
twice with `copy`; on each copy 1,000 records are changed (half risks, half feedback, a
different field on each side, and 50 records changed on both sides to make conflicts) and
200 made (100 risks, 100 feedback: the risks' refs clash, so theirs are renumbered).

Timed: `ooh-desk merge A B` as a process (a fresh copy of A each run, not timed). Floor: one
Python process that opens both files with plain `sqlite3` and reads every row of every
record table. Goal: ratio <= 3 (above 6 is a failure). Best of --repeat runs, alternating;
peak memory (max RSS) of the best merge run is printed.

    .venv/bin/python bench/merge_bench.py [--risks 2000] [--feedback 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import measured  # compiles our bytecode first, as an install has it

from ooh_desk.domain.records import FeedbackItem, Mitigation, Rating, Risk, new_uuid
from ooh_desk.services.merge import copy_register
from ooh_desk.store import Register, records

FLOOR = """
import sqlite3, sys
for path in sys.argv[1:]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    tables = [r[0] for r in conn.execute(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
        "and name not like '%_fts%'")]
    for table in tables:
        for row in conn.execute(f"select * from [{table}]"):
            pass
    conn.close()
"""


def build(path: Path, risks: int, feedback: int) -> None:
    with Register.create(path, user="bench") as reg:
        records.save_records(reg, "risks", [
            Risk(ref=f"R-{n:04d}", title=f"Risk number {n}", description="What could happen",
                 owner="Programme Director", category="Delivery",
                 current=Rating(3, 4), inherent=Rating(4, 4), target=Rating(2, 2),
                 mitigations=[Mitigation("Weekly review"), Mitigation("Escalate to board")])
            for n in range(1, risks + 1)], operation="import")
        records.save_records(reg, "feedback", [
            FeedbackItem(ref=f"F-{n:05d}", comment=f"Comment number {n} from the workshop",
                         event="Market engagement", stakeholder_group="Providers",
                         themes=["access"])
            for n in range(1, feedback + 1)], operation="import")


def work(path: Path, side: str, changed: int, made: int) -> None:
    """`changed` records edited and `made` new, as one laptop's user would."""
    with Register.open(path, user=side) as reg:
        risks = records.all_records(reg, "risks")
        feedback = records.all_records(reg, "feedback")
        half = changed // 2
        start = 0 if side == "a" else half - 50  # 50 of each kind edited on both sides
        records.save_records(reg, "risks", [
            dataclasses.replace(r, owner=f"{side} owner {n}")
            for n, r in enumerate(risks[start:start + half])])
        records.save_records(reg, "feedback", [
            dataclasses.replace(f, status="actioned" if side == "a" else "closed",
                                action_taken=f"{side} did something")
            for f in feedback[start:start + half]])
        refs = records.new_refs(reg, "risks")
        records.save_records(reg, "risks", [
            dataclasses.replace(risks[0], uuid=new_uuid(), ref=next(refs),
                                title=f"New on {side} {n}", mitigations=[])
            for n in range(made // 2)])
        refs = records.new_refs(reg, "feedback")
        records.save_records(reg, "feedback", [
            dataclasses.replace(feedback[0], uuid=new_uuid(), ref=next(refs),
                                comment=f"New on {side} {n}") for n in range(made // 2)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--risks", type=int, default=2000)
    parser.add_argument("--feedback", type=int, default=20_000)
    parser.add_argument("--changed", type=int, default=1000)
    parser.add_argument("--made", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    exe = Path(sys.executable).parent / "ooh-desk"
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        base, a, b = tmp / "base.oohdesk", tmp / "a.oohdesk", tmp / "b.oohdesk"
        build(base, args.risks, args.feedback)
        copy_register(base, a, "a")
        copy_register(base, b, "b")
        work(a, "a", args.changed, args.made)
        work(b, "b", args.changed, args.made)
        floor_script = tmp / "floor.py"
        floor_script.write_text(FLOOR)
        merges, floors = [], []
        for _ in range(args.repeat):
            target = tmp / "target.oohdesk"
            shutil.copy(a, target)
            merges.append(measured([str(exe), "merge", str(target), str(b)]))
            floors.append(measured([sys.executable, str(floor_script), str(a), str(b)]))
        best = min(r.seconds for r in merges)
        peak = max(r.peak_mb for r in merges)
        floor = min(r.seconds for r in floors)
        shutil.copy(a, target)
        said = subprocess.run([str(exe), "merge", str(target), str(b)], capture_output=True,
                              text=True).stdout.splitlines()
        print("\n".join(line for line in said if not line.startswith("    ")))
    ratio = best / floor
    verdict = "ok" if ratio <= 3 else ("slow" if ratio <= 6 else "FAIL")
    print(f"merge {args.risks} risks + {args.feedback} feedback, {args.changed} changed and "
          f"{args.made} new on each side: {best:.2f} s (peak {peak} MB); floor (plain sqlite3 "
          f"reading both files) {floor:.2f} s; ratio {ratio:.1f} ({verdict}; goal <= 3, "
          f"fail > 6)")
    return 0 if ratio <= 6 else 1


if __name__ == "__main__":
    sys.exit(main())
