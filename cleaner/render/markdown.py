"""Markdown: `#` title, `##`… headings by level, paragraphs separated by blank lines,
the editor's notes as block quotes. Document text never becomes Markdown markup: every
character CommonMark could read as markup is backslash-escaped."""

from __future__ import annotations

import re

from ..document import Document

# Inline markup: emphasis, code, links and images, autolinks and HTML, entities,
# strikethrough and table pipes (GFM), and the escape character itself.
_INLINE = re.compile(r"([\\`*_\[\]<>&~|])")
# Block markup at the start of a line: ATX headings, block quotes, list bullets,
# setext underlines and thematic breaks, ordered-list numbers ("1." or "1)").
_LINE_START = re.compile(r"^([#>+=-])|^(\d{1,9})([.)])")


def escape(text: str) -> str:
    """Escape Markdown markup so that document text stays text.

    >>> escape("<script> *a* [b](c) &amp;")
    '\\\\<script\\\\> \\\\*a\\\\* \\\\[b\\\\](c) \\\\&amp;'
    >>> escape("1. 不是列表"), escape("---")
    ('1\\\\. 不是列表', '\\\\---')
    """
    text = _INLINE.sub(r"\\\1", text.strip())  # leading spaces would make a code block
    return _LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text)


def render_markdown(doc: Document) -> str:
    parts: list[str] = []
    if doc.title:
        parts.append("# " + escape(doc.title))
    if doc.date_line():
        parts.append(escape(doc.date_line()))
    for b in doc.blocks:
        if b.kind == "heading":
            parts.append("#" * min(6, b.level + 1) + " " + escape(b.text))
        elif b.kind == "note":
            parts.append("> " + escape(b.text))
        elif b.text.strip():
            parts.append(escape(b.text))
    return "\n\n".join(parts) + "\n"
