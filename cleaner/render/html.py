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
from ..shapes import ISSUER, SIGNATURE, front_matter_kind
from ..textutil import CJK_CLASS, squeeze
from .compose import Face, Piece, compose, line_text

DEFAULT_LANGUAGE = "zh-CN"
# A BCP 47 tag as far as we need one; anything else falls back to zh-CN.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


@cache
def stylesheet() -> str:
    """The text of ``style.css`` (shipped inside the package)."""
    return (files(__package__) / "style.css").read_text(encoding="utf-8")


def render_html(doc: Document, *, composed: bool = False) -> str:
    """Return ``doc`` as a complete HTML5 document (with the stylesheet inlined).

    ``composed``: the PDF renderer's input (see :func:`compose_document`); the HTML
    edition leaves line breaking to the browser.
    """
    if composed:
        return compose_document(doc)[0]
    return "\n".join(_page(doc, None)) + "\n"


def compose_document(doc: Document, *, inline_style: bool = True) -> tuple[str, list[list[list[Piece]]]]:
    """The PDF renderer's input: every block already broken into lines of the type area
    (``compose.py``), the lines separated by newlines (style.css sets composed blocks
    ``white-space: pre``), and each block's lines, by its ``data-fit`` number, for
    ``pdf.py`` to compress and justify after layout. Without ``inline_style`` the page
    has no ``<style>``: ``pdf.py`` hands WeasyPrint ``style.css`` parsed once a process."""
    setter = _Setter(doc)
    return "\n".join(_page(doc, setter, inline_style)) + "\n", setter.fits


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


def _head(doc: Document, inline_style: bool = True) -> Iterator[str]:
    yield '<meta charset="utf-8">'
    yield _element("title", doc.title)
    for author in creators(doc):
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
    if inline_style:
        yield f"<style>\n{stylesheet()}</style>"


def _page(doc: Document, setter: _Setter | None, inline_style: bool = True) -> Iterator[str]:
    yield "<!DOCTYPE html>"
    yield f'<html lang="{escape(language(doc))}">'
    yield "<head>"
    yield from _head(doc, inline_style)
    yield "</head>"
    yield '<body class="composed">' if setter else "<body>"
    if doc.title or doc.meta.get("date"):
        yield '<header class="masthead">'
        if doc.title:
            yield f'<h1 class="title">{_text(doc.title)}</h1>'
        date = doc.date_line()  # only a date the site gave, marked as the editor's
        if date:
            yield f'<p class="date">{_text(date)}</p>'
        yield "</header>"
    yield '<main class="body">'
    yield from _blocks(doc.blocks, setter or _Setter(None), _front_matter(doc))
    yield "</main>"
    yield "</body>"
    yield "</html>"


# --- front matter ----------------------------------------------------------------------

# How the front matter between the title and the first heading is set (GB/T 9704):
# the addressee (主送机关, "各位代表：") flush left; the subtitle, the speaker's line and
# the issuing bodies named under the title centred.
FRONT_MATTER_CLASS = {"salutation": "addressee", "subtitle": "subtitle", "signature": "speaker",
                      "issuer": "issuer"}


def _front_matter(doc: Document) -> dict[int, str]:
    """``{block index: class}`` for the addressee, subtitle and speaker lines before the
    first heading (classified with ``patterns.front_matter_kind``; a Traditional edition's
    lines are read in Simplified for that)."""
    out: dict[int, str] = {}
    hant = _is_hant(language(doc))
    for i, block in enumerate(doc.blocks):
        if block.kind == "heading":
            break
        if block.kind != "paragraph" or len(block.text) > 60:
            continue
        text = _simplified(block.text) if hant else block.text
        kind = front_matter_kind(text)
        if kind is None and len(squeeze(text)) <= 40 and ISSUER.match(text.strip()):
            kind = "issuer"  # "江西省统计局  国家统计局江西调查总队" under the title
        if kind in FRONT_MATTER_CLASS:
            out[i] = FRONT_MATTER_CLASS[kind]
    return out


def _is_hant(lang: str) -> bool:
    return bool(re.match(r"zh-(Hant|TW|HK|MO)\b", lang, re.I))


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    try:
        return _t2s().convert(text)
    except ImportError:  # pragma: no cover - OpenCC is a dependency
        return text


# Who speaks for whom: "现在，我代表太仓市人民政府，向大会报告工作".
_ON_BEHALF = re.compile(rf"我代表([{CJK_CLASS}]{{2,30}}?(?:人民政府|政府|委员会|常委会))")


def creators(doc: Document) -> list[str]:
    """The document's authors (PDF /Author, XMP dc:creator): ``meta`` author, issuer or
    organization; else what the document says of itself: the body in its speaker's
    line ("海拉尔区人民政府区长 杜联合"), an issuer line at its head or foot
    ("（万载县统计局）"), or the body its speaker represents ("我代表太仓市人民政府").
    Empty when it says nothing."""
    authors = _meta_list(doc.meta.get("author") or doc.meta.get("issuer") or doc.meta.get("organization"))
    if authors:
        return authors
    hant = _is_hant(language(doc))
    paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph" and b.text]

    def simple(text: str) -> str:
        return squeeze(_simplified(text) if hant else text)

    def original(text: str, found: str, start: int) -> str:
        # the edition's own characters where conversion kept the length, else Simplified
        plain = squeeze(text)
        return plain[start:start + len(found)] if len(plain) == len(simple(text)) else found

    for text in paragraphs[:4]:
        m = SIGNATURE.match(simple(text))
        if m and front_matter_kind(simple(text)) == "signature":
            return [original(text, m.group()[: m.end(1)], 0)]
    for text in paragraphs[:3] + paragraphs[-2:]:
        bare = re.sub(r"^[（(]|[）)]$", "", text.strip())
        if len(bare) <= 40 and ISSUER.match(simple(bare)):
            return [original(part, simple(part), 0) for part in re.split(r"[\s\u3000]+", bare.strip()) if part]
    for text in paragraphs[:3]:
        m = _ON_BEHALF.search(simple(text))
        if m:
            return [original(text, m.group(1), m.start(1))]
    return []


# --- text ------------------------------------------------------------------------------

# The type area and the body's character pitch (style.css: 156 mm, 28 characters).
MEASURE = 156 * 72 / 25.4  # pt
PITCH = 15.792  # pt: 16 pt characters with -0.208 pt tracking, or cwTeX's 0.92 em + 1.072 pt
# Numbers and Latin words: half-em digits at the Simplified body's tracking in every
# edition, so two digits take one character's place (cwTeX's wider tracking is for its
# 0.92 em characters); pdf.py sets them so after layout.
LATIN_TRACKING = -0.208  # pt
NOTE_MEASURE = MEASURE - 2 * 16 - 2 * 0.75  # the note box: 1em (of the aside, 16 pt) padding, the border


class _Setter:
    """Sets block text: composed into lines for print, or plain for the HTML edition."""

    def __init__(self, doc: Document | None) -> None:
        self.composed = doc is not None
        hant = doc is not None and _is_hant(language(doc))
        tracking = 1.072 if hant else -0.208
        self.faces = {
            "body": Face(("latin", "cwtex" if hant else "fandol"), 16.0, tracking, quotes_full=hant,
                         atom_tracking=LATIN_TRACKING),
            "heiti": Face((), 16.0, tracking, atom_tracking=LATIN_TRACKING),
            "kaiti": Face(("latin",), 16.0, tracking, atom_tracking=LATIN_TRACKING),
            "note": Face(("latin",), 14.0, 0.0),
        }
        self.fits: list[list[list[Piece]]] = []

    def text(self, text: str, face: str = "body", indent: float = 2 * PITCH, min_last: int = 1,
             measure: float = MEASURE, ragged: bool = False) -> str:
        # Every block's text sits in a span.text: style.css gives it a line-height
        # smaller than the grid and the heading faces, so that the block's own
        # line-height and body font place every line on the grid (see style.css).
        if not self.composed:
            return _element("span", text, class_="text")
        lines = compose(text, measure=measure, indent=indent, face=self.faces[face], min_last=min_last,
                        ragged=ragged)
        self.fits.append(lines)
        return _element("span", "\n".join(line_text(line) for line in lines), class_="text")

    def attr(self) -> str:
        """The ``data-fit`` attribute of the block whose text was set last."""
        return f' data-fit="{len(self.fits) - 1}"' if self.composed else ""


def _text(text: str) -> str:
    return _Setter(None).text(text)


HEADING_FACE = {1: "heiti", 2: "kaiti"}


def _blocks(blocks: list[Block], setter: _Setter, front: dict[int, str]) -> Iterator[str]:
    for i, block in enumerate(blocks):
        if not block.text:
            continue
        if block.kind == "heading":
            # A run-in heading (split from the paragraph it led) is a heading like any
            # other: its own line(s), never set into the paragraph's first line.
            level = min(max(block.level, 1), 4)
            text = setter.text(block.text, HEADING_FACE.get(level, "body"), min_last=2, ragged=True)
            label = f' data-label="{escape(block.text)}"' if setter.composed else ""
            yield f'<h{level + 1} class="heading level-{level}"{setter.attr()}{label}>{text}</h{level + 1}>'
        elif block.kind == "note":
            text = setter.text(block.text, "note", indent=0, measure=NOTE_MEASURE)
            yield f'<aside class="editor-note" role="note"><p{setter.attr()}>{text}</p></aside>'
        elif i in front:  # centred or flush left, never justified
            text = setter.text(block.text, indent=0, min_last=2, ragged=True)
            yield f'<p class="{front[i]}"{setter.attr()}>{text}</p>'
        else:  # paragraph (and any stray raw line)
            text = setter.text(block.text)
            yield f"<p{setter.attr()}>{text}</p>"
