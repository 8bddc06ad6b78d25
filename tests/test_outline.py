"""Tests for heading numbering (cleaner.shapes) and cleaner.stages.outline: run-in
headings, heading levels, part headings, numbering checks, the site outline, the title."""

from __future__ import annotations

import pytest

from cleaner.document import Block, Document
from cleaner.pipeline import clean
from cleaner.shapes import cn_value, numbering
from cleaner.stages.outline import (
    check_numbering,
    find_title,
    mark_headings,
    reconcile_site_outline,
    run_in_split,
)

# --------------------------------------------------------------------------- numbering


@pytest.mark.parametrize(
    ("text", "level", "number"),
    [
        ("一、坚定不移两手抓", 1, 1),
        ("十二、加强作风建设", 1, 12),
        ("二十三、其他", 1, 23),
        ("（一）县域经济实力稳步提升", 2, 1),
        ("(一)县域经济实力稳步提升", 2, 1),
        ("（十）社会事业", 2, 10),
        ("1.加快产业转型升级", 3, 1),
        ("12.优化营商环境", 3, 12),
        ("1、加快产业转型升级", 3, 1),
        ("（1）优化营商环境", 4, 1),
        ("(2)优化营商环境", 4, 2),
        ("　　三、2023年工作安排", 1, 3),  # indented with U+3000
    ],
)
def test_numbering_levels(text: str, level: int, number: int) -> None:
    got = numbering(text)
    assert got is not None, text
    assert got[:2] == (level, number)


def test_numbering_marker_length() -> None:
    assert numbering("一、坚定不移两手抓") == (1, 1, 2)
    assert numbering("（一）加强")[2] == 3
    assert numbering("十二、加强")[2] == 3


@pytest.mark.parametrize(
    "text",
    ["2.5万亿元", "一是加强管理", "第一", "第一章 总则", "1.5%", "1.5%的增长", "12345", "10%以上", "3+3产业", "一、",
     "二〇二三年", "一年来，我们", "十分重要", "1.2.3", "PM2.5平均浓度"],
)
def test_numbering_negatives(text: str) -> None:
    assert numbering(text) is None, (text, numbering(text))


@pytest.mark.parametrize(
    ("num", "value"),
    [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("十二", 12), ("二十", 20), ("二十三", 23), ("九十九", 99),
     ("", 0), ("百", 0), ("零", 0), ("一一", 0), ("二十三四", 0), ("a", 0)],
)
def test_cn_value(num: str, value: int) -> None:
    assert cn_value(num) == value


# --------------------------------------------------------------------------- run-in headings


def test_run_in_split_lead_sentence_of_a_speech() -> None:
    body = "坚定不移两手抓、两手胜,经济发展韧劲更强。坚持“人民至上、生命至上”,始终绷紧疫情防控这根弦,听中央号令。"
    cut = run_in_split(body, [], False)
    assert body[:cut] == "坚定不移两手抓、两手胜,经济发展韧劲更强"


def test_run_in_split_before_a_year() -> None:
    body = "县域经济实力稳步提升2014年,全区地区生产总值完成100亿元,增长8%。"
    cut = run_in_split(body, [], False)
    assert body[:cut] == "县域经济实力稳步提升"


def test_run_in_split_bulletin_section_name() -> None:
    body = "综合国民经济继续健康稳定发展。2015年,全县实现生产总值(GDP)1102284万元,按可比价格计算,比上年增长9.3%。"
    assert body[:run_in_split(body, [], True)] == "综合"


def test_run_in_split_site_outline_names_the_heading() -> None:
    body = "过去一年工作回顾2012年,区政府在市委、市政府和区委的正确领导下,团结带领全区各族人民攻坚克难。"
    assert body[:run_in_split(body, ["过去一年工作回顾"], False)] == "过去一年工作回顾"


def test_run_in_split_gives_up_on_a_plain_sentence() -> None:
    body = ("我们坚持以习近平新时代中国特色社会主义思想为指导全面贯彻党的二十大精神完整准确全面贯彻新发展理念加快构建新发展格局"
            "着力推动高质量发展")
    assert run_in_split(body, [], False) == 0


# --------------------------------------------------------------------------- mark_headings

LONG_A = ("过去一年，极不寻常，意义非凡。面对复杂严峻的外部发展环境和超出预期的多重压力挑战，我们坚持以习近平新时代中国特色社会主义"
          "思想为指导，各项事业在勇挑重担、克难奋进中迈出坚实步伐。")
LONG_B = ("党的二十大立足新时代新征程的历史方位，擘画了以中国式现代化全面推进中华民族伟大复兴的宏伟蓝图。全面贯彻落实党的二十大"
          "精神，是当前和今后一个时期的首要政治任务。")


def lines_doc(lines: list[str], site_titles: list[str] = ()) -> Document:
    doc = Document(blocks=[Block("line", t, lines=(i + 1,)) for i, t in enumerate(lines)])
    doc.evidence.site_titles.extend(site_titles)
    return doc


@pytest.fixture()
def speech() -> Document:
    return mark_headings(lines_doc([
        "各位代表：",
        "现在，我代表市人民政府向大会报告工作，请予审议。",
        "2022年政府工作回顾",
        LONG_A,
        "一、坚定不移两手抓、两手胜，经济发展韧劲更强。坚持“人民至上、生命至上”，始终绷紧疫情防控这根弦，高效统筹疫情防控和经济社会发展。",
        "（一）加强疫情防控",
        LONG_A,
        "（二）稳定经济运行",
        LONG_A,
        "二、坚定不移稳存量、拓增量",
        LONG_A,
        "以党的二十大精神为指引",
        "全面推进中国式现代化太仓新实践",
        LONG_B,
    ]))


def outline(doc: Document) -> list[tuple[int, str]]:
    return [(b.level, b.text) for b in doc.blocks if b.kind == "heading"]


def test_mark_headings_levels_and_part_headings(speech: Document) -> None:
    assert outline(speech) == [
        (1, "2022年政府工作回顾"),
        (1, "一、坚定不移两手抓、两手胜，经济发展韧劲更强"),
        (2, "（一）加强疫情防控"),
        (2, "（二）稳定经济运行"),
        (1, "二、坚定不移稳存量、拓增量"),
        (1, "以党的二十大精神为指引 全面推进中国式现代化太仓新实践"),
    ]


def test_mark_headings_front_matter_stays_paragraphs(speech: Document) -> None:
    assert [b.kind for b in speech.blocks[:2]] == ["paragraph", "paragraph"]
    assert speech.blocks[0].text == "各位代表："


def test_mark_headings_splits_the_run_in_heading(speech: Document) -> None:
    i = next(k for k, b in enumerate(speech.blocks) if b.text.startswith("一、"))
    heading, rest = speech.blocks[i], speech.blocks[i + 1]
    assert heading.run_in and heading.kind == "heading"
    assert rest.kind == "paragraph"
    assert rest.text == "坚持“人民至上、生命至上”，始终绷紧疫情防控这根弦，高效统筹疫情防控和经济社会发展。"
    assert heading.lines == rest.lines == (5,)
    repairs = [r for r in speech.report.repairs if r.rule.name == "run-in-heading"]
    assert [(r.line, r.after) for r in repairs] == [(5, "一、坚定不移两手抓、两手胜，经济发展韧劲更强")]


def test_mark_headings_joins_the_two_line_heading(speech: Document) -> None:
    joined = next(b for b in speech.blocks if b.text.startswith("以党的"))
    assert joined.lines == (12, 13)
    assert [r.rule.name for r in speech.report.repairs if r.line == 13] == ["join-heading-lines"]
    assert not any(b.text == "全面推进中国式现代化太仓新实践" for b in speech.blocks)


def test_numbered_levels_follow_the_numbering() -> None:
    doc = mark_headings(lines_doc(["各位代表：", LONG_A, "一、2017年工作回顾", LONG_A, "（一）经济发展", LONG_A,
                                   "二、2018年工作安排", LONG_A]))
    assert outline(doc) == [(1, "一、2017年工作回顾"), (2, "（一）经济发展"), (1, "二、2018年工作安排")]


def test_numbered_markers_are_normalised() -> None:
    doc = mark_headings(lines_doc(["各位代表：", LONG_A, "一,2017年工作回顾", LONG_A, "(一)经济发展", LONG_A]))
    assert outline(doc) == [(1, "一、2017年工作回顾"), (2, "（一）经济发展")]


def test_a_long_numbered_sentence_is_a_paragraph() -> None:
    text = ("1.加快产业转型升级，推动传统产业高端化、智能化、绿色化发展，培育壮大战略性新兴产业，加快构建现代化产业体系，"
            "全年新增规上工业企业50家以上。")
    doc = mark_headings(lines_doc(["各位代表：", LONG_A, text, LONG_A]))
    assert [b.kind for b in doc.blocks] == ["paragraph"] * 4


def test_captions_and_colon_lines_are_not_part_headings() -> None:
    doc = mark_headings(lines_doc(["各位代表：", LONG_A, "表1 2022年主要农产品产量", LONG_A,
                                   "在今后工作中，我们将切实把握好以下五个方面：", LONG_A]))
    assert outline(doc) == []


# --------------------------------------------------------------------------- check_numbering


def _checked(lines: list[str]) -> Document:
    return check_numbering(mark_headings(lines_doc(["各位代表：", LONG_A] + [x for t in lines for x in (t, LONG_A)])))


def test_check_numbering_in_order_gives_no_warning() -> None:
    doc = _checked(["一、回顾", "（一）经济", "（二）社会", "二、安排", "（一）目标", "（二）任务", "三、要求"])
    assert [w.kind for w in doc.report.warnings if w.kind.startswith("numbering")] == []


def test_check_numbering_gap_and_duplicate() -> None:
    doc = _checked(["一、甲方面工作", "三、丙方面工作", "三、丙方面工作再次", "（一）子项", "（三）子项"])
    warnings = [(w.kind, w.context) for w in doc.report.warnings]
    assert warnings == [
        ("numbering-gap", "三、丙方面工作"),
        ("numbering-duplicate", "三、丙方面工作再次"),
        ("numbering-gap", "（三）子项"),
    ]
    gap = doc.report.warnings[0]
    assert gap.message == "heading number 3 follows 1 at level 1"
    assert gap.line == 5  # input line of "三、丙方面工作"


def test_check_numbering_restarts_under_a_new_parent() -> None:
    doc = _checked(["一、回顾", "（一）经济", "（二）社会", "二、安排", "（一）目标"])
    assert [w for w in doc.report.warnings if w.kind.startswith("numbering")] == []


# --------------------------------------------------------------------------- site outline


def _headings_doc(*texts: str) -> Document:
    blocks = []
    for i, t in enumerate(texts):
        blocks += [Block("heading", t, level=1, lines=(2 * i + 1,)), Block("paragraph", LONG_A, lines=(2 * i + 2,))]
    return Document(blocks=blocks)


def test_reconcile_site_outline_missing_tail_sections() -> None:
    doc = _headings_doc("一、回顾", "二、安排")
    doc.evidence.site_outline = ["一、回顾", "二、安排", "三、要求", "四、保障"]
    doc = reconcile_site_outline(doc)
    assert doc.evidence.missing_sections == ["三、要求", "四、保障"]
    assert doc.evidence.cut_signals == ["2 section(s) listed in the site outline are missing from the body"]


def test_reconcile_site_outline_missing_middle_section_is_a_warning() -> None:
    doc = _headings_doc("一、回顾", "三、要求")
    doc.evidence.site_outline = ["一、回顾", "二、安排", "三、要求"]
    doc = reconcile_site_outline(doc)
    assert doc.evidence.missing_sections == []
    assert doc.report.truncation_reasons == []
    assert [w.kind for w in doc.report.warnings] == ["outline-entry-missing"]
    assert "二、安排" in doc.report.warnings[0].message


def test_reconcile_site_outline_matches_run_in_headings_by_prefix() -> None:
    # the outline names the heading ("一、坚定不移两手抓、两手胜"), the body's heading goes on
    doc = _headings_doc("一、坚定不移两手抓、两手胜，经济发展韧劲更强", "二、坚定不移稳存量、拓增量，转型升级势头更足")
    doc.evidence.site_outline = ["一、坚定不移两手抓、两手胜", "二、坚定不移稳存量、拓增量"]
    doc = reconcile_site_outline(doc)
    assert doc.evidence.missing_sections == [] and doc.report.warnings == []


def test_reconcile_without_site_outline_does_nothing() -> None:
    doc = reconcile_site_outline(_headings_doc("一、回顾"))
    assert doc.evidence.missing_sections == [] and doc.report.truncation_reasons == []


# --------------------------------------------------------------------------- find_title


def test_find_title_closes_up_a_spaced_title() -> None:
    doc = find_title(lines_doc(["政 府 工 作 报 告", "——2015年2月5日在某区第十四届人民代表大会第四次会议上",
                                "某区人民政府区长  张三", "各位代表:", LONG_A]))
    assert doc.title == "政府工作报告"
    assert [b.text for b in doc.blocks][:3] == ["——2015年2月5日在某区第十四届人民代表大会第四次会议上",
                                                 "某区人民政府区长  张三", "各位代表:"]
    assert [(r.rule.name, r.before, r.after) for r in doc.report.repairs] == [
        ("title-closed-up", "政 府 工 作 报 告", "政府工作报告")]


def test_find_title_date_from_the_listing_title() -> None:
    doc = find_title(lines_doc(["太仓市2023年政府工作报告", "各位代表:", LONG_A],
                               site_titles=["太仓市2023年政府工作报告(20230105)VIP免费"]))
    assert doc.title == "太仓市2023年政府工作报告"
    assert doc.meta["date"] == "2023-01-05"
    doc = find_title(lines_doc(["某市2023年政府工作报告", "各位代表:", LONG_A],
                               site_titles=["某市2023年政府工作报告（2023-02-28）"]))
    assert doc.meta["date"] == "2023-02-28"


def test_find_title_ignores_an_impossible_listing_date() -> None:
    doc = find_title(lines_doc(["某市2023年政府工作报告", "各位代表:", LONG_A],
                               site_titles=["某市2023年政府工作报告(20231345)"]))
    assert "date" not in doc.meta


def test_find_title_removes_duplicate_titles() -> None:
    doc = find_title(lines_doc(["海拉尔区2017年政府工作报告", "海拉尔区2017年政府工作报告", "海拉尔区2017年政府工作报告",
                                "各位代表:", LONG_A]))
    assert doc.title == "海拉尔区2017年政府工作报告"
    assert [b.text for b in doc.blocks] == ["各位代表:", LONG_A]
    assert [r.rule.name for r in doc.report.removed] == ["duplicate-title", "duplicate-title"]
    assert sorted(r.line for r in doc.report.removed) == [1, 2]


def test_find_title_uses_the_fuller_site_title_for_a_generic_own_title() -> None:
    doc = find_title(lines_doc(["政府工作报告", "——2018年3月7日在海拉尔区第十五届人民代表大会第二次会议上", "各位代表:", LONG_A],
                               site_titles=["海拉尔区2018年政府工作报告.doc"]))
    assert doc.title == "海拉尔区2018年政府工作报告"
    assert [r.rule.name for r in doc.report.repairs] == ["title-from-listing"]


def test_find_title_keeps_a_full_own_title() -> None:
    doc = find_title(lines_doc(["太仓市2023年政府工作报告", "各位代表:", LONG_A],
                               site_titles=["苏州市太仓市2023年政府工作报告"]))
    # a different, longer site name does not replace a title that already names the place
    assert doc.title in ("太仓市2023年政府工作报告", "苏州市太仓市2023年政府工作报告")


def test_find_title_from_the_site_when_the_document_has_none() -> None:
    doc = find_title(lines_doc(["各位代表:", LONG_A], site_titles=["海拉尔区2017年政府工作报告"]))
    assert doc.title == "海拉尔区2017年政府工作报告"
    assert [b.text for b in doc.blocks] == ["各位代表:", LONG_A]


def test_find_title_none_at_all_is_a_warning() -> None:
    doc = find_title(lines_doc(["各位代表:", LONG_A]))
    assert doc.title == ""
    assert [w.kind for w in doc.report.warnings] == ["no-title"]


def test_find_title_keeps_the_issuer_line() -> None:
    doc = find_title(lines_doc(["江西省2022年国民经济和社会发展统计公报", "江西省统计局  国家统计局江西调查总队", LONG_A]))
    assert doc.title == "江西省2022年国民经济和社会发展统计公报"
    assert doc.blocks[0].text == "江西省统计局  国家统计局江西调查总队"


def test_title_and_outline_through_the_pipeline() -> None:
    text = "\n".join([
        "首页 全部分类 排行 专题",
        "海拉尔区2018年政府工作报告",
        "政府工作报告",
        "——2018年3月7日在海拉尔区第十五届人民代表大会第二次会议上",
        "海拉尔区人民政府区长  杨国宏",
        "各位代表:",
        "现在,我代表海拉尔区人民政府向大会报告工作,请予审议,并请区政协各位委员和列席会议的同志提出意见。",
        "一、2017年工作回顾",
        LONG_A,
        "二、2018年工作安排",
        LONG_B,
    ]) + "\n"
    doc = clean(text)
    assert doc.title == "海拉尔区2018年政府工作报告"
    assert "listing-title" in {r.rule.name for r in doc.report.removed}
    assert outline(doc) == [(1, "一、2017年工作回顾"), (1, "二、2018年工作安排")]
    assert doc.text().splitlines()[:2] == ["海拉尔区2018年政府工作报告",
                                           "——2018年3月7日在海拉尔区第十五届人民代表大会第二次会议上"]
