"""Warn about characters the PDF editions cannot draw: nothing disappears silently.

A character that no font of the PDF's chains has is drawn as blank space; a
private-use character is drawn, by whichever font has a glyph there, as some
unrelated character. The text keeps them (the TXT and Markdown editions, and a reader
with the right font, show them), and the report says where they are: one warning
(kind ``no-glyph``) per distinct character, at the first input line that holds it,
naming it as ``U+XXXX NAME`` with the reason and the text around it.

Example: a paragraph "正文有私用区字符\\ue000。" from line 3 gives the warning
``no-glyph  line 3: U+E000 <private use> is not drawn as itself in the PDF: private use: …``.

The stage changes no text. Run it after ``drop_invalid_xml_chars``, so that it sees
exactly the text the renderers get (that stage warns about the noncharacters it removes).
"""

from __future__ import annotations

from ..document import Document
from ..glyphs import coverage, describe, uncovered, why

KIND = "no-glyph"
CONTEXT = 10  # characters either side


def _line(doc: Document, char: str, lines: tuple[int, ...]) -> int:
    """The first of ``lines`` (every input line for the title) whose text holds ``char``."""
    candidates = lines or range(1, len(doc.source_lines) + 1)
    for n in candidates:
        if 0 < n <= len(doc.source_lines) and char in doc.source_lines[n - 1]:
            return n
    return lines[0] if lines else 0


def flag_unrenderable_chars(doc: Document) -> Document:
    """Warn once per character of the title, the date line and every block that the
    PDF cannot draw with a glyph that means it."""
    if not coverage():
        doc.report.warn(KIND, "no font of the PDF's stylesheet was found (fontconfig's fc-list?): "
                        "only private-use characters are checked")
    seen: set[str] = set()
    texts = [(doc.title, ()), (doc.date_line(), ())]
    texts += [(b.text, b.lines) for b in doc.blocks]
    if not uncovered("".join(t for t, _ in texts)):  # one pass over the whole text first
        return doc
    for text, lines in texts:
        for char in uncovered(text):
            if char in seen:
                continue
            seen.add(char)
            at = text.index(char)
            doc.report.warn(
                KIND,
                f"{describe(char)} is not drawn as itself in the PDF: {why(char)}",
                _line(doc, char, lines),
                text[max(0, at - CONTEXT) : at + CONTEXT + 1],
            )
    return doc
