"""Tests for cleaner.stages.site_chrome and .shell (and cleaner.chrome): site chrome, the head/tail shell, the site outline,
and related documents appended after the body.

Every example is literal: what a document-sharing site wraps around a document (must go)
and short body lines that look a little like it (must stay).
"""

from __future__ import annotations

import pytest

from cleaner import chrome, sites
from cleaner.document import Document
from cleaner.pipeline import Source, clean, new_document, run
from cleaner.read import decode
from cleaner.stages.shell import strip_head_and_tail
from cleaner.stages.site_chrome import strip_site_chrome
from cleaner.stages.unicode import repair_unicode

GENERIC = sites.get("generic")

# --------------------------------------------------------------------------- body text

SALUTATION = "各位代表："
OPENING = "现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。"
REVIEW = ("过去一年，极不寻常，意义非凡。面对复杂严峻的外部发展环境和超出预期的多重压力挑战，我们坚持以习近平新时代"
          "中国特色社会主义思想为指导，紧紧依靠全市人民团结奋斗、拼搏进取，各项事业迈出坚实步伐。")
HOTLINE = "完成“12345”“12315”23条热线归并，受理各类群众诉求及网格事件32万件，办件满意率达98%。"
MENTIONS_DOWNLOAD = ("深化“放管服”改革，推进政务服务“一网通办”，群众可在政务服务网上查询并下载办事指南和申请表格，"
                     "企业开办、不动产登记等高频事项实现全程网办，平均办理时间压缩一半以上。")
CLOSING = ("各位代表，新的征程已经开启，新的使命催人奋进。让我们更加紧密地团结在以习近平同志为核心的党中央周围，"
           "为全面建设社会主义现代化国家而努力奋斗！")

BODY_LINES_THAT_STAY = [
    "各位代表：",
    "各位代表:",
    "谢谢大家！",
    "谢谢！",
    "二、农业",
    "2022年政府工作回顾",
    HOTLINE,
    MENTIONS_DOWNLOAD,
    "太仓市2023年政府工作报告",
    "——2023年1月5日在太仓市第十七届人民代表大会第二次会议上",
    "海拉尔区人民政府区长  杨国宏",
    "以党的二十大精神为指引",
]


def chrome_rule(line: str, profiles: list) -> str | None:
    """The name of the chrome rule for ``line`` (None: not chrome)."""
    rule = chrome.chrome_rule(line, tuple(profiles))
    return rule.name if rule else None


def shell_rule(line: str, profile) -> str | None:
    rule = chrome.shell_rule(line, (profile,))
    return rule.name if rule else None


def raw_doc(lines: list[str], profile: str = "generic") -> Document:
    """A Document as the pipeline builds it before the stages run (one ``line`` block per line)."""
    data = ("\n".join(lines) + "\n").encode("utf-8")
    doc = new_document(Source(data, "case.txt", decode(data, "case.txt")))
    doc.profiles = sites.applying(sites.get(profile))
    return doc


def strip(lines: list[str], profile: str = "generic") -> Document:
    return run(raw_doc(lines, profile), [repair_unicode, strip_site_chrome, strip_head_and_tail])


def kept(doc: Document) -> list[str]:
    return [b.text.strip() for b in doc.blocks]


def removed(doc: Document) -> dict[str, str]:
    """text → rule of every removed line."""
    return {r.text.strip(): r.rule.name for r in doc.report.removed}


# --------------------------------------------------------------------------- chrome_rule


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("— 1 —", "page-marker"),
        ("- 12 -", "page-marker"),
        ("—12—", "page-marker"),
        ("第1页 / 共29页", "page-of-pages"),
        ("第12页/共29页", "page-of-pages"),
        ("…_第3页", "thumbnail-caption"),
        ("江西省2022年国民经济和社会发展统计公报.docx_第1页", "thumbnail-caption"),
        ("海拉尔区2013年政府工作报告_第5页", "thumbnail-caption"),
        ("海拉尔区2018年政府工作报告.doc", "file-name"),
        ("江西省2022年国民经济和社会发展统计公报.docx", "file-name"),
        ("某市政府工作报告.pdf", "file-name"),
        ("QQ:12345678", "contact-number"),
        ("联系电话:18812345678", "contact-number"),
        ("www.doczj.com", "url"),
        ("doczj.com", "domain-name"),
        ("https://www.360docs.net/doc/0019689063.html", "url"),
        ("共29页", "page-count"),
        ("账号:", "form-caption"),
    ],
)
def test_chrome_rule_patterns(line: str, kind: str) -> None:
    rule = chrome_rule(line, [GENERIC])
    assert rule == f"generic/pattern {kind}", (line, rule)


@pytest.mark.parametrize(
    "line",
    [
        "客服微信:22665800",
        "任何问题请联系客服微信:22665800",
        "当前位置:文档库 › 某报告",
        "当前位置：文档之家› 万载县2015年国民经济和社会发展统计公报",
        "加入VIP免费专享",
        "回到顶部",
        "返回顶部",
        "确认删除?",
        "点击查看更多>>",
        "已阅读5页,还剩4页未读 继续免费阅读",
        "1、当您付费下载文档后,您只拥有了使用权限,并不意味着购买了版权,文档只能用于自身使用,"
        "不得用于其他商业用途(如 [转卖]进行直接盈利或[编辑后售卖]进行间接盈利)。",
        "2、本站所有内容均由合作方或网友上传,本站不对文档的完整性、权威性及其观点立场正确性做任何保证或承诺!"
        "文档内容仅供研究参考,付费前请自行鉴别。",
        "3、如文档内容存在违规,或者侵犯商业秘密、侵犯著作权等,请点击“违规举报”。",
    ],
)
def test_chrome_rule_generic_phrases(line: str) -> None:
    rule = chrome_rule(line, [GENERIC])
    assert rule is not None and rule.startswith("generic/"), (line, rule)


def test_chrome_rule_compares_after_nfkc_and_without_spaces() -> None:
    assert chrome_rule("当前位置：文档库 ›  某报告", [GENERIC]) is not None  # full-width colon
    assert chrome_rule("回 到 顶 部", [GENERIC]) == "generic/line"
    assert chrome_rule("  — 7 —  ", [GENERIC]) == "generic/pattern page-marker"


def test_chrome_rule_site_profile_first() -> None:
    gongxun = sites.get("gongxun")
    assert chrome_rule("添加公寻网到电脑桌面", [gongxun, GENERIC]) == "gongxun/contains '添加公寻网到电脑桌面'"
    assert chrome_rule("  • 联系客服:22665800", [gongxun, GENERIC]).startswith("gongxun/pattern")
    # the site profile names the rule, before the generic phrase "到电脑桌面" could
    assert chrome_rule("添加公寻网到电脑桌面", [GENERIC]) == "generic/contains '到电脑桌面'"


@pytest.mark.parametrize("line", BODY_LINES_THAT_STAY + ["第一章 总则", "第三季度", "表1 2022年主要农产品产量",
                                                        "1.5%", "12345"])
def test_chrome_rule_keeps_body_lines(line: str) -> None:
    assert chrome_rule(line, [GENERIC]) is None
    assert chrome_rule(line, [sites.get("gongxun"), GENERIC]) is None


def test_chrome_rule_never_removes_a_long_paragraph_for_a_phrase() -> None:
    # a body paragraph that happens to quote a site phrase: the contains-rules apply to
    # short lines only (<= 200 characters after normalisation)
    long = "为方便群众办事，政务服务中心设立“请联系客服”专窗，" + REVIEW * 3
    assert chrome_rule(long, [GENERIC]) is None


# --------------------------------------------------------------------------- shell_rule


@pytest.mark.parametrize(
    ("line", "rules"),
    [
        ("下载资源需要8金币", {"notice-vocabulary"}),
        ("加入VIP免费专享", {"notice-vocabulary"}),
        ("客服微信:22665800", {"notice-vocabulary"}),
        ("首页 全部分类 排行 专题", {"navigation"}),
        ("首页 > 资源分类 > 文档下载", {"navigation", "breadcrumb", "notice-vocabulary"}),
        ("当前位置:首页 › 政府 › 工作报告", {"breadcrumb", "navigation"}),
        ("当前位置:文档库 › 某报告", {"breadcrumb", "navigation", "notice-vocabulary"}),
        ("2、PDF文件下载后,可能会被浏览器默认打开,此种情况可以点击浏览器菜单,保存网页到桌面,就可以正常下载了。",
         {"notice-vocabulary"}),
        ("3、本站不支持迅雷下载,请使用电脑自带的IE浏览器,或者360浏览器、谷歌浏览器下载即可。", {"notice-vocabulary"}),
        ("4、本站资源下载后的文档和图纸-无水印,预览文档经过压缩,下载后原文更清晰。", {"notice-vocabulary"}),
        ("Page 3", {"no-chinese-text", "navigation"}),
        ("• 办公文档>", {"menu-item", "breadcrumb", "notice-vocabulary", "navigation"}),
    ],
)
def test_shell_rule_positive(line: str, rules: set[str]) -> None:
    assert shell_rule(line, GENERIC) in rules, (line, shell_rule(line, GENERIC))


@pytest.mark.parametrize("line", BODY_LINES_THAT_STAY)
def test_shell_rule_negative(line: str) -> None:
    assert shell_rule(line, GENERIC) is None, (line, shell_rule(line, GENERIC))


def test_body_text_wins_ties_one_site_word_in_a_long_line() -> None:
    assert "下载" in MENTIONS_DOWNLOAD and MENTIONS_DOWNLOAD.count("下载") == 1
    assert shell_rule(MENTIONS_DOWNLOAD, GENERIC) is None
    assert chrome_rule(MENTIONS_DOWNLOAD, [GENERIC]) is None


# --------------------------------------------------------------------------- strip_site_chrome


def test_strip_site_chrome_removes_markers_anywhere_and_keeps_body() -> None:
    lines = [
        "某市2023年政府工作报告",
        SALUTATION,
        OPENING,
        "— 1 —",
        REVIEW,
        "第1页 / 共29页",
        "某市2023年政府工作报告_第3页",
        HOTLINE,
        "- 12 -",
        "谢谢大家！",
    ]
    doc = run(raw_doc(lines), [repair_unicode, strip_site_chrome])
    assert kept(doc) == ["某市2023年政府工作报告", SALUTATION, OPENING, REVIEW, HOTLINE, "谢谢大家！"]
    rules = removed(doc)
    assert rules == {
        "— 1 —": "generic/pattern page-marker",
        "第1页 / 共29页": "generic/pattern page-of-pages",
        "某市2023年政府工作报告_第3页": "generic/pattern thumbnail-caption",
        "- 12 -": "generic/pattern page-marker",
    }
    # the report gives the input line number of each removed line
    assert {r.line for r in doc.report.removed} == {4, 6, 7, 9}


def test_strip_site_chrome_uses_the_site_profile() -> None:
    lines = ["电脑桌面", "添加公寻网到电脑桌面", "安装后可以在桌面快捷访问", SALUTATION, OPENING, REVIEW]
    doc = run(raw_doc(lines, "gongxun"), [repair_unicode, strip_site_chrome])
    assert kept(doc) == [SALUTATION, OPENING, REVIEW]
    rules = removed(doc)
    assert rules["添加公寻网到电脑桌面"] == "gongxun/contains '添加公寻网到电脑桌面'"
    assert rules["电脑桌面"].startswith("gongxun/") or rules["电脑桌面"].startswith("generic/")
    assert rules["安装后可以在桌面快捷访问"] == "gongxun/line"


def test_site_outline_is_removed_and_recorded() -> None:
    lines = [
        "提纲:",
        "一、坚定不移两手抓、两手胜",
        "二、坚定不移稳存量、拓增量",
        "一、突出经济提质",
        "二、突出开放提级",
        "某市2023年政府工作报告",
        SALUTATION,
        OPENING,
        "2022年政府工作回顾",
        REVIEW,
    ]
    doc = run(raw_doc(lines), [repair_unicode, strip_site_chrome])
    assert doc.evidence.site_outline == [
        "一、坚定不移两手抓、两手胜",
        "二、坚定不移稳存量、拓增量",
        "一、突出经济提质",
        "二、突出开放提级",
    ]
    assert kept(doc) == ["某市2023年政府工作报告", SALUTATION, OPENING, "2022年政府工作回顾", REVIEW]
    rules = {r.line: r.rule.name for r in doc.report.removed}
    assert rules == {1: "site-outline header", 2: "site-outline entry", 3: "site-outline entry",
                     4: "site-outline entry", 5: "site-outline entry"}


def test_outline_header_without_entries_is_not_an_outline() -> None:
    # "目录" followed directly by running text: nothing is taken as outline entries
    lines = ["目录", OPENING, REVIEW]
    doc = run(raw_doc(lines), [repair_unicode, strip_site_chrome])
    assert doc.evidence.site_outline == []
    assert OPENING in kept(doc) and REVIEW in kept(doc)


# --------------------------------------------------------------------------- strip_head_and_tail

HEAD_SHELL = [
    "首页 全部分类 排行 专题",
    "当前位置:文档库 › 某报告",
    "下载资源需要8金币",
    "加入VIP免费专享",
    "海拉尔区2018年政府工作报告.doc",
    "友情提示",
    "2、PDF文件下载后,可能会被浏览器默认打开,此种情况可以点击浏览器菜单,保存网页到桌面,就可以正常下载了。",
    "3、本站不支持迅雷下载,请使用电脑自带的IE浏览器,或者360浏览器、谷歌浏览器下载即可。",
    "4、本站资源下载后的文档和图纸-无水印,预览文档经过压缩,下载后原文更清晰。",
    "5、试题试卷类文档,如果标题没有明确说明有答案则都视为没有答案,请知晓。",
]
FRONT = [
    "政府工作报告",
    "——2023年1月5日在某市第十七届人民代表大会第二次会议上",
    "某市人民政府市长  张三",
    SALUTATION,
]
BODY = [OPENING, "2022年政府工作回顾", REVIEW, "二、农业", MENTIONS_DOWNLOAD, HOTLINE, CLOSING, "谢谢大家！"]
TAIL_SHELL = [
    "1、当您付费下载文档后,您只拥有了使用权限,并不意味着购买了版权,文档只能用于自身使用,"
    "不得用于其他商业用途(如 [转卖]进行直接盈利或[编辑后售卖]进行间接盈利)。",
    "2、本站所有内容均由合作方或网友上传,本站不对文档的完整性、权威性及其观点立场正确性做任何保证或承诺!"
    "文档内容仅供研究参考,付费前请自行鉴别。",
    "3、如文档内容存在违规,或者侵犯商业秘密、侵犯著作权等,请点击“违规举报”。",
    "4、如遇任何问题请联系客服微信:22665800",
    "下载资源需要8金币",
    "首页 > 资源分类 > 文档下载",
    "回到顶部",
]


def test_head_and_tail_shell_removed_front_matter_and_body_kept() -> None:
    doc = strip(HEAD_SHELL + FRONT + BODY + TAIL_SHELL)
    assert kept(doc) == FRONT + BODY
    rules = removed(doc)
    for line in HEAD_SHELL + TAIL_SHELL:
        assert line in rules, f"not removed: {line}"
        assert rules[line], f"removed without a rule: {line}"


def test_short_closing_lines_survive_before_a_page_marker_and_footer() -> None:
    """A body ending in short lines ("谢谢大家！", a hotline sentence) followed by a page
    marker and the site's footer: only the marker and the footer go."""
    lines = FRONT + [OPENING, REVIEW, CLOSING, HOTLINE, "谢谢大家！", "谢谢！", "— 3 —", "回到顶部", "客服QQ:12345678"]
    doc = strip(lines)
    assert kept(doc) == FRONT + [OPENING, REVIEW, CLOSING, HOTLINE, "谢谢大家！", "谢谢！"]
    assert set(removed(doc)) == {"— 3 —", "回到顶部", "客服QQ:12345678"}


def test_short_closing_lines_survive_the_whole_pipeline() -> None:
    text = "\n".join(FRONT + [OPENING, REVIEW, CLOSING, "谢谢大家！", "— 3 —", "回到顶部"]) + "\n"
    doc = clean(text)
    out = doc.text().splitlines()
    assert out[-1] == "谢谢大家！", out[-3:]
    assert not doc.report.truncated


def test_salutation_in_both_widths_is_front_matter() -> None:
    for salutation in ("各位代表：", "各位代表:"):
        doc = strip(HEAD_SHELL + ["政府工作报告", salutation, OPENING, REVIEW] + TAIL_SHELL)
        assert kept(doc) == ["政府工作报告", salutation, OPENING, REVIEW]


def test_head_notice_lines_keep_their_own_rule() -> None:
    """Head lines that are notices or breadcrumbs are reported as such, not as listing titles
    (the report says why each line went; "listing-title" is for the site's name of the document)."""
    doc = strip(["首页 全部分类 排行 专题", "下载资源需要8金币", "太仓市2023年政府工作报告(20230105)VIP免费"]
                + FRONT + [OPENING, REVIEW])
    rules = removed(doc)
    assert rules["首页 全部分类 排行 专题"] == "navigation"
    assert rules["下载资源需要8金币"] == "notice-vocabulary"
    assert rules["太仓市2023年政府工作报告(20230105)VIP免费"] == "listing-title"


def test_listing_title_repeated_at_the_tail_is_removed() -> None:
    lines = ["太仓市2023年政府工作报告(20230105)VIP免费", "太仓市2023年政府工作报告", SALUTATION, OPENING, REVIEW,
             "任何问题请联系客服微信:22665800", "太仓市2023年政府工作报告(20230105)"]
    doc = strip(lines, "gongxun")
    assert kept(doc) == ["太仓市2023年政府工作报告", SALUTATION, OPENING, REVIEW]
    rules = removed(doc)
    assert rules["太仓市2023年政府工作报告(20230105)VIP免费"] == "listing-title"
    assert rules["太仓市2023年政府工作报告(20230105)"] == "listing-title"


def test_no_running_text_means_nothing_is_cut_by_zone() -> None:
    # without any running text there are no zones: only chrome rules apply
    doc = strip(["政府工作报告", "二、农业", "谢谢！"])
    assert kept(doc) == ["政府工作报告", "二、农业", "谢谢！"]


# --------------------------------------------------------------------------- related document

RELATED = [
    "2013年海拉尔区政府工作报告",
    "2013年海拉尔区政府工作报告",
    "政 府 工 作 报 告",
    "现在,我代表区政府向大会作工作报告,请予审议。",
    "并请区政协委员和列席会议的同志提出意见。",
    "一、过去一年工作回顾2012年,区政府在市委、市政府和区委的正确领导下,团结带领全区各族人民,攻坚克难。",
    "经济实力明显增强。",
]


def test_related_document_after_the_body_is_cut() -> None:
    body = ["海拉尔区2015年政府工作报告", SALUTATION, OPENING, REVIEW,
            "在充分肯定成绩的同时,我们也清醒地看到,经济社会发展中还存在一些困难和问题,县域经济实力不强,"]
    doc = strip(body + RELATED)
    assert kept(doc) == body
    rules = removed(doc)
    for line in RELATED:
        assert rules.get(line) == "related-document", line
    assert len([r for r in doc.report.removed if r.rule.name == "related-document"]) == len(RELATED)
    # a related document is reported, but it is no evidence of truncation by itself
    assert any(w.kind == "related-document" for w in doc.report.warnings)
    assert not any("another document" in r for r in doc.report.truncation_reasons)


def test_a_complete_document_followed_by_a_related_one_is_not_truncated() -> None:
    body = ["海拉尔区2015年政府工作报告", SALUTATION, OPENING, REVIEW, "谢谢大家！"]
    doc = clean("\n".join(body + RELATED) + "\n")
    assert "经济实力明显增强" not in doc.text()
    assert not doc.report.truncated


def test_related_document_makes_the_document_truncated() -> None:
    body = ["海拉尔区2015年政府工作报告", SALUTATION, OPENING, REVIEW,
            "在充分肯定成绩的同时,我们也清醒地看到,经济社会发展中还存在一些困难和问题,县域经济实力不强,"]
    doc = clean("\n".join(body + RELATED) + "\n")
    text = doc.text()
    assert "2013年海拉尔区政府工作报告" not in text
    assert "经济实力明显增强" not in text
    assert doc.report.truncated


def test_a_heading_repeated_in_the_body_is_not_a_related_document() -> None:
    # a repeated short line that does not name a kind of document does not start another document
    lines = ["某市2023年政府工作报告", SALUTATION, OPENING, REVIEW, "二、农业", "二、农业", MENTIONS_DOWNLOAD, CLOSING]
    doc = strip(lines)
    assert "related-document" not in set(removed(doc).values())
    assert MENTIONS_DOWNLOAD in kept(doc) and CLOSING in kept(doc)


# --------------------------------------------------------------------------- found by make fuzz
# A document whose paragraphs were hard-wrapped (too few lines for the wrap to be
# measured) with site chrome between the lines: the wrapped pieces ("济。", "%。") must
# not end the front matter, or everything above them is taken for the site's head shell.

def test_wrapped_pieces_above_the_first_long_line_are_not_head_shell() -> None:
    text = ("太仓市2013年政府工作报告\n添加公寻网到电脑桌面\n\n"
            "全市，经济，经济经济经济经济增长9.8%，经济经济经济经\n济。\n添加公寻网到电脑桌面\n\n"
            "各位代表：\n添加公寻网到电脑桌面\n一、过去一年工作回顾\n添加公寻网到电脑桌面\n"
            "全市，经济。全市，经济。全市，经济。全市，经济增长9.8\n%。\n添加公寻网到电脑桌面\n\n"
            "二、过去一年工作回顾\n添加公寻网到电脑桌面\n"
            "全市，经济。全市，经济，经济，经济经济，经济经济经济经济。全市，经济增长9.8%。\n")
    doc = clean(text)
    assert [r.rule.name for r in doc.report.removed if "公寻网" not in r.text] == []
    assert doc.text().splitlines()[1:] == [
        "全市，经济，经济经济经济经济增长9.8%，经济经济经济经", "济。", "各位代表：", "一、过去一年工作回顾",
        "全市，经济。全市，经济。全市，经济。全市，经济增长9.8%。", "二、过去一年工作回顾",
        "全市，经济。全市，经济，经济，经济经济，经济经济经济经济。全市，经济增长9.8%。"]


def test_signing_issuer_and_date_after_tail_chrome_stay() -> None:
    body = "全市，经济。全市，经济，经济，经济经济，经济经济经济经济。全市，经济增长9.8%。"
    text = (f"太仓市2013年政府工作报告\n{body}\n{body}\n添加公寻网到电脑桌面\n太仓市人民政府\n\n"
            "2013年1月1日\n添加公寻网到电脑桌面\n")
    lines = clean(text).text().splitlines()
    assert lines[-2:] == ["太仓市人民政府", "2013年1月1日"]


def test_the_tail_of_a_wrapped_sentence_is_not_shell() -> None:
    assert shell_rule("8%。", GENERIC) is None
    assert shell_rule("%，经济增长", GENERIC) is None
    assert shell_rule("教育。", GENERIC) is None  # a sentence end, though 教育 is a menu word
    assert shell_rule("教育", GENERIC) == "navigation"
    assert shell_rule("5！", GENERIC) is None
    assert shell_rule("PDF 2.3MB", GENERIC) == "no-chinese-text"


def test_the_cut_off_last_sentence_after_tail_chrome_stays() -> None:
    """The free preview ends mid-sentence ("全市，经") after a chrome line: the fragment is
    the document's, and the truncation note follows it."""
    body = "全市，经济。全市，经济，经济，经济经济，经济经济经济经济。全市，经济增长9.8%。"
    text = f"太仓市2013年政府工作报告\n{body}\n{body}\n三、过去一年工作回顾\n添加公寻网到电脑桌面\n全市，经\n"
    doc = clean(text)
    assert doc.text().splitlines()[-2:] == ["全市，经", "〔编者注：原文至此中断，后文缺失。〕"]


def test_a_wrapped_number_ending_a_sentence_does_not_end_the_front_matter() -> None:
    text = ("太仓市2013年政府工作报告\n添加公寻网到电脑桌面\n各位代表：\n添加公寻网到电脑桌面\n"
            "全市，经济，经济经济，经济经济经济经济，经济经济经济经济\n增长9.8%。全市，经济增长9.8%，经济经济经济增长1\n"
            "2.3%。\n添加公寻网到电脑桌面\n一、过去一年工作回顾。全市，经济。全市，经济。全市，经济，经济，经济增长9.8%。\n")
    doc = clean(text)
    assert [r.rule.name for r in doc.report.removed if "公寻网" not in r.text] == []
    assert doc.text().splitlines()[1:3] == ["各位代表：", "全市，经济，经济经济，经济经济经济经济，经济经济经济经济"]


@pytest.mark.parametrize("stray", ["济!", "12", "全部 分类"])
def test_a_stray_line_does_not_end_the_front_matter(stray: str) -> None:
    """Body text right above an odd line (a wrapped piece, a number, a menu crumb) is
    still the document's; only the odd line may go."""
    running = "全市，经济经济经济经济增长9.8%，经济经济经济基础设施，经济，经济经济经济经济。"
    text = f"太仓市2013年政府工作报告\n添加公寻网到电脑桌面\n一、过去一年工作回顾\n全市，经济。\n{stray}\n{running}\n"
    doc = clean(text)
    assert not [r for r in doc.report.removed if r.rule.name == "head-shell"]
    assert doc.text().splitlines()[1:3] == ["一、过去一年工作回顾", "全市，经济。"]


def test_a_bare_page_number_inside_a_wrapped_paragraph_goes() -> None:
    """…and the paragraph it broke rejoins across it, with or without a measured width."""
    text = ("某市2023年工作总结\n全市，经济。全市，经济，经济增长9.8%，经济经济增长\n3\n9.8%。全年，民生。\n"
            "12\n二、今年工作安排\n全年，民生。\n")
    doc = clean(text)
    assert [(r.line, r.rule.name) for r in doc.report.removed] == [(3, "page-number-inside-paragraph")]
    assert doc.text().splitlines()[1:] == ["全市，经济。全市，经济，经济增长9.8%，经济经济增长9.8%。全年，民生。", "12",
                                           "二、今年工作安排", "全年，民生。"]


@pytest.mark.parametrize("text", [
    "某市2023年工作总结\n全市，经济。全市，经济，经济增长9.8%，经济经济增长1,6\n3\n添加公寻网到电脑桌面\n",
    "某市2023年工作总结\n全市，经济。全市，经济，经济增长9.8%，经济经济增长1,6\n3\n5个百分点。\n",
    # found by make fuzz: "PM2.5" broken by a page, or "A3纸": no reader can tell
    "某市2023年工作总结\n全市，经济。全市，经济，经济增长9.8%，经济经济增长P\n3\nM2.5。\n",
    "某市2023年工作总结\n全市，经济。全市，经济，公文统一使用经济经济经济A\n3\n纸打印。\n",
    "某市2023年工作总结\n全市，经济。全市，经济，经济增长9.8%，经济经济增长PM2.5，\n3\n经济。\n",
])
def test_a_number_after_a_digit_or_letter_may_be_the_rest_of_it_and_stays(text: str) -> None:
    doc = clean(text)
    assert not [r for r in doc.report.removed if r.rule.name == "page-number-inside-paragraph"]
    assert "3" in "".join(doc.text().splitlines()[1:])


@pytest.mark.parametrize(("above", "below"), [("全市，经济增长9.8%。全市，经济，经济经济经济。全市，", "经济。"),
                                             ("全市，经济，经济增长9.8%，经济经济经济增长9.8%。", "经济。"),
                                             ("全市，经济，经济，经济。全市，经济。全市，经济。全市，经", "济。")])
def test_a_bare_page_number_between_prose_lines_goes(above: str, below: str) -> None:
    doc = clean(f"某市2023年工作总结\n各位代表：\n{above}\n3\n{below}\n")
    assert [(r.line, r.rule.name) for r in doc.report.removed] == [(4, "page-number-inside-paragraph")]


def test_a_number_under_a_last_line_cut_mid_sentence_stays() -> None:
    """"…增长" / "9" where the preview ends: the number may be the rest of the line."""
    body = "全市，经济，经济，经济，经济经济经济经济增长1,635。全市，经济，经济，经济增长9.8%，经济。"
    doc = clean(f"某市2023年工作总结\n{body}\n全市，经济，经济，经济增长9.8%，经济经济经济经济增长\n9\n"
                "添加公寻网到电脑桌面\n")
    assert doc.text().splitlines()[-3:] == ["全市，经济，经济，经济增长9.8%，经济经济经济经济增长", "9",
                                            "〔编者注：原文至此中断，后文缺失。〕"]
    page_number_after_a_full_stop = clean(f"某市2023年工作总结\n{body}\n{body}\n9\n")
    assert [r.rule.name for r in page_number_after_a_full_stop.report.removed] == ["no-chinese-text"]
