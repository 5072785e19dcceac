"""Copies that meet again: make a working copy of a register for another laptop, merge a
copy's changes back field by field, list and settle the conflicts (docs/merge-design.md).
Both front ends call these. Imports no Qt."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..domain.merge import Change, KindSummary, plan_merge
from ..domain.prose import counted, quoted, short_name
from ..errors import UserError
from ..store import Register
from ..store import changes as store
from .listing import list_conflicts
from .since import open_conflicts

TAKES = ("ours", "theirs")
# A conflict's ref as a person types it: C-001, c-1, C1 (the store numbers them C-001 on).
_CONFLICT_REF = re.compile(r"[Cc]-?0*([0-9]{1,6})")
__all__ = ["MergeSummary", "Settled", "backup_before_merge", "conflict_ref", "copy_name",
           "copy_register", "list_conflicts", "merge", "open_conflicts", "resolve",
           "settle_conflict", "unsettle_conflict"]


@dataclass
class MergeSummary:
    """What a merge did (or, in a dry run, would do), per kind of record."""

    register: Path
    other: Path
    dry_run: bool
    changes: int = 0  # their changes brought in
    kinds: dict[str, KindSummary] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)  # refs of the conflicts recorded
    upgraded_from: int | None = None  # the other copy's older register version

    def to_json(self) -> dict[str, Any]:
        return {"register": str(self.register), "other": str(self.other),
                "dry_run": self.dry_run, "changes": self.changes,
                "kinds": {k: s.to_json() for k, s in sorted(self.kinds.items())},
                "conflicts": list(self.conflicts),
                "other_upgraded_from": self.upgraded_from}

    def lines(self) -> list[str]:
        name, other = self.register.name, self.other.name
        if not self.changes:
            return [f"{name} already holds every change made in {other}; nothing to merge."]
        head = (f"Dry run: merging {other} into {name} would bring in "
                f"{counted(self.changes, 'change')}; nothing was written." if self.dry_run else
                f"Merged {other} into {name}: {counted(self.changes, 'change')} brought in.")
        out = [head]
        for kind, s in sorted(self.kinds.items()):
            parts = s.parts()
            if parts:
                out.append(f"  {kind.replace('_', ' ')}: {', '.join(parts)}")
            out += [f"    {line}" for line in s.renumbered]
        if self.conflicts:
            shown = ", ".join(self.conflicts[:5]) + (", ..." if len(self.conflicts) > 5 else "")
            out.append(f"{counted(len(self.conflicts), 'conflict')} to settle ({shown}): "
                       f"ooh-desk list {name} conflicts")
        elif self.dry_run and any(s.conflicts for s in self.kinds.values()):
            total = sum(s.conflicts for s in self.kinds.values())
            out.append(f"{counted(total, 'conflict')} would be recorded for you to settle.")
        return out


def copy_register(source: str | os.PathLike, out: str | os.PathLike,
                  for_name: str | None = None) -> Path:
    """A working copy of the register for another laptop or a workshop, with a replica id of
    its own and the point of the history where it forked."""
    from .outputs import check_output  # not loaded for `list` and `merge`

    source, out = Path(source), Path(out)
    name = copy_name(for_name)
    check_output(source, out, "copy")
    with Register.open(source) as reg:
        parent = store.replica(reg)
        reg.save_copy(out)
    with Register.open(out) as copy:
        store.new_replica(copy, name, parent["id"])
    return out


COPY_NAME_LIMIT = 60  # characters: it names the copy in every conflict it brings back


def copy_name(for_name: str | None) -> str:
    """Who or what a copy is for, spacing folded, or one line saying why it cannot be."""
    try:
        return short_name(for_name, COPY_NAME_LIMIT, "who a copy is for (a person or a workshop)")
    except ValueError as exc:
        raise UserError(str(exc)) from None


def merge(register: str | os.PathLike, other: str | os.PathLike,
          dry_run: bool = False, check: Callable[[], None] | None = None) -> MergeSummary:
    """Bring OTHER's changes since the two last shared a state into REGISTER, in one
    transaction: REGISTER is unchanged on any error, OTHER never changed. `check` is called
    between steps, up to the moment the merge commits; whatever it raises (the app's Cancel)
    stops the merge with nothing written."""
    register, other = Path(register), Path(other)
    if register.exists() and other.exists() and os.path.samefile(register, other):
        raise UserError(f"{other} is the register itself; give the other copy to merge")
    summary = MergeSummary(register, other, dry_run)
    with tempfile.TemporaryDirectory(prefix="ooh-desk-merge-") as work, \
            Register.open(register) as reg:
        theirs, version = store.open_other(other, Path(work))
        with theirs:
            if version < store.SCHEMA_VERSION:
                summary.upgraded_from = version
            if dry_run:
                _merge(reg, theirs, summary, write=False, check=check)
            else:
                with reg.transaction():
                    _merge(reg, theirs, summary, write=True, check=check)
                    if check is not None:
                        check()
    return summary


def backup_before_merge(register: str | os.PathLike) -> Path:
    """A copy of the register as it is now, beside it, to go back to if a merge is regretted
    (the app's merge cannot be undone): "demo before merge 20261202-1130.oohdesk"."""
    register = Path(register)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    with Register.open(register, readonly=True) as reg:
        return reg.save_copy(register.with_name(f"{register.stem} before merge {stamp}"
                                                f"{register.suffix}"))


def _merge(reg: Register, theirs: Register, summary: MergeSummary, write: bool,
           check: Callable[[], None] | None = None,
           changes: tuple[list[Change], list[Change]] | None = None) -> None:
    """Plan and (with `write`) apply THEIR changes into REG. `changes`: (ours, theirs), the
    changes each side lacks, when the caller knows them (a sync: ours not yet pushed, theirs
    just pulled); a file merge works them out from the two sides' change ids."""
    check = check or (lambda: None)
    if changes is None:
        ours_ids, their_ids = store.change_ids(reg), store.change_ids(theirs)
        if not ours_ids & their_ids:
            raise UserError(f"{summary.register.name} and {summary.other.name} are not copies "
                            "of one register (they share no history), so nothing was merged")
        ours_changes = store.changes_not_in(reg, their_ids, ours_ids)
        their_changes = store.changes_not_in(theirs, ours_ids, their_ids)
    else:
        ours_changes, their_changes = changes
    touched = {(c.kind, c.uuid) for c in their_changes}
    check()
    plan = plan_merge(store.read_side(reg, ours_changes, touched, reg.path.name),
                      store.read_side(theirs, their_changes, touched, summary.other.name,
                                      with_keys=False))
    summary.changes = len(their_changes)
    summary.kinds = plan.summary
    check()
    if write and not plan.empty:
        store.replica(reg)
        summary.conflicts = store.apply_plan(reg, plan, theirs, summary.other.name)


# --- conflicts ------------------------------------------------------------------------------------


def conflict_ref(typed: str) -> str:
    """A conflict's ref as the register keeps it (c-1 -> C-001), or one line saying what one
    looks like; whatever was typed is quoted short."""
    text = " ".join(str(typed).split())
    if not text:
        raise UserError("name the conflict to settle by its ref, such as C-001 (`list "
                        "REGISTER conflicts` shows them)")
    match = _CONFLICT_REF.fullmatch(text)
    if match is None:
        raise UserError(f"{quoted(text)} is not a conflict's ref: that is C and a number, such as "
                        "C-001 (`list REGISTER conflicts` shows them)")
    return f"C-{int(match.group(1)):03d}"


@dataclass
class Settled:
    """A conflict settled in the app, with what its record held before (for undo)."""

    ref: str
    take: str
    held: dict[str, Any]


def settle_conflict(reg: Register, ref: str, take: str) -> Settled:
    """Settle one conflict in an open register, taking ours or theirs, audited; returns what
    `unsettle_conflict` needs to put it back."""
    if take not in TAKES:
        raise UserError(f"take {' or '.join(TAKES)}, not {take!r}")
    with reg.transaction():
        held = store.held_state(reg, conflict_ref(ref))
        store.settle(reg, held["ref"], take)
    return Settled(held["ref"], take, held)


def unsettle_conflict(reg: Register, settled: Settled) -> None:
    """Undo `settle_conflict`: the record as it was, the conflict open again (audited)."""
    store.unsettle(reg, settled.held)


def resolve(register: str | os.PathLike, ref: str, take: str) -> dict[str, Any]:
    """Settle one conflict taking ours or theirs, audited; returns it as `list` shows it."""
    if take not in TAKES:
        raise UserError(f"take {' or '.join(TAKES)}, not {take!r}")
    ref = conflict_ref(ref)
    with Register.open(register) as reg:
        settled = store.settle(reg, ref, take)
        return next(c for c in list_conflicts(reg) if c["ref"] == settled["ref"])
