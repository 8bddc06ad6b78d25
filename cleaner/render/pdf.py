"""``Document`` -> tagged archival PDF (PDF/A-3a) with the source and the report attached.

The page is :func:`render_html`'s HTML laid out by WeasyPrint with ``style.css``.
What this module adds:

* a URL fetcher that refuses every URL except installed font files, so nothing
  in a document (or a future stylesheet change) can read local files or reach
  the network while rendering;
* PDF/A-3a: fonts embedded as subsets with ToUnicode maps, sRGB output intent,
  XMP metadata consistent with the info dictionary (with dc:language and
  dc:creator), and a structure tree in reading order: the title H1, headings
  H2-H5, paragraphs P, the editor's note a Note, the language in /Lang; page
  numbers are artifacts, not content;
* the original input attached as an associated file with ``/AFRelationship
  /Source`` and the cleaning report as ``/Supplement`` (WeasyPrint 70 writes
  both from ``Attachment.relationship``);
* determinism: every date comes from the document (or ``SOURCE_DATE_EPOCH``,
  or a fixed date) and the file identifier is a hash of the inputs, so two
  renders of the same input are byte-identical.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import threading
import zlib
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pydyf
from weasyprint import CSS, HTML, Attachment
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import metadata as pdf_metadata
from weasyprint.pdf import stream as pdf_stream
from weasyprint.pdf import tags as pdf_tags
from weasyprint.text.fonts import FontConfiguration
from weasyprint.text.line_break import create_layout, line_size
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..document import Document
from .compose import Piece, line_text
from .fontdirs import FONT_DIRS, FONT_SUFFIXES
from .html import compose_document, creators, document_date, language, stylesheet

PDF_VARIANT = "pdf/a-3a"



class RefusedURL(ValueError):
    """The renderer asked for a URL that is not an installed font file."""


def _font_path(url: str) -> Path | None:
    """The local path of ``url`` if it is a ``file:`` URL of an installed font."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
        return None
    path = PurePosixPath(unquote(parts.path))
    if path.suffix.lower() not in FONT_SUFFIXES:
        return None
    real = Path(os.path.realpath(path))
    if not real.is_file():
        return None
    if not any(real.is_relative_to(os.path.realpath(d)) for d in FONT_DIRS):
        return None
    return real


class FontOnlyFetcher(URLFetcher):
    """Serves installed font files; refuses every other URL by raising.

    ``requested`` records every URL asked for, served or not (tests use it)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",))
        self.requested: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        self.requested.append(url)
        path = _font_path(url)
        if path is None:
            raise RefusedURL(f"cleaner's PDF renderer fetches no URLs: {url[:200]}")
        return URLFetcherResponse(path.as_uri(), path.read_bytes())


def _style_for(fetcher: URLFetcher) -> tuple[FontConfiguration, CSS]:
    """``style.css`` parsed, and its @font-face fonts loaded, for ``fetcher``. Loading
    the fonts is most of parsing it (~60 ms, as long as the rest of a page's layout)."""
    fonts = FontConfiguration()
    return fonts, CSS(string=stylesheet(), font_config=fonts, url_fetcher=fetcher)


@functools.cache
def _shared_style() -> tuple[FontOnlyFetcher, FontConfiguration, CSS]:
    """The style of every PDF this process renders with the default fetcher: parsed once,
    so the Simplified and Traditional PDFs of a document, and the next documents of a
    batch worker, do not load the same fonts again. The output is byte-identical to a
    fresh parse (test_render_pdf)."""
    fetcher = FontOnlyFetcher()
    return (fetcher, *_style_for(fetcher))


# --- fitting the composed lines ----------------------------------------------------------
#
# html.py hands WeasyPrint every block already broken into lines (compose.py), one
# text box per line. What compose.py decided inside a line is done here, after
# layout, the way WeasyPrint itself widens spaces: the text of each line is final, so
# only horizontal positions within the line change (no reflow, no page break can
# move). A line whose marks are compressed is cut into pieces at those marks and each
# piece moved left by what the marks before it lost; a justified line that is still
# off the type area's edge (estimated widths, Latin kerning: a fraction of a point)
# gets the residue spread between its characters - never inside a number or a Latin
# word, which are pieces of their own that only move.

PT = 4 / 3  # CSS px per pt: WeasyPrint lays out in px
# Residue left as it is (pt): invisible, and spreading it would cost a re-shaping.
_MIN_GAP = 0.2
# More extra spacing per gap than this (em) is left ragged: something went wrong.
_MAX_STRETCH_EM = 0.25


def _text_boxes(box: boxes.Box):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            yield from _text_boxes(child)


def _fitted_blocks(box: boxes.Box, out: dict) -> None:
    """``{data-fit number: [(block fragment, line box)]}``, lines in order across pages."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.LineBox):
            fit = box.element.get("data-fit") if box.element is not None else None
            if fit is not None:
                out.setdefault(int(fit), []).append((box, child))
        else:
            _fitted_blocks(child, out)


def _shaped(box: boxes.TextBox, text: str, style) -> boxes.TextBox:
    """A copy of ``box`` holding ``text`` in ``style``, shaped and measured."""
    piece = box.copy_with_text(text)
    piece.style = style
    layout = create_layout(text, style, None, None, box.justification_spacing)
    piece.width = line_size(layout.get_first_line()[0], style)[0]
    layout.deactivate()
    piece.pango_layout = layout  # drawing re-applies piece.style to it
    return piece


def _segments(line: list[Piece], spread: bool, tracking: float) -> list[tuple[str, float | None, float, float]]:
    """``(text, letter-spacing of a number or word or None, shift before, shift after)``,
    in pt: the line cut where a compressed mark moves what follows it (after a mark
    that loses its right side, before one that loses its left side), around numbers
    and words whose tracking is not the line's (``tracking``), and around all of them
    when the line is to be spread. A space goes with what follows it (alone, Pango
    would measure it as nothing)."""
    out: list[list] = []  # text, own tracking, shift before, shift after, closed
    space = ""
    last = len(line) - 1
    for k, piece in enumerate(line):
        if piece.space:
            space += piece.text
            continue
        atom = piece.atom and (spread or abs((piece.tracking or 0.0) - tracking) > 0.005)
        own = (piece.tracking if piece.tracking is not None else tracking) if atom else None
        if atom or piece.cut_left or not out or out[-1][4] or out[-1][1] is not None:
            out.append([space + piece.text, own, -piece.cut_left, 0.0, atom])
        else:
            out[-1][0] += space + piece.text
        if piece.cut_right and k < last:  # the line-end mark: nothing follows to move
            out[-1][3] = -piece.cut_right
            out[-1][4] = True
        space = ""
    return [(text, own, before, after) for text, own, before, after, _ in out]


def _fit_line(line_box: boxes.LineBox, block: boxes.Box, line: list[Piece], justify: bool) -> None:
    texts = list(_text_boxes(line_box))
    if len(texts) != 1 or texts[0].text.rstrip("\n") != line_text(line):
        return  # not the line compose.py made: leave it to the layout
    box = texts[0]
    tracking = box.style["letter_spacing"]
    tracking = 0.0 if tracking == "normal" else tracking / PT
    cuts = sum(p.cut_left + p.cut_right for p in line)
    inner = any(p.cut_left or p.cut_right for p in line[:-1]) or line[-1].cut_left
    right = block.content_box_x() + block.width

    def gap_after(segments) -> tuple[float, float]:
        """What setting numbers and words at their own tracking changes, and the gap
        then left to the type area's edge (px)."""
        change = sum(len(text) * (own - tracking) for text, own, _, _ in segments if own is not None) * PT
        return change, right - (box.position_x + box.width + change - cuts * PT) if justify else 0.0

    segments = _segments(line, False, tracking)
    retrack, gap = gap_after(segments)
    spread = abs(gap) > _MIN_GAP * PT
    if spread:
        segments = _segments(line, True, tracking)
        retrack, gap = gap_after(segments)
    if not inner and not spread and not retrack:
        return  # at most the line-end mark reaches past the edge: nothing moves
    # Spaces after characters (the last one's lies past the line end), and after numbers.
    gaps = sum(1 if own is not None else len(text) for text, own, _, _ in segments) - 1
    delta = gap / gaps if spread and gaps > 0 else 0.0
    if abs(delta) > _MAX_STRETCH_EM * block.style["font_size"]:
        delta = 0.0
    styles: dict = {}

    def style(letter_spacing: float):
        if letter_spacing not in styles:
            styles[letter_spacing] = box.style.copy()
            styles[letter_spacing]["letter_spacing"] = letter_spacing
        return styles[letter_spacing]

    pieces = []
    x = box.position_x
    for text, own, before, after in segments:
        x += before * PT
        if own is None:
            piece = _shaped(box, text, style(tracking * PT + delta) if delta else box.style)
        else:
            piece = _shaped(box, text, style(own * PT))
        piece.position_x = x
        pieces.append(piece)
        x += piece.width + after * PT + (delta if own is not None else 0.0)
    change = x - (box.position_x + box.width)
    if block.style["text_align_all"] == "center":  # keep a centred line centred
        for piece in pieces:
            piece.position_x -= change / 2
    parent = next(b for b in _inline_parents(line_box) if box in b.children)
    index = parent.children.index(box)
    parent.children[index:index + 1] = pieces
    parent.width += change


def _inline_parents(box: boxes.Box):
    yield box
    for child in getattr(box, "children", ()):
        if isinstance(child, (boxes.InlineBox, boxes.LineBox)):
            yield from _inline_parents(child)


def _fit_lines(document, fits: list) -> None:
    blocks: dict = {}
    for page in document.pages:
        _fitted_blocks(page._page_box, blocks)
    for number, line_boxes in blocks.items():
        lines = fits[number]
        if len(line_boxes) != len(lines):
            continue
        for k, ((block, line_box), line) in enumerate(zip(line_boxes, lines, strict=True)):
            justify = block.style["text_align_all"] == "justify"
            _fit_line(line_box, block, line, justify and k < len(lines) - 1)


# --- tagging ---------------------------------------------------------------------------
#
# WeasyPrint 70 (pinned in pyproject.toml) tags what it draws; two of its choices are
# adjusted while cleaner writes a PDF:
# * an <aside> becomes NonStruct: the editor's note is tagged Note (with the /ID a
#   Note needs);
# * text in page-margin boxes (the folios "— 1 —") is marked as content mapped to
#   structure elements that are not in the tree: it is drawn as an Artifact
#   (pagination) instead, and left out of the tree;
# * the tree is built page by page, so a paragraph that runs onto the next page
#   was two P elements (and <main> one Part per page): fragments of one HTML element
#   that follow each other are merged, so the tree reads like the document.


def _pdf_tag(original):
    def tag(html_tag):
        return "Note" if html_tag == "aside" else original(html_tag)
    return tag


def _build_box_tree(original, owners: dict):
    def build(box, *args, **kwargs):
        if isinstance(box, boxes.MarginBox):
            return
        for element in original(box, *args, **kwargs):
            if box.element is not None:
                owners[element.number] = box.element
            yield element
    return build


def _marked(original):
    @contextlib.contextmanager
    def marked(self, box, tag):
        if getattr(box, "_cleaner_artifact", False) and self._tags is not None:
            with self.artifact():
                yield
        else:
            with original(self, box, tag):
                yield
    return marked


@contextlib.contextmanager
def _tagging():
    """WeasyPrint's tagger with the changes above, and pydyf's streams built once, for the
    duration of one write; yields ``{structure element number: the HTML element it tags}``.

    pydyf builds a stream's bytes, compressing them at zlib level 9, every time ``.data``
    is read, and with a file identifier it reads every object twice (once to hash the body
    for /ID, once to write it): half of PDF/A's writing time. The objects are final when
    they are written, so building each stream's bytes once (at ``ZLIB_LEVEL``) changes
    nothing else."""
    owners: dict = {}
    saved = (pdf_tags._get_pdf_tag, pdf_tags._build_box_tree, pdf_stream.Stream.marked, pydyf.Stream.data)
    pdf_tags._get_pdf_tag = _pdf_tag(saved[0])
    pdf_tags._build_box_tree = _build_box_tree(saved[1], owners)
    pdf_stream.Stream.marked = _marked(saved[2])
    pydyf.Stream.data = property(_built_once(_stream_data))
    try:
        yield owners
    finally:
        pdf_tags._get_pdf_tag, pdf_tags._build_box_tree, pdf_stream.Stream.marked, pydyf.Stream.data = saved


def _mark_artifacts(document) -> None:
    """Flag every text box in the page-margin boxes (the folios) as an artifact."""
    def walk(box, inside):
        inside = inside or isinstance(box, boxes.MarginBox)
        if inside and isinstance(box, boxes.TextBox):
            box._cleaner_artifact = True
        for child in getattr(box, "children", ()):
            walk(child, inside)
    for page in document.pages:
        walk(page._page_box, False)


def _merge_fragments(pdf, owners: dict) -> None:
    """Merge sibling structure elements that tag fragments of the same HTML element."""
    root = pdf.catalog.get("StructTreeRoot")
    if root is None:
        return

    def obj(reference):
        return pdf.objects[int(reference.split()[0])] if isinstance(reference, bytes) else None

    def merge(element) -> None:
        kept = []
        previous = None
        for reference in element["K"]:
            kid = obj(reference)
            if not isinstance(kid, dict) or kid.get("Type") != "/StructElem":
                kept.append(reference)
                previous = None
                continue
            owner = owners.get(kid.number)
            if (previous is not None and owner is not None and owners.get(previous.number) is owner
                    and previous.get("S") == kid.get("S")):
                for grandchild in kid["K"]:
                    previous["K"].append(grandchild)
                    moved = obj(grandchild)
                    if isinstance(moved, dict) and "P" in moved:
                        moved["P"] = previous.reference
                continue
            kept.append(reference)
            previous = kid
        element["K"][:] = kept
        for reference in kept:
            kid = obj(reference)
            if isinstance(kid, dict) and kid.get("Type") == "/StructElem":
                merge(kid)

    for reference in obj(root)["K"]:
        merge(obj(reference))


def _tag_notes(pdf) -> None:
    for number, obj in enumerate(pdf.objects):
        if isinstance(obj, dict) and obj.get("Type") == "/StructElem" and obj.get("S") == "/Note":
            obj["ID"] = pydyf.String(f"note-{number}")


_DC = pdf_metadata.NS["dc"]
_RDF = pdf_metadata.NS["rdf"]


def _xmp(pdf, doc: Document) -> None:
    """Add dc:language (and dc:creator when WeasyPrint wrote none) to the XMP packet."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return
    stream = pdf.objects[int(reference.split()[0])]
    packet = b"".join(stream.stream)
    start, end = packet.index(b"<rdf:RDF"), packet.index(b"</rdf:RDF>") + len(b"</rdf:RDF>")
    rdf = ElementTree.fromstring(packet[start:end])
    def description(name: str, kind: str, items: list[str]) -> None:
        element = ElementTree.SubElement(rdf, f"{{{_RDF}}}Description")
        element.attrib[f"{{{_RDF}}}about"] = ""
        container = ElementTree.SubElement(ElementTree.SubElement(element, f"{{{_DC}}}{name}"), f"{{{_RDF}}}{kind}")
        for item in items:
            ElementTree.SubElement(container, f"{{{_RDF}}}li").text = item
    description("language", "Bag", [language(doc)])
    if rdf.find(f".//{{{_DC}}}creator") is None and creators(doc):
        description("creator", "Seq", creators(doc))
    stream.stream = [packet[:start] + ElementTree.tostring(rdf, encoding="utf-8").split(b"?>", 1)[-1].strip()
                     + packet[end:]]


# --- PDF post-processing ---------------------------------------------------------------


def _pdf_string_key(value) -> bytes:
    string = value.string
    if isinstance(string, bytes):
        return string
    try:
        return string.encode("ascii")
    except UnicodeEncodeError:
        return b"\xfe\xff" + string.encode("utf-16-be")


def _built_once(build):
    """A stream's ``data`` getter that builds its bytes on the first read only."""
    def data(self):
        cached = self.__dict__.get("_cleaner_data")
        if cached is None:
            cached = self.__dict__["_cleaner_data"] = build(self)
        return cached
    return data


#: zlib level of the PDF's streams. pydyf uses 9, which takes twice the time of 6 on
#: the embedded fonts for files about 1% smaller.
ZLIB_LEVEL = 6


def _stream_data(stream: pydyf.Stream) -> bytes:
    """What ``pydyf.Stream.data`` builds (pydyf 0.13), at ``ZLIB_LEVEL``."""
    data = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
    extra = pydyf.Dictionary(stream.extra.copy())
    if stream.compress:
        extra["Filter"] = "/FlateDecode"
        compressor = zlib.compressobj(level=ZLIB_LEVEL)
        data = compressor.compress(data) + compressor.flush()
    extra["Length"] = len(data)
    return b"\n".join((extra.data, b"stream", data, b"endstream"))


def _finisher(doc: Document, owners: dict):
    def finish(document, pdf) -> None:
        _merge_fragments(pdf, owners)
        _tag_notes(pdf)
        _xmp(pdf, doc)
        _finish(document, pdf)
    return finish


def _finish(document, pdf) -> None:
    """Tidy what WeasyPrint 70 writes for attachments (a ``write_pdf`` finisher).

    * WeasyPrint lists each associated file twice in the catalog's ``/AF`` (once
      from the name tree, once from the file specification): keep each once.
    * The ``/EmbeddedFiles`` name tree must be sorted by name (ISO 32000-1,
      7.9.6); WeasyPrint keeps the order the attachments were given in.
    * A file specification's ``/F`` is written as raw UTF-8 bytes, which readers
      take for PDFDocEncoding; a non-ASCII name is written as a UTF-16 text
      string like ``/UF`` instead.
    All three are deterministic, so byte-identical output is kept.
    """
    catalog = pdf.catalog
    if "AF" in catalog:
        unique = list(dict.fromkeys(catalog["AF"]))
        catalog["AF"][:] = unique
    names = catalog.get("Names", {}).get("EmbeddedFiles")
    if names is None:
        return
    tree = pdf.objects[int(names.split()[0])]
    pairs = list(zip(tree["Names"][::2], tree["Names"][1::2], strict=True))
    for key, _ in pairs:
        if isinstance(key.string, bytes) and not key.string.isascii():
            key.string = key.string.decode("utf-8", errors="replace")
    pairs.sort(key=lambda pair: _pdf_string_key(pair[0]))
    tree["Names"][:] = [item for pair in pairs for item in pair]


def _naive_utc(when: dt.datetime) -> dt.datetime:
    # WeasyPrint formats attachment dates as "D:%Y%m%d%H%M%SZ": give it UTC.
    return when.astimezone(dt.UTC).replace(tzinfo=None)


def pdf_bytes(
    doc: Document,
    *,
    source_bytes: bytes,
    source_name: str,
    report_json: bytes,
    url_fetcher=None,
) -> bytes:
    """Render ``doc`` as tagged PDF/A-3a with ``source_bytes`` and ``report_json`` attached.

    ``url_fetcher`` is for tests (to record requests); it defaults to the
    font-only fetcher.
    """
    with _ONE_AT_A_TIME:
        return _pdf_bytes(doc, source_bytes, source_name, report_json, url_fetcher)


#: One PDF at a time in a process: the tagging patches of a write are process-wide, and
#: Pango's layout is not safe across threads (a Dask worker may run several threads).
_ONE_AT_A_TIME = threading.Lock()


def _pdf_bytes(doc: Document, source_bytes: bytes, source_name: str, report_json: bytes, url_fetcher) -> bytes:
    html, fits = compose_document(doc, inline_style=False)
    if url_fetcher is None:
        fetcher, fonts, style = _shared_style()
    else:
        fetcher = url_fetcher
        fonts, style = _style_for(fetcher)
    when = _naive_utc(document_date(doc))
    stem = PurePosixPath(source_name).stem or "document"

    attachments = [
        Attachment(
            string=source_bytes,
            name=source_name,
            description="Original input (source of this edition)",
            created=when,
            modified=when,
            relationship="Source",
        ),
        Attachment(
            string=report_json,
            name=f"{stem}.report.json",
            description="Cleaning report",
            created=when,
            modified=when,
            relationship="Supplement",
        ),
    ]
    # A stable identifier: the same inputs give the same file ID (first half of
    # the trailer /ID; pydyf adds a hash of the body as the second half).
    digest = hashlib.sha256()
    for part in (html.encode(), stylesheet().encode(), source_name.encode(), source_bytes, report_json):
        digest.update(hashlib.sha256(part).digest())
    identifier = digest.hexdigest()[:32].encode()

    document = HTML(string=html, base_url=None, url_fetcher=fetcher).render(stylesheets=[style], font_config=fonts)
    _fit_lines(document, fits)
    _mark_artifacts(document)
    with _tagging() as owners:
        return document.write_pdf(
            pdf_variant=PDF_VARIANT,
            pdf_identifier=identifier,
            attachments=attachments,
            finisher=_finisher(doc, owners),
        )
