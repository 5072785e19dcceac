"""Colours for bands and RAG. The words always travel with the colour; colour alone never
carries a meaning (screen readers, colour-blind readers, black-and-white print)."""

from __future__ import annotations

from PySide6.QtGui import QColor

RAG_COLOURS = {"Red": "FF6B6B", "Amber": "FFC000", "Green": "92D050", "Complete": "BFBFBF"}
OVERDUE_COLOUR = "FF6B6B"


def fill(hex_rgb: str) -> QColor:
    return QColor(f"#{hex_rgb}")


def ink_for(hex_rgb: str) -> QColor:
    """Black or white text, whichever reads better on the fill."""
    colour = fill(hex_rgb)
    luminance = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()
    return QColor("#000000") if luminance > 140 else QColor("#FFFFFF")
