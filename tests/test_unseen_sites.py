"""Shells of sites no profile describes: the generic rules alone must clean them.

The fixtures in tests/fixtures/unseen/ are made-up pages in the shape of common
document-sharing sites (a 百度文库-like and a 360doc-like page); the docin-like and
book118-like pages are generated here around the dev sample's body text, hard-wrapped
and with running headers. None of these sites has a profile in cleaner/sites/.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from cleaner import sites
from cleaner.pipeline import clean_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "unseen"

BODY = [
    "——2018年3月7日在某区第十五届人民代表大会第二次会议上",
    "某区人民政府区长 张三",
    "各位代表：",
    "现在，我代表某区人民政府向大会报告工作，请予审议，并请区政协各位委员和列席会议的同志提出意见。",
    "一、2017年工作回顾",
    "过去的一年，在市委、市政府和区委的坚强领导下，在区人大、政协的监督支持下，我们深入学习宣传贯彻党的十九大精神，"
    "牢牢把握稳中求进工作总基调，自觉践行新发展理念，推动经济社会各项事业取得了新进展。",
    "过去的一年，面对经济下行压力，我们综合施策，打好组合拳，发展质效持续提高。全年实施重点项目47个，完成投资46.9亿元。"
    "现代服务业不断壮大，工业经济提质增效，现代农牧业稳中调优，文体旅游业持续健康发展，全年旅游收入达到94.8亿元。",
    "过去的一年，面对城乡发展短板，我们多措并举，人居环境明显改善。全年投资90.07亿元，完成1.8万户棚改任务，"
    "新建及改造城市主次干道61条，全年完成管网改造38.6公里，新增供热面积72万平方米，新建改造公厕34座，新增就业6435人，",
]
TITLE = "某区2018年政府工作报告"


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _wrapped(lines: list[str], width: int = 28) -> list[str]:
    out = []
    for line in lines:
        text = "  " + unicodedata.normalize("NFKC", line)
        out.extend("    " + text[i:i + width] for i in range(0, len(text), width))
    return out


def docin_like() -> str:
    body = _wrapped(BODY)
    page: list[str] = ["豆丁网 docin.com", "登录 | 注册 | 帮助", f"{TITLE} - 豆丁网", "", f"          {TITLE}", ""]
    for i, line in enumerate(body):
        page.append(line)
        if i % 8 == 7:  # a page of the preview: page marker, then the running header
            page += [f"第 {i // 8 + 1} 页 共 9 页", "某区人民政府办公室文件"]
    page += ["", "文档标签:政府 报告", "关于豆丁 | 联系我们 | 合作伙伴 | 网站地图",
             "Copyright © 2008-2023 docin.com 豆丁网 All Rights Reserved"]
    return "\n".join(page) + "\n"


def book118_like() -> str:
    head = ["原创力文档", "知识共享平台", f"首页 > 行业资料 > 政府工作报告 > {TITLE}", f"{TITLE}.docx",
            "页数:22  大小:446KB  格式:DOCX  上传时间:2023-01-05", "上传者: user123   浏览:1234次   下载:56次",
            "下载需要 8 金币 [ 金币充值 ]", "关注我们 扫码下载APP", TITLE]
    tail = ["免费预览已结束,剩余 18 页可下载查看", "下载文档到电脑,查找使用更方便", "8 金币", "还剩18页未读,继续阅读",
            "相关文档", "某区2017年政府工作报告", "猜你喜欢", "本文档由用户上传,原创力文档不对内容负责",
            "©2010-2023 max.book118.com 版权所有 京ICP备18056798号-1", "客服电话:400-050-0739  客服QQ:800180474",
            "分享到: 微信 QQ空间 新浪微博", "上一页 1 2 下一页"]
    body = [unicodedata.normalize("NFKC", line) for line in BODY]
    return "\n".join(head + body[:4] + ["下载文档 收藏 分享"] + body[4:] + tail) + "\n"


PAGES = {"docin-like": docin_like, "book118-like": book118_like}


def test_no_profile_describes_these_sites() -> None:
    names = {p.name for p in sites.all_profiles()}
    assert not names & {"docin", "book118", "baidu", "360doc"}
    for make in PAGES.values():
        doc = clean_bytes(make().encode("utf-8"), "page.txt")
        assert doc.report.profile == "generic"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_generated_pages_clean_to_the_document(name: str) -> None:
    doc = clean_bytes(PAGES[name]().encode("utf-8"), "page.txt")
    lines = doc.text_lines()
    assert lines[0] == TITLE
    body = [b.text for b in doc.blocks if b.kind != "note"]
    assert [_norm(t) for t in body] == [_norm(t) for t in BODY], "\n".join(body)
    assert "一、2017年工作回顾" in lines
    assert doc.report.truncated  # the body stops at "新增就业6435人，"
    assert lines[-1].startswith("〔编者注")


def test_fixture_baidu_like_page() -> None:
    doc = clean_bytes((FIXTURES / "baidu.txt").read_bytes(), "baidu.txt")
    text = doc.text()
    for chrome in ("百度文库", "贡献", "相关文档", "某市2021年政府工作报告", "网站地图", "会员"):
        assert chrome not in text, chrome
    assert doc.title == "某市2022年政府工作报告"
    assert "（2022年1月10日在某市第十六届人民代表大会第一次会议上）" in doc.text_lines()
    assert "市长 张三" in doc.text_lines()
    heads = [b.text for b in doc.blocks if b.kind == "heading"]
    # a short heading phrase run into its paragraph keeps the 。 that closed it in the source
    assert heads == ["一、2021年工作回顾", "（一）经济运行稳中向好。", "（二）改革开放持续深化。", "二、2022年主要任务",
                     "（一）全力稳定经济增长。"]
    assert doc.report.truncated


def test_fixture_360doc_like_complete_bulletin() -> None:
    doc = clean_bytes((FIXTURES / "360doc.txt").read_bytes(), "360doc.txt")
    text = doc.text()
    for chrome in ("阅览室", "来自", "转藏", "献花", "评论", "上一篇", "猜你喜欢", "本站是提供个人知识管理", "0/0"):
        assert chrome not in _norm(text), chrome
    lines = doc.text_lines()
    assert lines[:3] == ["某县2021年国民经济和社会发展统计公报", "某县统计局", "2022年3月15日"]
    assert lines[-2:] == ["1.本公报数据为初步统计数。", "2.地区生产总值按现价计算，增长速度按不变价格计算。"]
    assert not doc.report.truncated  # a complete bulletin is never called truncated


def test_a_title_broken_over_two_lines_is_joined() -> None:
    page = ("某文库\n\n关于某市2022年国民经济和社会发展计划执行情况\n与2023年计划草案的报告\n"
            "——2023年1月6日在某市第十七届人民代表大会第二次会议上\n各位代表：\n"
            "受市人民政府委托，现将某市2022年国民经济和社会发展计划执行情况与2023年计划草案提请大会审议，请予审议。\n")
    doc = clean_bytes(page.encode("utf-8"), "t.txt")
    assert doc.title == "关于某市2022年国民经济和社会发展计划执行情况与2023年计划草案的报告"
    assert doc.text_lines()[1].startswith("——2023年1月6日")
    assert [r.rule.name for r in doc.report.repairs if r.rule.name == "join-title-lines"] == ["join-title-lines"]


def test_an_issuer_line_is_not_joined_to_the_title() -> None:
    page = ("某省2022年国民经济和社会发展统计公报\n某省统计局\n2023年3月1日\n"
            "2022年，全省上下坚持稳中求进工作总基调，经济运行总体平稳，发展质量稳步提升，民生保障有力有效。\n")
    doc = clean_bytes(page.encode("utf-8"), "t.txt")
    assert doc.title == "某省2022年国民经济和社会发展统计公报"
    assert doc.text_lines()[1:3] == ["某省统计局", "2023年3月1日"]
