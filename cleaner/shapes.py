"""Line shapes of Chinese official documents: small pure tests the stages share.

Everything here looks at one line and answers a question about its shape: is it
numbered like a heading, a subtitle "——2023年1月5日在…会议上", a signature, a date,
a salutation, a title? Punctuation is accepted in both widths, since scraped text is
often width-folded.
"""

from __future__ import annotations

import re

from .textutil import CJK_CLASS, cjk_ratio, line_key, squeeze

CN_NUM = "一二三四五六七八九十"
#: Marks that never start a line of their own: a line starting with one continues the line above.
LEADING_MARKS = tuple("，,。.；;：:、）)”’》」』!！？?%")
_CN_DIGIT = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}

# Heading numbering, by level: 一、 / （一） / 1. or 1、 / （1）, and 01综合 (bulletins).
LEVEL1 = re.compile(rf"^([{CN_NUM}]{{1,3}})[、，,．.]\s*(?=\S)")
LEVEL2 = re.compile(rf"^[（(]([{CN_NUM}]{{1,3}})[）)]\s*(?=\S)")
LEVEL3 = re.compile(r"^(\d{1,2})(?:[、．]|\.(?!\d))\s*(?=[^\d\s%.．])")
LEVEL4 = re.compile(r"^[（(](\d{1,2})[）)]\s*(?=\S)")
LEVEL_TWO_DIGIT = re.compile(rf"^(0[1-9]|[1-9]\d)(?=[{CJK_CLASS}])(?![{CJK_CLASS}]?[年月日号时分秒个万亿元%])")
NUMBERING = ((1, LEVEL1), (2, LEVEL2), (3, LEVEL3), (4, LEVEL4))

SUBTITLE = re.compile(
    r"^[-—–―－~〜]{0,4}\s*[（(]?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*在.{2,60}?(会议|大会|会)上"
    r"(的(讲话|报告|发言))?\s*[）)]?"
)
SIGNATURE = re.compile(
    rf"^[{CJK_CLASS}]{{2,24}}?(人民政府|政府|委员会|人大常委会|办公室|办公厅)"
    r"(代理|代)?(区长|市长|县长|省长|州长|旗长|主席|主任|盟长|镇长|乡长|书记|局长)"
)
SALUTATION = re.compile(r"^(各位代表|各位委员|同志们|各位同志|各位领导)[：:，,！!]?$")
_CN_DATE_DIGIT = "〇○零一二三四五六七八九"
#: A date line, in Arabic or Chinese numerals ("2019年1月27日", "一九九六年二月五日").
DATE_LINE = re.compile(
    rf"^[（(]?(?:\d{{4}}|[{_CN_DATE_DIGIT}]{{4}})\s*年\s*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,2}})\s*月"
    rf"\s*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*日[）)]?$")
ISSUER = re.compile(rf"^(?:国务院|[{CJK_CLASS}\s]{{2,40}}(局|总队|人民政府|政府|委员会|办公室|办公厅|中心))$")
#: A document number (文号): "国发〔2019〕5号", "国办发[2018]123号".
DOC_NUMBER = re.compile(rf"^[{CJK_CLASS}]{{1,12}}\s*[〔\[［(（]\s*(?:19|20)\d\d\s*[〕\]］)）]\s*\d{{1,4}}\s*号$")
#: The addressees (主送机关) of an official document: "各省、自治区、直辖市人民政府，国务院各部委…：",
#: "国务院：". Organ names only, no sentence, a colon at the end.
ADDRESSEE = re.compile(
    rf"^(?:各[{CJK_CLASS}]|[{CJK_CLASS}]{{0,20}}(?:国务院|人民政府|政府|委员会|党委|党组|局|厅|部|委|办公室|公司|中心)[：:])"
    r"[^。；;！!？?]{0,90}[：:]$")
#: A line that closes an official document: "（此件公开发布）", "（本文有删减）", "（此件主动公开）".
CLOSING_NOTE = re.compile(r"^[（(](?:此件|本件|本文)[^（()）]{1,12}[)）]$")
SPACED_TITLE = re.compile(rf"^(?:[{CJK_CLASS}][ \u3000]+){{2,}}[{CJK_CLASS}]")
FILE_NAME = re.compile(r"\.(?i:docx?|pdf|pptx?|xlsx?|txt|wps)\s*$")
BULLET = re.compile(r"^\s*[•·●○■□◆◇▪▸►]\s*")
DOC_TYPES = ("报告", "公报", "总结", "计划", "规划", "纲要", "意见", "通知", "决定", "办法", "方案",
             "讲话", "决议", "条例", "规定", "白皮书", "年鉴", "述职", "汇报", "实施细则")
# A date in a listing title: "(20230105)" or "(2023-01-05)".
TITLE_DATE = re.compile(r"[（(]\s*((?:19|20)\d\d)[-./年]?(\d\d)[-./月]?(\d\d)日?\s*[）)]")

#: a mark inside a clause-bearing line: prose has one, menus and listing titles none
CLAUSE_MARK = re.compile(r"[，,；;、]")


def numbering(text: str) -> tuple[int, int, int] | None:
    """(level, number, length of the marker) of a numbered heading start, or None.

    >>> numbering("一、坚定不移两手抓")
    (1, 1, 2)
    >>> numbering("（十二）加强") [:2]
    (2, 12)
    >>> numbering("2.5万亿元") is None
    True
    >>> numbering("一是加强") is None
    True
    """
    s = text.lstrip(" \u3000\t")
    for level, rx in NUMBERING:
        m = rx.match(s)
        if m:
            n = m.group(1)
            value = int(n) if n.isdigit() else cn_value(n)
            if value:
                return level, value, m.end()
    return None


def ordinal_broken(above: str, below: str) -> bool:
    """"…增长第" / "一，经济": a wrap inside an ordinal; the line below is no heading.

    >>> ordinal_broken("经济增长第", "一，经济。"), ordinal_broken("经济增长。", "一、经济")
    (True, False)
    """
    return squeeze(above).endswith("第") and squeeze(below)[:1] in CN_NUM + "0123456789"


def cn_value(num: str) -> int:
    """Value of a Chinese numeral up to 99: 一 → 1, 十二 → 12, 二十 → 20, 二十三 → 23."""
    if not num or any(c not in CN_NUM for c in num):
        return 0
    if num == "十":
        return 10
    if "十" in num:
        tens, _, ones = num.partition("十")
        if len(ones) > 1 or len(tens) > 1:
            return 0
        return (_CN_DIGIT.get(tens, 0) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)
    return _CN_DIGIT.get(num, 0) if len(num) == 1 else 0


def two_digit_heading(text: str) -> int:
    """Number of a bulletin heading such as "01综合", or 0."""
    s = squeeze(text)
    m = LEVEL_TWO_DIGIT.match(s)
    if m and len(s) <= 16 and not has_clause_punct(s):
        return int(m.group(1))
    return 0


#: Marks that end a sentence (a closing quote or ellipsis after its stop counts too).
SENTENCE_END = frozenset("。！？!?；;…”’」』")
#: Marks a document's last paragraph can end with: a sentence end, but not ；.
DOCUMENT_END = SENTENCE_END - frozenset("；;")
#: Marks that end a clause inside a sentence.
CLAUSE_END = frozenset("，,：:、")
#: A sentence stop inside a line: a numbered line holding one is a paragraph, not a heading.
SENTENCE_STOP = re.compile(r"[。；;！!？?]")


def ends_sentence(text: str) -> bool:
    return squeeze(text)[-1:] in SENTENCE_END


def ends_with_mark(text: str) -> bool:
    """Ends with a sentence or clause mark: prose (or a wrapped piece of it, "8%，"),
    never a menu, a button or a caption."""
    return squeeze(text)[-1:] in SENTENCE_END | CLAUSE_END


def ends_mid_clause(text: str) -> bool:
    """Ends in a Chinese character or a digit, with no mark: a line the wrap, a page
    break or the free preview cut ("…经济增", "…增长9")."""
    return re.search(rf"[{CJK_CLASS}\d]$", squeeze(text)) is not None


def has_clause_punct(text: str) -> bool:
    return bool(re.search(r"[，,。；;！!？?]", text))


def front_matter_kind(text: str) -> str | None:
    """subtitle / signature / salutation / date / number (文号) / addressee (主送机关), or None.

    >>> front_matter_kind("——2023年1月5日在太仓市第十七届人民代表大会第二次会议上")
    'subtitle'
    >>> front_matter_kind("海拉尔区人民政府区长  杜联合")
    'signature'
    >>> front_matter_kind("各位代表:")
    'salutation'
    >>> front_matter_kind("国发〔2019〕5号"), front_matter_kind("各省、自治区、直辖市人民政府，国务院各部委、各直属机构：")
    ('number', 'addressee')
    >>> front_matter_kind("一九九六年二月五日"), front_matter_kind("各地区要做好以下工作：")
    ('date', None)
    """
    s = text.strip()
    if SUBTITLE.match(s):
        return "subtitle"
    if SALUTATION.match(squeeze(s)):
        return "salutation"
    if DATE_LINE.match(squeeze(s)):
        return "date"
    if DOC_NUMBER.match(squeeze(s)):
        return "number"
    if len(squeeze(s)) <= 100 and ADDRESSEE.match(squeeze(s)) and not re.search(r"要|应当|请|如下|以下", s):
        return "addressee"
    if len(squeeze(s)) <= 30 and SIGNATURE.match(squeeze(s)) and not has_clause_punct(s):
        return "signature"
    return None


def title_like(text: str) -> bool:
    """Short, Chinese, without clause punctuation: could be a title or a heading.

    >>> title_like("太仓市2023年政府工作报告(20230105)VIP免费")
    True
    >>> title_like("现在,我代表太仓市人民政府")
    False
    """
    s = squeeze(text)
    return 4 <= len(s) <= 60 and cjk_ratio(s) >= 0.4 and not has_clause_punct(s)


def document_title_like(text: str, tags: tuple[str, ...] = ()) -> bool:
    """A title-like line that names a kind of document ("…政府工作报告", "…统计公报");
    ``tags``: the tags sites append to listing titles ("…报告VIP免费")."""
    s = title_key(text, tags)
    return any(s.endswith(t) for t in DOC_TYPES)


def title_key(text: str, tags: tuple[str, ...] = ()) -> str:
    """A listing title reduced to the document's name: no tags, dates, extensions, spaces.

    >>> title_key("太仓市2023年政府工作报告(20230105)VIP免费", ("VIP免费",))
    '太仓市2023年政府工作报告'
    >>> title_key("海拉尔区2018年政府工作报告.doc")
    '海拉尔区2018年政府工作报告'
    >>> title_key("首页 > 资料 > 某县2015年统计公报"), title_key("某市政府工作报告 - 豆丁网")
    ('某县2015年统计公报', '某市政府工作报告')

    ``tags``: the tags sites append to listing titles (site profiles' ``title_tags``).
    """
    s = line_key(text)
    for tag in tags:
        s = s.replace(tag, "")
    s = FILE_NAME.sub("", s)
    s = TITLE_DATE.sub("", s)
    s = re.sub(r"_第\d+页$", "", s)
    s = re.split(r"[>›»]", s)[-1]  # breadcrumb "首页>资料>NAME"
    parts = [p for p in re.split(r"[-_|–—]+", s) if p]
    named = [p for p in parts if p.endswith(DOC_TYPES)]
    if len(parts) > 1 and named and not s.endswith(DOC_TYPES):  # "NAME - 豆丁网"
        s = max(named, key=len)
    return s


def listing_title_with_tag(text: str, tags: tuple[str, ...] = ()) -> bool:
    s = squeeze(text)
    return title_like(s) and (title_key(s, tags) != s.replace(" ", "")) and document_title_like(s, tags)


def file_name(text: str) -> bool:
    return bool(FILE_NAME.search(text.strip()))


def bullet_line(text: str) -> bool:
    return bool(BULLET.match(text)) and len(squeeze(text)) <= 30
