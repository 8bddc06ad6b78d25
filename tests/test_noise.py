"""Principle 5, noise: jammer strings, joiners between hanzi and watermarks are cut out of
the lines they were put into; the document's own Latin, numbers, units, codes and URLs stay.

Made-up inputs in the shapes forum and 范文 sites produce; no corpus case is copied.
"""

from __future__ import annotations

import pytest

from cleaner.check import accounting
from cleaner.pipeline import clean

TITLE = "某市人民政府关于推进农产品流通体系建设的实施意见"
HEAD = [TITLE, "某政发〔2020〕12号", "各区人民政府，市政府各部门："]
P1 = "为推动农产品流通体系建设，促进农民增收，结合本市实际，现提出如下实施意见。"
P2 = "到2022年，全市农产品冷链流通率达到百分之三十以上，PM2.5年均浓度持续下降，5G网络覆盖所有乡镇。"
P3 = "各区要登录市政府门户网站www.example.gov.cn公开办理结果，接受社会监督，GDP核算按国家规定执行。"


def _doc(lines: list[str]):
    return clean(("\n".join(lines) + "\n").encode("utf-8"))


@pytest.mark.parametrize("jammer", ["& U% Q4 R7 q; R' d# q; a3 Z& f", "7 c- R# x' i. z% P", "0 n3 B4 u9 Y7 X"])
def test_jammer_strings_go_at_line_ends_starts_and_alone(jammer: str) -> None:
    doc = _doc(HEAD + [P1[:20] + jammer, jammer + P1[20:], jammer, P2, P3])
    text = doc.text()
    assert jammer not in text and jammer.split()[1] not in text.replace("PM2.5", "")
    assert P1 in text.replace("\n", "")
    assert P2 in text and P3 in text  # PM2.5, 5G, GDP, the URL, 〔2020〕12号 untouched
    assert "某政发〔2020〕12号" in text
    assert any(r.rule.kind == "jammer" for r in doc.report.repairs + doc.report.removed)
    assert accounting(doc) == []


def test_a_jammer_leaves_the_texts_own_marks() -> None:
    doc = _doc(HEAD[:2] + ["各区人民政府，市政府各部门:  n3 v& k; ?( y9 ?/ o/ ~2 n", P1,
                           "0 P% A/ X9 ]\" G  B9 h0 p(二)推动东西部地区建立农产品产销协作机制。", P2])
    text = doc.text()
    assert "各区人民政府，市政府各部门：" in text
    assert "（二）推动东西部地区建立农产品产销协作机制。" in text


def test_numbers_and_codes_in_a_table_row_are_no_jammer() -> None:
    row = "粮食 万吨 12.5 13.6 14.2 15.1"
    codes = "型号 A B C D 均已备案"
    doc = _doc(HEAD + [P1, row, codes, P2])
    assert row in doc.text() and codes in doc.text()


def test_joiners_between_hanzi_go_and_elsewhere_stay() -> None:
    doc = _doc(HEAD + ["为推动\u200c农产品流通体系建设，促进\u200d农民增收，结合本市实际，现提出如下实施意见。", P2])
    assert P1 in doc.text()


def test_watermarks_go_and_a_documents_own_address_stays() -> None:
    doc = _doc(HEAD + [
        P1 + "本文来自：fanwen-example.cn",
        "到2022年，全市农产品冷链流通率达到百分之三十以上，来源：fanwen-example.cn PM2.5年均浓度持续下降，5G网络覆盖所有乡镇。",
        P3 + "【范文网 fanwen-example.cn】",
        "范文网 fanwen-example.cn",
    ])
    text = doc.text()
    assert "fanwen-example" not in text and "范文网" not in text
    assert "www.example.gov.cn" in text
    assert P1 in text and P3 in text
    named = [r.rule.name for r in doc.report.repairs if "fanwen" in r.before]
    named += [r.rule.name for r in doc.report.removed if "fanwen" in r.text]
    assert named and set(named) == {"watermark"}
    assert accounting(doc) == []
