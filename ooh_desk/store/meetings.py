"""Committees, meetings, agenda items, documents, attendance, minutes and decisions in the
register (schema migration 3). Every write runs in the register's transaction and leaves
audit rows. Imports no Qt, Word, PDF or Excel code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any

from ..domain.meetings import (
    AgendaItem,
    Attendee,
    Committee,
    Decision,
    Meeting,
    Member,
    StoredDocument,
    decision_letter,
    decision_ref,
    number_minutes,
)
from ..domain.records import Action, new_uuid
from . import records, rows
from .register import Register, RegisterError, _now

_STAMPS = {"uuid", "created", "updated", "updated_by"}
# AgendaItem.withheld in SQL, over an agenda_items row aliased `a`: private business not
# released. Every read below that feeds something public filters on it unless asked not to.
WITHHELD_SQL = "(a.part = 'private' and not coalesce(a.released, 0))"
# domain.interests.is_declarations_item in SQL, over `a`: the agenda's Declarations of Interest.
DECLARATIONS_ITEM_SQL = ("(lower(trim(a.title)) like 'declaration% of %interest%' or "
                         "lower(trim(a.title)) like 'disclosure% of %interest%')")


def _recorded_against(reg: Register, item_uuid: str) -> int:
    """The decisions and declarations recorded against an agenda item: while it has any, the
    item is part of the minutes and cannot leave the agenda."""
    return reg.db["decisions"].count_where("agenda_item_uuid = ?", [item_uuid]) \
        + reg.db["declarations"].count_where("agenda_item_uuid = ?", [item_uuid])


def _audit(reg: Register, kind: str, uuid: str, ref: str, column: str = "", old: Any = "",
           new: Any = "created", operation: str = "edit") -> None:
    reg._audit(operation, kind, uuid, ref, column, old, new)


def _upsert(reg: Register, table: str, row: dict[str, Any], old: dict[str, Any] | None,
            ref: str, operation: str) -> str:
    """Insert or update one stamped row, auditing each changed field; returns the outcome."""
    now = _now()
    if old is None:
        reg.db[table].insert(row | {"created": now, "updated": now, "updated_by": reg.user},
                             pk="uuid")
        _audit(reg, table, row["uuid"], ref, operation=operation)
        return "new"
    row["uuid"] = old["uuid"]
    changed = {k: v for k, v in row.items()
               if k not in _STAMPS and (old.get(k) or None) != (v or None)}
    for column, value in changed.items():
        _audit(reg, table, row["uuid"], ref, column, old.get(column), value, operation)
    if changed:
        reg.db[table].update(row["uuid"], changed | {"updated": now, "updated_by": reg.user})
        return "updated"
    return "unchanged"


# --- committees ---------------------------------------------------------------------------------


def save_committee(reg: Register, committee: Committee, operation: str = "edit") -> str:
    """Insert or update a committee by name; its membership is replaced as given."""
    with reg.transaction():
        found = list(reg.db["committees"].rows_where("name = ?", [committee.name]))
        row = {k: v for k, v in dataclasses.asdict(committee).items() if k != "members"}
        outcome = _upsert(reg, "committees", row, found[0] if found else None, committee.name,
                          operation)
        committee.uuid = row["uuid"]
        before = [(m.name, m.role, m.organisation) for m in _members(reg, committee.uuid)]
        after = [(m.name, m.role, m.organisation) for m in committee.members]
        if before != after:
            reg.db["members"].delete_where("committee_uuid = ?", [committee.uuid])
            reg.db["members"].insert_all(
                [{"uuid": _new(),
                  "committee_uuid": committee.uuid, "position": n, "name": m.name,
                  "role": m.role, "organisation": m.organisation}
                 for n, m in enumerate(committee.members, 1)], pk="uuid")
            _audit(reg, "committees", committee.uuid, committee.name, "members",
                   "; ".join(b[0] for b in before), "; ".join(a[0] for a in after), operation)
            outcome = "updated" if outcome == "unchanged" else outcome
        return outcome


def _new() -> str:
    return new_uuid()


def _members(reg: Register, committee_uuid: str) -> list[Member]:
    return [Member(r["name"], r["role"] or "Member", r["organisation"] or "")
            for r in reg.db["members"].rows_where("committee_uuid = ?", [committee_uuid],
                                                  order_by="position")]


def _committee_from(reg: Register, row: dict[str, Any]) -> Committee:
    known = {f.name for f in dataclasses.fields(Committee)} - {"members"}
    values = {k: ("" if row.get(k) is None else row[k]) for k in known}
    return Committee(**values, members=_members(reg, row["uuid"]))


def get_committee(reg: Register, name: str) -> Committee | None:
    found = list(reg.db["committees"].rows_where("name = ? collate nocase or uuid = ?",
                                                 [name, name]))
    return _committee_from(reg, found[0]) if found else None


def all_committees(reg: Register) -> list[Committee]:
    return [_committee_from(reg, r) for r in reg.db["committees"].rows_where(order_by="name")]


# --- meetings -----------------------------------------------------------------------------------


def _meeting_from(row: dict[str, Any], committee: str) -> Meeting:
    return Meeting(ref=row["ref"], committee=committee, date=date.fromisoformat(row["date"]),
                   time=row["time"] or "", place=row["place"] or "",
                   municipal_year=row["municipal_year"] or "",
                   published=date.fromisoformat(row["published"]) if row["published"] else None,
                   closed_at=row["closed_at"] or "", uuid=row["uuid"])


_MEETING_SELECT = ("select m.*, c.name as committee_name from meetings m "
                   "join committees c on c.uuid = m.committee_uuid")


def all_meetings(reg: Register) -> list[Meeting]:
    return [_meeting_from(r, r["committee_name"])
            for r in reg.db.query(f"{_MEETING_SELECT} order by m.date, m.time, m.ref")]


def agenda_counts(reg: Register) -> dict[str, tuple[int, int]]:
    """meeting uuid -> (agenda items, of which private), for lists of meetings."""
    return {r["meeting_uuid"]: (r["items"], r["private"] or 0) for r in reg.db.query(
        "select meeting_uuid, count(*) as items, sum(part = 'private') as private "
        "from agenda_items group by meeting_uuid")}


def item_types_in_use(reg: Register) -> list[str]:
    return [r["item_type"] for r in reg.db.query(
        "select distinct item_type from agenda_items where item_type != '' order by item_type")]


def find_meeting(reg: Register, ref_or_date: str) -> Meeting:
    """A meeting by its ref, or by its ISO date where only one committee meets that day."""
    text = ref_or_date.strip()
    found = list(reg.db.query(f"{_MEETING_SELECT} where m.ref = ? collate nocase", [text]))
    if not found:
        found = list(reg.db.query(f"{_MEETING_SELECT} where m.date = ?", [text]))
        if len(found) > 1:
            refs = ", ".join(r["ref"] for r in found)
            raise RegisterError(f"more than one meeting is on {text} ({refs}); give its ref")
    if not found:
        known = ", ".join(m.ref for m in all_meetings(reg)[-5:]) or "none yet"
        raise RegisterError(f"there is no meeting {text!r} in the register (meetings: {known})")
    return _meeting_from(found[0], found[0]["committee_name"])


def save_meeting(reg: Register, meeting: Meeting, operation: str = "edit") -> str:
    with reg.transaction():
        committee = get_committee(reg, meeting.committee)
        if committee is None:
            raise RegisterError(f"there is no committee {meeting.committee!r}")
        found = list(reg.db["meetings"].rows_where("ref = ?", [meeting.ref]))
        row = {"uuid": meeting.uuid, "ref": meeting.ref, "committee_uuid": committee.uuid,
               "date": meeting.date.isoformat(), "time": meeting.time, "place": meeting.place,
               "municipal_year": meeting.municipal_year,
               "published": meeting.published.isoformat() if meeting.published else None,
               "closed_at": meeting.closed_at}
        outcome = _upsert(reg, "meetings", row, found[0] if found else None, meeting.ref,
                          operation)
        meeting.uuid = row["uuid"]
        return outcome


# --- documents ----------------------------------------------------------------------------------


def add_document(reg: Register, filename: str, content: bytes,
                 operation: str = "edit") -> StoredDocument:
    """Keep a file in the register; the same bytes stored twice are kept once."""
    import hashlib  # loaded by the first document kept, not at start

    digest = hashlib.sha256(content).hexdigest()
    with reg.transaction():
        found = list(reg.db["documents"].rows_where("sha256 = ? and filename = ?",
                                                    [digest, filename]))
        if found:
            return StoredDocument(filename, digest, len(content), found[0]["uuid"])
        doc = StoredDocument(filename, digest, len(content))
        reg.db["documents"].insert({"uuid": doc.uuid, "filename": filename, "content": content,
                                    "sha256": digest, "size": len(content), "added": _now(),
                                    "added_by": reg.user}, pk="uuid")
        _audit(reg, "documents", doc.uuid, filename, operation=operation)
        return doc


def document_content(reg: Register, uuid: str) -> bytes:
    found = list(reg.db.query("select content from documents where uuid = ?", [uuid]))
    if not found:
        raise RegisterError(f"the document {uuid} is not in the register")
    return found[0]["content"]


# --- agenda items -------------------------------------------------------------------------------


def agenda(reg: Register, meeting: Meeting) -> list[AgendaItem]:
    docs = {r["uuid"]: StoredDocument(r["filename"], r["sha256"], r["size"], r["uuid"])
            for r in reg.db.query(
                "select d.uuid, d.filename, d.sha256, d.size from documents d join agenda_items a"
                " on a.document_uuid = d.uuid where a.meeting_uuid = ?", [meeting.uuid])}
    return [AgendaItem(number=r["number"] or "", title=r["title"] or "", part=r["part"] or "public",
                       exemption=r["exemption"] or "", item_type=r["item_type"] or "",
                       presenter=r["presenter"] or "", notes=r["notes"] or "",
                       document=docs.get(r["document_uuid"]), paper_ref=r["paper_ref"] or "",
                       minutes_of=r["minutes_of"] or "", minute_number=r["minute_number"],
                       minute=r["minute"] or "", position=r["position"],
                       released=bool(r.get("released")), uuid=r["uuid"])
            for r in reg.db["agenda_items"].rows_where("meeting_uuid = ?", [meeting.uuid],
                                                       order_by="position")]


def _item_ref(meeting: Meeting, item: AgendaItem) -> str:
    return f"{meeting.ref} item {item.number}"


def save_agenda(reg: Register, meeting: Meeting, items: Sequence[AgendaItem],
                operation: str = "edit") -> dict[str, int]:
    """Make the meeting's agenda the items given, matched by item number: new items are added,
    changed ones updated (keeping their minutes), and items no longer listed are removed
    unless minutes or decisions were recorded against them."""
    counts = {"new": 0, "updated": 0, "unchanged": 0, "removed": 0}
    with reg.transaction():
        existing = {r["number"]: r for r in
                    reg.db["agenda_items"].rows_where("meeting_uuid = ?", [meeting.uuid])}
        for position, item in enumerate(items, 1):
            old = existing.pop(item.number, None)
            row = _item_row(meeting, item, position, old)
            counts[_upsert(reg, "agenda_items", row, old, _item_ref(meeting, item), operation)] += 1
            item.uuid, item.position = row["uuid"], position
        for number, old in existing.items():
            decided = _recorded_against(reg, old["uuid"])
            if decided or old["minute"]:
                raise RegisterError(f"{meeting.ref} item {number} has minutes recorded, so it "
                                    "cannot be dropped from the agenda")
            reg.db["agenda_items"].delete(old["uuid"])
            _audit(reg, "agenda_items", old["uuid"], f"{meeting.ref} item {number}", "", "",
                   "deleted", operation)
            counts["removed"] += 1
    return counts


def _item_row(meeting: Meeting, item: AgendaItem, position: int,
              old: dict[str, Any] | None = None) -> dict[str, Any]:
    row = {"uuid": item.uuid, "meeting_uuid": meeting.uuid, "position": position,
           "number": item.number, "title": item.title, "part": item.part,
           "exemption": item.exemption, "item_type": item.item_type,
           "presenter": item.presenter, "notes": item.notes,
           "document_uuid": item.document.uuid if item.document else None,
           "paper_ref": item.paper_ref, "minutes_of": item.minutes_of}
    if old is not None and old["part"] != item.part:
        row["released"] = 0  # released only by `release_item`, for the private item it was
    return row


def _item_rows(reg: Register, meeting: Meeting) -> dict[str, dict[str, Any]]:
    return {r["uuid"]: r for r in reg.db["agenda_items"].rows_where("meeting_uuid = ?",
                                                                    [meeting.uuid])}


def update_agenda_item(reg: Register, meeting: Meeting, item: AgendaItem,
                       operation: str = "edit") -> str:
    """Write one item's title, part, exemption, type, presenter, notes and document, found by
    its uuid (so its minutes and decisions stay with it); its place on the agenda is kept."""
    with reg.transaction():
        old = _item_rows(reg, meeting).get(item.uuid)
        if old is None:
            raise RegisterError(f"{meeting.ref} has no agenda item {item.number} any more")
        row = _item_row(meeting, item, old["position"], old) | {"number": old["number"]}
        return _upsert(reg, "agenda_items", row, old, f"{meeting.ref} item {old['number']}",
                       operation)


def release_item(reg: Register, meeting: Meeting, number: str, released: bool = True,
                 operation: str = "release") -> AgendaItem:
    """Release a private item's minutes, decisions and actions for publication (or withhold
    them again), audited. Its papers stay exempt: only what the minutes record is released."""
    with reg.transaction():
        item = next((i for i in agenda(reg, meeting) if i.number == number), None)
        if item is None:
            raise RegisterError(f"{meeting.ref} has no agenda item {number}")
        if not item.private:
            raise RegisterError(f"{meeting.ref} item {number} is public business already; only "
                                "a private item's minutes are released")
        if item.released != released:
            reg.db["agenda_items"].update(item.uuid, {"released": int(released),
                                                      "updated": _now(),
                                                      "updated_by": reg.user})
            _audit(reg, "agenda_items", item.uuid, _item_ref(meeting, item), "released",
                   "yes" if item.released else "no", "yes" if released else "no", operation)
            item.released = released
        return item


def reorder_agenda(reg: Register, meeting: Meeting, order: Sequence[str],
                   numbers: Sequence[str] | None = None, operation: str = "edit") -> None:
    """Put the meeting's items in the order of the uuids given, numbered 1, 2, 3 ... in that
    order (or with the numbers given, to put back an earlier numbering); minute numbers for
    the municipal year follow."""
    with reg.transaction():
        rows = _item_rows(reg, meeting)
        if sorted(order) != sorted(rows) or (numbers is not None and len(numbers) != len(order)):
            raise RegisterError(f"the agenda of {meeting.ref} has changed since it was shown; "
                                "look again and repeat the move")
        now = _now()
        for position, uuid in enumerate(order, 1):
            old = rows[uuid]
            number = numbers[position - 1] if numbers is not None else str(position)
            if (old["position"], old["number"]) == (position, number):
                continue
            reg.db["agenda_items"].update(uuid, {"position": position, "number": number,
                                                 "updated": now, "updated_by": reg.user})
            if old["number"] != number:
                _audit(reg, "agenda_items", uuid, f"{meeting.ref} item {number}", "number",
                       old["number"], number, operation)
        renumber_minutes(reg, meeting.municipal_year, operation)


def add_agenda_item(reg: Register, meeting: Meeting, item: AgendaItem,
                    operation: str = "edit") -> AgendaItem:
    """Add an item at the end of the agenda (keeping its uuid, so an undone removal can be put
    back and then moved to where it was)."""
    with reg.transaction():
        rows = _item_rows(reg, meeting)
        if item.uuid in rows:
            raise RegisterError(f"{meeting.ref} item {item.number} is already on the agenda")
        item.position = max((r["position"] for r in rows.values()), default=0) + 1
        _upsert(reg, "agenda_items", _item_row(meeting, item, item.position), None,
                _item_ref(meeting, item), operation)
        return item


def remove_agenda_item(reg: Register, meeting: Meeting, uuid: str,
                       operation: str = "edit") -> None:
    """Take an item off the agenda, unless minutes or decisions are recorded against it."""
    with reg.transaction():
        old = _item_rows(reg, meeting).get(uuid)
        if old is None:
            raise RegisterError(f"{meeting.ref} has no such agenda item any more")
        decided = _recorded_against(reg, uuid)
        arising = reg.db["actions"].count_where("agenda_item_uuid = ?", [uuid])
        if decided or old["minute"] or arising:
            raise RegisterError(f"{meeting.ref} item {old['number']} has minutes or actions "
                                "recorded, so it cannot be taken off the agenda")
        reg.db["agenda_items"].delete(uuid)
        _audit(reg, "agenda_items", uuid, f"{meeting.ref} item {old['number']}", "", "",
               "deleted", operation)


# --- attendance, minutes and decisions --------------------------------------------------------


def attendance(reg: Register, meeting: Meeting) -> list[Attendee]:
    return [Attendee(r["name"], r["kind"], r["organisation"] or "", r["substitute_for"] or "")
            for r in reg.db["attendance"].rows_where("meeting_uuid = ?", [meeting.uuid],
                                                     order_by="position")]


def save_attendance(reg: Register, meeting: Meeting, attendees: Sequence[Attendee],
                    operation: str = "edit") -> None:
    with reg.transaction():
        before = attendance(reg, meeting)
        if before == list(attendees):
            return
        reg.db["attendance"].delete_where("meeting_uuid = ?", [meeting.uuid])
        reg.db["attendance"].insert_all(
            [{"uuid": _new(), "meeting_uuid": meeting.uuid, "position": n, "name": a.name,
              "organisation": a.organisation, "kind": a.kind, "substitute_for": a.substitute_for}
             for n, a in enumerate(attendees, 1)], pk="uuid")
        _audit(reg, "meetings", meeting.uuid, meeting.ref, "attendance",
               "; ".join(f"{a.name} ({a.kind})" for a in before),
               "; ".join(f"{a.name} ({a.kind})" for a in attendees), operation)


def record_minute(reg: Register, meeting: Meeting, item: AgendaItem, minute: str,
                  resolved: Sequence[str], operation: str = "edit") -> list[Decision]:
    """Record what the minutes say under an item and what it RESOLVED (lettered a, b, ...),
    replacing anything recorded before; minute numbers for the municipal year follow."""
    with reg.transaction():
        old = reg.db["agenda_items"].get(item.uuid)
        if (old["minute"] or "") != minute:
            reg.db["agenda_items"].update(item.uuid, {"minute": minute, "updated": _now(),
                                                      "updated_by": reg.user})
            _audit(reg, "agenda_items", item.uuid, _item_ref(meeting, item), "minute",
                   old["minute"], minute, operation)
        before = [r["text"] for r in reg.db["decisions"].rows_where(
            "agenda_item_uuid = ?", [item.uuid], order_by="letter")]
        if before != list(resolved):
            reg.db["decisions"].delete_where("agenda_item_uuid = ?", [item.uuid])
            now = _now()
            reg.db["decisions"].insert_all(
                [{"uuid": _new(), "ref": f"{item.uuid}:{n}", "meeting_uuid": meeting.uuid,
                  "agenda_item_uuid": item.uuid, "municipal_year": meeting.municipal_year,
                  "letter": decision_letter(n), "text": text, "created": now, "updated": now,
                  "updated_by": reg.user} for n, text in enumerate(resolved, 1)], pk="uuid")
            _audit(reg, "agenda_items", item.uuid, _item_ref(meeting, item), "resolved",
                   "\n".join(before), "\n".join(resolved), operation)
        renumber_minutes(reg, meeting.municipal_year, operation)
        return decisions(reg, meeting, include_private=True)


def renumber_minutes(reg: Register, year: str, operation: str = "edit") -> None:
    """Number every minuted item of a municipal year, in meeting then agenda order. A minute
    is an item with minute text or a decision."""
    with reg.transaction():
        rows = list(reg.db.query(
            "select m.ref, m.date, a.uuid, a.position, a.minute, a.minute_number, "
            "(select count(*) from decisions d where d.agenda_item_uuid = a.uuid) + "
            # the Declarations of Interest item is minuted by the meeting's declarations
            "(select count(*) from declarations x where x.meeting_uuid = a.meeting_uuid and "
            f"{DECLARATIONS_ITEM_SQL}) as decided "
            "from agenda_items a join meetings m on m.uuid = a.meeting_uuid "
            "where m.municipal_year = ? order by m.date, m.ref, a.position", [year]))
        by_meeting: dict[str, tuple[str, str, list[tuple[str, bool]]]] = {}
        for r in rows:
            by_meeting.setdefault(r["ref"], (r["date"], r["ref"], []))[2].append(
                (r["uuid"], bool(r["minute"] or r["decided"])))
        numbers = number_minutes(list(by_meeting.values()))
        for r in rows:
            new = numbers.get(r["uuid"])
            if new != r["minute_number"]:
                reg.db["agenda_items"].update(r["uuid"], {"minute_number": new})
                reg.db.execute("update decisions set minute_number = ? where agenda_item_uuid = ?",
                               [new, r["uuid"]])
        # Refs are unique: clear the year's first, as renumbering may swap two of them.
        reg.db.execute("update decisions set ref = uuid where municipal_year = ?", [year])
        for d in list(reg.db.query("select uuid, municipal_year, minute_number, letter "
                                   "from decisions where municipal_year = ?", [year])):
            ref = decision_ref(d["municipal_year"], d["minute_number"], d["letter"])
            reg.db.execute("update decisions set ref = ? where uuid = ?", [ref, d["uuid"]])


def decisions(reg: Register, meeting: Meeting | None = None, *,
              include_private: bool = False) -> list[Decision]:
    """RESOLVED decisions (of one meeting, or all), in meeting and minute order: only those
    that may be published unless `include_private` (the officer's own view), where a private
    item's are marked `private`."""
    clauses, args = (["d.meeting_uuid = ?"], [meeting.uuid]) if meeting else ([], [])
    if not include_private:
        clauses.append(f"not {WITHHELD_SQL}")
    where = f"where {' and '.join(clauses)}" if clauses else ""
    return [Decision(text=r["text"], letter=r["letter"], minute_number=r["minute_number"],
                     municipal_year=r["municipal_year"], meeting_ref=r["mref"],
                     item_number=r["number"], ref=r["ref"], private=bool(r["withheld"]),
                     uuid=r["uuid"])
            for r in reg.db.query(
                f"select d.*, m.ref as mref, a.number, {WITHHELD_SQL} as withheld "
                "from decisions d join meetings m on m.uuid = d.meeting_uuid "
                f"join agenda_items a on a.uuid = d.agenda_item_uuid {where} "
                "order by m.date, m.ref, a.position, length(d.letter), d.letter", args)]


def set_closed_at(reg: Register, meeting: Meeting, closed_at: str) -> None:
    with reg.transaction():
        if (meeting.closed_at or "") != closed_at:
            reg.db["meetings"].update(meeting.uuid, {"closed_at": closed_at})
            _audit(reg, "meetings", meeting.uuid, meeting.ref, "closed_at", meeting.closed_at,
                   closed_at)
            meeting.closed_at = closed_at


def link_action(reg: Register, action_ref: str, item: AgendaItem) -> None:
    """Mark an action as arising from a minute."""
    with reg.transaction():
        found = list(reg.db["actions"].rows_where("ref = ?", [action_ref]))
        if not found:
            raise RegisterError(f"there is no action {action_ref}")
        if found[0].get("agenda_item_uuid") != item.uuid:
            reg.db["actions"].update(found[0]["uuid"], {"agenda_item_uuid": item.uuid})
            _audit(reg, "actions", found[0]["uuid"], action_ref, "agenda_item_uuid",
                   found[0].get("agenda_item_uuid"), item.uuid)


def actions_arising(reg: Register, meeting: Meeting, *,
                    include_private: bool = False) -> list[tuple[str, Any]]:
    """(item number, Action) for each action linked to one of the meeting's minutes: only
    those that may be published unless `include_private`."""
    cls = rows.record_type("actions")
    public = "" if include_private else f" and not {WITHHELD_SQL}"
    return [(r["number"], rows.from_row(cls, r)) for r in reg.db.query(
        "select x.*, a.number from actions x join agenda_items a on a.uuid = x.agenda_item_uuid "
        f"where a.meeting_uuid = ?{public} order by a.position, x.ref", [meeting.uuid])]


def withheld_action_refs(reg: Register) -> set[str]:
    """The refs of actions arising from private items not released."""
    return {r["ref"] for r in reg.db.query(
        "select x.ref from actions x join agenda_items a on a.uuid = x.agenda_item_uuid "
        f"where {WITHHELD_SQL}")}


def actions(reg: Register, *, include_private: bool = False) -> list[Action]:
    """Every action in the register, for papers: those arising from private business that
    has not been released are left out unless `include_private`."""
    found = records.all_records(reg, "actions")
    if include_private:
        return found
    withheld = withheld_action_refs(reg)
    return [a for a in found if a.ref not in withheld]
