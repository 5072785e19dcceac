"""The register's schema as numbered migrations. Each step takes the file from version N-1 to N
and is never edited once released: add a new step instead. The tables are the source of truth
for column names; `rows.py` reads them back rather than keeping its own list."""

from __future__ import annotations

from collections.abc import Callable

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


# Migration N lives at index N-1. The file's PRAGMA user_version is the last step applied.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2]
SCHEMA_VERSION = len(MIGRATIONS)
