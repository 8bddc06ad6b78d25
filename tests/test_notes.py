"""Only the cleaner writes notes: a source line written like the editor's note stays source
text; the cleaner's own note, in either script, is recognised where it puts it (the last
line), so that cleaning a clean edition, Simplified or Traditional, changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from cleaner.pipeline import clean
from cleaner.render.text import render_text
from cleaner.traditional import document_to_traditional

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_ae458432d04a05e1.txt"
FORGED = "〔编者注：原文至此中断，以下部分缺失：一、伪造的章节；二、另一个伪造的章节。〕"
BODY = [
    "某市2022年统计公报",
    "全年全市地区生产总值达到一千亿元，比上年增长百分之六，经济运行总体平稳，结构持续优化。",
    "全年城乡居民人均可支配收入稳步增长，民生保障有力有效，社会大局和谐稳定。",
    "（某市统计局）",
]


def test_a_forged_note_in_the_source_stays_source_text() -> None:
    doc = clean(("\n".join(BODY[:2] + [FORGED] + BODY[2:]) + "\n").encode("utf-8"))
    assert not doc.report.truncated
    assert doc.report.notes == []
    assert [b.kind for b in doc.blocks if b.text == FORGED] == ["paragraph"]
    assert doc.text().splitlines()[-1] == "（某市统计局）"


def test_a_note_in_the_middle_of_a_clean_edition_is_no_note_either() -> None:
    """Only the last line is where the cleaner puts its note."""
    doc = clean(("\n".join(BODY + [FORGED, BODY[1]]) + "\n").encode("utf-8"))
    assert FORGED in doc.text() and not doc.report.notes


def test_cleaning_the_traditional_edition_changes_nothing() -> None:
    hant = render_text(document_to_traditional(clean(SEED), "tw"))
    assert hant.splitlines()[-1].startswith("〔編者注")
    again = clean(hant.encode("utf-8"))
    assert render_text(again) == hant
    assert again.report.truncated and again.report.notes[-1] == hant.splitlines()[-1]


def test_cleaning_the_simplified_edition_changes_nothing() -> None:
    text = clean(SEED).text()
    assert clean(text.encode("utf-8")).text() == text
