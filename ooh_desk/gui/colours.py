"""Colours for bands and RAG. The words always travel with the colour; colour alone never
carries a meaning (screen readers, colour-blind readers, black-and-white print)."""

from __future__ import annotations

from PySide6.QtGui import QColor

RAG_COLOURS = {"Red": "FF6B6B", "Amber": "FFC000", "Green": "92D050", "Complete": "BFBFBF"}
OVERDUE_COLOUR = "FF6B6B"


def fill(hex_rgb: str) -> QColor:
    return QColor(f"#{hex_rgb}")


def luminance(colour: QColor) -> float:
    """Relative luminance as WCAG 2 defines it (0 black to 1 white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (0.2126 * linear(colour.red()) + 0.7152 * linear(colour.green())
            + 0.0722 * linear(colour.blue()))


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio, 1 to 21; body text wants 4.5 or more."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink_for(hex_rgb: str) -> QColor:
    """Black or white text, whichever has the higher contrast on the fill. The fills are
    fixed colours, so the ink is chosen against them, never taken from the (light or dark)
    palette."""
    colour = fill(hex_rgb)
    black, white = QColor("#000000"), QColor("#FFFFFF")
    return black if contrast(black, colour) >= contrast(white, colour) else white
