"""`ooh-desk --self-test`: the installed app checks itself the way a user would use it, in a
temporary folder — create a register, import a CSV, write a Word report and an Excel risk
log and, when LibreOffice is installed, a PDF agenda pack — and opens each file again with
the library that reads it; and it loads team sync's database driver. Run frozen, it proves
the bundle holds everything the app needs (templates, sample data, libraries). Imports no
Qt."""

from __future__ import annotations

import csv
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserFacing, plain_message

PROGRAMME = "Self-test programme"
COMMITTEE = "Self-test Programme Board"
MEETING_DAY = "2017-09-04"
# A small register in the canonical layout, written in the words a programme team uses.
RISKS = [
    {"ref": "ST-001", "title": "Care home beds not commissioned in time for winter",
     "owner": "Head of Commissioning", "raised": "04/09/2017", "likelihood": "4",
     "impact": "4", "mitigations": "- Weekly bed-state call with providers\n- Spot purchase "
     "agreed as a fallback", "review_date": "Early November 2017", "status": "open"},
    {"ref": "ST-002", "title": "Community nursing vacancies stay high",
     "owner": "Director of Nursing", "raised": "04/09/2017", "likelihood": "3",
     "impact": "3", "mitigations": "- Rolling recruitment campaign", "review_date":
     "Q3 2017/18", "status": "open"},
    {"ref": "ST-003", "title": "Patients not told about the new single point of access",
     "owner": "Communications Lead", "raised": "04/09/2017", "likelihood": "2",
     "impact": "3", "mitigations": "", "review_date": "late October 2017",
     "status": "closed"},
]


@dataclass
class Check:
    """One step of the self-test: what it did, and how it went."""

    name: str
    ok: bool
    detail: str = ""
    skipped: bool = False

    def line(self) -> str:
        mark = "skipped" if self.skipped else "ok" if self.ok else "FAILED"
        return f"{mark:8}{self.name}" + (f": {self.detail}" if self.detail else "")


def run_self_test(say: Callable[[Check], None] | None = None,
                  folder: Path | None = None) -> list[Check]:
    """Every check in order, each reported through `say` as it finishes. A step whose input
    an earlier failure never made is not run. The temporary folder is removed afterwards
    unless `folder` is given."""
    if folder is not None:
        return _run_in(Path(folder), say)
    with tempfile.TemporaryDirectory(prefix="ooh-desk-self-test-") as scratch:
        return _run_in(Path(scratch), say)


def summary(checks: list[Check]) -> tuple[bool, str]:
    failed = [c.name for c in checks if not c.ok]
    skipped = sum(c.skipped for c in checks)
    if failed:
        return False, f"Self-test failed: {'; '.join(failed)}."
    tail = f", {skipped} skipped" if skipped else ""
    return True, f"Self-test passed: {len(checks) - skipped} checks{tail}."


def _run_in(folder: Path, say: Callable[[Check], None] | None) -> list[Check]:
    checks: list[Check] = []
    register = folder / "self-test.oohdesk"
    report = folder / "report.docx"

    def step(name: str, action: Callable[[], str], needs: tuple[str, ...] = ()) -> bool:
        missing = [n for n in needs if not any(c.name == n and c.ok for c in checks)]
        if missing:
            check = Check(name, False, f"not run: '{missing[0]}' failed")
        else:
            try:
                check = Check(name, True, action())
            except _Skipped as exc:
                check = Check(name, True, str(exc), skipped=True)
            except Exception as exc:  # a self-test names every failure rather than stopping
                check = Check(name, False, _describe(exc))
        checks.append(check)
        if say:
            say(check)
        return check.ok

    step("find the app's own files", _own_files)
    step("create a register", lambda: _create(register))
    step("import a CSV", lambda: _import(register, folder), needs=("create a register",))
    step("write a Word report", lambda: _word(register, report), needs=("import a CSV",))
    step("write an Excel risk log", lambda: _excel(register, folder / "risk-log.xlsx"),
         needs=("import a CSV",))
    step("write a PDF agenda pack", lambda: _pack(register, report, folder),
         needs=("write a Word report",))
    step("load the team server's database driver", _team_driver)
    step("keep the demo register in the user's folders", _user_folders)
    return checks


class _Skipped(Exception):
    """A step this machine cannot run (LibreOffice missing); says what will not work."""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, UserFacing):
        return plain_message(exc)
    return f"{type(exc).__name__}: {exc}"


def _own_files() -> str:
    from ..exports.report import TEMPLATES
    from .demo import SAMPLE_DATA

    wanted = [TEMPLATES / f"{style}.docx" for style in ("coventry", "durham", "nhs-cover")]
    wanted += [SAMPLE_DATA / name for name in ("programme.toml", "risks.csv", "agenda.csv")]
    missing = [str(p) for p in wanted if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"missing {', '.join(missing)}")
    return f"templates and sample data in {TEMPLATES.parent.parent}"


def _create(register: Path) -> str:
    from .registers import init_register

    init_register(register, PROGRAMME, organisation="Self-test Council")
    return ""


def _import(register: Path, folder: Path) -> str:
    from ..store import Register, records
    from .importing import import_file

    source = folder / "risks.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(RISKS[0]))
        writer.writeheader()
        writer.writerows(RISKS)
    result = import_file(register, source, kind="risks")
    if result.refused or not result.written:
        raise AssertionError(f"the import was refused: {result.problems[:1]}")
    with Register.open(register, readonly=True) as reg:
        found = records.get_record(reg, "risks", "ST-001")
        total = records.total_records(reg, "risks")
    if total != len(RISKS) or found is None or len(found.mitigations) != 2:
        raise AssertionError(f"read back {total} risks, not {len(RISKS)} as imported")
    return f"{total} risks"


def _word(register: Path, report: Path) -> str:
    import docx

    from .outputs import write_report

    write_report(register, report, style="durham", as_at=_meeting_day())
    document = docx.Document(str(report))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows
                        for cell in row.cells])
    if RISKS[0]["title"] not in text:
        raise AssertionError(f"{report.name} does not show risk {RISKS[0]['ref']}")
    return f"{len(document.paragraphs)} paragraphs, {len(document.tables)} tables"


def _excel(register: Path, log: Path) -> str:
    import openpyxl

    from .outputs import write_risk_log

    write_risk_log(register, log, as_at=_meeting_day())
    book = openpyxl.load_workbook(log, read_only=True)
    try:
        sheet = book.worksheets[0]
        refs = {row[0] for row in sheet.iter_rows(values_only=True) if row}
        sheets = len(book.worksheets)
    finally:
        book.close()
    missing = [r["ref"] for r in RISKS if r["ref"] not in refs]
    if missing:
        raise AssertionError(f"{log.name} does not list {', '.join(missing)}")
    return f"{sheets} sheets"


def _team_driver() -> str:
    """psycopg and the libpq it carries, as team sync loads them (no server is asked): a
    bundle that left out something they import cannot sync at all."""
    import psycopg

    version = psycopg.pq.version()  # e.g. 170004 for libpq 17.4
    return (f"psycopg {psycopg.__version__}, libpq {version // 10000}.{version % 100} "
            f"({psycopg.pq.__impl__})")


def _pack(register: Path, report: Path, folder: Path) -> str:
    from ..exports import office

    if office.find_soffice() is None:
        raise _Skipped("LibreOffice was not found, so agenda packs and page previews will not "
                       "work; install it from https://www.libreoffice.org/download/ (on Debian "
                       "or Ubuntu: apt-get install libreoffice-writer-nogui)")
    from pypdf import PdfReader

    from ..store import Register
    from .importing import import_into
    from .outputs import build_pack

    plan = folder / "agenda.csv"
    with plan.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["committee", "meeting_date", "time", "place", "item_no", "title",
                         "part", "item_type", "presenter", "document"])
        writer.writerow([COMMITTEE, "04/09/2017", "2.00 pm", "Room 1", "1",
                         "Apologies for absence", "public", "", "", ""])
        writer.writerow([COMMITTEE, "04/09/2017", "2.00 pm", "Room 1", "2",
                         "Programme risks", "public", "report", "Programme Manager",
                         report.name])
    with Register.open(register) as reg:
        result = import_into(reg, plan, kind="agenda")
    if result.refused:
        raise AssertionError(f"the agenda was refused: {result.problems[:1]}")
    pdf = folder / "pack.pdf"
    build_pack(register, MEETING_DAY, pdf)
    reader = PdfReader(str(pdf))
    front = reader.pages[0].extract_text() or ""
    if len(reader.pages) < 2 or COMMITTEE not in " ".join(front.split()):
        raise AssertionError(f"{pdf.name} has {len(reader.pages)} pages and no front sheet")
    return f"{len(reader.pages)} pages"


def _user_folders() -> str:
    """The demo register lives in the user's own folders, never beside the program, which may
    be read-only (Program Files). (The app's settings are Qt's, in the user's config folder.)"""
    from .demo import default_demo_path

    programs = {Path(sys.executable).parent.resolve(), Path(__file__).resolve().parents[2]}
    demo = default_demo_path().resolve()
    if any(demo.is_relative_to(program) for program in programs):
        raise AssertionError(f"the demo register would be kept beside the program, at {demo}")
    return f"demo register at {demo}"


def _meeting_day():
    from datetime import date

    return date.fromisoformat(MEETING_DAY)
