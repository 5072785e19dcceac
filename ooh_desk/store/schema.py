"""The register's schema as numbered migrations. Each step takes the file from version N-1 to N
and is never edited once released: add a new step instead. The tables are the source of truth
for column names; `rows.py` reads them back rather than keeping its own list."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # migrations run through `Register.db`, which imports it when first used
    import sqlite_utils

# 'OOHD' as a 32-bit integer, so we recognise our own files whatever they are called.
APPLICATION_ID = 0x4F4F4844

_STAMPS = {"created": str, "updated": str, "updated_by": str}


def _board_date(name: str) -> dict[str, type]:
    """A board date is stored as the house text plus its earliest and latest ISO day."""
    return {name: str, f"{name}_from": str, f"{name}_to": str}


def _v1(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["workstreams"].create(
        {"uuid": str, "name": str, "lead": str, "description": str, **_STAMPS}, pk="uuid")
    db["workstreams"].create_index(["name"], unique=True)
    db["milestones"].create(
        {"uuid": str, "ref": str, "title": str, "workstream": str, "owner": str,
         **_board_date("baseline"), **_board_date("forecast"), **_board_date("actual"),
         "status": str, "decision_body": str, "dependencies": str, "notes": str, **_STAMPS},
        pk="uuid")
    db["risks"].create(
        {"uuid": str, "ref": str, "title": str, "description": str, "category": str,
         "owner": str, "reviewed_by": str, "workstream": str, **_board_date("raised"),
         "inherent_likelihood": int, "inherent_impact": int, "likelihood": int, "impact": int,
         "target_likelihood": int, "target_impact": int, "controls": str,
         **_board_date("review_date"), "status": str, "closed_reason": str, **_STAMPS},
        pk="uuid")
    db["mitigations"].create(
        {"uuid": str, "risk_uuid": str, "position": int, "description": str, "owner": str,
         **_board_date("due"), "status": str},
        pk="uuid", foreign_keys=[("risk_uuid", "risks", "uuid")])
    db["mitigations"].create_index(["risk_uuid", "position"])
    db["risk_scores"].create(
        {"id": int, "risk_uuid": str, "at": str, "likelihood": int, "impact": int,
         "score": int, "user": str},
        pk="id", foreign_keys=[("risk_uuid", "risks", "uuid")])
    db["risk_scores"].create_index(["risk_uuid", "id"])
    db["events"].create(
        {"uuid": str, "name": str, "route": str, **_board_date("date"), "place": str,
         "attendance": int, "organisations": str, **_STAMPS}, pk="uuid")
    db["events"].create_index(["name"], unique=True)
    db["feedback"].create(
        {"uuid": str, "ref": str, "comment": str, "event": str, "route": str,
         **_board_date("date"), "stakeholder_group": str, "themes": str, "action_taken": str,
         "status": str, "personal_data": int, **_STAMPS}, pk="uuid")
    db["actions"].create(
        {"uuid": str, "ref": str, "description": str, "owner": str, **_board_date("due"),
         "status": str, "source": str, **_STAMPS}, pk="uuid")
    for table in ("milestones", "risks", "feedback", "actions"):
        db[table].create_index(["ref"], unique=True)
    db["audit"].create(
        {"id": int, "at": str, "user": str, "operation": str, "kind": str, "uuid": str,
         "ref": str, "field": str, "old": str, "new": str}, pk="id")
    db["audit"].create_index(["kind", "uuid"])
    db["audit"].create_index(["at"])
    # Full-text search for the desktop app's search boxes, kept current by triggers.
    db["risks"].enable_fts(["ref", "title", "description", "controls", "owner"],
                           create_triggers=True)
    db["feedback"].enable_fts(["comment", "action_taken", "themes", "stakeholder_group"],
                              create_triggers=True)


def _v2(db: sqlite_utils.Database) -> None:
    """Papers: a report being drafted for a meeting, its narrative and the register blocks
    it carries. Narrative sections and blocks are JSON so a council can add its own."""
    db["papers"].create(
        {"uuid": str, "ref": str, "title": str, "committee": str, "meeting": str,
         "meeting_date": str, "author": str, "author_title": str, "directorate": str,
         "contact": str, "sponsor": str, "decision": str, "style": str,
         "sections": str,  # JSON object: section name -> text
         "blocks": str,  # JSON list of register blocks, in order
         "include_closed_risks": int, "exempt": int, **_STAMPS},
        pk="uuid")
    db["papers"].create_index(["ref"], unique=True)


def _v3(db: sqlite_utils.Database) -> None:
    """Committees and their meetings: membership, attendance, agenda items (public or
    private), the documents they carry (stored in the register as blobs, so a register stays
    one file a user can copy), minutes, RESOLVED decisions, and the minute an action arose
    from."""
    db["committees"].create(
        {"uuid": str, "name": str, "organisation": str, "contact_name": str,
         "contact_phone": str, "contact_email": str, "default_place": str, "issued_by": str,
         **_STAMPS}, pk="uuid")
    db["committees"].create_index(["name"], unique=True)
    db["members"].create(
        {"uuid": str, "committee_uuid": str, "position": int, "name": str,
         "role": str,  # Chair, Deputy Chair, Member
         "organisation": str},
        pk="uuid", foreign_keys=[("committee_uuid", "committees", "uuid")])
    db["members"].create_index(["committee_uuid", "position"])
    db["meetings"].create(
        {"uuid": str, "ref": str, "committee_uuid": str, "date": str,  # ISO day
         "time": str,  # 24-hour "14:00"
         "place": str, "municipal_year": str,  # "2017/18"
         "published": str,  # ISO day the agenda was issued
         "closed_at": str, **_STAMPS},
        pk="uuid", foreign_keys=[("committee_uuid", "committees", "uuid")])
    db["meetings"].create_index(["ref"], unique=True)
    db["meetings"].create_index(["date"])
    db["documents"].create(
        {"uuid": str, "filename": str, "content": bytes, "sha256": str, "size": int,
         "added": str, "added_by": str}, pk="uuid")
    db["documents"].create_index(["sha256"])
    db["agenda_items"].create(
        {"uuid": str, "meeting_uuid": str, "position": int, "number": str, "title": str,
         "part": str,  # public, private
         "exemption": str,  # the exemption paragraph, for private items
         "item_type": str, "presenter": str, "notes": str, "document_uuid": str,
         "paper_ref": str, "minutes_of": str,  # a meeting ref: its minutes are the document
         "minute_number": int, "minute": str, **_STAMPS},
        pk="uuid", foreign_keys=[("meeting_uuid", "meetings", "uuid"),
                                 ("document_uuid", "documents", "uuid")])
    db["agenda_items"].create_index(["meeting_uuid", "position"])
    db["attendance"].create(
        {"uuid": str, "meeting_uuid": str, "position": int, "name": str, "organisation": str,
         "kind": str,  # present, apologies, substitute, other representative, officer
         "substitute_for": str},
        pk="uuid", foreign_keys=[("meeting_uuid", "meetings", "uuid")])
    db["attendance"].create_index(["meeting_uuid", "position"])
    db["decisions"].create(
        {"uuid": str, "ref": str, "meeting_uuid": str, "agenda_item_uuid": str,
         "municipal_year": str, "minute_number": int, "letter": str, "text": str, **_STAMPS},
        pk="uuid", foreign_keys=[("meeting_uuid", "meetings", "uuid"),
                                 ("agenda_item_uuid", "agenda_items", "uuid")])
    db["decisions"].create_index(["ref"], unique=True)
    db["decisions"].create_index(["meeting_uuid", "minute_number", "letter"])
    # An action arising from a meeting points at the minute (agenda item) it came from.
    db["actions"].add_column("agenda_item_uuid", str)


def _v4(db: sqlite_utils.Database) -> None:
    """The issue register: each report, risk log, pack or minutes written from the register,
    when, as at which date and for which committee, so "changed since the last report" has a
    moment to start from."""
    db["reports_issued"].create(
        {"uuid": str, "at": str,  # ISO date and time the file was written
         "as_at": str,  # ISO day the paper was written as at
         "kind": str,  # report, risk-log, pack, minutes
         "paper_ref": str, "committee": str, "meeting_ref": str, "style": str,
         "file_name": str, "user": str},
        pk="uuid")
    db["reports_issued"].create_index(["as_at", "at"])


def _v5(db: sqlite_utils.Database) -> None:
    """Exempt business: a private agenda item a user has released (its minutes, decisions and
    actions may then appear in public papers), and the paragraph an exempt paper relies on."""
    db["agenda_items"].add_column("released", int)
    db["papers"].add_column("exemption", str)


def _v6(db: sqlite_utils.Database) -> None:
    """A risk's treatment: how the organisation has chosen to respond to it (treat,
    tolerate, transfer or terminate; domain/treatment.py). Risks made before it hold NULL,
    read as '' (not stated), like any text column a record leaves empty."""
    db["risks"].add_column("treatment", str)


def _v7(db: sqlite_utils.Database) -> None:
    """Copies that merge (docs/merge-design.md): every audit row becomes a change with an id
    both copies of a register share, and a merge's clashes are kept as conflicts until a
    person settles them. A row audited before this step is named by a hash of what it says,
    so two copies of one old file, upgraded apart, still agree on their shared history."""
    db["audit"].add_column("change_id", str)
    seen: dict[str, int] = {}
    import hashlib  # only an old register's migration needs it

    named = []
    for row in db.execute("select id, at, user, operation, kind, uuid, ref, field, old, new "
                          "from audit order by id").fetchall():
        content = json.dumps(row[1:], ensure_ascii=False)
        # Two identical rows (one second, one field, one value) are two changes.
        seen[content] = seen.get(content, 0) + 1
        digest = hashlib.sha256(f"{content}#{seen[content]}".encode()).hexdigest()[:32]
        named.append((digest, row[0]))
    db.conn.executemany("update audit set change_id = ? where id = ?", named)
    db["audit"].create_index(["change_id"], unique=True)
    # Every writer names its changes (Register._audit_row); a row written by any other path
    # still gets an id of its own.
    db.execute("create trigger audit_change_id after insert on audit "
               "when new.change_id is null begin "
               "update audit set change_id = lower(hex(randomblob(16))) where id = new.id; end")
    db["conflicts"].create(
        {"uuid": str, "ref": str,  # C-001
         "kind": str, "record_uuid": str, "record_ref": str,
         "field": str,  # "" when one side edited the record and the other deleted it
         "base": str, "ours": str, "theirs": str,
         "ours_by": str, "ours_at": str, "theirs_by": str, "theirs_at": str,
         "other": str,  # the copy the clash came from (its file name)
         "theirs_data": str,  # JSON: what taking theirs writes
         "status": str,  # open, settled
         "taken": str,  # ours, theirs
         "settled_by": str, "settled_at": str, "created": str},
        pk="uuid")
    db["conflicts"].create_index(["ref"], unique=True)
    db["conflicts"].create_index(["status"])


def _v8(db: sqlite_utils.Database) -> None:
    """The governance registers (issue 17). NHS: strategic objectives, and risks marked for
    the Board Assurance Framework, linked to objectives (their refs, comma separated), with
    a date to reach the target score and their controls and sources of assurance on three
    lines. Councils: the forward plan of key decisions. Committees: members' registers of
    interests and their declarations at meetings. Business cases: a paper's options and
    their weighted scores against critical success factors."""
    db["objectives"].create(
        {"uuid": str, "ref": str,  # SO1
         "objective": str, "lead": str,  # the executive lead
         "committee": str,  # the lead committee
         **_STAMPS}, pk="uuid")
    db["objectives"].create_index(["ref"], unique=True)
    db["risks"].add_column("baf", int)  # 1: a principal risk in the assurance framework
    db["risks"].add_column("objectives", str)  # objective refs, "SO1, SO3"
    for column in _board_date("target_date"):  # when the target score is to be reached
        db["risks"].add_column(column, str)
    db["assurances"].create(
        {"uuid": str, "risk_uuid": str, "position": int,
         "control": str,  # the control this assurance is about
         "line": int,  # 1 management, 2 oversight/specialist, 3 independent
         "source": str, **_board_date("date"),
         "rating": str,  # positive, negative, none
         "gap_in_control": str, "gap_in_assurance": str,
         "action_ref": str},  # the action closing the gap (an existing action's ref)
        pk="uuid", foreign_keys=[("risk_uuid", "risks", "uuid")])
    db["assurances"].create_index(["risk_uuid", "position"])
    db["key_decisions"].create(
        {"uuid": str, "ref": str, "matter": str,
         "decision_maker": str,  # a person or a body
         **_board_date("date"),  # the date or period of the decision
         "key": int, "exemption": str,  # the exempt paragraph; empty when not exempt
         "documents": str, "contact": str,
         "published": str,  # ISO day the notice was first published
         "notice": str,  # '', general exception, special urgency
         "status": str, **_STAMPS}, pk="uuid")
    db["key_decisions"].create_index(["ref"], unique=True)
    db["interests"].create(
        {"uuid": str, "ref": str, "member": str, "interest": str,
         "kind": str,  # disclosable pecuniary, other registrable, non-registrable
         "from_date": str, "to_date": str,  # ISO days; to_date empty while it is held
         **_STAMPS}, pk="uuid")
    db["interests"].create_index(["ref"], unique=True)
    db["interests"].create_index(["member"])
    db["declarations"].create(
        {"uuid": str, "ref": str, "meeting_uuid": str, "agenda_item_uuid": str,
         "member": str, "interest": str, "kind": str,
         "action": str,  # withdrew, stayed and did not vote, dispensation
         **_STAMPS}, pk="uuid",
        foreign_keys=[("meeting_uuid", "meetings", "uuid"),
                      ("agenda_item_uuid", "agenda_items", "uuid")])
    db["declarations"].create_index(["ref"], unique=True)
    db["declarations"].create_index(["meeting_uuid"])
    db["options"].create(
        {"uuid": str, "paper_uuid": str, "position": int,
         "name": str,  # the option's short name
         "summary": str, "benefits": str, "risks": str,
         "verdict": str,  # preferred, carried forward, discounted
         "reason": str},
        pk="uuid", foreign_keys=[("paper_uuid", "papers", "uuid")])
    db["options"].create_index(["paper_uuid", "position"])
    db["option_scores"].create(
        {"uuid": str, "paper_uuid": str, "position": int,
         "criterion": str, "weight": int,  # a critical success factor; weights total 100
         "option": str,  # an option's short name
         "score": int,  # 0-10
         "rationale": str},
        pk="uuid", foreign_keys=[("paper_uuid", "papers", "uuid")])
    db["option_scores"].create_index(["paper_uuid", "position"])


# Migration N lives at index N-1. The file's PRAGMA user_version is the last step applied.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8]
SCHEMA_VERSION = len(MIGRATIONS)
