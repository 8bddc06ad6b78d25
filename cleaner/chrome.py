"""What site chrome looks like, line by line: the questions several stages ask.

``chrome_rule`` says whether a line is chrome wherever it stands (a profile's line,
phrase or pattern); ``shell_rule`` whether a line near the document's start or end is
the site's shell (notice vocabulary, menus, breadcrumbs); ``is_running_text`` whether a
line is the document's running text. Each answers from the text and the profiles that
apply, never from the report.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable

from . import rules
from . import shapes as P
from .rules import Rule
from .sites import Profile, nav_words, notice_words
from .textutil import cjk_count, cjk_ratio, line_key, squeeze


def chrome_rule(text: str, profiles: tuple[Profile, ...]) -> Rule | None:
    """The rule that marks a line as site chrome wherever it stands, or None.

    >>> from cleaner import sites
    >>> g = (sites.get("generic"),)
    >>> chrome_rule("— 12 —", g).name, chrome_rule("— 12 —", g).kind
    ('generic/pattern page-marker', 'page-marker')
    >>> chrome_rule("各位代表：", g) is None
    True
    """
    key = line_key(text)
    if not key:
        return None
    bare = key.rstrip(":：")
    for p in profiles:
        if key in p.lines or bare in p.lines:
            return p.line_rule
        if len(key) <= 200:
            for phrase in p.contains:
                if phrase in key:
                    return p.contains_rule(phrase)
        for pat in p.patterns:
            if pat.regex.search(key):
                return pat.rule
    return None


def outline_header(text: str, profiles: tuple[Profile, ...]) -> bool:
    """"提纲:", "目录": the header of an outline the site made from the document."""
    bare = line_key(text).rstrip(":：")
    return any(bare in p.outline_headers for p in profiles)


def appendix_header(text: str, profiles: tuple[Profile, ...]) -> bool:
    """"延伸阅读", "相关推荐": the header of what a site appends after the document."""
    bare = line_key(text).rstrip(":：")
    return any(bare in p.appendix_headers for p in profiles)


def cut_phrase(text: str, profiles: tuple[Profile, ...]) -> bool:
    """A site's "continue reading" phrase: evidence that the preview was cut short."""
    key = line_key(text)
    return any(c in key for p in profiles for c in p.continue_reading)


def notice_hits(s: str, words: tuple[str, ...]) -> int:
    """How many times the notice ``words`` occur in ``s`` (each word counted on its own).

    >>> notice_hits("免费下载，下载券", ("下载", "免费下载", "VIP"))
    3
    """
    if not _any_word(words).search(s):  # most lines hold none: one scan instead of one per word
        return 0
    return sum(s.count(w) for w in words)


@functools.lru_cache(maxsize=64)
def _any_word(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))) or r"(?!)")


def _nav_share(s: str, words: tuple[str, ...]) -> float:
    covered = s
    for w in sorted(words, key=len, reverse=True):
        covered = covered.replace(w, "")
    covered = re.sub(r"[\W_\d]", "", covered)
    letters = len(re.sub(r"[\W_\d]", "", s))
    return 1 - len(covered) / letters if letters else 0.0  # digits alone are no menu


def is_running_text(text: str, profiles: tuple[Profile, ...]) -> bool:
    """A line of the document's running text: long, Chinese, with clause punctuation,
    not dense in site vocabulary."""
    s = squeeze(text)
    if len(s) < 40 or cjk_ratio(s) < 0.6:
        return False
    if sum(s.count(c) for c in "，,。；;、") < 2:
        return False
    return notice_hits(s, notice_words(profiles)) * 25 < len(s)


def shell_rule(text: str, profiles: tuple[Profile, ...]) -> Rule | None:
    """Why a line near the head or tail is site shell, or None.

    >>> from cleaner import sites
    >>> g = (sites.get("generic"),)
    >>> shell_rule("下载资源需要8金币", g).name
    'notice-vocabulary'
    >>> shell_rule("各位代表:", g) is None
    True
    >>> shell_rule("首页 > 资源分类 > 文档下载", g).name
    'breadcrumb'
    >>> shell_rule("首页 全部分类 排行 专题", g).name
    'navigation'
    """
    s = squeeze(text)
    if not s:
        return None
    if P.front_matter_kind(text) or s.startswith(P.LEADING_MARKS):
        return None  # front matter; the tail of a wrapped line ("%。"), never a menu
    if re.search(r"[>›»]", s) and len(s) <= 60:
        return rules.BREADCRUMB
    if len(s) <= 40 and not P.ends_sentence(s) and _nav_share(s, nav_words(profiles)) >= 0.7:
        return rules.NAVIGATION
    tokens = text.split()
    if len(tokens) >= 2 and tokens[0].rstrip(":：") in ("首页", "当前位置", "您的位置", "您现在的位置", "主页"):
        return rules.BREADCRUMB  # "首页 理论教育 某某通知": the path to the page, by spaces
    hits = notice_hits(s, notice_words(profiles))
    if hits and len(s) <= 20 + 18 * hits:
        return rules.NOTICE_VOCABULARY
    if cjk_count(s) == 0 and len(s) <= 30 and not P.ends_with_mark(s):
        return rules.NO_CHINESE_TEXT  # but "8%。", the tail of a wrapped Chinese sentence, stays
    if P.bullet_line(text):
        return rules.MENU_ITEM
    return None


def learn_chrome(texts: Iterable[str], tags: tuple[str, ...] = (), min_docs: int = 3,
                 share: float = 0.5) -> frozenset[str]:
    """Lines that recur across many documents of one batch are the site's, not the
    documents' (the line-hash idea of CCNet). Returns their keys.

    One pass, bounded memory: counts of line keys, one per distinct document (copies of
    one document are one document: what they share is all of them). Lines that
    documents of one kind share legitimately are never learned: salutations, numbered
    headings, lines that end a sentence ("谢谢大家！"), document names. The keys are used
    only outside each document's frame (``strip_head_and_tail``), never inside it.

    A map and a reduce (``document_keys``, ``chrome_from_keys``), so that a cluster can
    compute the map where the files are and get the same set.
    """
    return chrome_from_keys((document_keys(text) for text in texts), tags, min_docs, share)


def document_keys(text: str) -> tuple[bytes, frozenset[str]]:
    """The map of ``learn_chrome``: one document's identity (the SHA-256 of its text) and
    the keys of its lines that could be learned (each once)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    return digest, frozenset(k for k in {line_key(line) for line in text.splitlines()} if 2 <= len(k) <= 60)


def chrome_from_keys(documents: Iterable[tuple[bytes, frozenset[str]]], tags: tuple[str, ...] = (),
                     min_docs: int = 3, share: float = 0.5) -> frozenset[str]:
    """The reduce of ``learn_chrome``: count each key once per distinct document (a digest
    seen before is a copy, counted once whatever the order), then keep the keys that at
    least ``share`` of the documents (and ``min_docs``) have and that are no document's own."""
    seen: dict[str, int] = {}
    distinct: set[bytes] = set()
    for digest, keys in documents:
        if digest in distinct:
            continue
        distinct.add(digest)
        for k in keys:
            seen[k] = seen.get(k, 0) + 1
    if len(distinct) < min_docs:
        return frozenset()
    need = max(min_docs, int(share * len(distinct) + 0.999))
    return frozenset(k for k, n in seen.items()
                     if n >= need and not P.numbering(k) and not P.ends_sentence(k)
                     and not P.front_matter_kind(k) and not P.document_title_like(k, tags) and not P.two_digit_heading(k))
