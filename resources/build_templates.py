"""Build the house-style Word templates OOH Desk ships, from the style modules' own
descriptions (fonts, page, header, 'Page X of Y' footer), so the binaries in
resources/templates/ are never hand-edited:

    .venv/bin/python resources/build_templates.py

A council can open one in Word, change fonts, add its logo, and pass it with --template.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import docx  # noqa: E402

from ooh_desk.exports.styles import STYLES  # noqa: E402


def build(out_dir: Path = HERE / "templates") -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, style in STYLES.items():
        doc = docx.Document()
        style.build_template(doc)
        props = doc.core_properties
        props.title = f"{style.LABEL} template"
        props.author = "OOH Desk"
        props.language = "en-GB"
        # A fixed date keeps a rebuilt template byte-stable in everything but the zip stamps.
        from datetime import datetime

        props.created = props.modified = datetime(2017, 11, 9)
        props.revision = 1
        path = out_dir / f"{name}.docx"
        doc.save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(f"Wrote {path.relative_to(HERE.parent)}")
