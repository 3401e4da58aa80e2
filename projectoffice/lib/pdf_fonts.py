"""The fonts every PDF here is set in: DejaVu Sans (Cyrillic included, Bitstream Vera licence), shipped in fonts/.

reportlab's built-in fonts have no Cyrillic, so each PDF builder calls `register_fonts()` before it lays out text
and names the fonts by REGULAR and BOLD; the fonts are read from disk once per process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Make REGULAR and BOLD known to reportlab (once; later calls do nothing)."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
