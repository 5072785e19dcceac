"""House styles for Word board reports, one module each. A style module has NAME, LABEL,
`build_template(doc)` (fonts, page, header and footer for its shipped template) and
`write(writer, paper, data)` (the report's layout). Copy one to add a council."""

from __future__ import annotations

from types import ModuleType

from . import coventry, durham, nhs_cover

STYLES: dict[str, ModuleType] = {m.NAME: m for m in (coventry, durham, nhs_cover)}

__all__ = ["STYLES"]
