"""Everything OOH Desk writes for people to read or keep — Word reports, Excel risk logs,
agenda packs, minutes and the register as JSON — each written whole (a temporary file
renamed into place) and then entered in the register's issue list, here and only here, so
`list REGISTER issued` is the same whichever front end wrote the file.

Each verb takes the register's path and opens its own read-only connection, so the app can
run it on a worker thread while its own connection stays on the GUI thread. The export
modules are imported when first used: `ooh-desk list` need not load python-docx, openpyxl
and reportlab. Imports no Qt."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..domain import codec
from ..domain.changes import Issue
from ..errors import atomic_output
from ..store import Register, RegisterError, issues
from ..store import meetings as store
from ..store.programme import events, workstreams
from ..store.records import all_records
from .listing import as_at_for
from .records import RECORD_KINDS


@dataclass
class Written:
    """A file written and entered in the issue list. `notes` are for the user: a report's
    warnings, or that the register could not take the entry (the file stands anyway)."""

    path: Path
    notes: list[str] = field(default_factory=list)
    pack: Any = None  # exports.pack.PackResult, for a pack


def write_report(register: str | Path, output: str | Path, *, paper_ref: str | None = None,
                 meeting: str | None = None, style: str | None = None,
                 template: str | Path | None = None, as_at: date | None = None,
                 include_closed: bool = False) -> Written:
    """A Word board report in a house style (see exports.report.write_report)."""
    from ..exports.report import write_report as write

    output = Path(output)
    facts: dict[str, str] = {}
    with Register.open(register, readonly=True) as reg:
        warnings = write(reg, output, paper_ref=paper_ref, meeting=meeting, style=style,
                         template=template, as_at=as_at, include_closed=include_closed,
                         facts=facts)
    return _issued(register, "report", as_at, output, warnings, **facts)


def write_risk_log(register: str | Path, output: str | Path, *,
                   as_at: date | None = None) -> Written:
    """The Excel risk log (see exports.risk_log)."""
    from ..exports.risk_log import write_risk_log as write

    output = Path(output)
    with Register.open(register, readonly=True) as reg:
        write(reg, output, as_at=as_at)
    return _issued(register, "risk-log", as_at, output)


def build_pack(register: str | Path, meeting: str, output: str | Path,
               private_output: str | Path | None = None, *, as_at: date | None = None,
               progress: Any = None) -> Written:
    """A meeting's public agenda pack and, when asked, its private pack (see exports.pack).
    `meeting` is the meeting's ref, or its date where one committee meets that day."""
    from ..exports import pack

    output = Path(output)
    with Register.open(register, readonly=True) as reg:
        found = store.find_meeting(reg, meeting)
        result = pack.build_packs(reg, found, output,
                                  Path(private_output) if private_output else None,
                                  as_at=as_at, progress=progress)
    written = _issued(register, "pack", as_at, output, meeting_ref=found.ref,
                      committee=found.committee)
    written.pack = result
    return written


def write_minutes(register: str | Path, meeting: str, output: str | Path, *,
                  include_private: bool = False) -> Written:
    """A meeting's minutes as a Word document (see exports.minutes)."""
    from ..exports import minutes

    output = Path(output)
    with Register.open(register, readonly=True) as reg:
        found = store.find_meeting(reg, meeting)
        minutes.write_minutes(reg, found, output, include_private=include_private)
    return _issued(register, "minutes", None, output, meeting_ref=found.ref,
                   committee=found.committee)


def write_json_export(register: str | Path, output: str | Path) -> Written:
    """The whole register as OOH Desk's JSON, which `import` takes back."""
    output = Path(output)
    with Register.open(register, readonly=True) as reg:
        data = export_json(reg)
    with atomic_output(output) as temp:
        temp.write_text(json.dumps(data, indent=2, ensure_ascii=False), "utf-8")
    return _issued(register, "json", None, output)


def export_json(reg: Register) -> dict[str, Any]:
    programme = dataclasses.asdict(reg.programme)
    programme["as_at"] = reg.programme.as_at.isoformat() if reg.programme.as_at else None
    return {
        "format": codec.FORMAT, "format_version": codec.FORMAT_VERSION,
        "programme": programme,
        "workstreams": [dataclasses.asdict(w) for w in workstreams(reg)],
        "events": [dataclasses.asdict(e) | {"date": codec.board_date_to_json(e.date)}
                   for e in events(reg)],
        **{kind: [codec.to_json(r) for r in all_records(reg, kind)] for kind in RECORD_KINDS},
    }


def _issued(register: str | Path, kind: str, as_at: date | None, output: Path,
            notes: list[str] | None = None, *, paper_ref: str = "", committee: str = "",
            meeting_ref: str = "", style: str = "") -> Written:
    """Enter a file just written in the register's issue list: one small transaction after
    the file is safely on disk. When the register cannot take it (read-only, in use) the
    file stands and the user is told."""
    written = Written(output, list(notes or []))
    try:
        with Register.open(register) as reg:
            issues.record_issue(reg, Issue(
                kind=kind, as_at=as_at_for(reg, as_at), at=datetime.now(UTC),
                file_name=output.name, paper_ref=paper_ref, committee=committee,
                meeting_ref=meeting_ref, style=style))
    except RegisterError as exc:
        written.notes.append(f"the {kind} was written but not entered in the issue "
                             f"register ({exc})")
    return written
