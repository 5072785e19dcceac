"""Render resources/icons/ooh-desk.svg into the PNGs a desktop menu, a window and an installer
use (16 to 512 pixels) and a Windows .ico. Run by hand after changing the SVG:

    .venv/bin/python resources/build_icons.py

Uses Qt's own SVG renderer (PySide6.QtSvg, offscreen), so it needs nothing beyond the app's
dependencies; the app itself only ever loads the PNGs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent / "icons"
SVG = ICONS / "ooh-desk.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICONS / f"ooh-desk-{size}.png"


def render() -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size)), "PNG"):
            raise SystemExit(f"could not write {png_path(size)}")
        written.append(png_path(size))
    written.append(_ico())
    return written


def _ico() -> Path:
    """Windows wants one .ico holding each size (the exe's icon and Inno Setup's)."""
    from PIL import Image  # Pillow comes with reportlab

    images = [Image.open(png_path(size)) for size in ICO_SIZES]
    target = ICONS / "ooh-desk.ico"
    images[-1].save(target, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                    append_images=images[:-1])
    return target


if __name__ == "__main__":
    for path in render():
        print(path.relative_to(ICONS.parent.parent))
