"""The forward plan of key decisions as a council publishes it: the notice the 2012 executive
arrangements regulations require (regulation 9: the matter, the decision maker, the date or
period, the documents and where to get them, that others may be submitted; regulation 5: which
will be taken in private, and why), one landscape table a row per decision, then the decisions
with less than 28 clear days' notice and the procedure each is taken under.

An exempt matter shows the paragraph of Schedule 12A it relies on and nothing more: never its
documents. Imports python-docx and the register's reading functions: no Qt."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from docx.enum.section import WD_ORIENT

from ..domain.board_dates import long_date
from ..domain.key_decisions import (
    FULL_NOTICE,
    GENERAL_EXCEPTION,
    NOT_KEY,
    SPECIAL_URGENCY,
    KeyDecision,
    NoticeState,
    notice_state,
    scrutiny_chair_by,
)
from ..errors import atomic_output
from ..store import Register
from ..store import key_decisions as store
from ..store import meetings as meeting_store
from .styles.common import Fonts, build_base, organisation_header
from .writer import CellSpec, Writer, finish, open_template

FONTS = Fonts(name="Arial", body=11, title=18, heading1=14, heading2=12, table=9)
TITLE = "Forward Plan of Key Decisions"
REGULATIONS = ("the Local Authorities (Executive Arrangements) (Meetings and Access to "
               "Information) (England) Regulations 2012")
SCHEDULE_12A = "of Part 1 of Schedule 12A to the Local Government Act 1972"
HEADERS = ("Ref", "Matter for decision", "Decision maker", "Date of decision", "Key decision",
           "Public or private", "Documents to be considered", "Contact officer", "Notice")
FRACTIONS = (0.75, 2.6, 1.6, 1.15, 0.75, 1.35, 2.0, 1.4, 1.9)


def planned(reg: Register, from_day: date) -> list[KeyDecision]:
    """The decisions a plan published on `from_day` carries: those still to be taken (not
    made or withdrawn) whose date or period has not ended, in date order."""
    return sorted((kd for kd in store.all_key_decisions(reg)
                   if kd.status not in ("made", "withdrawn")
                   and (kd.date is None or kd.date.latest >= from_day)),
                  key=lambda kd: (kd.decision_day or date.max, kd.ref))


def write_forward_plan(reg: Register, output: Path, *, from_day: date,
                       organisation: str | None = None) -> list[str]:
    """Write the plan to `output`. Returns, for the officer and never printed in the notice,
    what is still to do for a decision in it (tell the scrutiny chair, find the chair's
    agreement)."""
    org = " ".join((organisation or reg.programme.organisation or "").split())
    doc = open_template(None, lambda d: build_base(d, FONTS, margins_cm=1.6))
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    w = Writer(doc)
    organisation_header(w, org, FONTS)
    decisions = planned(reg, from_day)
    states = {kd.ref: notice_state(kd, from_day, published_on=from_day) for kd in decisions}

    w.title(TITLE)
    w.para(f"Notice of key decisions{f' to be taken by {org}' if org else ''}, and of those to "
           f"be taken in private. Published on {long_date(from_day)}, for decisions from that "
           "date.")
    w.heading("About this notice", 1)
    w.para(f"This notice is published under {REGULATIONS}. A key decision is one likely to "
           "result in spending or savings that are significant for the budget of the service "
           "it concerns, or to have a significant effect on communities living or working in "
           "two or more wards. Notice of each is published at least 28 clear days before it "
           "is taken; a clear day leaves out the day of publication and the day of the "
           "decision.")
    w.para("The documents listed for each decision may be had from its contact officer, unless "
           "the law prohibits or restricts their disclosure. Other documents relevant to a "
           "matter may be submitted to the decision maker: ask the contact officer for details "
           "of them as they become available.")
    w.para("A decision marked private is to be taken in a meeting from which the public may be "
           "excluded, because it will consider exempt information of the kind described in the "
           f"paragraph {SCHEDULE_12A} shown. Anyone may tell the contact officer why they think "
           "it should be taken in public.")

    w.heading("Key decisions", 1)
    if not decisions:
        w.para(f"No key decisions are planned on or after {long_date(from_day)}.")
    else:
        committees = {c.name.lower(): c for c in meeting_store.all_committees(reg)}
        w.table(HEADERS, FRACTIONS,
                [_row(kd, states[kd.ref], committees) for kd in decisions],
                caption="Key decisions",
                description="One row per decision: its reference, the matter, who decides, "
                            "when, whether it is a key decision, whether it is taken in public "
                            "or private, the documents, the contact officer and the notice "
                            "given.")
    short = [kd for kd in decisions if states[kd.ref].status in (GENERAL_EXCEPTION,
                                                                 SPECIAL_URGENCY)]
    if short:
        w.heading("Decisions with less than 28 clear days' notice", 1)
        w.para("Where 28 clear days' notice was impracticable, a decision may be taken under the "
               "general exception (regulation 10) once the chair of the relevant overview and "
               "scrutiny committee has been told of it in writing, and this notice made "
               "available, at least 5 clear days before; or, where even that is impracticable, "
               "under special urgency (regulation 11), when the chair agrees that the decision "
               "is urgent and cannot reasonably be deferred.")
        for kd in short:
            w.bullet(f"{kd.ref} {kd.matter} ({kd.decision_maker}, {_when(kd)}): "
                     f"{_published_reason(kd, states[kd.ref])}.")
    w.para()
    w.para(f"Published{f' by {org}' if org else ''} on {long_date(from_day)}.")
    finish(doc, title=TITLE, subject=f"{org + ', ' if org else ''}from {long_date(from_day)}",
           author=org, keywords="forward plan; key decisions; notice",
           comments=f"Written by OOH Desk from the register {reg.path.name} for decisions from "
                    f"{long_date(from_day)}.", marking="")
    with atomic_output(output) as temp:
        doc.save(temp)
    return [f"{kd.ref}: {states[kd.ref].words}" for kd in decisions if states[kd.ref].warning]


def _published_reason(kd: KeyDecision, state: NoticeState) -> str:
    """Why a decision with short notice may still be taken, as the notice prints it (the
    officer's own to-do is returned to them, never published)."""
    days = f"{state.clear_days} clear day{'' if state.clear_days == 1 else 's'}' notice"
    if state.status == GENERAL_EXCEPTION:
        by = long_date(scrutiny_chair_by(kd.decision_day)) if kd.decision_day else ""
        return (f"{days}, fewer than 28: to be taken under the general exception (regulation "
                "10), the chair of the scrutiny committee being told of it in writing at least "
                f"5 clear days before the decision{f' (by {by})' if by else ''}")
    return (f"{days}: to be taken under special urgency (regulation 11), with the agreement of "
            "the chair of the scrutiny committee that the decision is urgent and cannot "
            "reasonably be deferred")


def _when(kd: KeyDecision) -> str:
    return kd.date.text if kd.date else "date to be set"


def _row(kd: KeyDecision, state: NoticeState, committees: dict) -> list[str | CellSpec]:
    maker = kd.decision_maker
    body = committees.get(kd.decision_maker.lower())
    if body is not None and body.members:
        maker += "\nMembers: " + ", ".join(m.name for m in body.members)
    if kd.exempt:
        part = f"Private: {kd.exemption} {SCHEDULE_12A}"
        documents: str | CellSpec = f"Exempt ({kd.exemption}): not listed"
    else:
        part = "Public"
        documents = CellSpec([d.strip() for d in re.split(r"[;\n]", kd.documents)
                              if d.strip()] or ["None listed"])
    return [kd.ref, kd.matter, maker, _when(kd), "Yes" if kd.key else "No", part, documents,
            kd.contact, _notice_cell(kd, state)]


def _notice_cell(kd: KeyDecision, state: NoticeState) -> CellSpec:
    first = (f"First published {long_date(kd.published)}" if kd.published
             else "First published in this notice")
    lines = [first]
    if state.clear_days is not None:
        lines.append(f"{state.clear_days} clear day{'' if state.clear_days == 1 else 's'}' "
                     "notice")
    if state.status == FULL_NOTICE:
        lines.append("28 days' notice given")
    elif state.status == NOT_KEY:
        lines.append("Not a key decision")
    elif state.status == GENERAL_EXCEPTION:
        lines.append("General exception (regulation 10)")
    elif state.status == SPECIAL_URGENCY:
        lines.append("Special urgency (regulation 11)")
    else:
        lines.append(state.status.capitalize())
    return CellSpec(lines)
