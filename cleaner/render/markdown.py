"""Markdown: `#` title, `##`… headings by level, paragraphs separated by blank lines,
the editor's notes as block quotes. Text that Markdown would read as markup is escaped."""

from __future__ import annotations

import re

from ..document import Document

# Characters that start Markdown constructs at the beginning of a line or inside it.
_ESCAPE = re.compile(r"([\\`*_{}\[\]<>#|])")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+\.)(?=\s)")


def escape(text: str) -> str:
    """Escape Markdown markup so that document text stays text.

    >>> escape("<script> *a* [b](c)")
    '\\\\<script\\\\> \\\\*a\\\\* \\\\[b\\\\](c)'
    """
    text = _ESCAPE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def render_markdown(doc: Document) -> str:
    parts: list[str] = []
    if doc.title:
        parts.append("# " + escape(doc.title))
    if doc.meta.get("date"):
        parts.append(f"*{doc.meta['date']}*")
    for b in doc.blocks:
        if b.kind == "heading":
            parts.append("#" * min(6, b.level + 1) + " " + escape(b.text))
        elif b.kind == "note":
            parts.append("> " + escape(b.text))
        else:
            parts.append(escape(b.text))
    return "\n\n".join(parts) + "\n"
