"""Write a Word board report from a 200-risk, 100-milestone, 500-feedback register through the
real CLI, against a floor measured in the same run: a bare python-docx script writing one
200-row table, as a separate process (so both pay the same interpreter and import start-up).
Goal: ratio <= 2; above 4 is a failure (exit 1).

    .venv/bin/python bench/report_bench.py [--style coventry] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from measure import timed  # bench/ is on sys.path when a bench is run as a script

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FLOOR = """
import sys, docx
doc = docx.Document()
doc.add_heading("Risk log", 1)
table = doc.add_table(rows=1, cols=8)
table.style = "Table Grid"
for cell, text in zip(table.rows[0].cells, ["Ref", "Risk", "Owner", "Inherent", "Current",
                                            "Target", "Trend", "Mitigations"]):
    cell.text = text
for n in range(1, 201):
    cells = table.add_row().cells
    values = [f"R-{n:03d}", f"Risk {n} to the programme: cause, effect and consequence",
              f"Owner {n % 17}", "5 x 4 = 20 Extreme", "3 x 4 = 12 High", "1 x 2 = 2 Low",
              "No change", "First mitigation; second mitigation"]
    for cell, text in zip(cells, values):
        cell.text = text
doc.save(sys.argv[1])
"""


def build_register(path: Path) -> None:
    from ooh_desk.domain.board_dates import BoardDate
    from ooh_desk.domain.records import (
        Action,
        FeedbackItem,
        Milestone,
        Mitigation,
        Programme,
        Risk,
    )
    from ooh_desk.domain.scoring import Rating
    from ooh_desk.store import Register
    from ooh_desk.store.records import save_records

    start = date(2017, 4, 1)

    def day(n: int) -> BoardDate:
        return BoardDate.from_date(start + timedelta(days=n))

    programme = Programme(name="Benchmark Programme", sponsor="Benchmark Board",
                          reviewing_bodies=["Benchmark Scrutiny Committee"], as_at=date(2017, 11, 9))
    with Register.create(path, programme) as reg, reg.transaction():
        save_records(reg, "risks", [Risk(
            ref=f"R-{n:03d}", title=f"Risk {n} to the programme",
            description=f"If cause {n} happens then effect {n} follows, with consequences for "
                        "delivery, cost and the people who use the services.",
            owner=f"Owner {n % 17}", inherent=Rating(5, 4),
            current=Rating(n % 5 + 1, n % 4 + 2), target=Rating(1, 2),
            mitigations=[Mitigation(f"Mitigation {n}.{k}: a named group reviews it monthly",
                                    owner=f"Owner {k}") for k in range(1, 4)],
            status="closed" if n % 20 == 0 else "open") for n in range(1, 201)])
        save_records(reg, "milestones", [Milestone(
            ref=f"M-{n:03d}", title=f"Milestone {n} of the programme", owner=f"Owner {n % 9}",
            baseline=day(n * 3), forecast=day(n * 3 + (n % 4) * 7),
            actual=day(n * 3) if n < 40 else None) for n in range(1, 101)])
        save_records(reg, "feedback", [FeedbackItem(
            ref=f"F-{n:03d}", comment=f"Comment {n}: people said the service should change in "
                                      "this particular way.",
            route=("market", "clinical", "staff", "patient and public", "survey")[n % 5],
            event=f"Event {n % 12}", action_taken=f"We changed the specification ({n}).",
            personal_data=n % 50 == 0) for n in range(1, 501)])
        save_records(reg, "actions", [Action(ref=f"A-{n:03d}", description=f"Action {n}",
                                             owner=f"Owner {n % 7}", due=day(n * 5))
                                      for n in range(1, 61)])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--style", default="coventry", choices=["coventry", "durham", "nhs-cover"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        reg = tmp / "bench.oohdesk"
        build_register(reg)
        ours, floor = [], []
        for n in range(args.repeat):
            floor.append(timed([py, "-c", FLOOR, str(tmp / f"floor{n}.docx")]))
            ours.append(timed([py, "-m", "ooh_desk.cli", "report", str(reg), "--style",
                               args.style, "-o", str(tmp / f"ours{n}.docx")]))
        f, o = statistics.median(floor), statistics.median(ours)
    ratio = o / f
    print(f"floor (python-docx, one 200-row table, own process): {f:.2f} s")
    print(f"ooh-desk report --style {args.style} (200 risks, 100 milestones, 500 feedback): "
          f"{o:.2f} s")
    verdict = "goal met" if ratio <= 2 else ("acceptable" if ratio <= 4 else "FAILURE")
    print(f"ratio: {ratio:.2f}x ({verdict}; goal <= 2x, failure above 4x)")
    return 0 if ratio <= 4 else 1


if __name__ == "__main__":
    sys.exit(main())
