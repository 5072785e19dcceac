"""Everything OOH Desk writes for people to read or keep — Word reports, Excel risk logs,
agenda packs, minutes and the register as JSON — each written whole (a temporary file
renamed into place) and then entered in the register's issue list, here and only here, so
`list REGISTER issued` is the same whichever front end wrote the file.

Each verb takes the register's path and opens its own read-only connection, so the app can
run it on a worker thread while its own connection stays on the GUI thread. The export
modules are imported when first used: `ooh-desk list` need not load python-docx, openpyxl
and reportlab. Imports no Qt."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..domain.changes import Issue
from ..errors import OutputError, atomic_output, check_folder
from ..exports import office
from ..store import Register, RegisterError, history, issues
from ..store import meetings as store
from ..store.papers import get_paper
from ..store.register import BACKUP_NAME, is_register_file
from .since import as_at_for
from .transfer import register_to_json


@dataclass
class Written:
    """A file written and entered in the issue list. `notes` are for the user: a report's
    warnings, or that the register could not take the entry (the file stands anyway)."""

    path: Path
    notes: list[str] = field(default_factory=list)
    pack: Any = None  # exports.pack.PackResult, for a pack


# --- where an output may be written --------------------------------------------------------------

# Each kind of output: what the user calls it, and the only suffix it is written under.
OUTPUTS = {
    "report": ("a Word report", ".docx"),
    "minutes": ("the minutes", ".docx"),
    "risk-log": ("an Excel risk log", ".xlsx"),
    "pack": ("an agenda pack", ".pdf"),
    "private pack": ("the private pack", ".pdf"),
    "json": ("the register as JSON", ".json"),
    "baf": ("the Board Assurance Framework", ".docx"),
    "baf-workbook": ("the Board Assurance Framework workbook", ".xlsx"),
    "forward-plan": ("the forward plan of key decisions", ".docx"),
    "calendar": ("a calendar file", ".ics"),
    "copy": ("a working copy of the register", ".oohdesk"),  # services/merge.copy_register
}
_WORKING_FILES = ("-wal", "-shm", "-journal")  # SQLite's, beside the register


def check_output(register: str | Path, output: str | Path, kind: str) -> Path:
    """Refuse, before any work is done for it, an output path that would replace the
    register (by any name: a symlink, "./", other capitals), its working files or a backup
    copy, or any OOH Desk register; one not named as its kind is written (.docx, .xlsx, .pdf,
    .json); and what check_folder refuses (a missing or read-only folder, a read-only file, a
    name too long for the disk). Both front ends come through here."""
    what, suffix = OUTPUTS[kind]
    output = Path(output)
    clash = _clash(Path(register), output)
    if clash:
        raise OutputError(f"cannot write {what} to {output}: {clash}; choose another file name")
    check_folder(output)
    if output.suffix.lower() != suffix:
        raise OutputError(f"cannot write {what} to {output}: it is written as a {suffix} file; "
                          f"give a name ending {suffix}")
    return output


def _clash(register: Path, output: Path) -> str:
    """Why writing `output` would destroy a register, or "" when it would not."""
    if _same_file(output, register):
        return "that is the register itself"
    target = _resolved(output)
    for reg in (register, _resolved(register)):
        if (target.name.casefold() in {(reg.name + s).casefold() for s in _WORKING_FILES}
                and _same_file(target.parent, reg.parent)):
            return "that is one of the register's working files (-wal, -shm, -journal)"
    if BACKUP_NAME.search(output.name) or BACKUP_NAME.search(target.name):
        return "that is a backup copy of a register"
    if is_register_file(output):
        return "that is an OOH Desk register"
    return ""


def _same_file(a: Path, b: Path) -> bool:
    """One file by two names (a symlink, a hard link, other capitals where the disk ignores
    them), or, where either is not there yet, the same path once resolved."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return os.path.normcase(_resolved(a)) == os.path.normcase(_resolved(b))


def _same_name(a: Path, b: Path) -> bool:
    """`_same_file`, or names differing only in capitals (the same file on Windows and macOS
    once written)."""
    return _same_file(a, b) or str(_resolved(a)).casefold() == str(_resolved(b)).casefold()


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return path.absolute()


def write_report(register: str | Path, output: str | Path, *, paper_ref: str | None = None,
                 meeting: str | None = None, style: str | None = None,
                 template: str | Path | None = None, as_at: date | None = None,
                 include_closed: bool = False) -> Written:
    """A Word board report in a house style (see exports.report.write_report)."""
    from ..exports.report import report_as_at
    from ..exports.report import write_report as write

    output = check_output(register, output, "report")
    if template is not None and _same_file(Path(template), output):
        raise OutputError(f"cannot write a Word report to {output}: that is the template it "
                          "is built on; choose another file name")
    facts: dict[str, str] = {}
    with Register.open(register, readonly=True) as reg:
        as_at = report_as_at(reg, paper_ref=paper_ref, meeting=meeting, as_at=as_at)
        warnings = write(reg, output, paper_ref=paper_ref, meeting=meeting, style=style,
                         template=template, as_at=as_at, include_closed=include_closed,
                         facts=facts)
    return _issued(register, "report", as_at, output, warnings, **facts)


def write_risk_log(register: str | Path, output: str | Path, *,
                   as_at: date | None = None) -> Written:
    """The Excel risk log (see exports.risk_log)."""
    from ..exports.risk_log import write_risk_log as write

    output = check_output(register, output, "risk-log")
    with Register.open(register, readonly=True) as reg:
        cuts = write(reg, output, as_at=as_at)  # texts cut to Excel's cell limit, for the user
    return _issued(register, "risk-log", as_at, output, cuts)


def build_pack(register: str | Path, meeting: str, output: str | Path,
               private_output: str | Path | None = None, *, as_at: date | None = None,
               progress: Any = None) -> Written:
    """A meeting's public agenda pack and, when asked, its private pack (see exports.pack).
    `meeting` is the meeting's ref, or its date where one committee meets that day."""
    from ..exports import pack

    output = check_output(register, output, "pack")
    if private_output is not None:
        private_output = check_output(register, private_output, "private pack")
        if _same_name(private_output, output):
            raise OutputError(f"cannot write the private pack to {private_output}: the public "
                              "pack is written there; choose another file name")
    with Register.open(register, readonly=True) as reg:
        found = store.find_meeting(reg, meeting)
        result = pack.build_packs(reg, found, output,
                                  Path(private_output) if private_output else None,
                                  as_at=as_at, progress=progress)
    written = _issued(register, "pack", as_at, output, meeting_ref=found.ref,
                      committee=found.committee)
    written.pack = result
    written.notes[:0] = result.notes  # "… has no private items; no private pack was written"
    return written


def write_minutes(register: str | Path, meeting: str, output: str | Path, *,
                  include_private: bool = False) -> Written:
    """A meeting's minutes as a Word document (see exports.minutes)."""
    from ..exports import minutes

    output = check_output(register, output, "minutes")
    with Register.open(register, readonly=True) as reg:
        found = store.find_meeting(reg, meeting)
        minutes.write_minutes(reg, found, output, include_private=include_private)
    return _issued(register, "minutes", None, output, meeting_ref=found.ref,
                   committee=found.committee)


def write_baf(register: str | Path, output: str | Path, *, as_at: date | None = None,
              workbook: bool = False) -> Written:
    """The Board Assurance Framework as a Word report (exports.baf) or, with `workbook`, an
    Excel workbook (exports.baf_xlsx), as at a date."""
    from .assurance import baf_as_at

    kind = "baf-workbook" if workbook else "baf"
    output = check_output(register, output, kind)
    with Register.open(register, readonly=True) as reg:
        when = as_at_for(reg, as_at)
        baf = baf_as_at(reg, when)
        if workbook:
            from ..exports.baf_xlsx import write_baf_workbook

            write_baf_workbook(reg, baf, output)
        else:
            from ..exports.baf import baf_report_data
            from ..exports.baf import write_baf as write

            write(reg, baf, baf_report_data(reg, baf, when), output)
    return _issued(register, kind, when, output)


def write_json_export(register: str | Path, output: str | Path) -> Written:
    """The whole register as OOH Desk's JSON, which `import` takes back (services.transfer).
    The file holds its own entry in the issue list, so a register made from it is this one."""
    output = check_output(register, output, "json")
    with Register.open(register, readonly=True) as reg:
        issue = Issue(kind="json", as_at=as_at_for(reg, None), at=datetime.now(UTC),
                      file_name=output.name, user=reg.user)
        data = register_to_json(reg, issued=[issue])
    with atomic_output(output) as temp:
        temp.write_text(json.dumps(data, indent=2, ensure_ascii=False), "utf-8")
    return _issued(register, "json", None, output, issue=issue)


def _issued(register: str | Path, kind: str, as_at: date | None, output: Path,
            notes: list[str] | None = None, *, paper_ref: str = "", committee: str = "",
            meeting_ref: str = "", style: str = "", issue: Issue | None = None) -> Written:
    """Enter a file just written in the register's issue list: one small transaction after
    the file is safely on disk. When the register cannot take it (read-only, in use) the
    file stands and the user is told."""
    written = Written(output, list(notes or []))
    try:
        with Register.open(register) as reg:
            issues.record_issue(reg, issue or Issue(
                kind=kind, as_at=as_at_for(reg, as_at), at=datetime.now(UTC),
                file_name=output.name, paper_ref=paper_ref, committee=committee,
                meeting_ref=meeting_ref, style=style))
    except RegisterError as exc:
        written.notes.append(f"the {kind} was written but not entered in the issue "
                             f"register ({exc})")
    return written


# --- the app's preview of a paper as it will print -----------------------------------------------

PREVIEW_DPI = 72


class PreviewUnavailable(OutputError):
    """LibreOffice (or poppler's pdftoppm) is missing: the app shows the outline alone."""


def preview_available() -> bool:
    """Whether this machine can render a preview: LibreOffice and pdftoppm both found."""

    return office.find_soffice() is not None and shutil.which("pdftoppm") is not None


def preview_key(register: str | Path, paper_ref: str | None, style: str | None,
                as_at: date | None) -> str:
    """What a preview depends on: the paper's content, the style, the as-at date and the
    register's last change (any edit, import or undo adds an audit row). Equal keys, same
    pages."""

    with Register.open(register, readonly=True) as reg:
        paper = get_paper(reg, paper_ref) if paper_ref else None
        text = repr((str(Path(register).resolve()), paper_ref, style,
                     as_at.isoformat() if as_at else "", repr(paper), history.last_change(reg)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def preview_pages(register: str | Path, paper_ref: str | None, style: str | None,
                  as_at: date | None, folder: str | Path, pages: int = 3,
                  cancelled: Any = None) -> list[Path]:
    """The first `pages` pages of the report as it will print, as PNG files in `folder`:
    the report written to a .docx there (not entered in the issue list: nothing is issued),
    turned into PDF by LibreOffice and rasterised by pdftoppm. `cancelled()`, when given, is
    asked between the steps; a cancelled preview returns no pages."""
    from ..exports.report import write_report as write

    def stop() -> bool:
        return bool(cancelled and cancelled())

    if not preview_available():
        raise PreviewUnavailable("the preview needs LibreOffice and pdftoppm, which were not "
                                 "found; the outline shows what the paper holds")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    document = folder / "preview.docx"
    with Register.open(register, readonly=True) as reg:
        write(reg, document, paper_ref=paper_ref, style=style, as_at=as_at)
    if stop():
        return []
    try:
        made = office.convert_to_pdf([document], folder, stop=stop)
    except office.OfficeMissing as exc:
        raise PreviewUnavailable(str(exc)) from None
    if stop():
        return []
    pdf = made.get(document)
    if pdf is None:
        raise OutputError("LibreOffice could not turn the report into pages for the preview")
    for old in folder.glob("page-*.png"):
        old.unlink()
    subprocess.run([shutil.which("pdftoppm") or "pdftoppm", "-png", "-r", str(PREVIEW_DPI),
                    "-f", "1", "-l", str(pages), str(pdf), str(folder / "page")],
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=office.clean_environment(), timeout=120,
                   check=False)
    return sorted(folder.glob("page-*.png"))


