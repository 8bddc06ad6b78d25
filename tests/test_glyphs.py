"""Every character of the clean text is drawn with a real glyph, or the report says so.

* ``cleaner.glyphs.uncovered``: the characters no font of the stylesheet's chains can
  draw, and those whose glyph would mean nothing (private use, noncharacters);
* the stage ``flag_unrenderable_chars`` warns once per such character, with its line;
* the safety stage warns when it removes a noncharacter (U+FFFE, U+FFFF, …);
* a PDF of rare characters (CJK Extensions B–G, emoji, a flag) draws each of them with
  a glyph of a font that has it, never .notdef (slow: renders a PDF).
"""

from __future__ import annotations

import collections
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cleaner.document import Block, Document
from cleaner.stages.safety import drop_invalid_xml_chars


def test_safety_warns_for_each_noncharacter_it_removes() -> None:
    doc = Document(
        title="关于\ufffe通知",
        blocks=[Block("paragraph", "第一段\ufffe文字\uffff写。", lines=(2,)),
                Block("paragraph", "接上行的文字，\n第二行\ufdd0和\U0010ffff。", lines=(3, 4)),
                Block("paragraph", "控制字符\x01不算。", lines=(5,))],
        source_lines=["关于\ufffe通知", "第一段\ufffe文字\uffff写。", "接上行的文字，", "第二行\ufdd0和\U0010ffff。",
                      "控制字符\x01不算。"],
    )
    doc = drop_invalid_xml_chars(doc)
    warned = {(w.kind, w.line, w.message.split()[0]) for w in doc.report.warnings}
    assert warned == {
        ("removed-char", 1, "U+FFFE"),
        ("removed-char", 2, "U+FFFF"),
        ("removed-char", 4, "U+FDD0"),
        ("removed-char", 4, "U+10FFFF"),
    }
    w = next(w for w in doc.report.warnings if w.message.startswith("U+FFFF"))
    assert "noncharacter" in w.message and w.context == "第一段文字写。"


# --- cleaner.glyphs.uncovered ------------------------------------------------------------

# One character of each CJK extension outside the BMP (more of Ext E: the rare
# characters of names in 《通用规范汉字表》 that lie outside the BMP are mostly there).
EXT_B_TO_G = {
    "B": "\U00020000\U0002a6a5",  # 𠀀 𪚥
    "C": "\U0002a700",
    "D": "\U0002b740",
    "E": "\U0002b820\U0002c317\U0002c35b",
    "F": "\U0002ceb0",
    "G": "\U00030000",
}
EMOJI = "\U0001f600"  # 😀
FLAG = "\U0001f1e8\U0001f1f3"  # 🇨🇳: two regional indicators
PRIVATE = "\ue000"
PLANE15_PRIVATE = "\U000f0000"
UNASSIGNED = "\u0378"  # unassigned in the Greek block


def test_common_text_and_rare_characters_are_covered() -> None:
    from cleaner.glyphs import uncovered

    text = "关于印发《规范性文件》的通知：一、总体要求（一）1.2023年增长9.8%，PM2.5、“双循环”—— ①㊀ ｛｝…"
    assert uncovered(text) == []
    assert uncovered("".join(EXT_B_TO_G.values())) == []
    assert uncovered(EMOJI + FLAG) == []


def test_private_use_noncharacters_and_unassigned_are_uncovered_in_order_of_appearance() -> None:
    from cleaner.glyphs import uncovered

    # BabelStone Han and AR PL UKai have glyphs at U+E000: they mean something else
    text = f"甲{UNASSIGNED}乙{PRIVATE}丙{PLANE15_PRIVATE}丁\ufdd0{PRIVATE}戊"
    assert uncovered(text) == [UNASSIGNED, PRIVATE, PLANE15_PRIVATE, "\ufdd0"]


def test_characters_drawn_without_a_glyph_of_their_own_are_not_uncovered() -> None:
    from cleaner.glyphs import uncovered

    # ZWJ in an emoji sequence, variation selectors, spaces, TAB
    assert uncovered("👨\u200d👩 ☺\ufe0f 葛\U000e0100 \u3000\u00a0\u2003\t") == []


def test_coverage_comes_from_the_stylesheet_chains() -> None:
    from cleaner import glyphs

    families = glyphs.chain_families()
    # the role faces and the rare-character fallbacks, in the stylesheet's order
    for family in ("FandolFang R", "Noto Serif CJK SC", "cwTeXFangSong", "HanaMinB", "BabelStone Han", "Symbola"):
        assert family in families
    # Hanazono first for Extensions B-F (it has nearly all of them), the symbol font
    # before the Han fonts that also carry a few emoji
    assert families.index("HanaMinB") < families.index("BabelStone Han")
    assert families.index("Symbola") < min(families.index("HanaMinA"), families.index("BabelStone Han"))
    assert "serif" not in families  # generic families are resolved, not listed
    faces = glyphs.chain_fonts()
    assert any(path.name == "HanaMinB.ttf" for path, _ in faces)


@pytest.mark.slow
def test_raw_cmap_reading_agrees_with_fonttools() -> None:
    # glyphs.py reads the code points straight from the cmap subtable (fast); fontTools'
    # getBestCmap, which also names every glyph, must give the same set for every font.
    from fontTools.ttLib import TTFont

    from cleaner import glyphs

    fonts = glyphs.chain_fonts()
    assert len(fonts) >= 8
    for path, index in fonts:
        with TTFont(str(path), fontNumber=index, lazy=True) as tt:
            expected = {c for c, name in (tt.getBestCmap() or {}).items() if name != ".notdef"}
        assert set(glyphs._cmap((path, index))) == expected, path


# --- the stage ---------------------------------------------------------------------------


def test_stage_warns_once_per_character_at_its_first_line() -> None:
    from cleaner.stages.glyphs import flag_unrenderable_chars

    source = ["关于某事的通知", "一、第一部分", "正文里有私用区字符\ue000，", "和未分配的\u0378。",
              "又一个\ue000，以及𠀀。"]
    doc = Document(
        title="关于某事的通知",
        blocks=[Block("heading", "一、第一部分", lines=(2,), level=1),
                Block("paragraph", "正文里有私用区字符\ue000，和未分配的\u0378。", lines=(3, 4)),
                Block("paragraph", "又一个\ue000，以及𠀀。", lines=(5,))],
        source_lines=source,
    )
    doc = flag_unrenderable_chars(doc)
    warnings = [(w.kind, w.line, w.message.split(" ")[0]) for w in doc.report.warnings]
    assert warnings == [("no-glyph", 3, "U+E000"), ("no-glyph", 4, "U+0378")]
    first = doc.report.warnings[0]
    assert "private use" in first.message and first.context == "正文里有私用区字符\ue000，和未分配的\u0378。"
    assert "GREEK" not in doc.report.warnings[1].message  # unassigned: no name, says so
    assert "unassigned" in doc.report.warnings[1].message
    assert [b.text for b in doc.blocks][1].endswith("\u0378。")  # the stage changes no text


def test_stage_names_the_character() -> None:
    from cleaner.stages.glyphs import flag_unrenderable_chars

    doc = Document(title="标题\U000f0001", blocks=[Block("paragraph", "正文。", lines=(2,))],
                   source_lines=["标题\U000f0001", "正文。"])
    [w] = flag_unrenderable_chars(doc).report.warnings
    assert w.line == 1 and w.message.startswith("U+F0001 ")


def test_without_fonts_only_meaningless_characters_are_flagged(monkeypatch) -> None:
    from cleaner import glyphs
    from cleaner.stages import glyphs as stage

    monkeypatch.setattr(glyphs, "coverage", lambda stylesheet=None: frozenset())
    monkeypatch.setattr(stage, "coverage", glyphs.coverage)
    assert glyphs.uncovered(f"正文{PRIVATE}𠀀") == [PRIVATE]
    doc = stage.flag_unrenderable_chars(Document(blocks=[Block("paragraph", f"正文{PRIVATE}𠀀", lines=(1,))],
                                                 source_lines=[f"正文{PRIVATE}𠀀"]))
    assert [(w.kind, w.message.split(" ")[0]) for w in doc.report.warnings] == [("no-glyph", "no"), ("no-glyph", "U+E000")]


def test_stage_in_a_cleaned_document() -> None:
    """The pipeline runs the stage: one warning, for the private-use character only."""
    from cleaner import clean

    doc = clean(f"关于某事的通知\n正文有𠀀和{EMOJI}和\ue000字。\n")
    assert [(w.kind, w.line) for w in doc.report.warnings if w.kind == "no-glyph"] == [("no-glyph", 2)]


# --- the PDF: every character drawn with a glyph of a font that has it ----------------------

NEW_EMOJI = "\U0001f6dd"  # 🛝 PLAYGROUND SLIDE, Unicode 14: only Unifont Upper has it
# The face that must draw each sample character: the stylesheet's first choice among
# the fonts that have it (the role faces have none of these; Noto CJK has a few of
# Extension E, such as U+2C317, and draws those).
EXPECTED_FACE = {
    **{EXT_B_TO_G[key][0]: "HanaMinB" for key in "BCDEF"},
    EXT_B_TO_G["B"][1]: "HanaMinB",
    EXT_B_TO_G["G"]: "BabelStone-Han",
    EMOJI: "Symbola",
    FLAG[0]: "Symbola",
    FLAG[1]: "Symbola",
    NEW_EMOJI: "Unifont-Upper",
}


def _sample_document(lang: str) -> Document:
    rare = "".join(EXT_B_TO_G.values())
    return Document(
        title=f"关于生僻字{EXT_B_TO_G['B'][0]}的通知",
        meta={"language": lang, "date": "2023-01-05"},
        blocks=[
            Block("heading", f"一、扩展区汉字{EXT_B_TO_G['C']}", lines=(2,), level=1),
            Block("paragraph", f"人名地名用字{rare}，均应正常显示。", lines=(3,)),
            Block("heading", f"（一）符号{EXT_B_TO_G['G']}", lines=(4,), level=2),
            Block("paragraph", f"表情{EMOJI}、国旗{FLAG}、新表情{NEW_EMOJI}和私用区字符{PRIVATE}。", lines=(5,)),
        ],
        source_lines=["", "", "", "", ""],
    )


def _to_unicode(stream: str) -> dict[int, str]:
    """CID -> text of a ToUnicode CMap (bfchar and bfrange entries)."""
    def text(hexstring: str) -> str:
        return bytes.fromhex(hexstring).decode("utf-16-be")

    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", stream, re.S):
        for cid, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            out[int(cid, 16)] = text(uni)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, start in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            first = text(start)
            for k, cid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[cid] = first[:-1] + chr(ord(first[-1]) + k)
    return out


def _glyph_has_ink(font, gid: int) -> bool:
    from fontTools.pens.boundsPen import BoundsPen

    order = font.getGlyphOrder()
    if gid <= 0 or gid >= len(order):
        return False
    glyphs = font.getGlyphSet()
    pen = BoundsPen(glyphs)
    glyphs[order[gid]].draw(pen)
    return pen.bounds is not None


def _drawn(pdf: Path) -> dict[str, list[tuple[str, int, bool]]]:
    """Each character of the text layer -> [(font, CID, glyph has ink)] it is drawn with."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    drawn: dict[str, list[tuple[str, int, bool]]] = collections.defaultdict(list)
    seen = set()
    for page in PdfReader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if font.get("/BaseFont") in seen:
                continue
            seen.add(font["/BaseFont"])
            cid_font = font["/DescendantFonts"][0].get_object()
            assert cid_font.get("/CIDToGIDMap", "/Identity") == "/Identity"
            descriptor = cid_font["/FontDescriptor"].get_object()
            file = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            data = TTFont(io.BytesIO(file.get_object().get_data()))
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            for cid, text in _to_unicode(font["/ToUnicode"].get_object().get_data().decode()).items():
                for char in text:
                    drawn[char].append((name, cid, _glyph_has_ink(data, cid)))
    return drawn


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh-CN", "zh-Hant-TW"])
def test_pdf_draws_every_rare_character_with_a_real_glyph(lang: str, tmp_path: Path) -> None:
    from cleaner.glyphs import uncovered
    from cleaner.render.pdf import FontOnlyFetcher, pdf_bytes
    from cleaner.stages.glyphs import flag_unrenderable_chars

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is needed")
    doc = _sample_document(lang)
    fetcher = FontOnlyFetcher()
    pdf = tmp_path / "rare.pdf"
    pdf.write_bytes(pdf_bytes(doc, source_bytes=b"x", source_name="rare.txt", report_json=b"{}",
                              url_fetcher=fetcher))
    text = "\n".join([doc.title, *(b.text for b in doc.blocks)])
    # the report warns about exactly the private-use character
    warned = [w.message.split(" ")[0] for w in flag_unrenderable_chars(doc).report.warnings]
    assert warned == ["U+E000"] and uncovered(text) == [PRIVATE]

    layer = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    drawn = _drawn(pdf)
    for char in dict.fromkeys(text):
        if char == PRIVATE or char.isspace():
            continue
        assert char in layer, f"U+{ord(char):04X} missing from the text layer"
        assert drawn[char], f"U+{ord(char):04X} drawn with no font"
        for face, cid, ink in drawn[char]:
            assert cid != 0 and ink, f"U+{ord(char):04X} drawn as .notdef or an empty glyph of {face}"
        if char in EXPECTED_FACE:
            assert any(face.startswith(EXPECTED_FACE[char]) for face, _, _ in drawn[char]), (char, drawn[char])
    # every font came from the installed fonts, as the fetcher allows
    assert all(url.startswith("file://") for url in fetcher.requested)
