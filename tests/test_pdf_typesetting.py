"""The PDF editions as a typesetter would sign them, measured on built files.

The seed and two dev documents (copied into tests/fixtures/dev/, public data) are built
with ``cleaner build`` into a temporary folder, Simplified and Traditional, and read
back with pdfplumber, pdftotext and pypdf:

* every heading is its own line, in the text layer and by glyph positions;
* lines are fitted by compressing punctuation first, then by even inter-character
  spacing: at most 5% of non-final body lines are spaced more than 0.3 pt per gap,
  none more than 1 pt, and no digit run is ever spaced out;
* the Traditional editions use corner quotes 「」『』 by default, every mark a full em,
  the body's characters from the 仿宋 face;
* no page holds only the editor's note;
* the file is tagged (H1/H2/P, the note as Note, /Lang) and claims PDF/A-3a, with
  dc:language and dc:creator in its XMP;
* the addressee is flush left, subtitle and speaker lines are centred, and a
  heading never leaves one character alone on its last line.
"""

from __future__ import annotations

import collections
import functools
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from cleaner.document import Document
from cleaner.pipeline import clean
from cleaner.render.compose import SAFETY, compose
from cleaner.render.html import render_html
from cleaner.shapes import front_matter_kind
from cleaner.traditional import document_to_traditional

ROOT = Path(__file__).resolve().parents[1]
INPUTS = [
    ROOT / "seeds" / "000_ae458432d04a05e1.txt",
    ROOT / "tests" / "fixtures" / "dev" / "dev_01_360docs_hailaer2015.txt",
    ROOT / "tests" / "fixtures" / "dev" / "dev_02_doczj_wanzai2015_complete.txt",
]
EDITIONS = ["", ".zh-Hant"]
MM = 72 / 25.4
FOLIO = re.compile(r"^—\d+—$")
MARKS = set("，。、；：？！“”‘’「」『』（）《》〈〉【】〔〕—…·")
CLOSING_MARKS = set("，。、；：）》」』〉】〕”’")
TRACKING = {"": -0.208, ".zh-Hant": 1.072}  # style.css --body-tracking
LATIN_TRACKING = -0.208  # numbers and Latin words in every edition (two digits, one character)

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is needed")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built")
    subprocess.run([sys.executable, "-m", "cleaner", "build", *map(str, INPUTS), "-o", str(out), "--quiet",
                    "--to", "txt,pdf"], check=True, capture_output=True)
    return out


@functools.cache
def _doc(stem: str, edition: str) -> Document:
    doc = clean(next(p for p in INPUTS if p.stem == stem))
    return document_to_traditional(doc) if edition else doc


CASES = [(p.stem, e) for p in INPUTS for e in EDITIONS]
IDS = [f"{s[:6]}{e or '.sc'}" for s, e in CASES]


# --- reading the PDF ------------------------------------------------------------------------

Line = collections.namedtuple("Line", "page baseline text chars size spaced")


@functools.cache
def _lines(path: Path) -> list[Line]:
    out = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            rows = collections.defaultdict(list)
            for char in page.chars:
                rows[round(page.height - char["matrix"][5], 1)].append(char)
            for baseline in sorted(rows):
                spaced = sorted(rows[baseline], key=lambda c: c["x0"])
                chars = [c for c in spaced if not c["text"].isspace()]
                if not chars:
                    continue
                text = "".join(c["text"] for c in chars)
                out.append(Line(number, baseline, text, chars, max(c["size"] for c in chars), spaced))
    return out


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _units(doc: Document) -> list[tuple[str, str]]:
    """``(kind, text)`` of everything set at 16 pt or more, in order: title, date line, blocks."""
    units = [("title", doc.title)] if doc.title else []
    if doc.date_line():
        units.append(("date", doc.date_line()))
    units += [(b.kind, b.text) for b in doc.blocks if b.text and b.kind != "note"]
    return units


def _assign(path: Path, doc: Document) -> list[tuple[Line, str, bool]]:
    """Every 16 pt+ line with the kind of the one unit it belongs to, and whether it is
    that unit's last line. Fails if a line holds the end of one unit and the start of the
    next (a heading run into its paragraph)."""
    lines = [line for line in _lines(path) if line.size > 15.5 and not FOLIO.match(line.text)]
    units = _units(doc)
    out = []
    k, consumed = 0, ""
    for line in lines:
        target = _squeeze(units[k][1])
        consumed += line.text
        assert target.startswith(consumed), (
            f"page {line.page}: line {line.text[:30]!r} does not continue {units[k][0]} {target[:30]!r}"
            f" (consumed {consumed[-20:]!r})")
        last = consumed == target
        out.append((line, units[k][0], last))
        if last:
            k, consumed = k + 1, ""
    assert k == len(units)
    return out


# --- 1. headings are lines of their own -----------------------------------------------------


@pytest.mark.parametrize(("stem", "edition"), CASES, ids=IDS)
def test_no_heading_shares_a_line_glyphs(built, stem, edition):
    doc = _doc(stem, edition)
    assigned = _assign(built / f"{stem}{edition}.pdf", doc)
    assert any(kind == "heading" for _, kind, _ in assigned)


@pytest.mark.parametrize(("stem", "edition"), CASES, ids=IDS)
def test_no_heading_shares_a_line_text_layer(built, stem, edition):
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(built / f"{stem}{edition}.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    lines = [_squeeze(line) for line in raw.splitlines() if _squeeze(line)]
    headings = [_squeeze(b.text) for b in _doc(stem, edition).headings()]
    assert headings
    for heading in headings:
        starts = [i for i, line in enumerate(lines) if heading.startswith(line) and line]
        found = False
        for i in starts:
            joined, j = "", i
            while j < len(lines) and len(joined) < len(heading):
                joined += lines[j]
                j += 1
            found = found or joined == heading
        assert found, f"heading {heading!r} is not a line of its own in the text layer"


# --- 2. line fitting ------------------------------------------------------------------------


def _stretch(line: Line, edition: str) -> float | None:
    """Extra space per character gap (pt) between characters that are not marks."""
    gaps = [b["x0"] - a["x1"] - TRACKING[edition]
            for a, b in zip(line.chars, line.chars[1:], strict=False)
            if a["text"] not in MARKS and b["text"] not in MARKS and not a["text"].isascii()
            and not b["text"].isascii()]
    return statistics.median(gaps) if len(gaps) >= 5 else None


def _body_lines(built: Path, stem: str, edition: str) -> list[tuple[Line, bool]]:
    """Lines of justified body paragraphs (not the centred or flush-left front matter)."""
    simplified, edition_doc = _doc(stem, ""), _doc(stem, edition)
    front = {_squeeze(edition_doc.blocks[i].text) for i, b in enumerate(simplified.blocks[:6])
             if b.kind == "paragraph" and front_matter_kind(b.text)}
    out, unit = [], ""
    for line, kind, last in _assign(built / f"{stem}{edition}.pdf", _doc(stem, edition)):
        unit += line.text
        if kind == "paragraph" and not any(f.startswith(unit) for f in front):
            out.append((line, last))
        if last:
            unit = ""
    return out


@pytest.mark.parametrize(("stem", "edition"), CASES, ids=IDS)
def test_lines_are_not_letter_spaced(built, stem, edition):
    stretches = [s for line, last in _body_lines(built, stem, edition) if not last
                 for s in [_stretch(line, edition)] if s is not None]
    assert len(stretches) > 50
    loose = [s for s in stretches if s > 0.3]
    assert len(loose) / len(stretches) <= 0.05, (len(loose), len(stretches), sorted(loose)[-5:])
    assert max(stretches) <= 1.0


@pytest.mark.parametrize(("stem", "edition"), CASES, ids=IDS)
def test_digit_runs_are_never_spaced(built, stem, edition):
    runs = 0
    for line, _ in _body_lines(built, stem, edition):
        for a, b in zip(line.spaced, line.spaced[1:], strict=False):  # "8.8 %" has a space
            if re.fullmatch(r"[0-9.]", a["text"]) and re.fullmatch(r"[0-9.%]", b["text"]):
                runs += 1
                # Kerning may bring digits closer ("11"), nothing spaces them apart; a gap
                # of a word space or more is a space of the text ("15767 18.64").
                extra = b["x0"] - a["x1"] - LATIN_TRACKING
                assert extra < 0.05 or extra > 3, (line.text, a["text"], b["text"])
    assert runs > 50


@pytest.mark.parametrize(("stem", "edition"), CASES, ids=IDS)
def test_non_final_lines_end_flush(built, stem, edition):
    """A justified line ends at the type area's right edge; a line-end mark whose blank
    half is compressed away reaches past it by no more than half an em, and 。，、；：
    may hang into the margin (标点悬挂) by no more than their width."""
    for line, last in _body_lines(built, stem, edition):
        if last:
            continue
        right = (28 if line.page % 2 else 26) * MM + 156 * MM
        end = line.chars[-1]
        # A character's cell is its glyph and the tracking after it.
        overhang = end["x1"] + (LATIN_TRACKING if end["text"].isascii() else TRACKING[edition]) - right
        allowed = 16.1 if end["text"] in "。，、；：" else 8.1 if end["text"] in CLOSING_MARKS else 0.3
        assert -0.35 < overhang < allowed, (line.page, line.text, overhang)


@pytest.mark.parametrize(("stem", "edition"), CASES, ids=IDS)
def test_layout_keeps_the_composed_lines(built, stem, edition):
    """The layout engine never breaks a composed line again: the body and the note have
    exactly as many lines as compose.py gave them."""
    doc = _doc(stem, edition)
    html = render_html(doc, composed=True)
    main = html[html.index('<main class="body">'):html.index("</main>")]
    note = re.findall(r'<aside class="editor-note".*?</aside>', main, re.S)
    body = re.sub(r'<aside class="editor-note".*?</aside>', "", main, flags=re.S)
    blocks = re.findall(r"<(?:p|h[2-5])\b[^>]*>.*?</(?:p|h[2-5])>", body, re.S)
    lines = [line for line in _lines(built / f"{stem}{edition}.pdf") if not FOLIO.match(line.text)]
    date = bool(doc.date_line())  # the date line under the title is 16 pt too
    assert sum(1 for line in lines if abs(line.size - 16) < 0.5) - date == \
        sum(block.count("\n") + 1 for block in blocks)
    assert sum(1 for line in lines if abs(line.size - 14) < 0.5) == sum(n.count("\n") + 1 for n in note)


# --- 3. Traditional quotes ------------------------------------------------------------------


def test_traditional_editions_use_corner_quotes(built):
    stem = INPUTS[0].stem
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(built / f"{stem}.zh-Hant.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "「" in text and "」" in text
    assert not set("“”‘’") & set(text)
    assert "「人民至上、生命至上」" in _squeeze(text)


@functools.cache
def _cwtex() -> frozenset[str]:
    from fontTools.ttLib import TTFont

    path = Path("/usr/share/fonts/truetype/cwtex/cwfs.ttf")
    if not path.is_file():
        pytest.skip("cwTeX 仿宋 is not installed")
    return frozenset(chr(code) for code in TTFont(path, lazy=True).getBestCmap())


@pytest.mark.parametrize("stem", [p.stem for p in INPUTS])
def test_traditional_marks_and_characters_from_the_body_face(built, stem):
    """Every character of the body that cwTeX 仿宋 has comes from it (眾, the Taiwan form
    of 众, is in cwTeX; 衆 is not and would fall back to another face); marks are a full
    em of the grid."""
    seen = set()
    for line, kind, _ in _assign(built / f"{stem}.zh-Hant.pdf", _doc(stem, ".zh-Hant")):
        if kind != "paragraph":
            continue
        for char in line.chars:
            if char["text"].isascii():
                continue
            seen.add(char["text"])
            font = re.sub(r"^[A-Z]{6}\+", "", char["fontname"])
            if char["text"] in _cwtex():
                assert font.startswith("cwTeXFangSong"), (char["text"], font, line.text)
            if char["text"] in MARKS - {"—", "…", "·"}:
                assert abs(char["x1"] - char["x0"] - 0.92 * 16) < 0.05, (char["text"], line.text)
    assert "衆" not in seen
    if stem == INPUTS[0].stem:
        assert "眾" in seen


def test_quotes_keep_gives_full_width_quotes(tmp_path):
    doc = document_to_traditional(clean(INPUTS[0]), "tw", quotes="keep")
    assert "“" in doc.text()
    from cleaner.render.pdf import pdf_bytes

    path = tmp_path / "keep.pdf"
    path.write_bytes(pdf_bytes(doc, source_bytes=b"x", source_name="x.txt", report_json=b"{}"))
    quotes = [c for line in _lines(path) for c in line.chars if c["text"] in "“”"]
    assert quotes
    for char in quotes:
        assert abs(char["x1"] - char["x0"] - 16) < 0.05, char["fontname"]


# --- 4. the editor's note -------------------------------------------------------------------


@pytest.mark.parametrize(("stem", "edition"), [(INPUTS[0].stem, e) for e in EDITIONS], ids=EDITIONS)
def test_no_page_holds_only_the_note(built, stem, edition):
    assert _doc(stem, edition).report.notes
    by_page = collections.defaultdict(list)
    for line in _lines(built / f"{stem}{edition}.pdf"):
        if not FOLIO.match(line.text):
            by_page[line.page].append(line)
    for page, lines in by_page.items():
        assert any(line.size > 15.5 for line in lines), f"page {page} holds only the note"


# --- 7. tagged, archival --------------------------------------------------------------------


def _structure(reader: PdfReader) -> collections.Counter:
    counts: collections.Counter = collections.Counter()

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                counts[node["/S"]] += 1
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    kid = kid.get_object() if hasattr(kid, "get_object") else kid
                    if isinstance(kid, dict):
                        walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return counts


@pytest.mark.parametrize(("stem", "edition"), CASES, ids=IDS)
def test_tagged_structure(built, stem, edition):
    reader = PdfReader(built / f"{stem}{edition}.pdf")
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == _doc(stem, edition).meta.get("language", "zh-CN")
    counts = _structure(reader)
    doc = _doc(stem, edition)
    assert counts["/Document"] == 1
    # One element per block, however many pages it runs over: the title H1, level-n
    # headings H(n+1), every paragraph (and the date line, and the note's text) a P.
    assert counts["/H1"] == 1
    for level in (1, 2, 3, 4):
        assert counts[f"/H{level + 1}"] == sum(1 for h in doc.headings() if h.level == level)
    paragraphs = sum(1 for b in doc.blocks if b.kind in ("paragraph", "note") and b.text)
    assert counts["/P"] == paragraphs + bool(doc.date_line())
    assert counts["/Note"] == sum(1 for b in doc.blocks if b.kind == "note")


@pytest.mark.parametrize(("stem", "edition"), CASES, ids=IDS)
def test_xmp_claims_pdfa_3a(built, stem, edition):
    xmp = subprocess.run(["pdfinfo", "-meta", str(built / f"{stem}{edition}.pdf")], capture_output=True,
                         text=True, check=True).stdout
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    language = _doc(stem, edition).meta.get("language", "zh-CN")
    assert re.search(rf"<dc:language>\s*<rdf:Bag>\s*<rdf:li>{re.escape(language)}</rdf:li>", xmp), xmp
    assert re.search(r"<dc:creator>\s*<rdf:Seq>\s*<rdf:li>[^<]+</rdf:li>", xmp), xmp


# --- 8. front matter and headings -----------------------------------------------------------


def test_addressee_flush_left_subtitle_and_speaker_centred(built):
    stem = INPUTS[1].stem
    for edition in EDITIONS:
        lines = {line.text: line for line in _lines(built / f"{stem}{edition}.pdf")}
        left = 28 * MM
        addressee = next(line for text, line in lines.items() if text.startswith("各位代表"))
        assert abs(addressee.chars[0]["x0"] - left) < 0.5
        for start in ("2015年2月5日", "海拉尔区人民政府区长" if not edition else "海拉爾區人民政府區長"):
            line = next(line for text, line in lines.items() if start in text)
            middle = (line.chars[0]["x0"] + line.chars[-1]["x1"]) / 2
            assert abs(middle - (left + 78 * MM)) < 1.5, line.text


def test_heading_never_leaves_one_character_on_its_last_line():
    text = "一、坚定不移推进高水平对外开放和更高层次的区域合作协调发展新格局"
    for measure in range(14, 30):
        lines = compose(text, measure=measure, indent=2, min_last=2)
        if len(lines) > 1:
            assert len("".join(p.text for p in lines[-1])) >= 2, (measure, lines)


def test_compose_prefers_compressing_punctuation_to_spacing():
    # Nine characters and "，" on a line of 9.6: the mark's blank half is compressed
    # (0.405 em: 10 em less the measure, less the composer's safety margin) instead of
    # the line ending a character and a half short.
    lines = compose("一二三四五六七八九，十一二三", measure=9.6)
    first = lines[0]
    assert "".join(p.text for p in first) == "一二三四五六七八九，"
    assert first[-1].cut_right == pytest.approx(10 - 9.6 + SAFETY)
    assert [p.text for p in lines[1]] == list("十一二三")


def test_compose_breaks_a_heading_at_its_space_without_an_empty_line():
    lines = compose("以党的二十大精神为指引 全面推进中国式现代化", measure=14, indent=2, min_last=2, ragged=True)
    texts = ["".join(p.text for p in line) for line in lines]
    assert texts == ["以党的二十大精神为指引", "全面推进中国式现代化"]


@pytest.mark.parametrize(("stem", "edition"), CASES, ids=IDS)
def test_no_heading_ends_with_a_lone_character(built, stem, edition):
    heading_lines: list[list[Line]] = [[]]
    for line, kind, last in _assign(built / f"{stem}{edition}.pdf", _doc(stem, edition)):
        if kind == "heading":
            heading_lines[-1].append(line)
            if last:
                heading_lines.append([])
    for lines in heading_lines:
        if len(lines) > 1:
            assert len(lines[-1].text) >= 2, [line.text for line in lines]


def test_front_matter_classes_in_html():
    from cleaner.document import Block

    blocks = [Block("paragraph", "江西省统计局  国家统计局江西调查总队"), Block("paragraph", "各位代表："),
              Block("paragraph", "——2015年2月5日在海拉尔区第十四届人民代表大会第四次会议上"),
              Block("heading", "一、综合", level=1), Block("paragraph", "各位代表：")]
    html = render_html(Document(title="统计公报", blocks=blocks))
    assert '<p class="issuer">' in html and '<p class="addressee">' in html and '<p class="subtitle">' in html
    assert html.count('class="addressee"') == 1  # only before the first heading
