"""Creating a register. Imports no Qt."""

from __future__ import annotations

from pathlib import Path

from ..domain.records import Programme
from ..store import SUFFIX, Register


def init_register(path: str | Path, programme: str | None = None) -> Path:
    """An empty register at `path` (given the .oohdesk suffix when it has none)."""
    path = Path(path)
    if path.suffix != SUFFIX:
        path = path.with_name(path.name + SUFFIX) if not path.suffix else path
    with Register.create(path, Programme(name=programme or path.stem.replace("_", " "))):
        pass
    return path
