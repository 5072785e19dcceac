"""Shared fixtures: a fresh register in tmp_path, and the CLI run in-process."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Import profiles and other per-user settings go to a folder of the test run's own, never the
# user's real settings folder.
if "OOH_DESK_CONFIG_DIR" not in os.environ:
    import tempfile

    os.environ["OOH_DESK_CONFIG_DIR"] = tempfile.mkdtemp(prefix="ooh-desk-test-config-")

ROOT = Path(__file__).resolve().parent.parent


def _shared() -> Path:
    """The team's shared folder (seeds, real-world registers): OOH_DESK_SHARED, else the
    nearest `shared/` holding DESIGN.md beside the checkout or beside one of its parents."""
    if os.environ.get("OOH_DESK_SHARED"):
        return Path(os.environ["OOH_DESK_SHARED"])
    for folder in ROOT.parents:
        if (folder / "shared" / "DESIGN.md").exists():
            return folder / "shared"
    return ROOT.parent / "shared"  # absent: the tests that need it skip, saying so


SHARED = _shared()
REALWORLD = SHARED / "realworld"
SAMPLE_DATA = ROOT / "sample_data"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run `ooh-desk ARGS` in this process; returns exit code, stdout, stderr."""
    from ooh_desk.cli import main

    def run(*args: str | os.PathLike) -> Result:
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_cli_process(*args: str | os.PathLike, timeout: float = 120) -> Result:
    """Run the CLI as a real process (for exit codes, start-up and no-Qt checks)."""
    proc = subprocess.run([sys.executable, "-m", "ooh_desk.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def python_prints(script: str, *args: str, timeout: float = 60) -> list[str]:
    """The lines a Python script prints, run in a fresh interpreter (what it imports is its
    own, not what earlier tests loaded); a failing script fails the test with its stderr."""
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.fixture
def register(tmp_path):
    """A fresh, empty register file."""
    from ooh_desk.services.registers import init_register

    return init_register(tmp_path / "test.oohdesk", "Test Programme")


@pytest.fixture(scope="session")
def demo_register(tmp_path_factory):
    """The demo register, built once per run; copy it before writing to it."""
    from ooh_desk.services.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("demo") / "demo.oohdesk")


@pytest.fixture
def demo_copy(demo_register, tmp_path):
    import shutil

    target = tmp_path / "demo.oohdesk"
    shutil.copy(demo_register, target)
    return target


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def reg(demo_copy):
    """The demo register, open for writing (a copy: tests never change the shared one)."""
    from ooh_desk.store import Register

    with Register.open(demo_copy) as reg:
        yield reg


@pytest.fixture
def edits(reg, qtbot):
    """The app's undo stack over `reg`, as each view receives it."""
    from ooh_desk.gui.edits import Edits

    return Edits(reg)


def marked_pdf(path: Path, pages: int, marker: str) -> Path:
    """A PDF of known length whose page n reads '<marker> page n' (for agenda-pack tests)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    canvas.setTitle(f"{marker} title")
    for n in range(1, pages + 1):
        canvas.drawString(72, 700, f"{marker} page {n}")
        canvas.showPage()
    canvas.save()
    return path


def edit(path: Path, kind: str, ref: str, user: str = "someone", **values) -> None:
    """Change one record's fields as its user would, in the register at `path`."""
    import dataclasses

    from ooh_desk.store import Register, records

    with Register.open(path, user=user) as reg:
        record = records.get_record(reg, kind, ref)
        records.save_records(reg, kind, [dataclasses.replace(record, **values)])


def new_risk(path: Path, title: str, user: str = "someone") -> str:
    """A new risk (a copy of R-001 under the next free ref); returns its ref."""
    import dataclasses

    from ooh_desk.domain.records import new_uuid
    from ooh_desk.store import Register, records

    with Register.open(path, user=user) as reg:
        template = records.get_record(reg, "risks", "R-001")
        risk = dataclasses.replace(template, uuid=new_uuid(), ref=records.next_ref(reg, "risks"),
                                   title=title, mitigations=[])
        records.save_records(reg, "risks", [risk])
        return risk.ref


# The team-sync tests' PostgreSQL fixtures (issue 15), kept in a module of their own.
from conftest_pg import pg_db, pg_server  # noqa: E402, F401
