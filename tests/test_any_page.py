"""Principles 2, 3, 4, 6 and 8 of cleaning any 文库 page, on small made-up inputs (none is
a corpus case), each with the cases that must stay: a 1、 list item, an 二、 heading,
PM2.5, a URL of the document, a table row of numbers, a phrase the document repeats.
"""

from __future__ import annotations

from cleaner.check import accounting
from cleaner.pipeline import clean

TITLE = "某县2021年国民经济运行情况分析"
P1 = "今年以来，全县经济运行总体平稳，主要指标稳中有升，坚持以人民为中心的发展思想，民生保障持续加强。"
P2 = "全县实现地区生产总值125.6亿元，同比增长6.2%，PM2.5平均浓度下降8%，详见www.example.gov.cn公布的数据。"
P3 = "农业生产形势良好，粮食播种面积12.5万亩，同比增长3.1%，坚持以人民为中心的发展思想，农民收入稳步提高。"
P4 = "工业经济稳中向好，规模以上工业增加值增长7.5%，坚持以人民为中心的发展思想，企业效益持续改善。"
H1, H2 = "一、经济运行总体平稳", "二、农业生产形势良好"


def _clean(text: str):
    return clean(text.encode("utf-8"))


def _kinds(doc) -> list[str]:
    return [r.rule.kind for r in doc.report.removed] + [r.rule.kind for r in doc.report.repairs if r.rule.kind != "repair"]


# --------------------------------------------------------------------------- 6: text layers


def test_a_body_on_one_line_gets_its_paragraphs_and_headings_back() -> None:
    doc = _clean(" ".join([TITLE, P1, H1, P2, H2, P3, P4]) + "\n")
    assert doc.title == TITLE
    assert [b.text for b in doc.blocks] == [P1, H1, P2, H2, P3, P4]
    assert [b.kind for b in doc.blocks] == ["paragraph", "heading", "paragraph", "heading", "paragraph", "paragraph"]
    assert accounting(doc) == []


def test_a_stray_space_inside_a_paragraph_splits_nothing() -> None:
    stray = P1[:10] + " " + P1[10:]
    doc = _clean("\n".join([TITLE, stray, P2]) + "\n")
    assert P1 in doc.text()


# --------------------------------------------------------------------------- 2 and 3: page furniture


def test_page_markers_and_running_head_inside_sentences_are_cut_and_the_sentence_closed() -> None:
    # "125.6" split by a page break: "125" / 第2页/共3页 某县统计局 / ".6亿元"
    a, b = P2.split(".6", 1)
    layer = " ".join(["某县统计局", TITLE, P1, H1, f"{a} 第2页/共3页 某县统计局 .6{b}", H2,
                      P3[:20] + "第3页/共3页某县统计局" + P3[20:], P4])
    doc = _clean(layer + "\n")
    text = doc.text()
    assert "第2页" not in text and "第3页" not in text and "某县统计局" not in text
    assert P2 in text and P3 in text
    assert text.count("坚持以人民为中心的发展思想") == 3  # the document's own repeated phrase stays
    assert {"page-marker", "running-head"} <= set(_kinds(doc))
    assert accounting(doc) == []


def test_a_page_marker_glued_to_a_line_end_is_cut_and_the_line_joined() -> None:
    lines = [TITLE, P1, "- 1 -", H1, P2[:30] + "- 2 -", P2[30:], "- 3 -", P3, P4]
    doc = _clean("\n".join(lines) + "\n")
    assert P2 in doc.text() and "- 2 -" not in doc.text()


def test_header_and_footer_words_between_the_words_of_sentences_go() -> None:
    layer = " ".join(["精品资料", TITLE, P1[:15], "可编辑", "精品资料", P1[15:], H1, P2,
                      H2, P3[:12], "可编辑", "精品资料", P3[12:], P4])
    doc = _clean(layer + "\n")
    text = doc.text()
    assert "可编辑" not in text and "精品资料" not in text
    assert P1 in text and P3 in text


def test_preview_chunk_numbers_go_and_the_chunks_join() -> None:
    from cleaner.textutil import key

    body = "".join([P1, H1, P2, H2, P3, P4] * 6)
    cut1 = body.index("12.5", len(body) // 3) + 2  # a chunk boundary inside "12.5"
    cut2 = 2 * len(body) // 3
    chunks = [body[:cut1], body[cut1:cut2], body[cut2:]]
    page = "\n\n".join(f"    {n}、{c}" for n, c in enumerate(chunks, 1))
    doc = _clean(TITLE + "\n" + page + "\n还剩9页未读，继续阅读\n")
    assert key(body) in key(doc.text())  # every word, in order, nothing between
    assert [r.before for r in doc.report.repairs if r.rule.name == "chunk-number"] == ["1、", "2、", "3、"]
    assert doc.report.truncated


def test_a_documents_own_numbered_items_and_headings_stay() -> None:
    items = [f"{n}、{p}" for n, p in enumerate([P1, P2, P3, P4], 1)]
    row = "粮食 万吨 12.5 13.6 14.2"
    doc = _clean("\n".join([TITLE, P1, H1] + items + [H2, row, P4]) + "\n")
    text = doc.text()
    for line in items + [H1, H2, row]:
        assert line in text, line


# --------------------------------------------------------------------------- 4: summaries, titles


def test_a_site_summary_that_repeats_the_beginning_goes_and_the_title_stays_once() -> None:
    page = [TITLE, "资源描述：", f"{TITLE}{P1}{H1}{P2[:20]}...", TITLE, TITLE, P1, H1, P2, H2, P3, P4]
    doc = _clean("\n".join(page) + "\n")
    assert doc.title == TITLE and TITLE not in doc.text().split("\n", 1)[1]
    assert "..." not in doc.text()
    assert [b.text for b in doc.blocks][0] == P1
    assert "summary" in _kinds(doc)


def test_a_paragraph_ending_in_an_ellipsis_that_repeats_nothing_stays() -> None:
    own = "各乡镇要做好春耕备耕、农资供应、技术指导等各项工作……"
    doc = _clean("\n".join([TITLE, P1, own, P2]) + "\n")
    assert own in doc.text()


# --------------------------------------------------------------------------- 8: unsure? keep and say so


def test_a_line_no_rule_can_place_stays_with_a_warning() -> None:
    odd = "更新时间不详"
    doc = _clean("\n".join([TITLE, P1, H1, P2, P3, odd]) + "\n")
    assert odd in doc.text()
    assert any(w.kind == "unplaced-text" and odd in w.context for w in doc.report.warnings)


def test_check_shows_removals_by_principle(tmp_path) -> None:
    from cleaner.check import format_report

    page = "\n".join(["首页 > 统计分析", TITLE, P1, "— 1 —", H1, P2, "延伸阅读", "分析报告怎么写",
                      "分析报告是对某一事物进行分析的书面材料，写作时要注意结构完整、数据准确、语言简洁。"]) + "\n"
    report = format_report(_clean(page))
    assert "by principle:" in report and "filler ×" in report and "page-marker ×1" in report


# --------------------------------------------------------------------------- 7: truncation read from the page

CLOSING = ["某县统计局", "2021年7月15日"]


def test_a_complete_document_under_a_continue_prompt_is_complete() -> None:
    for prompt in ("剩余2页未读，继续阅读", "展开阅读全文"):
        doc = _clean("\n".join([TITLE, P1, H1, P2, H2, P3] + CLOSING + [prompt, "相关推荐"]) + "\n")
        assert not doc.report.truncated, prompt
        assert prompt not in doc.text()


def test_a_body_cut_after_a_full_stop_with_a_prompt_below_is_truncated() -> None:
    for prompt in ("还剩85页未读，继续阅读", "试读已结束，下载后查看完整内容", "游客，如果您要查看本帖隐藏内容请回复"):
        doc = _clean("\n".join([TITLE, P1, H1, P2, H2, P3, prompt]) + "\n")
        assert doc.report.truncated, prompt
        assert prompt not in doc.text() and doc.text().splitlines()[-2] == P3
