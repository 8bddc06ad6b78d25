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
import hashlib
import os
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pydyf
from weasyprint import HTML, Attachment
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import metadata as pdf_metadata
from weasyprint.pdf import stream as pdf_stream
from weasyprint.pdf import tags as pdf_tags
from weasyprint.text.line_break import create_layout, line_size
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..document import Document
from .html import creators, document_date, language, render_html

PDF_VARIANT = "pdf/a-3a"

# Font files may be read from these directories, nothing else from anywhere.
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/usr/share/texlive/texmf-dist/fonts",
    "/usr/share/texmf/fonts",
    str(Path.home() / ".local/share/fonts"),
    str(Path.home() / ".fonts"),
)
FONT_SUFFIXES = (".otf", ".ttf", ".ttc", ".otc", ".woff", ".woff2")


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


# --- inter-character justification ---------------------------------------------------
#
# WeasyPrint 70 justifies by widening spaces only (layout/inline.py: justify_line),
# and Chinese has no spaces. html.py composes every block into lines before layout
# (compose.py: the breaks, punctuation compression), so a line is at most a fraction
# of a point off the type area's edge: estimated font widths, Latin kerning. That
# residue is spread here, after layout, between the characters of the line - never
# inside a number or a Latin word (html.py sets those in a span.nu; the space after
# such a run takes its share instead). The text of each line is final, so only
# horizontal positions within the line change: no reflow, no page break can move.

# Lines off by less than this are left as they are (CSS px; 1px = 0.75pt).
_MIN_GAP = 0.01
# Lines that would need more extra spacing per character than this (in em) are
# left ragged: a visibly letter-spaced line is worse than a short one.
_MAX_STRETCH_EM = 0.25


def _text_boxes(box: boxes.Box):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            yield from _text_boxes(child)


def _justified_lines(box: boxes.Box, out: list) -> None:
    """Append ``(line, block)`` for every line box of a justified block, in order."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.LineBox):
            if box.style["text_align_all"] == "justify":
                out.append((child, box))
        else:
            _justified_lines(child, out)


def _is_atom(box: boxes.TextBox) -> bool:
    """A number or Latin word set on its own (html.py's span.nu): never letter-spaced."""
    parent = box.element
    classes = parent.get("class", "").split() if parent is not None and box.element_tag == "span" else ()
    return "nu" in classes


def _spread(box: boxes.Box, delta: float, shift: float) -> float:
    """Move ``box`` right by ``shift`` and space its characters ``delta`` further
    apart (a number or Latin word: only the space after it); return the shift for
    what follows it on the line."""
    if isinstance(box, boxes.TextBox):
        box.position_x += shift
        if _is_atom(box):
            return shift + delta
        old = box.style
        new = old.copy()
        spacing = old["letter_spacing"]
        new["letter_spacing"] = (0 if spacing == "normal" else spacing) + delta
        widths = []
        for style in (old, new):
            layout = create_layout(box.text, style, None, None, box.justification_spacing)
            widths.append(line_size(layout.get_first_line()[0], style)[0])
            layout.deactivate()
        box.style = new
        box.pango_layout = layout  # drawing re-applies box.style to it
        box.width += widths[1] - widths[0]
        return shift + widths[1] - widths[0]
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += shift
        start = shift
        for child in box.children:
            if child.is_in_normal_flow():
                shift = _spread(child, delta, shift)
        box.width += shift - start
        return shift
    box.translate(shift, 0)  # atomic inline (image, inline-block)
    return shift


def _justify_inter_character(document) -> None:
    lines: list = []
    for page in document.pages:
        _justified_lines(page._page_box, lines)
    # The last line of each block (whose fragments may span pages) stays as it is.
    last_line = {id(block.element): i for i, (_, block) in enumerate(lines)}
    for i, (line, block) in enumerate(lines):
        if last_line[id(block.element)] == i:
            continue
        texts = [t for t in _text_boxes(line) if t.text.strip()]
        text = "".join(t.text for t in texts).rstrip(" ")
        if len(text) < 2:
            continue
        if not all(c.is_in_normal_flow() for c in line.children):
            continue  # floats or positioned boxes on the line: leave it alone
        right = block.content_box_x() + block.width
        end = max(c.position_x + c.margin_width() for c in line.children)
        gap = right - end
        if abs(gap) < _MIN_GAP:
            continue
        # Pango spaces every character, the last one too: that last space lies past
        # the line's end and does not count.
        spaces = sum(1 if _is_atom(t) else len(t.text) for t in texts) - 1
        if spaces < 1:
            continue
        delta = gap / spaces
        if abs(delta) > _MAX_STRETCH_EM * block.style["font_size"]:
            continue
        _spread(line, delta, 0)


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
    """WeasyPrint's tagger with the changes above, for the duration of one write; yields
    ``{structure element number: the HTML element it tags}``."""
    owners: dict = {}
    saved = (pdf_tags._get_pdf_tag, pdf_tags._build_box_tree, pdf_stream.Stream.marked)
    pdf_tags._get_pdf_tag = _pdf_tag(saved[0])
    pdf_tags._build_box_tree = _build_box_tree(saved[1], owners)
    pdf_stream.Stream.marked = _marked(saved[2])
    try:
        yield owners
    finally:
        pdf_tags._get_pdf_tag, pdf_tags._build_box_tree, pdf_stream.Stream.marked = saved


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


_CACHED_STREAM_CLASSES: dict[type, type] = {}


def _cached_stream_class(cls: type) -> type:
    """``cls`` with its ``data`` computed once.

    pydyf builds a stream's bytes, compressing them at zlib level 9, every time
    ``.data`` is read, and with a file identifier it reads every object twice (once to
    hash the body for /ID, once to write it): half of PDF/A's writing time. The
    objects are final when the finisher runs, so caching changes no byte.
    """
    if cls not in _CACHED_STREAM_CLASSES:
        def data(self):
            cached = self.__dict__.get("_cleaner_data")
            if cached is None:
                cached = self.__dict__["_cleaner_data"] = cls.data.fget(self)
            return cached
        _CACHED_STREAM_CLASSES[cls] = type(cls.__name__, (cls,), {"data": property(data)})
    return _CACHED_STREAM_CLASSES[cls]


def _cache_stream_data(pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and type(obj) not in _CACHED_STREAM_CLASSES.values():
            obj.__class__ = _cached_stream_class(type(obj))


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
    _cache_stream_data(pdf)
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
    html = render_html(doc, composed=True)
    fetcher = url_fetcher or FontOnlyFetcher()
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
    for part in (html.encode(), source_name.encode(), source_bytes, report_json):
        digest.update(hashlib.sha256(part).digest())
    identifier = digest.hexdigest()[:32].encode()

    document = HTML(string=html, base_url=None, url_fetcher=fetcher).render()
    _justify_inter_character(document)
    _mark_artifacts(document)
    with _tagging() as owners:
        return document.write_pdf(
            pdf_variant=PDF_VARIANT,
            pdf_identifier=identifier,
            attachments=attachments,
            finisher=_finisher(doc, owners),
        )
