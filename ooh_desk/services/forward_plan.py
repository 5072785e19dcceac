"""`forward-plan`: the published notice of key decisions as a Word document, entered in the
register's issue list. Imports no Qt."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..errors import UserError
from ..store import Register
from ..store import key_decisions as store
from .outputs import Written, _issued, check_output
from .since import as_at_for

OUTPUT = "forward-plan"


def write_forward_plan(register: str | Path, output: str | Path, *,
                       from_day: date | None = None, organisation: str | None = None) -> Written:
    """The forward plan as a Word document (see exports.forward_plan), entered in the
    register's issue list."""
    from ..exports.forward_plan import write_forward_plan as write

    output = check_output(register, output, OUTPUT)
    with Register.open(register, readonly=True) as reg:
        if not store.all_key_decisions(reg):
            raise UserError(f"{Path(register).name} holds no key decisions; import the forward "
                            "plan first (ooh-desk import REGISTER FILE --kind key-decisions)")
        when = as_at_for(reg, from_day)
        notes = write(reg, output, from_day=when, organisation=organisation)
    return _issued(register, OUTPUT, when, output, notes)
