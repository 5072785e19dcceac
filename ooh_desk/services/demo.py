"""The demo register: a programme drawn from the seeds' facts (sample_data/), built the way a
user would build it — each canonical CSV imported, the committee's forward plan and minutes
recorded, and its history replayed day by day (demo_story) — so every view has a past to
show. Also where the app's own demo register lives. Imports no Qt."""

from __future__ import annotations

import csv
import importlib.util
import shutil
import tempfile
import tomllib
from datetime import date
from pathlib import Path

from platformdirs import user_data_path

from ..domain.board_dates import parse_day, parse_optional
from ..domain.meetings import Committee, Member, parse_role
from ..domain.records import EngagementEvent, Programme, Workstream, parse_status
from ..domain.scoring import parse_rating
from ..errors import UserError
from ..store import Register, history, records
from ..store import meetings as store
from ..store.programme import save_event, save_workstream
from . import demo_story
from .importing import import_agenda, import_into
from .meetings import record_minutes

SAMPLE_DATA = Path(__file__).resolve().parent.parent.parent / "sample_data"


def default_demo_path() -> Path:
    """Where the app keeps the demo register it opens on first run."""
    return user_data_path("OOH Desk", appauthor=False) / "demo.oohdesk"


def rebuild_default_demo() -> Path:
    """The default demo register, built afresh (it is ours to replace)."""
    path = default_demo_path()
    path.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return build_demo(path)


def build_demo(path: str | Path, sample_data: Path = SAMPLE_DATA) -> Path:
    """A register filled from sample_data/: the programme, its workstreams and events, then
    each canonical CSV imported exactly as a user would import it."""
    path = Path(path)
    settings = tomllib.loads((sample_data / "programme.toml").read_text("utf-8"))
    p = settings["programme"]
    programme = Programme(
        name=p["name"], organisation=p.get("organisation", ""), sponsor=p.get("sponsor", ""),
        reviewing_bodies=list(p.get("reviewing_bodies", [])),
        protective_marking=p.get("protective_marking", "OFFICIAL"),
        as_at=date.fromisoformat(p["as_at"]) if p.get("as_at") else None)
    with Register.create(path, programme) as reg, reg.transaction():
        for w in settings.get("workstreams", []):
            save_workstream(reg, Workstream(w["name"], w.get("lead", ""), w.get("description", "")))
        for e in settings.get("events", []):
            save_event(reg, EngagementEvent(
                name=e["name"], route=e.get("route", ""), date=parse_optional(e.get("date")),
                place=e.get("place", ""), attendance=e.get("attendance"),
                organisations=e.get("organisations", "")))
        # The records as they stood at the last report; changes.csv then tells what changed.
        changes = demo_story.read_changes(sample_data / "changes.csv")
        with demo_story.base_files(sample_data, changes) as files:
            for kind in ("milestones", "risks", "feedback", "actions"):
                _import_demo(reg, files[kind], kind)
            _load_past_scores(reg, sample_data / "risk_reviews.csv")
            _load_mitigation_details(reg, sample_data / "mitigations.csv")
            load_demo_meetings(reg, sample_data)  # a committee, its forward plan and minutes
            _load_interests_and_options(reg, sample_data)
            if (sample_data / "key_decisions.csv").exists():  # the council's forward plan
                _import_demo(reg, sample_data / "key_decisions.csv", "key-decisions")
            if settings.get("issued"):
                history.backdate(reg, min(date.fromisoformat(i["as_at"]) for i in settings["issued"]))
            demo_story.record_issued(reg, settings)
            demo_story.apply_changes(reg, changes, files, _import_demo)
            _load_assurance_framework(reg, sample_data)
        if programme.as_at:
            history.backdate(reg, programme.as_at)  # its history reads as it stood on that date
    return path


def _import_demo(reg: Register, source: Path, kind: str) -> None:
    report = import_into(reg, source, kind=kind)
    if report.refused:
        raise UserError(f"the demo data is broken: {report.problems[0]}")


def _load_assurance_framework(reg: Register, sample_data: Path) -> None:
    """The Board Assurance Framework: the strategic objectives, the risks marked as
    principal risks and linked to them (baf.csv, a risks sheet of those columns alone), and
    the sources of assurance on their controls, imported as a user imports them."""
    for name, kind in (("objectives.csv", "objectives"), ("baf.csv", "risks"),
                       ("assurances.csv", "assurances")):
        if (sample_data / name).exists():
            _import_demo(reg, sample_data / name, kind)


def _load_interests_and_options(reg: Register, sample_data: Path) -> None:
    """Members' registers of interests and a declaration at a meeting, then an outline
    business case (kept under its own ref, OBC-001, clear of the P- refs a user's papers
    take) with its options appraisal, each imported as a user imports them."""
    for name in ("interests", "declarations"):
        if (sample_data / f"{name}.csv").exists():
            _import_demo(reg, sample_data / f"{name}.csv", name)
    case = sample_data / "papers" / "outline-business-case.md"
    if not case.exists():
        return
    from ..domain.papers import Paper, parse_markdown
    from .papers import apply_fields, save_paper_record

    fields, sections = parse_markdown(case.read_text("utf-8"), case.name)
    paper = Paper(ref="OBC-001", title="", sections=sections)
    apply_fields(paper, fields, case.name)
    save_paper_record(reg, paper, operation="demo")
    for name, kind in (("options.csv", "options"), ("option_scores.csv", "option-scores")):
        _import_demo(reg, sample_data / name, kind)


def _load_past_scores(reg: Register, path: Path) -> None:
    if not path.exists():
        return
    rows = list(csv.DictReader(path.read_text("utf-8").splitlines()))
    for number, row in enumerate(rows, start=2):
        try:
            history.add_past_score(reg, row["ref"], parse_day(row["reviewed"]),
                                   parse_rating(row["likelihood"], "likelihood"),
                                   parse_rating(row["impact"], "impact"))
        except ValueError as exc:
            raise UserError(f"{path.name} row {number}: {exc}") from None


def _load_mitigation_details(reg: Register, path: Path) -> None:
    """Owners, due dates and statuses for some of the risks' actions (risks.csv holds only
    their words): each row names a risk and the start of one of its actions."""
    if not path.exists():
        return
    rows = list(csv.DictReader(path.read_text("utf-8").splitlines()))
    changed = {}
    for number, row in enumerate(rows, start=2):
        risk = changed.get(row["risk"]) or records.get_record(reg, "risks", row["risk"])
        action = next((m for m in risk.mitigations if m.description.startswith(row["action"]))
                      if risk else (), None)
        if action is None:
            raise UserError(f"{path.name} row {number}: {row['risk']} has no action starting "
                            f"{row['action']!r}")
        try:
            action.owner, action.due = row["owner"], parse_optional(row["due"])
            action.status = parse_status("action", row["status"])
        except ValueError as exc:
            raise UserError(f"{path.name} row {number}: {exc}") from None
        changed[risk.ref] = risk
    records.save_records(reg, "risks", list(changed.values()), operation="demo")


def load_demo_meetings(reg: Register, sample_data: Path) -> None:
    """The sample committee (committee.toml), its forward plan (agenda.csv, with documents
    made by sample_data/make_documents.py) and the minutes of its July meeting."""
    settings_path = sample_data / "committee.toml"
    if not settings_path.exists():
        return
    settings = tomllib.loads(settings_path.read_text("utf-8"))
    c = settings["committee"]
    committee = Committee(
        name=c["name"], organisation=c.get("organisation", ""),
        contact_name=c.get("contact_name", ""), contact_phone=c.get("contact_phone", ""),
        contact_email=c.get("contact_email", ""), default_place=c.get("default_place", ""),
        issued_by=c.get("issued_by", ""),
        members=[Member(m["name"], parse_role(m.get("role", "")), m.get("organisation", ""))
                 for m in settings.get("members", [])])
    store.save_committee(reg, committee, operation="demo")
    plan = sample_data / "agenda.csv"
    if plan.exists():
        # The demo's reports are generated, not shipped: made in a scratch folder beside a
        # copy of the plan, then imported exactly as a user's forward plan is.
        with tempfile.TemporaryDirectory(prefix="ooh-demo-") as scratch:
            copy = Path(scratch) / plan.name
            shutil.copy(plan, copy)
            _make_demo_documents(sample_data, Path(scratch) / "documents")
            report = import_agenda(reg, copy)
        if report.refused:
            raise UserError(f"the demo forward plan is broken: {report.problems[0]}")
    for m in settings.get("meetings", []):
        meeting = store.find_meeting(reg, m["ref"])
        if m.get("published"):
            meeting.published = date.fromisoformat(m["published"])
            store.save_meeting(reg, meeting, operation="demo")
        if m.get("minutes"):
            record_minutes(reg, meeting.ref, sample_data / m["minutes"])


def _make_demo_documents(sample_data: Path, folder: Path) -> None:
    script = sample_data / "make_documents.py"
    if not script.exists():
        return
    spec = importlib.util.spec_from_file_location("ooh_demo_documents", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_documents(folder)
