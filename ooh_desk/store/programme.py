"""The programme's workstreams and engagement events (its header is `Register.programme`): read
back as domain objects, written with audit rows in the register's transaction. Imports no Qt."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..domain.records import EngagementEvent, Workstream
from . import rows
from .register import Register, RegisterError, _now


def workstreams(reg: Register) -> list[Workstream]:
    return [Workstream(r["name"], r["lead"] or "", r["description"] or "", r["uuid"])
            for r in reg.query("select * from workstreams order by name")]


def events(reg: Register) -> list[EngagementEvent]:
    return [EngagementEvent(name=r["name"], route=r["route"] or "",
                            date=rows.board_date_from(r, "date"), place=r["place"] or "",
                            attendance=r["attendance"], organisations=r["organisations"] or "",
                            uuid=r["uuid"])
            for r in reg.query("select * from events order by date_from, name")]


def save_workstream(reg: Register, workstream: Workstream) -> None:
    _save_named(reg, "workstreams", dataclasses.asdict(workstream))


def save_event(reg: Register, event: EngagementEvent) -> None:
    row = {k: v for k, v in dataclasses.asdict(event).items() if k != "date"}
    _save_named(reg, "events", row | rows.date_columns("date", event.date))


def update_event(reg: Register, name: str, event: EngagementEvent,
                 operation: str = "edit") -> None:
    """Change the event called `name` to `event` (its uuid kept), audited. A new name is
    carried to every feedback item that names the event, in the same transaction."""
    with reg.transaction():
        found = list(reg.db["events"].rows_where("name = ?", [name]))
        if not found:
            raise RegisterError(f"there is no engagement event called {name!r}")
        if event.name != name and list(reg.db["events"].rows_where("name = ?", [event.name])):
            raise RegisterError(f"there is already an engagement event called {event.name!r}")
        old = found[0]
        row = {k: v for k, v in dataclasses.asdict(event).items() if k != "date"}
        row = row | rows.date_columns("date", event.date) | {"uuid": old["uuid"]}
        changed = {k: v for k, v in row.items()
                   if k not in rows.STAMP_COLUMNS and (old.get(k) or None) != (v or None)}
        if not changed:
            return
        now = _now()
        for column, value in changed.items():
            reg._audit(operation, "events", old["uuid"], event.name, column, old.get(column),
                       value)
        reg.db["events"].update(old["uuid"], changed | {"updated": now, "updated_by": reg.user})
        if event.name != name:
            for item in reg.db["feedback"].rows_where("event = ?", [name], select="uuid, ref"):
                reg._audit(operation, "feedback", item["uuid"], item["ref"], "event", name,
                           event.name)
            reg.db.execute("update feedback set event = ?, updated = ?, updated_by = ? "
                           "where event = ?", [event.name, now, reg.user, name])


def delete_event(reg: Register, name: str, operation: str = "delete") -> None:
    """Remove an engagement event no feedback names (undoing a new event), audited."""
    with reg.transaction():
        found = list(reg.db["events"].rows_where("name = ?", [name]))
        if not found:
            raise RegisterError(f"there is no engagement event called {name!r}")
        if reg.db["feedback"].count_where("event = ?", [name]):
            raise RegisterError(f"the engagement event {name!r} still has feedback; "
                                "move or delete its comments first")
        reg.db["events"].delete(found[0]["uuid"])
        reg._audit(operation, "events", found[0]["uuid"], name, "", "", "deleted")


def _save_named(reg: Register, table: str, row: dict[str, Any]) -> None:
    with reg.transaction():
        found = list(reg.db[table].rows_where("name = ?", [row["name"]]))
        now = _now()
        if found:
            row["uuid"] = found[0]["uuid"]
            old = found[0]
            changed = {k: v for k, v in row.items()
                       if k not in rows.STAMP_COLUMNS and (old.get(k) or None) != (v or None)}
            if not changed:
                return
            for column, value in changed.items():
                reg._audit("edit", table, row["uuid"], row["name"], column, old.get(column),
                           value)
            reg.db[table].update(row["uuid"], changed | {"updated": now, "updated_by": reg.user})
        else:
            reg.db[table].insert(row | {"created": now, "updated": now, "updated_by": reg.user},
                                 pk="uuid")
            reg._audit("edit", table, row["uuid"], row["name"], "", "", "created")
