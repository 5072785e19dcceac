"""What a helpdesk needs to know about this install, on one screen: `ooh-desk doctor` prints it
and Help > About / Diagnostics shows it. Imports no Qt: what only Qt can tell (its version, the
platform it draws on, the settings file and recent registers it keeps, the fonts it sees) is
handed in by the caller as `QtFacts`, or left out with the reason."""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..exports import office
from ..store import Register, RegisterError, records

# The house styles write Word documents in Arial. Where Arial is not installed, Word and
# LibreOffice use a font of the same metrics, so the pages break in the same places.
HOUSE_FONT = "Arial"
SAME_METRICS = ("Liberation Sans", "Arimo")
COUNTED = ("risks", "milestones", "feedback", "actions")


@dataclass
class QtFacts:
    """What the desktop layer found; `problem` says why it found nothing."""
    qt_version: str = ""
    pyside_version: str = ""
    platform: str = ""
    settings_file: str = ""
    recent: list[str] = field(default_factory=list)
    fonts: list[str] | None = None  # None: not asked (fc-list is asked instead)
    problem: str = ""


@dataclass
class Line:
    label: str
    value: str
    ok: bool = True  # False marks what the helpdesk should look at


@dataclass
class Diagnosis:
    sections: list[tuple[str, list[Line]]]

    def as_text(self) -> str:
        width = max(len(line.label) for _, lines in self.sections for line in lines) + 2
        out = []
        for title, lines in self.sections:
            out.append(title)
            for line in lines:
                mark = "  " if line.ok else "! "
                out.append(f"{mark}{(line.label + ':').ljust(width)}{line.value}")
            out.append("")
        problems = [line for _, lines in self.sections for line in lines if not line.ok]
        out.append(f"{len(problems)} thing{'s' if len(problems) != 1 else ''} to look at "
                   "(marked !)." if problems else "Nothing to look at.")
        return "\n".join(out)

    def as_dict(self) -> dict[str, Any]:
        return {title.lower(): {_key(line.label): {"value": line.value, "ok": line.ok}
                                for line in lines}
                for title, lines in self.sections}


def office_found() -> bool:
    """Whether LibreOffice can be found (packs and previews need it)."""
    return office.find_soffice() is not None


def _key(label: str) -> str:
    return "_".join(label.lower().replace("(", "").replace(")", "").split())


def diagnose(qt: QtFacts | None = None, *, last_register: Path | None = None,
             soffice: Callable[[], str | None] = office.find_soffice,
             version_of: Callable[[str], str | None] = office.office_version,
             families: Callable[[], Sequence[str] | None] | None = None) -> Diagnosis:
    """Every fact, gathered now. `last_register` defaults to the first of Qt's recent
    registers that exists."""
    qt = qt or QtFacts(problem="not asked")
    sections = [("App", _app()), ("Qt", _qt(qt)), ("LibreOffice", _office(soffice, version_of)),
                ("Fonts", _fonts(qt.fonts if qt.fonts is not None
                                 else (families or fontconfig_families)()))]
    if last_register is None:
        last_register = next((Path(p) for p in qt.recent if Path(p).exists()), None)
    sections.append(("Files", _files(qt, last_register)))
    return Diagnosis(sections)


def _app() -> list[Line]:
    frozen = office.frozen()
    where = Path(sys.executable).parent if frozen else Path(__file__).resolve().parents[1]
    return [Line("Version", f"OOH Desk {__version__}"),
            Line("Runs from", f"{where} ({'installed bundle' if frozen else 'Python source'})"),
            Line("Python", f"{platform.python_version()} ({sys.executable})"),
            Line("System", f"{platform.system()} {platform.release()} ({platform.machine()})")]


def _qt(qt: QtFacts) -> list[Line]:
    if qt.problem:
        return [Line("Qt", qt.problem, ok=False)]
    return [Line("Qt", f"{qt.qt_version} (PySide6 {qt.pyside_version})"),
            Line("Platform", qt.platform or "unknown", ok=not qt.platform.startswith("cannot"))]


def _office(soffice: Callable[[], str | None],
            version_of: Callable[[str], str | None]) -> list[Line]:
    found = soffice()
    if found is None:
        return [Line("LibreOffice", "not found: agenda packs (PDF) and paper previews will not "
                     "work; install it from https://www.libreoffice.org/download/ or set "
                     f"{office.SETTING} to its soffice program", ok=False)]
    version = version_of(found)
    lines = [Line("LibreOffice", found),
             Line("Version", version or "it did not answer when asked its version",
                  ok=version is not None)]
    if shutil.which("pdftoppm") is None:
        lines.append(Line("Previews", "pdftoppm (poppler-utils) not found: paper previews "
                          "will not show", ok=False))
    return lines


def fontconfig_families() -> list[str] | None:
    """Font families fontconfig knows (Linux, and macOS where it is installed); None when
    fc-list is not there to ask."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True,
                             env=office.clean_environment(), timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted({name.strip() for line in out.splitlines() for name in line.split(",")
                   if name.strip()})


def _fonts(families: Sequence[str] | None) -> list[Line]:
    if families is None:
        return [Line("House font", f"{HOUSE_FONT}: could not ask which fonts are installed")]
    known = {name.lower() for name in families}
    if HOUSE_FONT.lower() in known:
        return [Line("House font", f"{HOUSE_FONT} installed")]
    alike = [name for name in SAME_METRICS if name.lower() in known]
    if alike:
        return [Line("House font", f"{HOUSE_FONT} not installed; {alike[0]} (same metrics) "
                     "stands in for it")]
    return [Line("House font", f"neither {HOUSE_FONT} nor a font of the same metrics "
                 f"({', '.join(SAME_METRICS)}) is installed: PDFs will reflow", ok=False)]


def _files(qt: QtFacts, last_register: Path | None) -> list[Line]:
    from .demo import default_demo_path

    lines = [Line("Settings", qt.settings_file or "unknown (Qt not available)"),
             Line("Recent registers", f"{len(qt.recent)} remembered, in the settings file"),
             Line("Demo register", str(default_demo_path()))]
    if last_register is None:
        lines.append(Line("Last register", "none yet (the app opens the demo)"))
    else:
        lines.append(Line("Last register", str(last_register)))
        lines.append(check_register(last_register))
    return lines


def check_register(path: Path) -> Line:
    """Whether the register opens, and what it holds. Opening an older register upgrades it
    (with a backup copy), as the app would."""
    try:
        with Register.open(path, readonly=True) as reg:
            counts = ", ".join(f"{records.total_records(reg, kind)} {kind}" for kind in COUNTED)
            return Line("Opens", f"yes: {reg.programme.name} ({counts})")
    except RegisterError as exc:
        return Line("Opens", f"no: {exc}", ok=False)
