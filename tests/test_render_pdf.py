"""The PDF edition: GB/T 9704 layout, text fidelity, PDF/A-3 with attachments, safety.

The fixture document is rendered once per module (Simplified, Traditional, and the
Simplified one a second time for the determinism check); everything else reads
those files with poppler's tools, pdfplumber and pypdf.
"""

from __future__ import annotations

import collections
import functools
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from cleaner.document import Block, Document
from cleaner.render.html import display_date, document_date, render_html
from cleaner.render.pdf import FontOnlyFetcher, RefusedURL, pdf_bytes

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_ae458432d04a05e1.txt"
SOURCE_NAME = "000_ae458432d04a05e1.txt"

MM = 72 / 25.4  # PDF points per millimetre
GRID_LINE = 225 * MM / 22  # 28.99 pt
CHAR_PITCH = 156 * MM / 28  # 15.79 pt
TOP = 37 * MM
HALF_CHAR = 8.0  # pt: a line ending further than this from the right edge is "short"

HOSTILE = '<img src="file:///etc/passwd"> <script>alert(1)</script> &amp; {{ x }} url(http://example.com/x.png)'
LATIN = "空气质量持续改善，PM2.5平均浓度24微克/立方米；打响“T-MAX”科创品牌，打造“3+3”产业创新集群，完成“12345”热线归并，群众诉求办件满意率达98%。"
NOTE = "整理者注：原文在此处截断，以下内容缺失。"
FOLIO = re.compile(r"\s*—\s*\d+\s*—\s*")
# What a cleaned document has instead of the scraped text's ASCII punctuation.
FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"})

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdffonts", "pdfinfo", "pdftotext", "pdfdetach", "qpdf")),
    reason="poppler-utils and qpdf are needed",
)


# --- fixture document ---------------------------------------------------------------


def _seed_paragraphs() -> list[str]:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = lines[lines.index("各位代表:") :]
    end = next(i for i, line in enumerate(body) if line.startswith("1、当您付费"))
    return [line.translate(FULL_WIDTH) for line in body[:end]]


def make_document() -> Document:
    blocks: list[Block] = []
    for text in _seed_paragraphs():
        lead = re.match(r"([一二三四五六七八九十]+、[^。]{4,30}。)(.+)", text)
        if text.endswith("回顾"):
            blocks.append(Block("heading", text, level=1))
        elif lead:  # "一、坚定不移……更强。坚持……": a run-in heading and its paragraph
            blocks.append(Block("heading", lead[1], level=1, run_in=True))
            blocks.append(Block("paragraph", lead[2]))
        else:
            blocks.append(Block("paragraph", text))
    blocks += [
        Block("heading", "2023年工作安排", level=1),
        Block("heading", "（一）突出经济提质", level=2),
        Block("paragraph", LATIN),
        Block("heading", "1.加快构建现代产业体系", level=3),
        Block("paragraph", HOSTILE),
        Block("note", NOTE),
    ]
    meta = {
        "date": "2023-01-05",
        "author": "太仓市人民政府",
        "description": "太仓市2023年政府工作报告（整理本）",
        "keywords": ["政府工作报告", "太仓"],
    }
    return Document(title="太仓市2023年政府工作报告", meta=meta, blocks=blocks)


def traditional(doc: Document) -> Document:
    opencc = pytest.importorskip("opencc")
    cc = opencc.OpenCC("s2tw")
    return Document(
        title=cc.convert(doc.title),
        meta={**doc.meta, "language": "zh-Hant-TW"},
        blocks=[b.with_text(cc.convert(b.text)) for b in doc.blocks],
    )


class Rendered:
    """One rendered PDF: its document, file, bytes, report and the fetcher's log."""

    def __init__(self, doc: Document, path: Path) -> None:
        self.doc, self.path = doc, path
        self.fetcher = FontOnlyFetcher()
        self.report = json.dumps(doc.report_dict(), ensure_ascii=False).encode()
        self.data = pdf_bytes(
            doc,
            source_bytes=SEED.read_bytes(),
            source_name=SOURCE_NAME,
            report_json=self.report,
            url_fetcher=self.fetcher,
        )
        path.write_bytes(self.data)


@pytest.fixture(scope="module")
def outdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def sc(outdir) -> Rendered:
    return Rendered(make_document(), outdir / "sc.pdf")


@pytest.fixture(scope="module")
def tw(outdir) -> Rendered:
    return Rendered(traditional(make_document()), outdir / "tw.pdf")


@pytest.fixture(scope="module", params=["sc", "tw"])
def rendered(request) -> Rendered:
    return request.getfixturevalue(request.param)


# --- helpers ------------------------------------------------------------------------


def _run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True).stdout


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _expected_text(doc: Document) -> str:
    # the clean text (title, date line, blocks) as `cleaner clean` prints it
    return _squeeze("".join(doc.text_lines()))


def _type_area(page_number: int) -> tuple[float, float]:
    """Left and right edge of the type area: the binding side (28 mm) is left on odd pages."""
    left = (28 if page_number % 2 else 26) * MM
    return left, left + 156 * MM


Line = collections.namedtuple("Line", "page baseline text chars size")


@functools.cache
def _lines(path: Path) -> list[Line]:
    """Every text line of the PDF (grouped by baseline), in reading order (cached:
    each test file is written once)."""
    out = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            rows = collections.defaultdict(list)
            for char in page.chars:
                if not char["text"].isspace():
                    rows[round(page.height - char["matrix"][5], 1)].append(char)
            for baseline in sorted(rows):
                chars = sorted(rows[baseline], key=lambda c: c["x0"])
                text = "".join(c["text"] for c in chars)
                size = max(c["size"] for c in chars)
                out.append(Line(number, baseline, text, chars, size))
    return out


def _body_lines(path: Path) -> list[Line]:
    """Lines of 16 pt text: body paragraphs, headings and the date line."""
    return [line for line in _lines(path) if abs(line.size - 16) < 0.5]


def _paragraph_lines(r: Rendered) -> list[tuple[Line, bool]]:
    """``(line, is_last_line_of_its_paragraph)`` for every line of a body paragraph.

    Lines are matched to blocks by consuming the text (which test_text_is_exact
    shows to be identical); a run-in heading is a heading like any other, on lines
    of its own (no line holds the end of one block and the start of the next).
    """
    units: list[tuple[str, str]] = [("title", r.doc.title), ("date", display_date(r.doc))]
    units += [(block.kind, block.text) for block in r.doc.blocks if block.kind != "note"]
    lines = [line for line in _lines(r.path) if line.size > 15.5]  # title, body; no folios/note
    out = []
    unit, consumed = 0, ""
    for line in lines:
        consumed += line.text
        target = _squeeze(units[unit][1])
        assert target.startswith(consumed), (line, target[: len(consumed) + 5])
        last = consumed == target
        if units[unit][0] == "paragraph":
            out.append((line, last))
        if last:
            unit, consumed = unit + 1, ""
    assert unit == len(units)
    return out


# --- text ---------------------------------------------------------------------------


def test_text_is_exact(rendered):
    """pdftotext gives back the clean text: nothing lost, changed, doubled or faked."""
    raw = _run("pdftotext", "-raw", "-enc", "UTF-8", rendered.path, "-")
    text = _squeeze("".join(line for line in raw.splitlines() if not FOLIO.fullmatch(line)))
    assert text == _expected_text(rendered.doc)
    for char in text:
        code = ord(char)
        assert char != "\ufffd"
        assert not 0xE000 <= code <= 0xF8FF, f"private-use {char!r}"
        assert not 0x2F00 <= code <= 0x2FDF, f"Kangxi radical {char!r}"
        assert not 0xF900 <= code <= 0xFAFF, f"compatibility ideograph {char!r}"
        assert unicodedata.category(char) != "Co"


def test_hostile_text_is_only_text(sc):
    html = render_html(sc.doc)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp;amp;" in html
    raw = _run("pdftotext", "-raw", "-enc", "UTF-8", sc.path, "-")
    raw = _squeeze("".join(line for line in raw.splitlines() if not FOLIO.fullmatch(line)))
    assert _squeeze(HOSTILE) in raw
    # Only font files were ever asked for, and nothing named in the document.
    assert sc.fetcher.requested
    for url in sc.fetcher.requested:
        assert url.startswith("file:///"), url
        assert url.lower().endswith((".otf", ".ttf", ".ttc")), url
        assert "passwd" not in url and "example.com" not in url


def test_fetcher_refuses_everything_but_fonts(sc):
    fetcher = FontOnlyFetcher()
    for url in (
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/style.css",
        "data:text/css,body{}",
        "ftp://example.com/x",
        "file:///work/main/../../etc/passwd",
        "file:///usr/share/fonts/../../../etc/passwd",
        "file:///etc/passwd.ttf",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    font = sc.fetcher.requested[0]
    assert fetcher.fetch(font).read()[:4] in (b"OTTO", b"\x00\x01\x00\x00", b"ttcf", b"true")


# --- PDF structure ------------------------------------------------------------------


def test_fonts_embedded_subset_with_tounicode(rendered):
    rows = _run("pdffonts", rendered.path).splitlines()[2:]
    assert rows
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def test_qpdf_check(rendered):
    result = subprocess.run(["qpdf", "--check", str(rendered.path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def test_attachments(rendered, tmp_path):
    listing = _run("pdfdetach", "-list", rendered.path).splitlines()
    names = {line.split(": ", 1)[1]: line.split(":", 1)[0] for line in listing[1:]}
    assert set(names) == {SOURCE_NAME, "000_ae458432d04a05e1.report.json"}
    for name, expected in ((SOURCE_NAME, SEED.read_bytes()), ("000_ae458432d04a05e1.report.json", rendered.report)):
        out = tmp_path / "attached"
        _run("pdfdetach", "-save", names[name], "-o", out, rendered.path)
        assert out.read_bytes() == expected, name

    reader = PdfReader(rendered.path)
    catalog = reader.trailer["/Root"]
    relationships = {}
    for ref in catalog["/AF"]:
        spec = ref.get_object()
        relationships[spec["/UF"]] = spec["/AFRelationship"]
        params = spec["/EF"]["/F"].get_object()["/Params"]
        assert params["/CreationDate"] == params["/ModDate"] == "D:20230105000000Z"
    assert relationships == {SOURCE_NAME: "/Source", "000_ae458432d04a05e1.report.json": "/Supplement"}
    assert len(catalog["/AF"]) == 2


def test_non_ascii_source_name(tmp_path):
    doc = Document(title="通知", blocks=[Block("paragraph", "现将有关事项通知如下。")])
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf_bytes(doc, source_bytes=b"\xff\xfe raw", source_name="关于 通知(原文).txt", report_json=b"{}"))
    listing = _run("pdfdetach", "-list", path)
    assert "关于 通知(原文).txt" in listing and "关于 通知(原文).report.json" in listing
    attachments = PdfReader(path).attachments
    assert attachments["关于 通知(原文).txt"] == [b"\xff\xfe raw"]


def test_metadata(rendered):
    info = dict(line.split(":", 1) for line in _run("pdfinfo", "-isodates", rendered.path).splitlines())
    info = {k: v.strip() for k, v in info.items()}
    assert info["Title"] == rendered.doc.title
    assert info["Author"] == rendered.doc.meta["author"]
    assert info["Subject"] == rendered.doc.meta["description"]
    assert info["Keywords"] == ", ".join(rendered.doc.meta["keywords"])
    assert info["CreationDate"] == info["ModDate"] == "2023-01-05T00:00:00Z"
    assert info["Page size"].startswith("595.276 x 841.89")
    xmp = _run("pdfinfo", "-meta", rendered.path)
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert f">{rendered.doc.title}<" in xmp and f">{rendered.doc.meta['author']}<" in xmp
    assert "<xmp:CreateDate>2023-01-05T00:00:00Z</xmp:CreateDate>" in xmp
    assert "<xmp:ModifyDate>2023-01-05T00:00:00Z</xmp:ModifyDate>" in xmp
    reader = PdfReader(rendered.path)
    assert reader.trailer["/Root"]["/Lang"] == rendered.doc.meta.get("language", "zh-CN")
    assert len(reader.trailer["/ID"]) == 2


def test_outline_is_title_and_headings(rendered):
    def flatten(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from flatten(item, depth + 1)
            else:
                yield depth, item.title

    outline = list(flatten(PdfReader(rendered.path).outline))
    headings = rendered.doc.headings()
    assert [title for _, title in outline] == [rendered.doc.title] + [h.text for h in headings]
    assert any(h.run_in for h in headings)
    # The title is the root; heading level n is nested n deep under it.
    assert [depth for depth, _ in outline] == [0] + [h.level for h in headings]


def test_byte_identical_rerun(sc, outdir):
    again = Rendered(make_document(), outdir / "again.pdf")
    assert again.data == sc.data


def test_pdfs_rendered_in_threads_at_once_are_those_rendered_alone(sc, tw):
    """A Dask worker may run several documents in threads of one process: the PDFs must
    be the bytes of a render alone (the write's tagging patches are process-wide, and
    Pango's layout is not safe across threads)."""
    import threading

    def render(doc: Document) -> bytes:
        return pdf_bytes(doc, source_bytes=SEED.read_bytes(), source_name=SOURCE_NAME, report_json=sc.report)

    alone = {id(doc): render(doc) for doc in (sc.doc, tw.doc)}
    results: list[tuple[int, bytes]] = []
    threads = [threading.Thread(target=lambda d=doc: results.append((id(d), render(d))))
               for doc in (sc.doc, tw.doc, sc.doc, tw.doc)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(data == alone[key] for key, data in results)


def test_fonts_are_loaded_once_a_process(sc, tw):
    """The default renderer parses style.css and loads its fonts once per process, not
    once per PDF (the Traditional PDF and a batch's next documents reuse them), and the
    result is byte-identical to a render with fonts loaded afresh (``sc`` used its own
    fetcher)."""
    from cleaner.render import pdf

    def render(doc: Document) -> bytes:
        return pdf_bytes(doc, source_bytes=SEED.read_bytes(), source_name=SOURCE_NAME, report_json=sc.report)

    assert render(sc.doc) == sc.data
    fetched = list(pdf._shared_style()[0].requested)
    assert fetched, "the shared style fetched its fonts"
    render(tw.doc)
    render(sc.doc)
    assert pdf._shared_style()[0].requested == fetched, "no font fetched again"


# --- layout -------------------------------------------------------------------------


def test_short_lines_share(rendered):
    """Non-final lines of a paragraph end flush with the right edge of the type area
    (within a point: a character's cell is its glyph and the tracking after it), or
    with a line-end mark compressed or hanging past it (标点悬挂)."""
    tracking = 1.072 if rendered.doc.meta.get("language", "").startswith("zh-Hant") else -0.208
    gaps = []
    for line, last in _paragraph_lines(rendered):
        if not last:
            right = _type_area(line.page)[1]
            end = line.chars[-1]
            if end["text"] not in "，。、；：”’）》」』" and not line.text.isascii():
                cell = end["x1"] + (-0.208 if end["text"].isascii() else tracking)
                gaps.append((right - cell, line.text))
    assert len(gaps) > 100
    assert all(-0.5 <= gap <= 0.5 for gap, _ in gaps), [g for g in gaps if abs(g[0]) > 0.5]


def test_lines_on_grid_and_22_per_page(rendered):
    lines = _body_lines(rendered.path)
    by_page = collections.defaultdict(list)
    for line in lines:
        by_page[line.page].append(line)
    assert len(by_page) >= 3
    origin = by_page[2][0].baseline  # the first line of the grid on a page
    assert TOP < origin < TOP + GRID_LINE
    for page_lines in by_page.values():
        for line in page_lines:
            # Every 16 pt line, headings included, sits on one of the 22 grid lines.
            steps = (line.baseline - origin) / GRID_LINE
            assert abs(steps - round(steps)) * GRID_LINE < 0.3, line.text
            assert 0 <= round(steps) <= 21, line.text
    # A page that ends inside a paragraph is full: its last line is on grid line 22
    # and (after page 1, which has the title) it holds 22 lines; except the page before
    # the editor's note, which gives the note lines of the last paragraph to keep it company.
    full_pages = 0
    paragraph_lines = _paragraph_lines(rendered)
    last_paragraph = _squeeze([b.text for b in rendered.doc.blocks if b.kind != "note"][-1])
    for (line, last), (following, _) in zip(paragraph_lines, paragraph_lines[1:], strict=False):
        if following.page == line.page + 1 and not last and not last_paragraph.endswith(following.text):
            assert abs(line.baseline - (origin + 21 * GRID_LINE)) < 0.5, line.page
            if line.page > 1:
                assert len(by_page[line.page]) == 22, line.page
            full_pages += 1
    assert full_pages >= 8


def test_28_characters_per_full_line(rendered):
    """Unstretched lines of full-width characters hold 28 characters on a 156/28 mm pitch."""
    counted = 0
    for line, last in _paragraph_lines(rendered):
        left, right = _type_area(line.page)
        chars = line.chars
        if last or abs(chars[0]["x0"] - left) > 1:  # final lines and indented first lines
            continue
        if chars[-1]["x0"] > right - 1:  # a mark hanging in the margin (标点悬挂)
            chars = chars[:-1]
        if any(unicodedata.east_asian_width(c["text"]) not in "WF" for c in chars):
            continue
        pitch = (chars[-1]["x0"] - chars[0]["x0"]) / (len(chars) - 1)
        if abs(pitch - CHAR_PITCH) > 0.02:
            continue  # a line given extra inter-character spacing
        assert len(chars) == 28, line.text
        counted += 1
    assert counted >= 60


def test_page_numbers(rendered):
    folios = [line for line in _lines(rendered.path) if FOLIO.fullmatch(line.text)]
    pages = len(PdfReader(rendered.path).pages)
    assert [line.page for line in folios] == list(range(1, pages + 1))
    for line in folios:
        assert line.text == f"—{line.page}—"
        assert abs(line.size - 14) < 0.1
        left, right = _type_area(line.page)
        if line.page % 2:  # odd: right, one character in from the type area's edge
            assert abs(right - 14 - line.chars[-1]["x1"]) < 1.5
        else:
            assert abs(left + 14 - line.chars[0]["x0"]) < 1.5
        assert (262 + 4) * MM < line.baseline < (262 + 10) * MM


def test_title_and_date(sc):
    lines = _lines(sc.path)
    title, date = lines[0], lines[1]
    assert title.text == sc.doc.title and abs(title.size - 22) < 0.1
    assert date.text == "2023年1月5日"
    left, right = _type_area(1)
    for line in (title, date):  # centred
        middle = (line.chars[0]["x0"] + line.chars[-1]["x1"]) / 2
        assert abs(middle - (left + right) / 2) < 2
    assert TOP < title.baseline < TOP + GRID_LINE


def test_heading_fonts(sc, tw):
    def fonts(r: Rendered, text: str) -> set[str]:
        line = next(line for line in _lines(r.path) if line.text.startswith(text))
        return {re.sub(r"^[A-Z]{6}\+", "", c["fontname"]) for c in line.chars if not c["text"].isascii()}

    assert fonts(sc, "2023年工作安排") == {"Noto-Sans-CJK-SC"}
    assert fonts(sc, "（一）突出经济提质") == {"AR-PL-UKai-CN"}
    assert fonts(sc, "各位代表") <= {"FandolFang-R", "cwTeXFangSong-Medium", "Noto-Serif-CJK-SC"}
    assert fonts(tw, "2023年工作安排") == {"Noto-Sans-CJK-TC"}
    assert fonts(tw, "（一）突出經濟提質") == {"AR-PL-UKai-TW"}
    assert fonts(tw, "各位代表") == {"cwTeXFangSong-Medium"}


def test_heading_keeps_with_next(tmp_path):
    # Title, date and the blank line take 3 lines; 18 one-line paragraphs fill the
    # page to line 21, so the heading would be the last line of page 1.
    blocks = [Block("paragraph", f"第{i}段，一行文字。") for i in range(1, 19)]
    blocks += [Block("heading", "二、下一节的标题", level=1), Block("paragraph", "下一节的正文。")]
    doc = Document(title="保持标题与正文同页", meta={"date": "2023-01-05"}, blocks=blocks)
    path = tmp_path / "keep.pdf"
    path.write_bytes(pdf_bytes(doc, source_bytes=b"x", source_name="keep.txt", report_json=b"{}"))
    lines = [line for line in _lines(path) if not FOLIO.fullmatch(line.text)]
    heading = next(line for line in lines if line.text == "二、下一节的标题")
    body = next(line for line in lines if line.text == "下一节的正文。")
    assert heading.page == body.page == 2


# --- HTML and dates -----------------------------------------------------------------


def test_html_document(sc, tw):
    html = render_html(sc.doc)
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert "<title>太仓市2023年政府工作报告</title>" in html
    assert '<meta name="author" content="太仓市人民政府">' in html
    assert '<meta name="keywords" content="政府工作报告, 太仓">' in html
    assert '<meta name="dcterms.created" content="2023-01-05T00:00:00Z">' in html
    assert '<aside class="editor-note" role="note">' in html
    assert "run-in" not in html  # run-in headings are headings of their own
    assert '<h2 class="heading level-1"><span class="text">一、坚定不移两手抓、两手胜，经济发展韧劲更强。</span></h2>' in html
    assert '<h3 class="heading level-2">' in html and '<h4 class="heading level-3">' in html
    assert '<html lang="zh-Hant-TW">' in render_html(tw.doc)


def test_dates(monkeypatch):
    doc = Document(title="t", meta={"date": "2023-01-05"})
    assert display_date(doc) == "2023年1月5日"
    assert document_date(doc).isoformat() == "2023-01-05T00:00:00+00:00"
    assert display_date(Document(meta={"date": "2023-11"})) == "2023年11月"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert document_date(Document()).isoformat() == "2023-11-14T22:13:20+00:00"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert document_date(Document()).isoformat() == "2000-01-01T00:00:00+00:00"
    assert document_date(Document(meta={"date": "二〇二三年"})).year == 2000
