"""Clean text: title first, then one heading or paragraph per line, no blank lines."""

from __future__ import annotations

from ..document import Document


def render_text(doc: Document) -> str:
    """The clean text, UTF-8-ready, ending in a newline.

    >>> from ..document import Block
    >>> render_text(Document(title="报告", blocks=[Block("heading", "一、回顾", level=1), Block("paragraph", "正文。")]))
    '报告\\n一、回顾\\n正文。\\n'
    """
    return doc.text()
