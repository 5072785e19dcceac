"""The Papers view's preview: the first pages of the report as it will print, rendered by
LibreOffice off the GUI thread (services.outputs.preview_pages does the rendering; this only
shows the pictures), kept until the paper or the register changes, and stopped when it is no
longer wanted. Where LibreOffice is missing it says so in one line and the outline stands
alone."""

from __future__ import annotations

import shutil
import tempfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

from ...services import outputs
from ..widgets import hbox
from ..worker import Progress, Task

PAGES = 3
CACHE_SIZE = 8  # previews kept: flicking between a few papers and styles costs nothing
NO_OFFICE = ("No preview: LibreOffice is not installed, so the outline alone shows what the "
             "paper holds.")


class PaperPreview(QWidget):
    """Pages of one paper in one style. `request(paper_ref, style)` shows them from the cache
    or renders them; a newer request stops an older one."""

    def __init__(self, register: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self.task: Task | None = None
        self.wanted: tuple[str | None, str | None] | None = None
        self.cache: OrderedDict[str, list[QImage]] = OrderedDict()
        self.shown: list[QImage] = []
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Preview status")
        self.stop_button = QToolButton()
        self.stop_button.setText("Stop")
        self.stop_button.setAccessibleName("Stop the preview")
        self.stop_button.setToolTip("Stop rendering the preview")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setContentsMargins(6, 6, 6, 6)
        self.pages_layout.setSpacing(10)
        self.pages_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.pages)
        self.scroll.setBackgroundRole(QPalette.ColorRole.Dark)
        for widget in (self, self.scroll, self.pages):
            # A picture to look at, not a control: tabbing through the view passes it by.
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setAccessibleName("Preview of the paper as it will print")
        self.scroll.setAccessibleDescription(
            f"The first {PAGES} pages of the Word report, rendered by LibreOffice. The outline "
            "beside it lists every heading and table in words.")
        self.setAccessibleName("Preview of the paper as it will print")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Preview</b>: the first pages as they will print"))
        layout.addLayout(hbox(self.status, self.stop_button, stretch_last=True))
        layout.addWidget(self.scroll, 1)

    # --- asking for pages -------------------------------------------------------------------

    def request(self, paper_ref: str | None, style: str | None) -> None:
        """Show this paper's pages: from the cache when neither it nor the register has changed
        since they were made, else rendered afresh (stopping any render still running)."""
        self.wanted = (paper_ref, style)
        if not outputs.preview_available():
            self.stop()
            self._show([])
            self.scroll.hide()
            self.status.setText(NO_OFFICE)
            return
        self.scroll.show()
        if self.task is not None and self.task.outcome is None:
            self.task.cancel()  # superseded: its pages would be out of date
        register, wanted, cache = self.register, self.wanted, dict(self.cache)

        def work(progress: Progress) -> tuple[tuple[Any, ...], str, list[QImage] | None]:
            key = outputs.preview_key(register, paper_ref, style, None)
            if key in cache:
                return wanted, key, None  # nothing changed: the pages already made
            progress.check()
            folder = Path(tempfile.mkdtemp(prefix="ooh-preview-"))
            try:
                paths = outputs.preview_pages(register, paper_ref, style, None, folder,
                                              pages=PAGES, cancelled=progress.cancelled)
                progress.check()
                return wanted, key, [QImage(str(p)) for p in paths]
            finally:
                shutil.rmtree(folder, ignore_errors=True)

        self.status.setText("Rendering the first pages with LibreOffice…")
        self.stop_button.setEnabled(True)
        self.task = Task("Rendering the preview", work, self, show_dialog=False)
        self.task.finished.connect(self._ready)
        self.task.start()

    def stop(self) -> None:
        """Stop a render still running (the view was hidden, or the user pressed Stop)."""
        if self.task is not None and self.task.outcome is None:
            self.task.cancel()
            self.status.setText("Preview stopped.")
        self.stop_button.setEnabled(False)

    def _ready(self, outcome: str, value: Any) -> None:
        if outcome == "cancelled":
            return
        if outcome == "failed":
            self.stop_button.setEnabled(False)
            self.status.setText(f"No preview: {value}")
            return
        wanted, key, images = value
        if images is None:
            images = self.cache.get(key)
            if images is None:  # dropped from the cache meanwhile: make it again
                self.request(*wanted)
                return
        else:
            self.cache[key] = images
            while len(self.cache) > CACHE_SIZE:
                self.cache.popitem(last=False)
        self.cache.move_to_end(key)
        if wanted != self.wanted:
            return  # a newer request is on its way
        self.stop_button.setEnabled(False)
        self._show(images)
        self.status.setText(f"The first {len(images)} page{'' if len(images) == 1 else 's'}, "
                            "as LibreOffice prints them; Word may differ a little."
                            if images else "No pages to show.")

    def _show(self, images: list[QImage]) -> None:
        self.shown = images
        while self.pages_layout.count() > 1:
            item = self.pages_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        width = max(self.scroll.viewport().width() - 16, 200)
        for n, image in enumerate(images, 1):
            page = QLabel()
            pixmap = QPixmap.fromImage(image).scaledToWidth(
                width, Qt.TransformationMode.SmoothTransformation)
            page.setPixmap(pixmap)
            page.setFixedSize(pixmap.size())  # the whole page, scrolled rather than squeezed
            page.setAccessibleName(f"Page {n} of the preview")
            page.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.pages_layout.insertWidget(n - 1, page, 0, Qt.AlignmentFlag.AlignHCenter)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.shown:
            self._show(self.shown)  # the pages fill the column's width

    def page_count(self) -> int:
        return self.pages_layout.count() - 1
