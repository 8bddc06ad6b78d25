"""Principle 1, the document's frame: an official document has a recognisable start (its
title over a 文号, a 主送机关 or "各位代表：") and end (its 落款, "（此件公开发布）", or a
site's appendix header such as "延伸阅读"). Text outside the frame is not the document's,
even when it looks like prose with headings.

The inputs are made up here, in the shapes sites produce; none is a corpus case.
"""

from __future__ import annotations

from cleaner.pipeline import clean

TITLE = "某市人民政府关于加强城市供水安全管理的意见"
NUMBER = "某政发〔2021〕7号"
ADDRESSEE = "各区人民政府，市政府各部门、各直属机构："
BODY = [
    "城市供水安全事关人民群众身体健康和社会稳定。为进一步加强城市供水安全管理，现提出如下意见。",
    "一、总体要求",
    "坚持人民至上、生命至上，以保障供水安全为目标，健全从水源到龙头的全过程管理体系，全面提升供水保障能力。",
    "二、主要任务",
    "（一）加强水源保护。",
    "严格饮用水水源保护区管理，定期开展水源地环境状况评估，依法清理保护区内违法建设项目。",
    "1、开展水源地巡查，每月不少于一次。",
    "2、建立水质监测信息共享机制，及时通报异常情况。",
    "（二）提升水厂处理能力。",
    "推进水厂工艺升级改造，确保出厂水质稳定达到国家标准，供水管网漏损率控制在百分之九以内。",
]
CLOSING = ["某市人民政府", "2021年3月8日", "（此件公开发布）"]

ARTICLE = [  # a site's "how to write" article with headings of its own
    "下面是小编为大家整理的某市人民政府关于加强城市供水安全管理的意见，供大家参考。",
    "意见是用于对重要问题提出见解和处理办法的文种，那么，意见应该怎么写呢？",
    "一、意见的概念",
    "意见是上级领导机关对下级机关部署工作、指导下级机关工作活动的原则、步骤和方法的一种公文。",
    "二、意见的特点",
    "（一）针对性",
    "意见一般都有特定的对象，这样才能体现其严谨负责的原则，这是意见的基本特点之一。",
]


def _clean(lines: list[str]):
    return clean(("\n".join(lines) + "\n").encode("utf-8"))


def _kinds(doc) -> dict[str, str]:
    return {r.text.strip(): r.rule.kind for r in doc.report.removed}


def test_an_article_between_title_and_document_is_outside_the_frame() -> None:
    doc = _clean([TITLE] + ARTICLE + [TITLE, NUMBER, ADDRESSEE] + BODY + CLOSING)
    text = doc.text()
    assert doc.title == TITLE
    for line in ARTICLE:
        assert line not in text
        assert _kinds(doc)[line] in ("filler", "site-chrome", "shell"), line
    assert [b.text for b in doc.blocks][:2] == [NUMBER, ADDRESSEE]
    for line in BODY + CLOSING:
        assert line.rstrip("。") in text, line  # the document's own lines, 1、 items included
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert "一、总体要求" in headings and "二、意见的特点" not in headings


def test_everything_after_a_site_appendix_header_is_outside_the_frame() -> None:
    tail = ["延伸阅读", "意见的写作格式", "意见的写作格式一般由开头、主体和结尾、落款组成，开头要说明制定意见的缘由。",
            "一、开头", "意见的开头要概括性说明制定意见的缘由、目的或依据，经常用的引导语是现提出如下意见。",
            "相关推荐", "城市供水管理办法  2020-05-06"]
    doc = _clean([TITLE, NUMBER, ADDRESSEE] + BODY + tail)
    text = doc.text()
    assert BODY[-1] in text
    for line in tail:
        assert line not in text, line
    assert all(_kinds(doc)[line.strip()] in ("filler", "site-chrome", "shell") for line in tail)


def test_site_lines_after_the_closing_are_outside_the_frame() -> None:
    tail = ["关于本文", f"本文标题：{TITLE}.doc", "链接地址：http://www.example-doc.com/p-1234.html",
            "下载声明", "1. 本站所有资源如无特殊说明，都需要本地电脑安装OFFICE2007和PDF阅读器。",
            "2. 未经权益所有人同意不得将文件中的内容挪作商业或盈利用途。"]
    doc = _clean([TITLE, NUMBER, ADDRESSEE] + BODY + CLOSING + tail)
    text = doc.text()
    assert text.rstrip().endswith("（此件公开发布）")
    assert not doc.report.truncated


def test_a_report_attached_after_the_closing_stays() -> None:
    attached = ["关于城市供水水质监测工作的报告", "市人民政府：",
                "按照市政府的部署，我局组织开展了全市城市供水水质监测工作，现将有关情况报告如下，请审阅。",
                "全市共设监测点一百二十个，全年水质综合合格率达到百分之九十九以上，总体情况良好。",
                "某市水务局", "2021年2月20日"]
    doc = _clean([TITLE, NUMBER, ADDRESSEE] + BODY + CLOSING + attached)
    text = doc.text()
    for line in attached:
        assert line in text, line
    assert not doc.report.truncated


def test_a_letter_spaced_title_on_three_lines_is_one_title() -> None:
    spaced = ["某 市 人 民 政 府 关 于", "加 强 城 市 供 水 安 全", "管 理 的 意 见"]
    doc = _clean(["首页 政务公开 " + TITLE, TITLE, "时间:2022-04-02 政务公开 版权反馈"] + spaced
                 + [NUMBER, ADDRESSEE] + BODY + CLOSING)
    assert doc.title == TITLE
    assert "首页" not in doc.text()
    assert doc.blocks[0].text == NUMBER


def test_without_an_opening_the_document_is_not_cut() -> None:
    """No 文号, 主送机关 or salutation under a title: the frame falls back to the old walk,
    and a heading-rich report keeps every line."""
    lines = ["某县2020年统计公报"] + BODY[1:]
    doc = _clean(lines)
    for line in BODY[1:]:
        assert line.rstrip("。") in doc.text(), line
