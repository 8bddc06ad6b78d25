"""Tests for cleaner.stages.truncation: a cut-off document is said to be cut off, in a note
at its end and in the report; a complete one is not."""

from __future__ import annotations

import pytest

from cleaner.document import Block, Document
from cleaner.notes import parse_note, truncation_note
from cleaner.pipeline import clean
from cleaner.stages.truncation import detect_truncation, ends_complete

GENERIC_NOTE = "〔编者注：原文至此中断，后文缺失。〕"

LONG_A = ("过去一年，极不寻常，意义非凡。面对复杂严峻的外部发展环境和超出预期的多重压力挑战，我们坚持以习近平新时代中国特色社会主义"
          "思想为指导，各项事业在勇挑重担、克难奋进中迈出坚实步伐。")
CLOSING = ("各位代表，新的征程已经开启，新的使命催人奋进。让我们更加紧密地团结在以习近平同志为核心的党中央周围，"
           "为全面建设社会主义现代化国家而努力奋斗！")


@pytest.mark.parametrize(
    "text",
    [
        "表示衷心的感谢！",
        "表示衷心的感谢!",
        "谢谢大家！",
        "努力奋斗。",
        "还有哪些问题？",
        "获评全国“最美家乡河”。",
        "正如大家所说：“撸起袖子加油干！”",
        "（万载县统计局）",
        "(万载县统计局)",
        "2023年1月5日",
        "海拉尔区人民政府",
        "……",
        "",
    ],
)
def test_ends_complete_true(text: str) -> None:
    assert ends_complete(text), text


@pytest.mark.parametrize(
    "text",
    [
        "优化港口业态、提升港产能级、建",
        "县域经济实力不强，",
        "新增就业6435人,",
        "实施两河圣山文化旅游景区的基础设施建设,",
        "商业营业用房投资",
        "建立以农民自建为主体",
        "规上工业单位增加值能耗下降8.65%",
        "一、突出经济提质",
        "三次产业的比重为12.89:56.87:30.24",
        "主要指标承压见韧、稳中上扬；",
    ],
)
def test_ends_complete_false(text: str) -> None:
    assert not ends_complete(text), text


# --------------------------------------------------------------------------- the note


def test_truncation_note_texts() -> None:
    assert truncation_note([]) == GENERIC_NOTE
    assert truncation_note(["一、突出经济提质", "二、突出开放提级"]) == (
        "〔编者注：原文至此中断，以下部分缺失：一、突出经济提质；二、突出开放提级。〕")
    # the section names get full-width punctuation like the rest of the text
    assert truncation_note(["(二)乙方面"]) == "〔编者注：原文至此中断，以下部分缺失：（二）乙方面。〕"


@pytest.mark.parametrize(
    "missing",
    [
        [],
        ["一、突出经济提质"],
        ["一、突出经济提质", "二、突出开放提级", "三、突出创新提速", "四、突出品质提档", "五、突出生态提优",
         "六、突出幸福提升", "七、突出安全提标", "八、突出作风提效"],
        ["（一）县域经济", "（二）城乡建设，民生改善"],
    ],
)
def test_parse_note_round_trip(missing: list[str]) -> None:
    note = truncation_note(missing)
    assert parse_note(note) == missing
    assert parse_note("  " + note + "  ") == missing


@pytest.mark.parametrize(
    "text",
    [
        "编者注：原文至此中断，后文缺失。",
        "〔编者注：原文至此中断。〕",
        "〔编者注：原文至此中断，后文缺失。〕还有正文",
        "各位代表：",
        "",
    ],
)
def test_parse_note_rejects_other_text(text: str) -> None:
    assert parse_note(text) is None


# --------------------------------------------------------------------------- detect_truncation


def _doc(*texts: str) -> Document:
    return Document(title="某市2023年政府工作报告",
                    blocks=[Block("paragraph", t, lines=(i + 1,)) for i, t in enumerate(texts)])


def test_detect_truncation_mid_sentence() -> None:
    doc = detect_truncation(_doc(LONG_A, "全面融入上海，实现优势互补，更高水平服务长三角一体化。优化港口业态、提升港产能级、建"))
    assert doc.report.truncated
    assert doc.report.notes == [GENERIC_NOTE]
    assert doc.blocks[-1] == Block("note", GENERIC_NOTE)
    assert doc.text().splitlines()[-1] == GENERIC_NOTE
    assert any("mid-sentence" in r and "提升港产能级、建" in r for r in doc.report.truncation_reasons)
    assert [w.kind for w in doc.report.warnings] == ["truncated"]


def test_detect_truncation_names_the_missing_sections() -> None:
    doc = _doc(LONG_A, CLOSING)
    doc.evidence.missing_sections = ["三、要求", "四、保障"]
    doc.evidence.cut_signals.append("2 section(s) listed in the site outline are missing from the body")
    doc = detect_truncation(doc)
    note = "〔编者注：原文至此中断，以下部分缺失：三、要求；四、保障。〕"
    assert doc.report.truncated
    assert doc.report.notes == [note]
    assert doc.blocks[-1].kind == "note" and doc.blocks[-1].text == note


def test_detect_truncation_from_site_evidence_alone() -> None:
    """A paragraph that ends with 。 and the site's "继续免费阅读" after it: cut at a chunk
    boundary that fell after a full stop."""
    doc = _doc(LONG_A, CLOSING)
    doc.evidence.continue_prompts.append("继续免费阅读")
    doc = detect_truncation(doc)
    assert doc.report.truncated and doc.report.notes == [GENERIC_NOTE]
    assert doc.report.truncation_reasons == ["the site cut the preview short: '继续免费阅读'"]


@pytest.mark.parametrize("closing", ["某市人民政府", "2019年1月27日", "一九九六年二月五日", "（此件公开发布）"])
def test_a_continue_prompt_under_the_documents_closing_is_no_cut(closing: str) -> None:
    """"剩余2页未读，继续阅读" under a complete document: the closing says it is complete."""
    doc = _doc(LONG_A, closing)
    doc.evidence.continue_prompts.append("剩余2页未读，继续阅读")
    doc = detect_truncation(doc)
    assert not doc.report.truncated
    assert [w.kind for w in doc.report.warnings] == ["continue-prompt-ignored"]


@pytest.mark.parametrize("last", [CLOSING, "谢谢大家！", "（万载县统计局）", "2023年1月5日"])
def test_complete_document_is_not_truncated(last: str) -> None:
    doc = detect_truncation(_doc(LONG_A, last))
    assert not doc.report.truncated
    assert doc.report.notes == []
    assert all(b.kind != "note" for b in doc.blocks)
    assert doc.report.truncation_reasons == []


def test_the_note_itself_does_not_count_as_the_last_paragraph() -> None:
    doc = _doc(LONG_A, "优化港口业态、建")
    doc.blocks.append(Block("note", GENERIC_NOTE))
    doc = detect_truncation(doc)
    assert doc.report.truncated  # judged on "优化港口业态、建", not on the note's closing 〕


# --------------------------------------------------------------------------- through the pipeline


@pytest.mark.parametrize(
    "lines",
    [
        ["某市2023年政府工作报告", "各位代表：", LONG_A, CLOSING],
        ["某县2015年国民经济和社会发展统计公报", LONG_A, "（某县统计局）"],
        ["某县2015年国民经济和社会发展统计公报", LONG_A, "某县统计局", "2016年3月1日"],
        ["某市2023年政府工作报告", "各位代表：", LONG_A, CLOSING, "— 3 —", "回到顶部", "客服QQ:12345678"],
    ],
)
def test_complete_documents_are_not_called_truncated(lines: list[str]) -> None:
    doc = clean("\n".join(lines) + "\n")
    assert not doc.report.truncated, doc.report.truncation_reasons
    assert doc.report.notes == []
    assert "编者注" not in doc.text()


def test_cut_document_ends_with_the_note_and_reports_it() -> None:
    doc = clean("\n".join(["某市2023年政府工作报告", "各位代表：", LONG_A,
                           "我们要坚持稳中求进，推动经济社会高质量发展，持续优化营商环境，加快建"]) + "\n")
    assert doc.report.truncated
    assert doc.report.notes == [GENERIC_NOTE]
    assert doc.text().splitlines()[-1] == GENERIC_NOTE
    assert doc.report_dict()["notes"] == [GENERIC_NOTE]


def test_continue_reading_notice_makes_the_document_truncated() -> None:
    doc = clean("\n".join(["某市2023年政府工作报告", "各位代表：", LONG_A, CLOSING,
                           "已阅读5页,还剩4页未读 继续免费阅读"]) + "\n")
    assert doc.report.truncated
    assert "继续免费阅读" not in doc.text()
    assert doc.text().splitlines()[-1] == GENERIC_NOTE


def test_cleaning_the_cut_text_again_keeps_one_note() -> None:
    first = clean("\n".join(["某市2023年政府工作报告", "各位代表：", LONG_A, "优化港口业态、提升港产能级、建"]) + "\n")
    second = clean(first.text())
    assert second.text() == first.text()
    assert second.text().count("编者注") == 1
    assert second.report.truncated


def test_a_text_ending_with_a_heading_is_cut_off_for_that_reason() -> None:
    body = "过去一年，全市经济发展坚持推进全面建设，改革开放创新服务群众社会治理生态环境保护。"
    doc = clean(f"某市2023年政府工作报告\n一、过去一年工作回顾\n{body}\n二、今年工作安排\n")
    assert doc.report.truncated
    assert doc.report.truncation_reasons == ["the text ends with a heading and nothing under it: 二、今年工作安排"]
