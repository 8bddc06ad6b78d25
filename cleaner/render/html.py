"""``Document`` -> one complete HTML5 page: the HTML edition and the PDF renderer's input.

Document text reaches the page only through :func:`_element`, which escapes it
(and every attribute value) with :func:`html.escape`, so text from the source never
becomes markup: ``<script>`` in a paragraph is shown as the text ``<script>``.
All layout lives in ``style.css``, which is inlined so that the HTML edition is one
self-contained file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from functools import cache
from html import escape
from importlib.resources import files

from .. import __version__
from ..document import Block, Document

DEFAULT_LANGUAGE = "zh-CN"
# A BCP 47 tag as far as we need one; anything else falls back to zh-CN.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


@cache
def stylesheet() -> str:
    """The text of ``style.css`` (shipped inside the package)."""
    return (files(__package__) / "style.css").read_text(encoding="utf-8")


def render_html(doc: Document) -> str:
    """Return ``doc`` as a complete HTML5 document (with the stylesheet inlined)."""
    return "\n".join(_page(doc)) + "\n"


# --- metadata ------------------------------------------------------------------------


def language(doc: Document) -> str:
    lang = str(doc.meta.get("language") or "").strip()
    return lang if _LANGUAGE_TAG.fullmatch(lang) else DEFAULT_LANGUAGE


def document_date(doc: Document) -> dt.datetime:
    """The date stamped into metadata (``Document.stamp``: the document's own date, else
    ``SOURCE_DATE_EPOCH``, else a fixed date)."""
    return doc.stamp()


def display_date(doc: Document) -> str:
    """``2023-01-05`` -> ``2023年1月5日`` (``2023-01`` -> ``2023年1月``); other text as is."""
    return doc.date.display() if doc.date else str(doc.meta.get("date") or "").strip()


def _meta_list(value: object) -> list[str]:
    if isinstance(value, str):
        items: Iterable[object] = re.split(r"[,，;；、]", value)
    elif isinstance(value, Iterable):
        items = value
    else:
        items = [value] if value else []
    return [s for s in (str(x).strip() for x in items) if s]


def _w3c(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- markup --------------------------------------------------------------------------


def _element(tag: str, text: str = "", /, **attrs: str | None) -> str:
    """``<tag attrs>text</tag>`` with text and attribute values escaped.

    A trailing underscore in an attribute name is dropped (``class_`` -> ``class``)."""
    rendered = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in attrs.items() if value is not None
    )
    return f"<{tag}{rendered}>{escape(text)}</{tag}>"


def _meta(name: str, content: str) -> str:
    return f'<meta name="{escape(name)}" content="{escape(content)}">'


def _head(doc: Document) -> Iterator[str]:
    yield '<meta charset="utf-8">'
    yield _element("title", doc.title)
    authors = _meta_list(doc.meta.get("author") or doc.meta.get("issuer") or doc.meta.get("organization"))
    for author in authors:
        yield _meta("author", author)
    description = str(doc.meta.get("description") or doc.meta.get("subject") or "").strip()
    if description:
        yield _meta("description", description)
    keywords = _meta_list(doc.meta.get("keywords"))
    if keywords:
        # WeasyPrint splits this on commas into the PDF keyword list.
        yield _meta("keywords", ", ".join(keywords))
    when = _w3c(document_date(doc))
    yield _meta("dcterms.created", when)
    yield _meta("dcterms.modified", when)
    yield _meta("generator", f"cleaner {__version__}")
    yield f"<style>\n{stylesheet()}</style>"


def _page(doc: Document) -> Iterator[str]:
    yield "<!DOCTYPE html>"
    yield f'<html lang="{escape(language(doc))}">'
    yield "<head>"
    yield from _head(doc)
    yield "</head>"
    yield "<body>"
    if doc.title or doc.meta.get("date"):
        yield '<header class="masthead">'
        if doc.title:
            yield f'<h1 class="title">{_text(doc.title)}</h1>'
        date = display_date(doc)
        if date:
            yield f'<p class="date">{_text(date)}</p>'
        yield "</header>"
    yield '<main class="body">'
    yield from _blocks(doc.blocks)
    yield "</main>"
    yield "</body>"
    yield "</html>"


def _text(text: str) -> str:
    # Every block's text sits in a span.text: style.css gives it a line-height
    # smaller than the grid and the heading faces, so that the block's own
    # line-height and body font place every line on the grid (see style.css).
    return _element("span", text, class_="text")


def _blocks(blocks: list[Block]) -> Iterator[str]:
    i = 0
    while i < len(blocks):
        block = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if not block.text:
            i += 1
            continue
        if block.kind == "heading":
            level = min(max(block.level, 1), 4)
            if block.run_in and nxt is not None and nxt.kind == "paragraph" and nxt.text:
                # A run-in heading leads the paragraph it was split from: set it inline
                # (still a heading for the outline, see style.css) followed by the text.
                head = _element(
                    "span",
                    block.text,
                    class_=f"heading run-in level-{level}",
                    role="heading",
                    aria_level=str(level + 1),
                )
                yield f'<p class="with-run-in">{head}{_text(nxt.text)}</p>'
                i += 2
                continue
            yield f'<h{level + 1} class="heading level-{level}">{_text(block.text)}</h{level + 1}>'
        elif block.kind == "note":
            yield f'<aside class="editor-note" role="note"><p>{_text(block.text)}</p></aside>'
        else:  # paragraph (and any stray raw line)
            yield f"<p>{_text(block.text)}</p>"
        i += 1
