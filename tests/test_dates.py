"""Dates with provenance: the document's own date (subtitle, 落款, 文号 year) first; a date
only the site gives is shown as the editor's, and the report says where each came from."""

from __future__ import annotations

from pathlib import Path

from cleaner.pipeline import clean

ROOT = Path(__file__).resolve().parents[1]
DEV01 = ROOT / "tests" / "corpus" / "dev" / "dev_01_360docs_hailaer2015.txt"
SEED = ROOT / "seeds" / "000_ae458432d04a05e1.txt"
BODY = ["全年全市地区生产总值达到一千亿元，比上年增长百分之六，经济运行总体平稳，结构持续优化。",
        "全年城乡居民人均可支配收入稳步增长，民生保障有力有效，社会大局和谐稳定。"]


def test_the_subtitle_dates_a_speech_and_no_date_line_is_added() -> None:
    doc = clean(DEV01)
    assert doc.meta["date"] == "2015-02-05" and doc.meta["date_source"] == "document (subtitle)"
    assert doc.date_line() == "" and doc.stamp().date().isoformat() == "2015-02-05"


def test_a_date_only_the_site_gives_is_shown_as_the_editors() -> None:
    doc = clean(SEED)
    assert doc.meta["date_source"] == "site (listing title)"
    assert doc.text().splitlines()[1] == "〔编者注：网站标注日期2023年1月5日〕"
    assert doc.report.notes[0] == doc.date_line()


def test_the_closing_date_in_chinese_numerals_dates_a_document() -> None:
    lines = ["某县人民政府关于做好春耕生产的通知", "某政发〔1996〕3号", "各乡镇人民政府："] + BODY \
        + ["某县人民政府", "一九九六年二月五日"]
    doc = clean(("\n".join(lines) + "\n").encode("utf-8"))
    assert doc.meta["date"] == "1996-02-05" and doc.meta["date_source"] == "document (closing)"
    assert doc.date_line() == ""


def test_a_document_number_gives_the_year_when_nothing_else_does() -> None:
    lines = ["某县人民政府关于做好春耕生产的通知", "某政发〔2019〕3号", "各乡镇人民政府："] + BODY
    doc = clean(("\n".join(lines) + "\n").encode("utf-8"))
    assert doc.meta["date"] == "2019" and doc.meta["date_source"] == "document (number)"
    assert doc.stamp().year == 2019
