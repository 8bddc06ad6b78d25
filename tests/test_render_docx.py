"""DOCX edition: clean text, GB/T 9704-2012 layout, reproducible bytes, valid package."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Twips
from lxml import etree

from cleaner.document import Block, Document
from cleaner.render.docx import (
    DATE_STYLE,
    NOTE_STYLE,
    docx_bytes,
    word_language,
    xml_safe,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
HOSTILE = '<img src="file:///etc/passwd"> <script>alert(1)</script> &amp; {{ x }}'
LONG_PARAGRAPH = (
    "过去一年，面对复杂严峻的国际环境和艰巨繁重的改革发展稳定任务，全市上下坚持以习近平新时代"
    "中国特色社会主义思想为指导，全面贯彻党的二十大精神，认真落实省委省政府和市委各项决策部署，"
    "高效统筹疫情防控和经济社会发展，扎实做好稳增长、促改革、调结构、惠民生、防风险、保稳定各项"
    "工作，全市经济运行总体平稳、稳中有进，高质量发展取得新成效。地区生产总值增长百分之四点五，"
    "一般公共预算收入增长百分之六，规模以上工业总产值突破三千亿元，固定资产投资保持较快增长，"
    "城乡居民人均可支配收入分别增长百分之五和百分之六点五，城市能级和核心竞争力持续提升，人民群众"
    "获得感、幸福感、安全感不断增强，为全面建设社会主义现代化新太仓打下了坚实基础。"
)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@pytest.fixture(autouse=True)
def _no_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def make_doc(**meta: str) -> Document:
    return Document(
        title="太仓市2023年政府工作报告",
        meta={"date": "2023-01-05", **meta},
        blocks=[
            Block("heading", "一、坚定不移两手抓、两手胜，经济发展韧劲更强", (3,), level=1),
            Block(
                "heading",
                "（一）统筹疫情防控和经济社会发展，综合实力稳步提升",
                (4,),
                level=2,
            ),
            Block("paragraph", LONG_PARAGRAPH, (5, 6, 7)),
            Block("heading", "1. 生态环境持续改善", (8,), level=3),
            Block(
                "paragraph",
                "全年PM2.5平均浓度降至26微克/立方米，T-MAX智能制造基地建成投产。",
                (9,),
            ),
            Block("heading", "（1）打好蓝天保卫战", (10,), level=4),
            Block("note", "〔编者注：原文此处以下内容在来源网站上不完整。〕"),
            Block("paragraph", HOSTILE, (11,)),
        ],
    )


@pytest.fixture
def doc() -> Document:
    return make_doc()


@pytest.fixture
def data(doc: Document) -> bytes:
    return docx_bytes(doc)


# --- helpers ---------------------------------------------------------------------------


def docx_text(path_or_bytes: Path | str | bytes) -> list[str]:
    """Paragraph texts of a DOCX without the TOC paragraph (the one thing the renderer
    adds to the clean text; the date line is part of the clean text)."""
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    out = []
    for p in docx.Document(source).paragraphs:
        if any("TOC" in (t.text or "") for t in p._p.iter(_w("instrText"))):
            continue
        out.append(p.text)
    return out


def space_after(data: bytes) -> list[int]:
    """Each body paragraph's space after it, in twips, direct or from its style."""
    styles = part(data, "word/styles.xml")
    out = []
    for p in part(data, "word/document.xml").iter(_w("p")):
        after = attr(p, "w:pPr/w:spacing", "after")
        style_id = attr(p, "w:pPr/w:pStyle", "val") or "Normal"
        while after is None and style_id:
            s = style(styles, style_id)
            after = attr(s, "w:pPr/w:spacing", "after")
            style_id = attr(s, "w:basedOn", "val")
        out.append(int(after or 0))
    return out


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def style(styles: etree._Element, style_id: str) -> etree._Element:
    found = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    assert found is not None, style_id
    return found


def attr(el: etree._Element | None, path: str, name: str) -> str | None:
    assert el is not None
    target = el.find(path, NS)
    return None if target is None else target.get(_w(name))


# --- text ------------------------------------------------------------------------------


def test_opens_and_text_is_the_clean_text(data: bytes, doc: Document, tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    path.write_bytes(data)
    assert docx_text(path) == doc.text_lines()
    assert docx_text(data) == doc.text_lines()


def test_hostile_text_is_literal_text(data: bytes) -> None:
    assert HOSTILE in docx_text(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml")
    assert b"<script>" not in body and b"<img " not in body
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; {{ x }}" in body


def test_date_line_and_paragraph_styles(data: bytes) -> None:
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    assert paragraphs[1].text == "2023年1月5日"
    styles = [p.style.name for p in paragraphs]
    assert styles == [
        "Title",
        DATE_STYLE,
        "Heading 1",
        "Heading 2",
        "Normal",
        "Heading 3",
        "Normal",
        "Heading 4",
        NOTE_STYLE,
        "Normal",
    ]
    # No direct formatting: paragraphs carry only their style, runs nothing at all; the
    # one exception is the blank line that closes the masthead (title, date, subtitle,
    # speaker), which belongs to whichever of them comes last.
    body = part(data, "word/document.xml")
    for i, p in enumerate(body.iter(_w("p"))):
        ppr = p.find("w:pPr", NS)
        allowed = ([], [_w("pStyle")], [_w("pStyle"), _w("spacing")] if i == 1 else [])
        assert ppr is None or [c.tag for c in ppr] in allowed, i
    assert not list(body.iter(_w("rPr")))
    assert space_after(data) == [0, 579, 0, 0, 0, 0, 0, 0, 0, 0]


def test_no_toc_by_default(data: bytes, doc: Document) -> None:
    """A 公文 has no table of contents: no TOC field, nothing for Word to update on opening,
    no blank paragraph where LibreOffice would show the empty field."""
    body = part(data, "word/document.xml")
    assert not [t.text for t in body.iter(_w("instrText")) if "TOC" in (t.text or "")]
    assert not [f for f in body.iter(_w("fldChar")) if f.get(_w("dirty"))]
    assert part(data, "word/settings.xml").find("w:updateFields", NS) is None
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    assert [p.text for p in paragraphs] == doc.text_lines()


def test_toc_field_when_asked_for(doc: Document) -> None:
    data = docx_bytes(doc, toc=True)
    body = part(data, "word/document.xml")
    instr = [t for t in body.iter(_w("instrText")) if "TOC" in t.text]
    assert [t.text for t in instr] == [' TOC \\o "1-3" \\h \\z \\u ']
    p = instr[0].getparent().getparent()
    assert [fc.get(_w("fldCharType")) for fc in p.iter(_w("fldChar"))] == [
        "begin",
        "separate",
        "end",
    ]
    assert not list(p.iter(_w("t")))
    assert docx_text(data) == doc.text_lines()


def test_document_without_date_title_or_headings() -> None:
    doc = Document(blocks=[Block("paragraph", "正文。"), Block("paragraph", "")])
    data = docx_bytes(doc)
    assert docx_text(data) == doc.text_lines() == ["正文。"]
    body = part(data, "word/document.xml")
    assert not list(body.iter(_w("instrText")))  # no outline, no TOC


def test_xml_safe_replaces_invalid_characters() -> None:
    assert xml_safe("a\x00b\x0bc\ufffed\uffff\ud800e\tf\ng\rh") == (
        "a\ufffdb\ufffdc\ufffdd\ufffd\ufffde\tf\ng\ufffdh",
        6,
    )
    assert xml_safe("正文 PM2.5") == ("正文 PM2.5", 0)
    doc = Document(title="标题\x07", blocks=[Block("paragraph", "坏\x00字符\ud800")])
    assert docx_text(docx_bytes(doc)) == ["标题\ufffd", "坏\ufffd字符\ufffd"]


# --- styles ----------------------------------------------------------------------------


def test_styles_name_east_asian_fonts_and_no_theme_fonts(data: bytes) -> None:
    styles = part(data, "word/styles.xml")
    raw = etree.tostring(styles)
    for theme_attr in (b"asciiTheme", b"eastAsiaTheme", b"hAnsiTheme", b"cstheme"):
        assert theme_attr not in raw
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert attr(defaults, "w:rFonts", "eastAsia") == "FandolFang R"
    # The faces of the PDF (仿宋, 小标宋's stand-in, 黑体, 楷体), by their own family names.
    expected = {
        "Normal": "FandolFang R",
        "Title": "Noto Serif CJK SC",
        "Heading1": "Noto Sans CJK SC",
        "Heading2": "AR PL UKai CN",
        "Heading3": "FandolFang R",
        "Heading4": "FandolFang R",
        "EditorNote": "AR PL UKai CN",
    }
    for style_id, east_asia in expected.items():
        s = style(styles, style_id)
        assert attr(s, "w:rPr/w:rFonts", "eastAsia") == east_asia, style_id
        # Digits and letters: the Latin face, except where the PDF's font stack has none
        # (title and 黑体 headings set them in their own face).
        latin = east_asia if style_id in ("Title", "Heading1") else "Liberation Serif"
        assert attr(s, "w:rPr/w:rFonts", "ascii") == latin, style_id
        assert attr(s, "w:rPr/w:rFonts", "hAnsi") == latin, style_id
    fonts = {f.get(_w("name")) for f in part(data, "word/fontTable.xml").iter(_w("font"))}
    assert set(expected.values()) | {"Liberation Serif"} <= fonts


def test_headings_outline_levels_black_upright(data: bytes) -> None:
    styles = part(data, "word/styles.xml")
    for level in range(1, 5):
        s = style(styles, f"Heading{level}")
        assert attr(s, "w:pPr/w:outlineLvl", "val") == str(level - 1)
        assert attr(s, "w:rPr/w:color", "val") == "000000"
        assert attr(s, "w:rPr/w:color", "themeColor") is None
        assert s.find("w:rPr/w:i", NS) is None and s.find("w:rPr/w:b", NS) is None
        assert attr(s, "w:rPr/w:sz", "val") == "32"


def test_body_title_and_note_styles(data: bytes) -> None:
    styles = part(data, "word/styles.xml")
    normal = style(styles, "Normal")
    assert attr(normal, "w:pPr/w:spacing", "line") == "579"
    assert attr(normal, "w:pPr/w:spacing", "lineRule") == "exact"
    assert attr(normal, "w:pPr/w:ind", "firstLineChars") == "200"
    assert attr(normal, "w:pPr/w:ind", "firstLine") == "640"
    assert attr(normal, "w:pPr/w:jc", "val") == "both"
    assert attr(normal, "w:rPr/w:sz", "val") == "32"  # 16 pt, 三号
    title = style(styles, "Title")
    assert attr(title, "w:pPr/w:jc", "val") == "center"
    assert attr(title, "w:rPr/w:sz", "val") == "44"  # 22 pt, 二号
    assert title.find("w:pPr/w:pBdr", NS) is None  # the template's blue rule is gone
    date = style(styles, "DocumentDate")
    assert attr(date, "w:pPr/w:jc", "val") == "center"
    note = style(styles, "EditorNote")
    assert attr(note, "w:rPr/w:sz", "val") == "28"  # smaller than the body
    assert len(note.find("w:pPr/w:pBdr", NS)) == 4
    assert attr(note, "w:pPr/w:shd", "fill") == "F2F2F2"


@pytest.mark.parametrize(
    ("language", "word", "body_font"),
    [
        ("zh-CN", "zh-CN", "FandolFang R"),
        ("zh-Hant-TW", "zh-TW", "cwTeXFangSong"),
        ("zh-Hant-HK", "zh-HK", "cwTeXFangSong"),
        ("zh-Hant", "zh-TW", "cwTeXFangSong"),
    ],
)
def test_language(language: str, word: str, body_font: str) -> None:
    assert word_language(language) == word
    data = docx_bytes(make_doc(language=language))
    styles = part(data, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert attr(defaults, "w:lang", "eastAsia") == word
    assert attr(style(styles, "Normal"), "w:rPr/w:lang", "eastAsia") == word
    assert attr(style(styles, "Normal"), "w:rPr/w:rFonts", "eastAsia") == body_font
    settings = part(data, "word/settings.xml")
    assert attr(settings, "w:themeFontLang", "eastAsia") == word
    assert docx.Document(io.BytesIO(data)).core_properties.language == word


# --- page ------------------------------------------------------------------------------


def test_page_geometry_gbt_9704(data: bytes) -> None:
    section = docx.Document(io.BytesIO(data)).sections[0]
    a4 = (Twips(11906), Twips(16838))
    assert (section.page_width, section.page_height) == a4
    mm = 1440 / 25.4
    margins = (
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )
    assert [round(m.twips / mm) for m in margins] == [37, 35, 28, 26]
    type_w = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    type_h = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    assert (round(type_w / mm), round(type_h / mm)) == (156, 225)
    settings = part(data, "word/settings.xml")
    assert settings.find("w:mirrorMargins", NS) is not None  # 订口 on the inside

    grid = part(data, "word/document.xml").find("w:body/w:sectPr/w:docGrid", NS)
    assert grid.get(_w("type")) == "lines"  # a character grid breaks LibreOffice (14 a line)
    assert grid.get(_w("linePitch")) == "579"
    assert type_h // 579 == 22  # 22 lines
    defaults = part(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    spacing_pt = int(defaults.find("w:spacing", NS).get(_w("val"))) / 20
    pitch_pt = 16 + spacing_pt
    assert math.floor(type_w / 20 / pitch_pt) == 28  # 28 characters of 三号


def test_even_and_odd_footers_with_page_field(data: bytes) -> None:
    settings = part(data, "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    sect = part(data, "word/document.xml").find("w:body/w:sectPr", NS)
    refs = {r.get(_w("type")) for r in sect.findall("w:footerReference", NS)}
    assert refs == {"default", "even"}
    section = docx.Document(io.BytesIO(data)).sections[0]
    styles = part(data, "word/styles.xml")
    for footer, style_id, jc in (
        (section.footer, "PageNumberOdd", "right"),
        (section.even_page_footer, "PageNumberEven", "left"),
    ):
        (p,) = footer.paragraphs
        assert p.style.style_id == style_id
        assert attr(style(styles, style_id), "w:pPr/w:jc", "val") == jc
        assert [t.text for t in p._p.iter(_w("instrText"))] == [" PAGE "]
        assert p.text == "— 1 —"
    assert attr(style(styles, "Footer"), "w:rPr/w:sz", "val") == "28"  # 14 pt, 四号
    # The dashes in the 宋 face, the digits in the Latin face, as in the PDF: a character
    # style, since LibreOffice gives the dashes of "— 1 —" the Latin face otherwise.
    dash = style(styles, "FolioDash")
    assert attr(dash, "w:rPr/w:rFonts", "ascii") == attr(dash, "w:rPr/w:rFonts", "eastAsia") == "Noto Serif CJK SC"
    for footer in (section.footer, section.even_page_footer):
        runs = [r for r in footer.paragraphs[0].runs if r.text.strip(" ") == "—"]
        assert len(runs) == 2 and all(r.style.style_id == "FolioDash" for r in runs)


# --- metadata and reproducibility ------------------------------------------------------


def test_core_properties(data: bytes) -> None:
    cp = docx.Document(io.BytesIO(data)).core_properties
    assert cp.title == "太仓市2023年政府工作报告"
    assert cp.subject == cp.title
    assert cp.author == "" and cp.last_modified_by == "" and cp.comments == ""
    assert cp.revision == 1
    assert cp.created.replace(tzinfo=None) == dt.datetime(2023, 1, 5)
    assert cp.modified.replace(tzinfo=None) == dt.datetime(2023, 1, 5)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            assert b"python-docx" not in z.read(name), name
        # The template's thumbnail (a picture of another page) and its stale copy of
        # styles.xml are gone.
        assert "docProps/thumbnail.jpeg" not in z.namelist()
        assert "word/stylesWithEffects.xml" not in z.namelist()


def test_core_properties_from_meta() -> None:
    data = docx_bytes(make_doc(author="太仓市人民政府", subject="政府工作报告", keywords="太仓"))
    cp = docx.Document(io.BytesIO(data)).core_properties
    assert (cp.author, cp.subject, cp.keywords) == (
        "太仓市人民政府",
        "政府工作报告",
        "太仓",
    )


def test_dates_without_document_date(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = Document(title="标题", blocks=[Block("paragraph", "正文")])
    cp = docx.Document(io.BytesIO(docx_bytes(doc))).core_properties
    assert cp.created.replace(tzinfo=None) == dt.datetime(2000, 1, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    data = docx_bytes(doc)
    cp = docx.Document(io.BytesIO(data)).core_properties
    assert cp.created.replace(tzinfo=None) == dt.datetime(2023, 11, 14, 22, 13, 20)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_reruns_are_byte_identical(doc: Document, data: bytes) -> None:
    time.sleep(1.1)  # a different wall-clock second must not show up anywhere
    assert docx_bytes(doc) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# --- other consumers -------------------------------------------------------------------

# Findings that a bare python-docx ``Document().save()`` file also has. They are about
# the template's stylesWithEffects.xml, which the renderer drops, so none should remain.
KNOWN_BASELINE = {
    ("/word/stylesWithEffects.xml", "styles.xml contains"),
    (
        "/word/stylesWithEffects.xml",
        "docDefaults differ between styles.xml and stylesWithEffects",
    ),
}


def _finding(e: Any) -> tuple[str, str]:  # openxml_audit.ValidationError
    description = e.description.split(" (")[0]
    if description.startswith("styles.xml contains"):
        description = "styles.xml contains"  # "... 4 style(s) not in ...: Footer, ..."
    return (e.part_uri, description)


def test_openxml_audit_finds_nothing_beyond_python_docx_baseline(data: bytes, tmp_path: Path) -> None:
    try:
        from openxml_audit import OpenXmlValidator
    except ImportError:
        pytest.fail("openxml-audit is not installed: pip install openxml-audit")
    validator = OpenXmlValidator(max_errors=1000)
    bare = tmp_path / "bare.docx"
    docx.Document().save(str(bare))
    baseline = {_finding(e) for e in validator.validate(bare).errors}
    allowed = baseline & KNOWN_BASELINE
    ours = tmp_path / "ours.docx"
    ours.write_bytes(data)
    findings = validator.validate(ours).errors
    unexpected = [str(e) for e in findings if _finding(e) not in allowed]
    assert unexpected == []


@pytest.mark.slow
def test_libreoffice_converts_to_pdf(data: bytes, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(
            "LibreOffice is missing: apt-get install -y --no-install-recommends "
            "libreoffice-writer-nogui (the Makefile installs it)"
        )
    src = tmp_path / "report.docx"
    src.write_bytes(data)
    outdir = tmp_path / "pdf"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    pdf = outdir / "report.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.is_file(), result.stdout + result.stderr

    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    box = reader.pages[0].mediabox
    assert (
        round(float(box.width) / 72 * 25.4),
        round(float(box.height) / 72 * 25.4),
    ) == (
        210,
        297,
    )
    text = "".join(page.extract_text() for page in reader.pages)
    assert "alert(1)" in text and "PM2.5" in text


@pytest.mark.parametrize("traditional", [False, True])
def test_libreoffice_sets_22_lines_of_28_characters(traditional: bool, tmp_path: Path) -> None:
    """Measured in LibreOffice's own rendering of the seed: full pages hold 22 body lines,
    and lines of pure Chinese text hold 28 characters (Traditional: cwTeX 仿宋, whose
    characters are 0.92 em wide, with its own tracking)."""
    import collections

    import pdfplumber

    from cleaner.pipeline import clean
    from cleaner.traditional import document_to_traditional

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing (the Makefile installs libreoffice-writer-nogui)"
    seed = Path(__file__).resolve().parents[1] / "seeds" / "000_ae458432d04a05e1.txt"
    src = tmp_path / "seed.docx"
    doc = clean(seed)
    src.write_bytes(docx_bytes(document_to_traditional(doc, "tw") if traditional else doc))
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   capture_output=True, timeout=300, check=True)
    with pdfplumber.open(tmp_path / "seed.pdf") as pdf:
        pages = pdf.pages[1:-1]  # full pages
        assert pages
        pure_lengths, lines_per_page = [], []
        for page in pages:
            rows: dict[int, list[str]] = collections.defaultdict(list)
            for c in page.chars:
                if c["size"] > 15:  # body text, not the 14 pt page number
                    rows[round(c["top"])].append(c["text"])
            lines_per_page.append(len(rows))  # fewer where a heading keeps with its paragraph
            for chars in rows.values():
                if all("\u4e00" <= ch <= "\u9fff" or ch in "，。、；：" for ch in chars):
                    pure_lengths.append(len(chars))
    assert max(lines_per_page) == 22, lines_per_page
    assert collections.Counter(lines_per_page).most_common(1)[0][0] == 22, lines_per_page
    common = collections.Counter(pure_lengths).most_common(1)[0][0]
    assert common == 28, collections.Counter(pure_lengths)


# --- extended properties ---------------------------------------------------------------


def test_app_xml_states_nothing_untrue(data: bytes) -> None:
    """No made-up statistics (Pages 1, Words 0) and no claim to be Word for Mac."""
    app = part(data, "docProps/app.xml")
    ep = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    children = {etree.QName(c).localname: c.text for c in app}
    assert children.get("Application") == "cleaner"
    for stat in ("Pages", "Words", "Characters", "CharactersWithSpaces", "Lines", "Paragraphs",
                 "TotalTime", "Template", "AppVersion", "TitlesOfParts", "HeadingPairs"):
        assert app.find(f"{ep}{stat}") is None, stat
    assert b"Microsoft" not in etree.tostring(app)


# --- embedded fonts --------------------------------------------------------------------

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"


def deobfuscate(blob: bytes, key: str) -> bytes:
    """ECMA-376 Part 1, 17.8.1: the first 32 bytes XOR the GUID's bytes, last byte first."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    return bytes(b ^ guid[i % 16] for i, b in enumerate(blob[:32])) + blob[32:]


def embedded_fonts(data: bytes) -> dict[tuple[str, str], bytes]:
    """(w:name, embedRegular|embedBold|…) -> the font file, read back as Word would."""
    table = part(data, "word/fontTable.xml")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
        types = etree.fromstring(z.read("[Content_Types].xml"))
        targets = {r.get("Id"): (r.get("Type"), r.get("Target")) for r in rels}
        overrides = {o.get("PartName"): o.get("ContentType") for o in types if o.get("PartName")}
        out = {}
        for font in table.iter(_w("font")):
            for embed in font:
                kind = etree.QName(embed).localname
                if not kind.startswith("embed"):
                    continue
                rtype, target = targets[embed.get(f"{{{R}}}id")]
                assert rtype == f"{R}/font"
                assert overrides[f"/word/{target}"] == OBFUSCATED_FONT
                key = embed.get(_w("fontKey"))
                assert re.fullmatch(r"\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", key)
                out[(font.get(_w("name")), kind)] = deobfuscate(z.read(f"word/{target}"), key)
    return out


def font_of(blob: bytes) -> Any:
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(blob))


def style_font(styles: etree._Element, style_id: str) -> str | None:
    """The East Asian face a paragraph style ends up with (following w:basedOn)."""
    s = style(styles, style_id)
    while True:
        name = attr(s, "w:rPr/w:rFonts", "eastAsia")
        if name:
            return name
        based = attr(s, "w:basedOn", "val")
        if based is None:
            return attr(styles.find("w:docDefaults/w:rPrDefault", NS), "w:rPr/w:rFonts", "eastAsia")
        s = style(styles, based)


@pytest.mark.parametrize(
    ("language", "faces"),
    [
        ("zh-CN", {"Normal": "FandolFang R", "Title": "Noto Serif CJK SC", "Heading1": "Noto Sans CJK SC",
                   "Heading2": "AR PL UKai CN", "EditorNote": "AR PL UKai CN", "DocumentDate": "AR PL UKai CN"}),
        ("zh-Hant-TW", {"Normal": "cwTeXFangSong", "Title": "Noto Serif CJK TC",
                        "Heading1": "Noto Sans CJK TC", "Heading2": "AR PL UKai TW",
                        "EditorNote": "AR PL UKai TW", "DocumentDate": "AR PL UKai TW"}),
    ],
)
def test_fonts_are_the_pdf_faces_embedded_and_subset(language: str, faces: dict[str, str]) -> None:
    """The styles name the faces the PDF is set in, by the family name inside the font
    file, and each is embedded (obfuscated, subset to the characters it sets), so Word
    and LibreOffice show the same faces on a machine that has none of them."""
    doc = make_doc(language=language)
    if language != "zh-CN":
        from cleaner.traditional import document_to_traditional

        doc = document_to_traditional(make_doc(), "tw")
        assert doc.meta["language"] == language
    data = docx_bytes(doc)
    styles = part(data, "word/styles.xml")
    for style_id, family in faces.items():
        assert style_font(styles, style_id) == family, style_id
        latin = family if style_id in ("Title", "Heading1") else "Liberation Serif"
        assert attr(style(styles, style_id), "w:rPr/w:rFonts", "ascii") in (None, latin), style_id
    assert attr(style(styles, "Title"), "w:rPr/w:b", "val") in ("1", "true", None)
    assert style(styles, "Title").find("w:rPr/w:b", NS) is not None  # the PDF's title is bold

    fonts = embedded_fonts(data)
    text = "".join(doc.text_lines())
    for (name, kind), blob in fonts.items():
        font = font_of(blob)
        assert font["name"].getDebugName(1) == name  # what LibreOffice and Word look up
        # TrueType outlines: Word embeds and reads TrueType; CFF faces are converted.
        assert "glyf" in font and "CFF " not in font, name
        assert ("Bold" in font["name"].getDebugName(2)) == (kind == "embedBold"), name
        assert len(font.getGlyphOrder()) < 1200, name  # a subset, not the whole face
    families = {name for name, _ in fonts}
    assert set(faces.values()) | {"Liberation Serif"} <= families
    assert (faces["Title"], "embedBold") in fonts  # title: the bold member
    # Every character of the body is in the body face, every Chinese character of the
    # title in the title face.
    body_cmap = font_of(fonts[(faces["Normal"], "embedRegular")]).getBestCmap()
    hant = language != "zh-CN"
    body_text = "".join(b.text for b in doc.blocks if b.kind == "paragraph")
    missing = {c for c in body_text if ord(c) not in body_cmap}
    assert not {c for c in missing if "\u4e00" <= c <= "\u9fff"}, missing
    title_cmap = font_of(fonts[(faces["Title"], "embedBold")]).getBestCmap()
    assert all(ord(c) in title_cmap for c in doc.title)
    latin_cmap = font_of(fonts[("Liberation Serif", "embedRegular")]).getBestCmap()
    assert all(ord(c) in latin_cmap for c in "PM2.5T-MAX0123456789"), hant
    assert text  # the document is not empty
    settings = part(data, "word/settings.xml")
    assert settings.find("w:embedTrueTypeFonts", NS) is not None
    assert settings.find("w:saveSubsetFonts", NS) is not None


def test_embedded_fonts_keep_the_file_small(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        fonts = [i for i in z.infolist() if i.filename.startswith("word/fonts/")]
    assert fonts
    assert sum(i.compress_size for i in fonts) < 400_000


# --- front matter ----------------------------------------------------------------------


def test_front_matter_lines_are_set_as_such() -> None:
    """GB/T 9704: the addressee (主送机关) flush left without indent; the subtitle and
    the speaker line centred under the title, not indented like body paragraphs."""
    doc = Document(
        title="2015年政府工作报告",
        meta={"date": "2015-02-05"},
        blocks=[
            Block("paragraph", "——2015年2月5日在海拉尔区第十五届人民代表大会第五次会议上"),
            Block("paragraph", "海拉尔区人民政府区长 杜联合"),
            Block("paragraph", "各位代表："),
            Block("paragraph", "现在，我代表区人民政府，向大会报告工作，请予审议。"),
            Block("heading", "一、2014年工作回顾", level=1),
            Block("paragraph", "海拉尔区人民政府区长 杜联合"),  # not front matter here
            Block("paragraph", "同志们："),
        ],
    )
    data = docx_bytes(doc)
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    assert [p.text for p in paragraphs] == doc.text_lines()
    names = [p.style.name for p in paragraphs]
    assert names == ["Title", DATE_STYLE, "Subtitle", "Speaker", "Salutation", "Normal",
                     "Heading 1", "Normal", "Salutation"]
    # One blank line between the masthead and the addressee (GB/T 9704 7.3.3), after the
    # speaker line here, not after the date.
    assert space_after(data) == [0, 0, 0, 579, 0, 0, 0, 0, 0]
    no_date = docx_bytes(Document(title="通知", blocks=[Block("paragraph", "各单位：")]))
    assert space_after(no_date) == [579, 0]
    styles = part(data, "word/styles.xml")
    for style_id, jc in (("Subtitle", "center"), ("Speaker", "center"), ("Salutation", "left")):
        s = style(styles, style_id)
        assert attr(s, "w:pPr/w:jc", "val") == jc, style_id
        assert attr(s, "w:pPr/w:ind", "firstLine") == "0", style_id
        assert attr(s, "w:pPr/w:ind", "firstLineChars") == "0", style_id
        assert attr(s, "w:pPr/w:spacing", "line") == "579", style_id  # on the body's grid
        assert style_font(styles, style_id) == "FandolFang R", style_id


# --- line breaking ---------------------------------------------------------------------


def test_east_asian_line_breaking_rules_are_on(data: bytes) -> None:
    """Kinsoku: no closing mark at the start of a line, no opening mark at its end, stated
    for the document's own language (LibreOffice's zh-TW defaults let ” start a line)."""
    styles = part(data, "word/styles.xml")
    ppr = styles.find("w:docDefaults/w:pPrDefault/w:pPr", NS)
    assert attr(ppr, "w:kinsoku", "val") in ("1", "true")
    settings = part(data, "word/settings.xml")
    for tag, marks in (("noLineBreaksBefore", "”’」』）》〕】，。、；：？！…%"), ("noLineBreaksAfter", "“‘「『（《〔【")):
        el = settings.find(f"w:{tag}", NS)
        assert el is not None, tag
        assert el.get(_w("lang")) == "zh-CN"
        assert set(marks) <= set(el.get(_w("val"))), tag


def test_a_date_line_in_the_front_matter_is_centred_like_the_date() -> None:
    doc = Document(title="区长讲话", blocks=[Block("paragraph", "（2015年2月5日）"), Block("paragraph", "同志们："),
                                          Block("paragraph", "2015年2月5日")])
    paragraphs = docx.Document(io.BytesIO(docx_bytes(doc))).paragraphs
    assert [p.style.name for p in paragraphs] == ["Title", DATE_STYLE, "Salutation", "Normal"]


def test_faces_not_installed_are_named_but_not_embedded(monkeypatch: pytest.MonkeyPatch, doc: Document) -> None:
    """On a machine without the fonts the DOCX is still written, naming the faces (with
    charset and kind for substitution) and embedding none."""
    from cleaner.render import docx as renderer

    monkeypatch.setattr(renderer, "_font_file", lambda name: None)
    renderer._locate.cache_clear()
    renderer._subset.cache_clear()
    try:
        data = docx_bytes(doc)
    finally:
        renderer._locate.cache_clear()
        renderer._subset.cache_clear()
    assert docx_text(data) == doc.text_lines()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not [n for n in z.namelist() if n.startswith("word/fonts/")]
    table = part(data, "word/fontTable.xml")
    body = table.find("w:font[@w:name='FandolFang R']", NS)
    assert attr(body, "w:charset", "val") == "86"
    assert not [e for e in body if etree.QName(e).localname.startswith("embed")]


def test_fonttools_subsets_where_harfbuzz_is_missing(monkeypatch: pytest.MonkeyPatch, doc: Document) -> None:
    """Without libharfbuzz-subset the faces are still embedded and subset (by fontTools)."""
    from cleaner.render import docx as renderer

    monkeypatch.setattr(renderer, "_harfbuzz", lambda: None)
    renderer._subset.cache_clear()
    try:
        fonts = embedded_fonts(docx_bytes(doc))
    finally:
        renderer._subset.cache_clear()
    assert ("FandolFang R", "embedRegular") in fonts
    body = font_of(fonts[("FandolFang R", "embedRegular")])
    assert body["name"].getDebugName(1) == "FandolFang R"
    assert ord("坚") in body.getBestCmap() and len(body.getGlyphOrder()) < 1200


def test_no_extra_space_between_chinese_and_digits(data: bytes) -> None:
    """"太仓市2023年" as in the PDF: Word and LibreOffice would otherwise widen the gap
    between Chinese characters and digits or letters (autoSpaceDE / autoSpaceDN)."""
    ppr = part(data, "word/styles.xml").find("w:docDefaults/w:pPrDefault/w:pPr", NS)
    assert attr(ppr, "w:autoSpaceDE", "val") == "0"
    assert attr(ppr, "w:autoSpaceDN", "val") == "0"
