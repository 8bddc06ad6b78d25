"""Where font files may be read from: the one list the PDF renderer's fetcher serves and
the DOCX renderer embeds from (nothing else is ever read for a font)."""

from __future__ import annotations

from pathlib import Path

FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/usr/share/texlive/texmf-dist/fonts",
    "/usr/share/texmf/fonts",
    str(Path.home() / ".local/share/fonts"),
    str(Path.home() / ".fonts"),
)
FONT_SUFFIXES = (".otf", ".ttf", ".ttc", ".otc", ".woff", ".woff2")
