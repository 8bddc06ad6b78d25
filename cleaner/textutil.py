"""Small character-level helpers shared by the stages."""

from __future__ import annotations

import re
import unicodedata

# CJK Unified Ideographs (+ Ext A) and compatibility ideographs: what "Chinese text" means here.
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
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
    """Remove all whitespace (for comparisons)."""
    return SPACE_RE.sub("", text)


def key(text: str) -> str:
    """Comparison key: NFKC, no whitespace, no punctuation.

    >>> key("太仓市 2023年（报告）")
    '太仓市2023年报告'
    """
    return ALL_PUNCT_RE.sub("", unicodedata.normalize("NFKC", text))


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
