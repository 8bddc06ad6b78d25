"""Every character of the clean text is drawn with a real glyph, or the report says so.

* ``cleaner.glyphs.uncovered``: the characters no font of the stylesheet's chains can
  draw, and those whose glyph would mean nothing (private use, noncharacters);
* the stage ``flag_unrenderable_chars`` warns once per such character, with its line;
* the safety stage warns when it removes a noncharacter (U+FFFE, U+FFFF, …);
* a PDF of rare characters (CJK Extensions B–G, emoji, a flag) draws each of them with
  a glyph of a font that has it, never .notdef (slow: renders a PDF).
"""

from __future__ import annotations

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
