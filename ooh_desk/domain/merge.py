"""The merge of two copies of a register, worked out on records and changes alone: no SQL,
no files (docs/merge-design.md). The store reads each side's changes since they last
shared a state and the records those changes touch; `plan_merge` decides what OUR side
must write; the store writes it. The same planner will serve a team server's sync.
Imports nothing but the domain."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .prose import counted
from .records import free_refs

# Records whose ref is theirs to keep: a clash of two new records renumbers the one arriving.
REF_TABLES = ("risks", "milestones", "feedback", "actions", "papers", "objectives",
              "key_decisions", "interests", "declarations")
# Records known by a name: one made on each side under the same name is taken to be the same
# thing (the same committee, event, meeting), so theirs joins ours instead of arriving twice.
JOIN_KEYS = {"workstreams": "name", "events": "name", "committees": "name", "meetings": "ref"}
# The order records go in: a record after those it refers to.
TABLE_ORDER = ("workstreams", "events", "committees", "meetings", "documents", "agenda_items",
               "declarations", "objectives", "risks", "milestones", "feedback", "actions",
               "papers", "key_decisions", "interests")
# A field audited for a whole list of rows hanging off the record: (child table, its column
# naming the parent).
LIST_FIELDS = {("risks", "mitigations"): ("mitigations", "risk_uuid"),
               ("committees", "members"): ("members", "committee_uuid"),
               ("meetings", "attendance"): ("attendance", "meeting_uuid"),
               ("agenda_items", "resolved"): ("decisions", "agenda_item_uuid"),
               ("risks", "assurances"): ("assurances", "risk_uuid"),
               ("papers", "options"): ("options", "paper_uuid"),
               ("papers", "option_scores"): ("option_scores", "paper_uuid")}
# The columns a field carries with it beyond its own (a board date's range, an item's place).
EXTRA_COLUMNS = {("agenda_items", "number"): ("position",)}
STAMPS = ("created", "updated", "updated_by")
# Child columns that are a row's identity or worked out again after a merge, never compared.
_CHILD_IDENTITY = ("uuid", "ref", "minute_number", "created", "updated", "updated_by")
PROGRAMME = "programme"


def record_title(row: Mapping[str, Any]) -> str:
    """What a person calls a record with a ref, to name it beside its ref."""
    for column in ("title", "description", "comment", "objective", "matter", "interest"):
        if row.get(column):
            return str(row[column])
    return ""


@dataclass(frozen=True)
class Change:
    """One audit row: a field of one record set from `old` to `new` (field "" with new
    'created', 'deleted' or 'restored' for the record as a whole)."""

    change_id: str
    kind: str
    uuid: str
    ref: str
    field: str
    old: str | None
    new: str | None
    at: str
    user: str
    operation: str = "edit"

    @property
    def whole_record(self) -> bool:
        return self.field == ""


@dataclass
class Record:
    """A record as one side holds it now: its row and the rows hanging off it."""

    kind: str
    uuid: str
    row: dict[str, Any]
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class Side:
    """What one copy brings to a merge. `changes`: its changes the other side lacks, oldest
    first. `records`: its records that either side's changes touch (kind, uuid) -> Record,
    absent when it does not hold one. `keys`: every ref or name in use, per kind, -> uuid.
    `programme`: the programme's settings. `name`: how the user knows this copy."""

    changes: list[Change]
    records: dict[tuple[str, str], Record]
    keys: dict[str, dict[str, str]]
    programme: dict[str, Any] | None = None
    name: str = ""
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Conflict:
    kind: str
    record_uuid: str
    record_ref: str
    field: str
    base: str
    ours: str
    theirs: str
    ours_by: str
    ours_at: str
    theirs_by: str
    theirs_at: str
    theirs_data: dict[str, Any]


@dataclass
class Insert:
    record: Record
    renumbered_from: str = ""


@dataclass
class Update:
    kind: str
    uuid: str
    ref: str
    columns: dict[str, Any]
    children: dict[str, list[dict[str, Any]]]
    fields: list[str]


@dataclass
class Delete:
    kind: str
    uuid: str
    ref: str


@dataclass
class KindSummary:
    new: int = 0
    updated: int = 0
    deleted: int = 0
    conflicts: int = 0
    renumbered: list[str] = field(default_factory=list)  # "R-021 is now R-022 (title)"
    joined: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"new": self.new, "updated": self.updated, "deleted": self.deleted,
                "conflicts": self.conflicts, "renumbered": list(self.renumbered),
                "joined": self.joined}

    def parts(self) -> list[str]:
        """What happened to this kind, in words: "2 new", "1 conflict", "1 renumbered"."""
        parts = [f"{n} {label}" for n, label in ((self.new, "new"), (self.updated, "updated"),
                                                  (self.deleted, "deleted"),
                                                  (self.joined, "joined to ours")) if n]
        if self.conflicts:
            parts.append(counted(self.conflicts, "conflict"))
        if self.renumbered:
            parts.append(f"{len(self.renumbered)} renumbered")
        return parts


@dataclass
class MergePlan:
    inserts: list[Insert] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    deletes: list[Delete] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # their uuid -> our uuid (joined)
    programme: dict[str, Any] | None = None
    changes: list[Change] = field(default_factory=list)  # theirs, to be kept as ours too
    summary: dict[str, KindSummary] = field(default_factory=dict)
    free_refs: dict[tuple[str, str], Iterator[str]] = field(default_factory=dict, repr=False)

    def kind(self, kind: str) -> KindSummary:
        return self.summary.setdefault(kind, KindSummary())

    @property
    def empty(self) -> bool:
        return not self.changes


# --- what a record holds -------------------------------------------------------------------------


def field_columns(kind: str, name: str, columns: Sequence[str]) -> tuple[str, ...]:
    """The stored columns one audited field stands for: itself, a board date's `_from` and
    `_to`, and any column the field carries along (an agenda item's place with its number)."""
    own = tuple(c for c in (name, f"{name}_from", f"{name}_to") if c in columns)
    return own + EXTRA_COLUMNS.get((kind, name), ())


def value(record: Record | None, name: str, columns: Sequence[str]) -> Any:
    """What a field holds, comparable between the two sides: the columns' values, or the
    list of child rows a list field stands for (their identities left out)."""
    if record is None:
        return None
    child = LIST_FIELDS.get((record.kind, name))
    if child:
        return tuple(tuple(sorted((k, _same(v)) for k, v in r.items()
                                  if k not in _CHILD_IDENTITY and k != child[1]))
                     for r in record.children.get(child[0], []))
    return tuple(_same(record.row.get(c)) for c in field_columns(record.kind, name, columns))


def _same(v: Any) -> Any:
    """NULL and empty text are one value to a user."""
    return None if v == "" else v


def shown(record: Record | None, name: str, changes: Sequence[Change]) -> str:
    """A field's value as the user reads it: the column's text, or, for a list, what the
    last change to it said."""
    if record is None:
        return "(deleted)"
    if (record.kind, name) in LIST_FIELDS:
        said = [c.new for c in changes if c.field == name]
        return (said[-1] or "") if said else ""
    v = record.row.get(name)
    return "" if v is None else str(v)


# --- the planner --------------------------------------------------------------------------------


def plan_merge(ours: Side, theirs: Side) -> MergePlan:
    """What OUR side must write to hold THEIR changes too: a field changed on one side only
    takes that side's value; a field changed to different values on both is a conflict (ours
    kept); an edit against a delete is a conflict; new records arrive (a ref clash renumbers
    theirs; a name clash joins theirs to ours)."""
    plan = MergePlan(changes=list(theirs.changes))
    our_by = _by_record(ours.changes)
    their_by = _by_record(theirs.changes)
    keys = {kind: dict(found) for kind, found in ours.keys.items()}
    order = {kind: n for n, kind in enumerate(TABLE_ORDER)}
    arriving: list[tuple[str, str]] = []
    for (kind, uuid), their_changes in their_by.items():
        if kind == PROGRAMME:
            _plan_programme(plan, ours, theirs, our_by.get((kind, uuid), []), their_changes)
            continue
        if kind not in order:
            continue  # a kind this version does not merge: its history still arrives
        mine = ours.records.get((kind, uuid))
        their = theirs.records.get((kind, uuid))
        our_changes = our_by.get((kind, uuid), [])
        columns = ours.columns.get(kind, ())
        if their is None:
            if mine is None:
                continue
            if any(not c.whole_record for c in our_changes):
                _conflict(plan, kind, mine, None, "", our_changes, their_changes, columns,
                          {"delete": True})
            else:
                plan.deletes.append(Delete(kind, uuid, str(mine.row.get("ref") or
                                                            mine.row.get("name") or "")))
                plan.kind(kind).deleted += 1
                _forget_key(keys, kind, mine.row)
            continue
        if mine is None:
            if any(c.whole_record and c.new == "deleted" for c in our_changes):
                if any(not c.whole_record for c in their_changes):
                    _conflict(plan, kind, None, their, "", our_changes, their_changes, columns,
                              {"restore": {"row": their.row, "children": their.children}})
                continue
            arriving.append((kind, uuid))
            continue
        _plan_fields(plan, kind, mine, their, our_changes, their_changes, columns, keys)
    arriving.sort(key=lambda ku: order[ku[0]])  # stable: their own order within a kind
    for kind, uuid in arriving:
        _plan_insert(plan, theirs.records[(kind, uuid)], keys)
    return plan


def _by_record(changes: Iterable[Change]) -> dict[tuple[str, str], list[Change]]:
    out: dict[tuple[str, str], list[Change]] = {}
    for c in changes:
        out.setdefault((c.kind, c.uuid), []).append(c)
    return out


def _key_column(kind: str) -> str | None:
    return "ref" if kind in REF_TABLES else JOIN_KEYS.get(kind)


def _forget_key(keys: dict[str, dict[str, str]], kind: str, row: Mapping[str, Any]) -> None:
    column = _key_column(kind)
    if column and row.get(column) is not None:
        keys.setdefault(kind, {}).pop(str(row[column]).upper(), None)


def _plan_fields(plan: MergePlan, kind: str, mine: Record, their: Record,
                 our_changes: list[Change], their_changes: list[Change],
                 columns: Sequence[str], keys: dict[str, dict[str, str]]) -> None:
    touched_here = {c.field for c in our_changes if not c.whole_record}
    update = Update(kind, mine.uuid, _ref(mine), {}, {}, [])
    for name in dict.fromkeys(c.field for c in their_changes if not c.whole_record):
        if not columns or (name not in columns and (kind, name) not in LIST_FIELDS):
            continue  # a field this version does not store
        theirs_now = value(their, name, columns)
        if value(mine, name, columns) == theirs_now:
            continue
        data = _field_data(kind, their, name, columns)
        if name in touched_here:
            _conflict(plan, kind, mine, their, name, our_changes, their_changes, columns, data)
            continue
        update.columns.update(data["columns"])
        update.children.update(data["children"])
        update.fields.append(name)
    if not update.fields:
        return
    key = _key_column(kind)
    if key and key in update.columns:
        held = keys.setdefault(kind, {})
        new_key = str(update.columns[key]).upper()
        if held.get(new_key, mine.uuid) != mine.uuid:
            update.columns.pop(key)  # a ref now taken here by another record: ours stays
            update.fields.remove(key)
        else:
            _forget_key(keys, kind, mine.row)
            held[new_key] = mine.uuid
    if update.fields:
        update.columns.update({s: their.row.get(s) for s in STAMPS[1:] if s in their.row})
        plan.updates.append(update)
        plan.kind(kind).updated += 1


def _field_data(kind: str, their: Record, name: str, columns: Sequence[str]) -> dict[str, Any]:
    """What taking their value of a field writes: columns, or the list of child rows."""
    child = LIST_FIELDS.get((kind, name))
    if child:
        return {"columns": {}, "children": {child[0]: their.children.get(child[0], [])}}
    return {"columns": {c: their.row.get(c) for c in field_columns(kind, name, columns)},
            "children": {}}


def _ref(record: Record) -> str:
    return str(record.row.get("ref") or record.row.get("name") or record.row.get("filename")
               or record.uuid)


def _conflict(plan: MergePlan, kind: str, mine: Record | None, their: Record | None,
              name: str, our_changes: list[Change], their_changes: list[Change],
              columns: Sequence[str], data: dict[str, Any]) -> None:
    def about(changes: list[Change]) -> list[Change]:
        return [c for c in changes if c.field == name or (not name and c.field)]

    ours_about, theirs_about = about(our_changes), about(their_changes)
    earliest = min([*ours_about, *theirs_about], key=lambda c: c.at, default=None)
    last_ours = ours_about[-1] if ours_about else (our_changes[-1] if our_changes else None)
    last_theirs = theirs_about[-1] if theirs_about else (their_changes[-1] if their_changes
                                                          else None)
    if name:
        ours_text, theirs_text = shown(mine, name, ours_about), shown(their, name, theirs_about)
        base = (earliest.old or "") if earliest else ""
    else:  # one side edited the record, the other deleted it
        ours_text = "deleted" if mine is None else "edited: " + ", ".join(
            dict.fromkeys(c.field for c in ours_about))
        theirs_text = "deleted" if their is None else "edited: " + ", ".join(
            dict.fromkeys(c.field for c in theirs_about))
        base = "the record as it was"
    record = mine or their
    assert record is not None
    plan.conflicts.append(Conflict(
        kind=kind, record_uuid=record.uuid, record_ref=_ref(record), field=name, base=base,
        ours=ours_text, theirs=theirs_text,
        ours_by=last_ours.user if last_ours else "", ours_at=last_ours.at if last_ours else "",
        theirs_by=last_theirs.user if last_theirs else "",
        theirs_at=last_theirs.at if last_theirs else "", theirs_data=data))
    plan.kind(kind).conflicts += 1


def _plan_insert(plan: MergePlan, their: Record, keys: dict[str, dict[str, str]]) -> None:
    kind = their.kind
    column = _key_column(kind)
    insert = Insert(Record(kind, their.uuid, dict(their.row),
                           {t: [dict(r) for r in rows] for t, rows in their.children.items()}))
    if column and their.row.get(column) is not None:
        held = keys.setdefault(kind, {})
        key = str(their.row[column])
        taken = held.get(key.upper())
        if taken is not None and taken != their.uuid:
            if kind in JOIN_KEYS:
                plan.aliases[their.uuid] = taken
                plan.kind(kind).joined += 1
                return
            prefix = (re.match(r"[A-Za-z]*", key).group(0) or "R").upper()  # type: ignore[union-attr]
            # One pass over the refs in use for a merge, not one a record renumbered.
            free = plan.free_refs.setdefault((kind, prefix), free_refs(prefix, held))
            new_ref = next(free)
            while new_ref.upper() in held:  # made by an earlier arrival of this merge
                new_ref = next(free)
            insert.record.row[column] = new_ref
            insert.renumbered_from = key
            plan.kind(kind).renumbered.append(f"{key} is now {new_ref} "
                                              f"({record_title(their.row)})")
            key = new_ref
        held[key.upper()] = their.uuid
    plan.inserts.append(insert)
    plan.kind(kind).new += 1


def _plan_programme(plan: MergePlan, ours: Side, theirs: Side, our_changes: list[Change],
                    their_changes: list[Change]) -> None:
    if theirs.programme is None or theirs.programme == ours.programme:
        return
    if our_changes:
        def named(changes: list[Change]) -> list[Change]:
            return [Change(c.change_id, c.kind, c.uuid, c.ref, PROGRAMME, c.old, c.new, c.at,
                           c.user) for c in changes]

        _conflict(plan, PROGRAMME,
                  Record(PROGRAMME, "", {PROGRAMME: (ours.programme or {}).get("name", "")}),
                  Record(PROGRAMME, "", {PROGRAMME: theirs.programme.get("name", "")}),
                  PROGRAMME, named(our_changes), named(their_changes), (),
                  {"programme": theirs.programme})
        return
    plan.programme = theirs.programme
    plan.kind(PROGRAMME).updated += 1
