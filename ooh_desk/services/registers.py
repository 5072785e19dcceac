"""Creating a register, and changing its programme settings. Imports no Qt."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..domain.records import Programme
from ..errors import UserError
from ..store import SUFFIX, Register


def init_register(path: str | Path, programme: str | None = None,
                  organisation: str | None = None) -> Path:
    """An empty register at `path` (given the .oohdesk suffix when it has none).
    `organisation` is the council or NHS body whose papers it writes: their headers say it."""
    path = Path(path)
    if path.suffix != SUFFIX:
        path = path.with_name(path.name + SUFFIX) if not path.suffix else path
    with Register.create(path, Programme(name=programme or path.stem.replace("_", " "),
                                         organisation=" ".join((organisation or "").split()))):
        pass
    return path


def save_programme_settings(reg: Register, *, name: str, organisation: str,
                            sponsor: str) -> Programme:
    """Change the programme's name, organisation (the council or NHS body its papers' headers
    name) and sponsor, in one audited write; the other settings stay as they are. Returns
    the programme as it was, for an undo."""
    before = reg.programme
    name = " ".join(name.split())
    if not name:
        raise UserError("a programme needs a name")
    reg.set_programme(dataclasses.replace(before, name=name,
                                          organisation=" ".join(organisation.split()),
                                          sponsor=" ".join(sponsor.split())))
    return before


def restore_programme(reg: Register, programme: Programme) -> None:
    """Put the programme's settings back as they were (an undo)."""
    reg.set_programme(programme)
