"""Papers in the register (the `papers` table, schema migration 2): read them back as domain
`Paper`s and write them with audit rows, inside the register's transaction like every other
record. Imports no Qt, Word or Excel code."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

from ..domain.papers import Paper, upgrade_sections
from ..domain.records import free_refs
from .meetings import add_document
from .records import Change, delete_record
from .register import Register, RegisterError, _now

KIND = "papers"
REF_PREFIX = "P"
_STAMPS = {"uuid", "created", "updated", "updated_by"}


def to_row(paper: Paper) -> dict[str, Any]:
    row = dataclasses.asdict(paper)
    row["meeting_date"] = paper.meeting_date.isoformat() if paper.meeting_date else None
    # In the user's order, under their headings: the order is the paper's.
    row["sections"] = json.dumps(paper.sections, ensure_ascii=False)
    row["blocks"] = json.dumps(paper.blocks)
    row["include_closed_risks"] = int(paper.include_closed_risks)
    row["exempt"] = int(paper.exempt)
    return row


def from_row(row: dict[str, Any]) -> Paper:
    known = {f.name for f in dataclasses.fields(Paper)}
    values = {k: ("" if v is None else v) for k, v in row.items() if k in known}
    values["meeting_date"] = date.fromisoformat(row["meeting_date"]) if row.get("meeting_date") \
        else None
    values["sections"] = upgrade_sections(json.loads(row.get("sections") or "{}"))
    values["blocks"] = json.loads(row.get("blocks") or "[]")
    values["include_closed_risks"] = bool(row.get("include_closed_risks"))
    values["exempt"] = bool(row.get("exempt"))
    return Paper(**values)


def all_papers(reg: Register) -> list[Paper]:
    return [from_row(r) for r in reg.db[KIND].rows_where(order_by="ref")]


def get_paper(reg: Register, ref: str) -> Paper | None:
    found = list(reg.db[KIND].rows_where("ref = ? collate nocase", [ref]))
    return from_row(found[0]) if found else None


def next_paper_ref(reg: Register) -> str:
    """The next free paper ref; call it inside the transaction that saves the paper."""
    return next(free_refs(REF_PREFIX, (r["ref"] for r in reg.db.query(f"select ref from [{KIND}]"))))


def save_paper(reg: Register, paper: Paper, operation: str = "edit") -> Change:
    """Insert or update a paper by ref, with one audit row per changed field."""
    if not paper.ref:
        raise RegisterError("a paper needs a ref")
    with reg.transaction():
        found = list(reg.db[KIND].rows_where("ref = ?", [paper.ref]))
        old = found[0] if found else None
        if old:
            paper.uuid = old["uuid"]
        new = to_row(paper)
        now = _now()
        audit = []
        if old is None:
            outcome, diff = "new", {}
            audit.append(reg._audit_row(operation, KIND, paper.uuid, paper.ref, "", "",
                                        "created", now))
        else:
            diff = {k: (old.get(k), v) for k, v in new.items()
                    if k not in _STAMPS and (old.get(k) or None) != (v or None)}
            outcome = "updated" if diff else "unchanged"
            audit += [reg._audit_row(operation, KIND, paper.uuid, paper.ref, k, before, after, now)
                      for k, (before, after) in diff.items()]
        if outcome != "unchanged":
            reg.db[KIND].upsert(new | {"updated": now, "updated_by": reg.user,
                                       "created": old["created"] if old else now}, pk="uuid")
            reg.db["audit"].insert_all(audit, pk="id")
        return Change(KIND, paper.ref, outcome, diff)


def add_picture(reg: Register, filename: str, content: bytes) -> str:
    """Keep a picture a paper shows in the register (beside agenda documents, the same bytes
    kept once), so a report written later, anywhere, still has it. Returns the reference a
    section's Markdown holds in place of the path: register:SHA256/filename."""
    stored = add_document(reg, filename, content, operation="paper picture")
    return f"register:{stored.sha256}/{filename}"


def picture_content(reg: Register, sha256: str) -> bytes | None:
    """A stored picture's bytes by its SHA-256, or None if the register has no such file."""
    found = list(reg.db.query("select content from documents where sha256 = ? limit 1",
                              [sha256]))
    return found[0]["content"] if found else None


def delete_paper(reg: Register, ref: str) -> None:
    delete_record(reg, KIND, ref)
