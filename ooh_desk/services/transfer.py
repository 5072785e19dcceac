"""The whole register as OOH Desk's JSON, and back: `export json` writes every table's rows as
stored (uuids, created/updated stamps and users, the change history, score history, the issue
list, documents as base64), and `import` takes such a file into an empty register whole, or
not at all, with a dry run that says what it would write. Files of format version 1 (records
alone) still import as they always did, updating records by ref. Imports no Qt.

Format version 2, written by `register_to_json`:

    {"format": "ooh-desk-register", "format_version": 2, "schema_version": N,
     "programme": {...the programme's settings...},
     "tables": {"risks": [{"uuid": ..., "ref": ..., "created": ..., ...}, ...], ...}}

`tables` holds every table of the register (full-text indexes aside) in the order it was
made, each a list of rows in the order they went in, each row every column by name; BLOB
columns (a document's content) are base64 text. `schema_version` is the register's
PRAGMA user_version the rows were read at: a later schema that changes what a column means
converts older rows here, before they are loaded."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..domain import codec
from ..domain.changes import ISSUE_KINDS, Issue
from ..domain.meetings import ATTENDANCE_KINDS, PARTS, ROLES
from ..domain.papers import DECISIONS, STYLES
from ..domain.records import (
    ACTION_STATUSES,
    FEEDBACK_STATUSES,
    MILESTONE_STATUSES,
    RISK_STATUSES,
    EngagementEvent,
    Problem,
    Programme,
    Workstream,
    parse_ref,
)
from ..domain.scoring import Band, Rating, ScoreError
from ..domain.treatment import TREATMENTS
from ..errors import UserFacing
from ..imports.errors import ImportRefused
from ..imports.report import ImportReport, RowOutcome
from ..store import Register, RegisterError, issues, tables
from ..store import records as store_records
from ..store.programme import save_event, save_workstream
from ..store.schema import SCHEMA_VERSION
from .listing import LIST_KINDS, list_records
from .records import RECORD_KINDS

# A register's JSON beyond this is refused before it is read: it would need several times
# its size in memory, and no register's records and documents come near it.
MAX_JSON_BYTES = 512 * 1024 * 1024


# --- export --------------------------------------------------------------------------------------


def register_to_json(reg: Register, issued: Sequence[Issue] = ()) -> dict[str, Any]:
    """The whole register, table by table. `issued`: entries to add to the issue list as if
    already made (an export's own entry, so the register it makes matches the one it left)."""
    found = tables.tables(reg)
    programme: Any = None
    out: dict[str, list[dict[str, Any]]] = {}
    for table in found:
        rows = []
        for row in tables.rows(reg, table.name):
            if table.name == "meta" and row["key"] == "programme":
                programme = json.loads(row["value"])
                continue
            rows.append({k: _to_json_value(v) for k, v in row.items()})
        out[table.name] = rows
    out.setdefault(issues.TABLE, []).extend(issues.issue_row(i) for i in issued)
    return {"format": codec.FORMAT, "format_version": codec.FORMAT_VERSION,
            "schema_version": SCHEMA_VERSION, "programme": programme, "tables": out}


def _to_json_value(value: Any) -> Any:
    return base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value


# --- import --------------------------------------------------------------------------------------


def import_json(reg: Register, source: Path, dry_run: bool = False) -> ImportReport:
    """An OOH Desk JSON file into the register: a whole register (format version 2) into an
    empty one, or records alone (version 1) updated by ref. All or nothing."""
    data = read_export(source)
    try:
        if data.get("format_version", 1) == 1:
            return _import_records(reg, source, data, dry_run)
        return _import_register(reg, source, data, dry_run)
    except RecursionError:  # a value nested just shallow enough to parse, too deep to use
        raise _too_deep(source) from None


def read_export(source: Path) -> dict[str, Any]:
    """The file's JSON, once it is known to be an OOH Desk export this version can read."""
    size = source.stat().st_size
    if size > MAX_JSON_BYTES:
        raise ImportRefused(f"{source.name} is {size // 1024 // 1024} MB, too large to be an "
                            f"OOH Desk export (the limit is {MAX_JSON_BYTES // 1024 // 1024} MB)")
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(f"{source.name} is not a readable JSON file (it is not UTF-8 "
                            "text)") from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except RecursionError:  # the parser recurses once a level; an export is a few deep
        raise _too_deep(source) from None
    except ValueError as exc:  # bad JSON, or a number too long to read
        raise ImportRefused(f"{source.name} is not a readable JSON file ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != codec.FORMAT:
        raise ImportRefused(f"{source.name} is not an OOH Desk register export "
                            "(make one with 'ooh-desk export REGISTER json')")
    version = data.get("format_version", 1)
    if not _whole_number(version) or version < 1:
        raise ImportRefused(f"{source.name} has no format version OOH Desk knows "
                            f"({_show(version)})")
    if version > codec.FORMAT_VERSION:
        raise ImportRefused(f"{source.name} was written by a newer version of OOH Desk "
                            f"(format version {version}); update OOH Desk to import it")
    return data


def _too_deep(source: Path) -> ImportRefused:
    return ImportRefused(f"{source.name} is nested hundreds of levels deep, far deeper than "
                         "an OOH Desk export; nothing was imported")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- format version 2: the whole register ---------------------------------------------------------


def _import_register(reg: Register, source: Path, data: dict[str, Any],
                     dry_run: bool) -> ImportReport:
    schema = data.get("schema_version")
    if not _whole_number(schema) or schema < 1:
        raise ImportRefused(f"{source.name} does not say which register version it holds "
                            "(schema_version)")
    if schema > SCHEMA_VERSION:
        raise ImportRefused(f"{source.name} holds a register of a newer version of OOH Desk "
                            f"(register version {schema}); update OOH Desk to import it")
    found = tables.tables(reg)
    rows, outcomes = _read_tables(source.name, data, found)
    report = ImportReport(source.name, "register", False, [], [], outcomes)
    if report.refused:
        return report
    if tables.holds_records(reg):
        # Only its own copy: the same rows, nothing to do. Combining two registers is a
        # merge, which keeps both sides' changes; an import would overwrite one of them.
        if _differences(reg, found, rows):
            raise ImportRefused(
                f"{source.name} is a whole register and {reg.path.name} already holds records "
                "of its own, so nothing was imported; import it into a new register "
                f"(ooh-desk init NEW{reg.path.suffix}), or import records as CSV or .xlsx")
        for outcome in outcomes:
            outcome.outcome = "unchanged"
        report.written = not dry_run
        return report
    if dry_run:
        return report
    with reg.transaction():
        try:
            tables.load(reg, found, rows)
        except tables.ItemRefused as exc:
            where = f"{source.name}, {exc.table} item {exc.number}" if exc.number \
                else f"{source.name}, {exc.table}"
            raise ImportRefused(f"{where}: {exc}; nothing was imported") from None
        except RegisterError as exc:  # another program filled the register meanwhile
            raise ImportRefused(f"{source.name} was not imported: {exc}") from None
        _read_back(source.name, reg)
    report.written = True
    return report


def _read_tables(name: str, data: Mapping[str, Any], found: Sequence[tables.Table]
                 ) -> tuple[dict[str, list[dict[str, Any]]], list[RowOutcome]]:
    """Every row of the file as the register would store it, and an outcome for each: 'new',
    or 'refused' with every problem found, each naming the file, table, item and column."""
    by_name = {t.name: t for t in found}
    given = data.get("tables")
    if not isinstance(given, dict):
        raise ImportRefused(f"{name} has no tables of records (it is not a whole-register "
                            "export)")
    for table_name, items in given.items():
        if table_name not in by_name:
            raise ImportRefused(f"{name}: a register has no table called {_show(table_name)}")
        if not isinstance(items, list):
            raise ImportRefused(f"{name}, {table_name}: should be a list of rows, "
                                f"not {_json_type(items)}")
    outcomes: dict[tuple[str, int], RowOutcome] = {}
    rows: dict[str, list[dict[str, Any]]] = {}
    first_seen: dict[tuple[str, tuple[str, ...], tuple[Any, ...]], int] = {}
    for table in found:
        out = rows.setdefault(table.name, [])
        for number, item in enumerate(given.get(table.name, []), 1):
            where = f"{name}, {table.name} item {number}"
            if not isinstance(item, dict):
                outcomes[table.name, number] = RowOutcome(0, f"{table.name} item {number}",
                                                          "refused", [Problem(
                    where, "", f"should be an object of columns, not {_json_type(item)}")])
                out.append({})
                continue
            row, problems = _read_row(table, item, where)
            if table.name == "meta" and row.get("key") == "programme":
                problems.append(Problem(where, "key", "the programme is written at the top "
                                                      "of the file, not among the meta rows"))
            for columns in table.unique:
                key = tuple(row.get(c) for c in columns)
                if None in key:
                    continue
                seen = first_seen.setdefault((table.name, columns, key), number)
                if seen != number:
                    problems.append(Problem(where, columns[0], f"{_show(key[0])} is used again "
                                                               f"(first in item {seen})"))
            outcomes[table.name, number] = RowOutcome(0, _label(table.name, row, number),
                                                      "refused" if problems else "new",
                                                      problems)
            out.append(row)
    _check_references(name, found, rows, outcomes)
    # The programme goes in last among the meta rows, so a meta row's number is its item's.
    programme, problem = _programme_row(name, data.get("programme"))
    rows.setdefault("meta", []).append(programme)
    listed = list(outcomes.values())
    if problem:
        listed.insert(0, RowOutcome(0, "programme", "refused", [problem]))
    return rows, listed


def _check_references(name: str, found: Sequence[tables.Table],
                      rows: Mapping[str, list[dict[str, Any]]],
                      outcomes: Mapping[tuple[str, int], RowOutcome]) -> None:
    """Each reference the register enforces (an agenda item's meeting, a mitigation's
    risk…) points at a row in the file."""
    targets: dict[tuple[str, str], set[Any]] = {}
    for table in found:
        for column, other, other_column in table.references:
            known = targets.setdefault((other, other_column),
                                       {r.get(other_column) for r in rows.get(other, [])})
            for number, row in enumerate(rows.get(table.name, []), 1):
                value = row.get(column)
                if value is None or value in known:
                    continue
                outcome = outcomes[table.name, number]
                outcome.outcome = "refused"
                outcome.problems.append(Problem(
                    f"{name}, {table.name} item {number}", column,
                    f"refers to {other} {_show(value)}, which is not in the file"))


def _label(table: str, row: Mapping[str, Any], number: int) -> str:
    """What the dry run calls a row: its ref, name or file name where it has one."""
    for column in ("ref", "name", "filename", "file_name", "key"):
        if row.get(column):
            return f"{table} {row[column]}"
    return f"{table} item {number}"


def _show(value: Any) -> str:
    if isinstance(value, list | dict):
        return _json_type(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true or false",
            type(None): "null"}.get(type(value), "a number")


def _programme_row(name: str, value: Any) -> tuple[dict[str, Any], Problem | None]:
    """The programme's settings as the register keeps them (its `meta` row)."""
    row = {"key": "programme", "value": json.dumps(value)}
    if not isinstance(value, dict):
        return row, Problem(f"{name}, programme", "", "should be an object of settings")
    try:
        _programme_from_json(value)
    except (KeyError, TypeError, ValueError, ScoreError) as exc:
        return row, Problem(f"{name}, programme", "", f"cannot be read ({exc})")
    return row, None


def _read_row(table: tables.Table, item: Mapping[str, Any], where: str
              ) -> tuple[dict[str, Any], list[Problem]]:
    """The row as the register stores it (a document's bytes decoded), holding the columns
    the item gives: one a file from an older register lacks takes the column's default."""
    problems: list[Problem] = []
    for column in item:
        if column not in table.columns:
            problems.append(Problem(where, column[:40], f"is not a column of {table.name}"))
    row: dict[str, Any] = {}
    for column, kind in table.columns.items():
        value = item.get(column)
        message = _type_problem(kind, value)
        if message is None and kind is bytes and value is not None:
            value = base64.b64decode(value, validate=True)
        if message is None and value is not None:
            message = _value_problem(table.name, column, value)
        if message is None and value is None and column in table.key:
            message = "is needed"
        if message:
            problems.append(Problem(where, column, message))
        elif column in item:
            row[column] = value
    if not problems:
        problems = _row_problems(table, row, where)
    return row, problems


def _type_problem(kind: type, value: Any) -> str | None:
    if value is None:
        return None
    if kind is int and not _whole_number(value):
        return f"{_show(value)} is not a whole number"
    if kind is float and (isinstance(value, bool) or not isinstance(value, int | float)):
        return f"{_show(value)} is not a number"
    if kind in (str, bytes) and not isinstance(value, str):
        return f"{_show(value)} should be text"
    if kind is bytes:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return "is not base64 text (a document's bytes are written as base64)"
    return None


def _day(value: Any) -> str | None:
    """A day as the register writes it, 2017-10-31 (so days sort as text)."""
    try:
        if date.fromisoformat(value).isoformat() == value:
            return None
    except ValueError:
        pass
    return f"{_show(value)} is not a day (YYYY-MM-DD)"


def _moment(value: Any) -> str | None:
    """A date and time as the register writes it, 2017-10-31T12:00:00+00:00, or a day (a
    score from a review before the register existed): histories are compared as text."""
    try:
        when = datetime.fromisoformat(value)
        if value in (when.isoformat(), when.isoformat(timespec="seconds"),
                     when.date().isoformat()):
            return None
    except ValueError:
        pass
    return f"{_show(value)} is not a date and time (YYYY-MM-DDTHH:MM:SS+00:00)"


def _rating(value: Any) -> str | None:
    try:
        Rating(value, 1)
    except ScoreError:
        return f"{_show(value)} is not 1 to 5"
    return None


def _ref(value: Any) -> str | None:
    try:
        parse_ref(value)
    except ValueError as exc:
        return str(exc)
    return None


def _one_of(words: Iterable[str]) -> Callable[[Any], str | None]:
    allowed = tuple(words)

    def check(value: Any) -> str | None:
        if value in allowed:
            return None
        return f"{_show(value)} is not one of: {', '.join(w or '(blank)' for w in allowed)}"
    return check


def _json_text(kind: type) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        try:
            parsed = json.loads(value)
        except ValueError:
            return "is not JSON text"
        return None if isinstance(parsed, kind) else f"should hold a JSON {kind.__name__}"
    return check


# What a value must be, beyond its column's type, where the app relies on it: days and
# moments it parses, ratings it scores, words it branches on (a private item's `part`
# keeps it out of the public pack).
_COLUMN_RULES: dict[tuple[str, str], Callable[[Any], str | None]] = {
    ("meetings", "date"): _day, ("meetings", "published"): _day,
    ("papers", "meeting_date"): _day, (issues.TABLE, "as_at"): _day,
    ("audit", "at"): _moment, (issues.TABLE, "at"): _moment, ("risk_scores", "at"): _moment,
    ("documents", "added"): _moment,
    ("risks", "status"): _one_of(RISK_STATUSES),
    ("risks", "treatment"): _one_of(("", *TREATMENTS)),
    ("milestones", "status"): _one_of(MILESTONE_STATUSES),
    ("actions", "status"): _one_of(ACTION_STATUSES),
    ("mitigations", "status"): _one_of(ACTION_STATUSES),
    ("feedback", "status"): _one_of(FEEDBACK_STATUSES),
    ("agenda_items", "part"): _one_of(PARTS),
    ("attendance", "kind"): _one_of(ATTENDANCE_KINDS),
    ("members", "role"): _one_of(ROLES),
    (issues.TABLE, "kind"): _one_of(ISSUE_KINDS),
    ("papers", "decision"): _one_of(DECISIONS), ("papers", "style"): _one_of(("", *STYLES)),
    ("papers", "sections"): _json_text(dict), ("papers", "blocks"): _json_text(list),
    **{(kind, "ref"): _ref for kind in RECORD_KINDS},
}


def _value_problem(table: str, column: str, value: Any) -> str | None:
    rule = _COLUMN_RULES.get((table, column))
    if rule is None:
        if column.endswith(("_from", "_to")):
            rule = _day
        elif column in ("created", "updated"):
            rule = _moment
        elif table in ("risks", "risk_scores") and column.endswith(("likelihood", "impact")):
            rule = _rating
    return rule(value) if rule else None


def _row_problems(table: tables.Table, row: Mapping[str, Any], where: str) -> list[Problem]:
    """What only the row as a whole can say: a board date's words and days go together and
    run forwards; a stored score is likelihood x impact; a document is the bytes it says."""
    problems = []
    for column in table.columns:
        if f"{column}_from" not in table.columns or f"{column}_to" not in table.columns:
            continue
        text, first, last = (row.get(c) for c in (column, f"{column}_from", f"{column}_to"))
        if (text is None) != (first is None) or (text is None) != (last is None):
            problems.append(Problem(where, column, "a board date needs its words and its "
                                                   f"first and last days ({column}_from, "
                                                   f"{column}_to) together"))
        elif text is not None and first > last:
            problems.append(Problem(where, column, f"{text!r} ends ({last}) before it starts "
                                                   f"({first})"))
    scored = (row.get("likelihood"), row.get("impact"), row.get("score"))
    if table.name == "risk_scores" and None not in scored and scored[2] != scored[0] * scored[1]:
        problems.append(Problem(where, "score", f"{scored[2]} is not likelihood x impact"))
    if table.name == "documents" and row.get("content") is not None:
        content = row["content"]
        if row.get("sha256") not in (None, hashlib.sha256(content).hexdigest()):
            problems.append(Problem(where, "sha256", "does not match the document's content"))
        if row.get("size") not in (None, len(content)):
            problems.append(Problem(where, "size", f"says {row['size']} bytes but the content "
                                                   f"is {len(content)}"))
    return problems


def _differences(reg: Register, found: Sequence[tables.Table],
                 rows: Mapping[str, list[dict[str, Any]]]) -> bool:
    """Whether the register holds anything other than exactly these rows."""
    for table in found:
        key = table.key or tuple(table.columns)

        def by_key(items: Iterable[Mapping[str, Any]], table: tables.Table = table,
                   key: tuple[str, ...] = key) -> dict[tuple[Any, ...], tuple[Any, ...]]:
            return {tuple(r.get(c) for c in key): tuple(r.get(c) for c in table.columns)
                    for r in items}

        if by_key(tables.rows(reg, table.name)) != by_key(rows.get(table.name, [])):
            return True
    return False


def _read_back(name: str, reg: Register) -> None:
    """Everything `list` shows, read from the rows just loaded (in their transaction): a
    file whose rows pass every check yet cannot be read is refused, not left behind."""
    try:
        reg.programme  # noqa: B018 - reading it is the check
        for kind in LIST_KINDS:
            list_records(reg, kind)
    except (UserFacing, ValueError, TypeError, LookupError, AttributeError) as exc:
        raise ImportRefused(f"{name} holds a register OOH Desk cannot read back ({exc}); "
                            "nothing was imported") from None


# --- format version 1: records alone ---------------------------------------------------------------


def _import_records(reg: Register, source: Path, data: dict[str, Any],
                    dry_run: bool) -> ImportReport:
    """Risks, milestones, feedback and actions, with the programme, workstreams and events,
    saved by ref over what the register holds (as before whole-register exports). The write
    lock is taken before the register is read, so what is planned is what is written."""
    if dry_run:
        return _plan_records(reg, source, data)[0]
    with reg.transaction():
        report, plans = _plan_records(reg, source, data)
        if report.refused:
            return report
        if data.get("programme"):
            reg.set_programme(_programme_from_json(data["programme"]))
        for w in data.get("workstreams") or []:
            save_workstream(reg, Workstream(**w))
        for e in data.get("events") or []:
            save_event(reg, EngagementEvent(**(e | {"date": codec.board_date_from_json(e["date"])})))
        for kind, records in plans:
            store_records.save_records(reg, kind, records, operation=f"import {source.name}")
    report.written = True
    return report


def _plan_records(reg: Register, source: Path, data: dict[str, Any]
                  ) -> tuple[ImportReport, list[tuple[str, list[Any]]]]:
    outcomes: list[RowOutcome] = []
    plans: list[tuple[str, list[Any]]] = []
    for section, build in (("programme", _programme_from_json), ("workstreams", None),
                           ("events", None)):
        problem = _v1_section_problem(source.name, section, data.get(section), build)
        if problem:
            outcomes.append(RowOutcome(0, section, "refused", [problem]))
    for kind in RECORD_KINDS:
        records = []
        stored = {ref.upper(): ref for ref in store_records.refs(reg, kind)}
        items = data.get(kind) or []
        if not isinstance(items, list):
            items = [items]
        for n, item in enumerate(items, 1):
            try:
                if not isinstance(item, dict):
                    raise TypeError(f"it is {_json_type(item)}, not an object")
                record = codec.from_json(kind, item)
                ref = parse_ref(record.ref)  # in any case, the record stored under it
                record.ref = stored.get(ref, ref)
                records.append(record)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                ref = str(item.get("ref", "")) if isinstance(item, dict) else ""
                outcomes.append(RowOutcome(n, ref, "refused",
                                           [Problem(f"{source.name} {kind} item {n}", "",
                                                    f"cannot be read ({exc})")]))
        for record, change in zip(records, store_records.plan(reg, kind, records), strict=True):
            outcomes.append(RowOutcome(0, record.ref, change.outcome, [], sorted(change.fields)))
        plans.append((kind, records))
    return ImportReport(source.name, "register", False, [], [], outcomes), plans


def _v1_section_problem(name: str, section: str, value: Any,
                        build: Callable[[dict[str, Any]], Any] | None) -> Problem | None:
    """A version-1 file's programme, workstreams or events, checked before anything is
    written."""
    if not value:
        return None
    try:
        if build is not None:
            build(value)
        elif section == "workstreams":
            for w in value:
                Workstream(**w)
        else:
            for e in value:
                EngagementEvent(**(e | {"date": codec.board_date_from_json(e["date"])}))
    except (KeyError, TypeError, ValueError, AttributeError, ScoreError) as exc:
        return Problem(f"{name} {section}", "", f"cannot be read ({exc})")
    return None


def _programme_from_json(data: dict[str, Any]) -> Programme:
    data = dict(data)
    data["bands"] = tuple(Band(**b) for b in data.get("bands", [])) or Programme().bands
    data["as_at"] = date.fromisoformat(data["as_at"]) if data.get("as_at") else None
    known = {f.name for f in dataclasses.fields(Programme)}
    return Programme(**{k: v for k, v in data.items() if k in known})
