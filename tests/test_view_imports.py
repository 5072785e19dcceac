"""What opening each view costs in libraries: a tab the user clicks is built on the GUI thread,
so the writers' libraries (python-docx, openpyxl, reportlab, pypdf, Pillow, lxml), the team
server's driver and the spreadsheet matcher load only when the user writes, imports or syncs;
and the record views read their pages in plain SQL, loading no sqlite-utils. Each view is
built in turn in a fresh process (other tests load these libraries), and what it brought in
is named."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

WRITERS_AND_FRIENDS = ("docx", "openpyxl", "reportlab", "pypdf", "PIL", "lxml", "psycopg",
                       "rapidfuzz", "icalendar")
# Views whose first reads go through the store's sqlite-utils helpers still (the meetings
# store reads agendas, attendance and minutes through it).
READ_THROUGH_SQLITE_UTILS = {"meetings"}

SCRIPT = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ooh_desk.gui.app import VIEWS
from ooh_desk.gui.edits import Edits
from ooh_desk.store import Register
watched = json.loads(sys.argv[2])
reg = Register.open(sys.argv[1])
edits = Edits(reg)
brought = {}
views = []
for spec in VIEWS:
    before = {m for m in watched if m in sys.modules}
    views.append(spec.load()(edits))  # built as its tab is first chosen (no event loop:
    # a view's deferred work, such as the papers' outline, runs on a worker anyway)
    brought[spec.key] = sorted({m for m in watched if m in sys.modules} - before)
print(json.dumps(brought))
"""


@pytest.fixture(scope="module")
def brought(demo_register, tmp_path_factory) -> dict[str, list[str]]:
    import shutil

    register = tmp_path_factory.mktemp("views") / "demo.oohdesk"
    shutil.copy(demo_register, register)
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(register),
                           json.dumps([*WRITERS_AND_FRIENDS, "sqlite_utils"])],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_view_was_built(brought):
    from ooh_desk.gui.app import VIEWS

    assert list(brought) == [spec.key for spec in VIEWS]


def test_no_view_loads_a_writer_or_the_team_driver_as_it_opens(brought):
    assert {key: [m for m in found if m in WRITERS_AND_FRIENDS]
            for key, found in brought.items()} == {key: [] for key in brought}


def test_record_views_read_without_sqlite_utils(brought):
    assert sorted(key for key, found in brought.items() if "sqlite_utils" in found) == sorted(
        READ_THROUGH_SQLITE_UTILS)
