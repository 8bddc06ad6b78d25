"""Small character-level helpers shared by the stages."""

from __future__ import annotations

import functools
import re
import unicodedata

#: What "a Chinese character" means everywhere in cleaner (a regex class body): CJK Unified
#: Ideographs with Extension A, compatibility ideographs, and Extensions B and later
#: (planes 2 and 3: rare characters of place and personal names).
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
CJK_RE = re.compile(f"[{CJK_CLASS}]")
NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17)
)
#: Characters no edition may hold (runs of them): C0 controls but TAB and LF, DEL and C1
#: controls, lone surrogates, noncharacters. XML 1.0 forbids most; lxml raises on them.
XML_INVALID = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{NONCHARACTERS}]+")
SPACE_RE = re.compile(r"[\s\u3000\u00a0]+")
ALL_PUNCT_RE = re.compile(r"[\s\W_]+", re.UNICODE)


def cjk_count(text: str) -> int:
    return len(CJK_RE.findall(text))


def cjk_ratio(text: str) -> float:
    """Share of non-space characters that are CJK ideographs.

    >>> round(cjk_ratio("增长9.8%"), 2)
    0.33
    """
    chars = SPACE_RE.sub("", text)
    return cjk_count(chars) / len(chars) if chars else 0.0


def squeeze(text: str) -> str:
    """Remove all whitespace (for comparisons): ``SPACE_RE.sub("", text)``, which
    ``str.split`` does faster (both take whitespace as ``str.isspace`` does, U+3000
    and U+00A0 included).

    >>> squeeze(" 添加\\u3000公寻网 ,\\u00a0a\\tb\\n")
    '添加公寻网,ab'
    """
    return "".join(text.split())


@functools.lru_cache(maxsize=1 << 14)  # the stages ask again and again about the same lines
def key(text: str) -> str:
    """Comparison key: NFKC, no whitespace, no punctuation.

    >>> key("太仓市 2023年（报告）")
    '太仓市2023年报告'
    """
    return ALL_PUNCT_RE.sub("", unicodedata.normalize("NFKC", text))


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@functools.lru_cache(maxsize=1 << 14)
def line_key(text: str) -> str:
    """How site phrases are compared: NFKC, no whitespace ("添加 公寻网," == "添加公寻网，")."""
    return squeeze(nfkc(text))
