"""The import wizard's mapping page: a kind guessed wrongly is put right there, without going
Back, and each column's reason (why it was read as it was, or left out) is shown under the
table and in its tooltip."""

import pytest
from conftest import REALWORLD, write_csv
from gui_support import shown
from PySide6.QtCore import Qt

from ooh_desk.gui.import_wizard import ImportWizard

# Read from its headings as actions ("Description", "Owner", "Due date"); the user means
# milestones.
DELIVERABLES = ("Description,Owner,Due date\n"
                "Open the new community hub,Estates team,01/12/2017\n"
                "Publish the consultation report,Comms team,15/01/2018\n")
RESIDUAL = REALWORLD / "risk-log-residual_refusetoloose.xlsx"


@pytest.fixture
def wizard(qtbot, edits, tmp_path):
    made = ImportWizard(edits, profiles_folder=tmp_path / "profiles")
    return shown(qtbot, made, size=(1200, 760))


def to_mapping_page(wizard, source):
    wizard.file_page.path.setText(str(source))
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page, wizard.file_page.message.text()
    return wizard.mapping_page


def column(page, heading):
    model = page.model
    return next(c for c in range(model.columnCount())
                if model.headerData(c, Qt.Orientation.Horizontal) == heading)


def field_of(page, heading):
    return page.model.index(0, column(page, heading)).data()


def choose_kind(page, kind):
    index = page.kind.findData(kind)
    page.kind.setCurrentIndex(index)
    page.kind.activated.emit(index)


def test_a_wrongly_guessed_kind_is_changed_on_the_mapping_page(wizard, tmp_path):
    page = to_mapping_page(wizard, write_csv(tmp_path / "deliverables.csv", DELIVERABLES))
    assert page.kind.currentData() == "actions"
    assert "worked out from the headings" in page.summary.text()
    assert field_of(page, "Description") == "Description"
    choose_kind(page, "milestones")
    assert wizard.currentPage() is page  # no going Back
    assert wizard.preview.kind == "milestones"
    assert "<b>Milestones</b>" in page.summary.text()
    assert "worked out" not in page.summary.text()
    assert field_of(page, "Description") == "Title"
    assert field_of(page, "Due date") == "Baseline"
    assert page.kind.currentData() == "milestones"
    wizard.next()
    assert wizard.currentPage() is wizard.summary_page, page.message.text()
    assert wizard.report.kind == "milestones"
    assert wizard.summary_page.counts.text().startswith("2 new")


def test_changing_the_kind_drops_choices_made_for_the_old_one(wizard, tmp_path):
    page = to_mapping_page(wizard, write_csv(tmp_path / "deliverables.csv", DELIVERABLES))
    combo = page.combos["Owner"]
    combo.setCurrentIndex(combo.findData("ignore"))
    assert wizard.overrides == {"Owner": "ignore"}
    choose_kind(page, "milestones")
    assert wizard.overrides == {}
    assert field_of(page, "Owner") == "Owner"


def test_each_column_says_why_it_was_read_as_it_was_or_left_out(wizard):
    if not RESIDUAL.exists():
        pytest.skip(f"{RESIDUAL} is not here")
    page = to_mapping_page(wizard, RESIDUAL)
    explained = page.explained.text()
    assert "<b>Residual Probability</b>: &#x27;Residual&#x27;: the current likelihood." \
        in explained
    assert "<b>WBS Entry</b> not read: no field matches." in explained
    assert "<b>Risk Level, Residual Risk Level</b> not read: a band in words" in explained
    model = page.model
    residual = column(page, "Residual Probability")
    assert model.index(0, residual).data(Qt.ItemDataRole.ToolTipRole) == \
        "'Residual': the current likelihood"
    assert model.headerData(column(page, "Risk Level"), Qt.Orientation.Horizontal,
                            Qt.ItemDataRole.ToolTipRole).endswith(
        "\nA band in words; OOH Desk works the band out from likelihood x impact")
    # A column the user leaves out says so in the wizard's words, not the CLI's.
    combo = page.combos["Risk Owner"]
    combo.setCurrentIndex(combo.findData("ignore"))
    assert "<b>Risk Owner</b> not read: you chose to ignore it." in page.explained.text()
    # One reading to a line.
    assert page.readings.text().splitlines()[0] == \
        "Risk #: read the numbers 1 to 9 as refs R-001 to R-009."
