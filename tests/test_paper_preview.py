"""The Papers view's preview of the paper as it will print: the first pages rendered by
LibreOffice off the GUI thread, beside the outline; kept until the paper or the register
changes; a line saying why where LibreOffice is missing. The rendering (docx -> pdf -> png)
is services.outputs.preview_pages; the view only shows the pictures."""

from __future__ import annotations

import gui_support
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLabel

from ooh_desk.gui.views.paper_preview import NO_OFFICE
from ooh_desk.gui.views.papers import PapersView
from ooh_desk.services import outputs
from ooh_desk.services import papers as paper_service

pytestmark = pytest.mark.gui


@pytest.fixture
def paper(reg):
    """A paper of the user's own on the demo register (the demo has none)."""
    made = paper_service.new_paper(
        reg, {"title": "Out of hospital services: contract award", "style": "coventry"},
        {"purpose": "To seek approval to award the contract."})
    return made.ref


@pytest.fixture
def fake_render(monkeypatch):
    """LibreOffice stood in for by two plain pages, counting how often it is asked."""
    calls = []

    def render(register, paper_ref, style, as_at, folder, pages=3, cancelled=None):
        calls.append((paper_ref, style))
        paths = []
        for n in (1, 2):
            image = QImage(60, 85, QImage.Format.Format_RGB32)
            image.fill(QColor("white"))
            path = folder / f"page-{n}.png"
            image.save(str(path))
            paths.append(path)
        return paths

    monkeypatch.setattr(outputs, "preview_available", lambda: True)
    monkeypatch.setattr(outputs, "preview_pages", render)
    return calls


def _view(qtbot, edits, select=None):
    view = gui_support.shown(qtbot, PapersView(edits), size=(1280, 800))
    if select:
        view.refresh(select=select)
    return view


def _settled(view):
    task = view.preview.task
    return task is not None and task.outcome is not None


@pytest.mark.slow
def test_preview_shows_the_papers_first_pages_from_libreoffice(qtbot, edits, paper):
    view = _view(qtbot, edits, select=paper)
    qtbot.waitUntil(lambda: view.preview.page_count() > 0, timeout=180000)
    assert 1 <= view.preview.page_count() <= 3
    assert view.preview.status.text().startswith("The first ")
    page = view.preview.shown[0]
    assert page.height() > page.width()  # an A4 page, portrait
    # Accessible, and never takes the keyboard from what the user was doing.
    scroll = view.preview.scroll
    assert scroll.accessibleName() == "Preview of the paper as it will print"
    assert "LibreOffice" in scroll.accessibleDescription()
    looked_at = [view.preview, scroll, view.preview.pages,
                 *view.preview.pages.findChildren(QLabel)]
    assert all(w.focusPolicy() == Qt.FocusPolicy.NoFocus for w in looked_at)
    focused = QApplication.focusWidget()
    assert focused is None or not view.preview.isAncestorOf(focused)


@pytest.mark.slow
def test_preview_pages_renders_at_most_the_pages_asked_for(demo_copy, tmp_path):
    from ooh_desk.store import Register, issues

    with Register.open(demo_copy, readonly=True) as reg:
        before = issues.issues(reg)
    pages = outputs.preview_pages(demo_copy, None, "durham", None, tmp_path / "preview", pages=2)
    assert [p.suffix for p in pages] == [".png", ".png"]
    assert QImage(str(pages[0])).height() > QImage(str(pages[0])).width()
    with Register.open(demo_copy, readonly=True) as reg:
        assert issues.issues(reg) == before  # a preview is not an issued paper


def test_preview_appears_beside_the_outline_for_the_paper(qtbot, edits, paper, fake_render):
    view = _view(qtbot, edits, select=paper)
    qtbot.waitUntil(lambda: view.preview.page_count() == 2)
    assert (paper, "coventry") in fake_render
    assert view.preview.isVisible() and view.outline.isVisible()
    assert view.preview.x() > view.outline.x()  # beside it, to the right


def test_preview_is_kept_until_something_changes(qtbot, edits, paper, fake_render):
    view = _view(qtbot, edits, select=paper)
    qtbot.waitUntil(lambda: view.preview.page_count() == 2 and _settled(view))
    asked = len(fake_render)
    view.preview.request(paper, "coventry")  # the same paper, nothing changed
    qtbot.waitUntil(lambda: _settled(view))
    assert len(fake_render) == asked  # LibreOffice was not asked again
    assert view.preview.page_count() == 2


def test_editing_the_paper_renders_it_again(qtbot, edits, paper, fake_render):
    view = _view(qtbot, edits, select=paper)
    qtbot.waitUntil(lambda: view.preview.page_count() == 2 and _settled(view))
    asked = len(fake_render)
    key = outputs.preview_key(edits.reg.path, paper, "coventry", None)
    view.section.setCurrentIndex(view.section.findData("purpose"))
    view._section_edited("To seek approval to award the contract to Provider B.")
    assert outputs.preview_key(edits.reg.path, paper, "coventry", None) != key
    qtbot.waitUntil(lambda: len(fake_render) > asked)
    qtbot.waitUntil(lambda: _settled(view))
    assert view.preview.page_count() == 2


def test_without_libreoffice_the_outline_stands_alone_with_a_note(qtbot, edits, paper,
                                                                   monkeypatch):
    from ooh_desk.exports import office

    monkeypatch.setattr(office, "find_soffice", lambda: None)
    view = _view(qtbot, edits, select=paper)
    qtbot.waitUntil(lambda: view.preview.status.text() == NO_OFFICE)
    assert not view.preview.scroll.isVisible()
    assert view.preview.page_count() == 0
    qtbot.waitUntil(lambda: "Purpose" in view.outline.toPlainText())
    with pytest.raises(outputs.PreviewUnavailable):
        outputs.preview_pages(edits.reg.path, paper, "coventry", None, edits.reg.path.parent)
