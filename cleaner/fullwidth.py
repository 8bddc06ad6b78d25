"""Full-width punctuation in Chinese context: a pure text function and its rules.

文库 copies are often NFKC-folded, so ``，：；？！（）`` arrive as ``, : ; ? ! ( )``.
:func:`restore_text` puts the full-width marks back where the text is Chinese and
leaves ASCII where it belongs (numbers, times, ratios, codes, URLs, English)::

    >>> restore_text("2014年,全区增长9.1%,地方(GDP)时间:9:00")[0]
    '2014年，全区增长9.1%，地方（GDP）时间：9:00'
    >>> restore_text("PM2.5 为 1,635 微克, 比例 12.89:56.87:30.24")[0]
    'PM2.5 为 1,635 微克，比例 12.89:56.87:30.24'
    >>> restore_text("Hello, world: yes!")[0]
    'Hello, world: yes!'

Each change is returned with its rule (``punct-fullwidth``, ``punct-quotes``,
``punct-ellipsis``), so a stage can record it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .rules import PUNCT_ELLIPSIS, PUNCT_FULLWIDTH, PUNCT_QUOTES, Rule
from .textutil import CJK_CLASS

# --------------------------------------------------------------------------- classes

#: CJK ideographs (URO, extension A, compatibility, extension B..).
_IDEO = CJK_CLASS
#: Chinese punctuation that makes its neighbour "Chinese context":
#: 、。〈〉《》「」【】… (U+3001-303F), full-width ！（），．：；？［］｛｝～,
#: curly quotes, …, —, ―, · .
_CJK_PUNCT = (
    "\u3001-\u303f"
    "\uff01\uff08\uff09\uff0c\uff0e\uff1a\uff1b\uff1f\uff3b\uff3d\uff5b\uff5d\uff5e"
    "\u201c\u201d\u2018\u2019\u2026\u2014\u2015\u00b7"
)
_IDEO_RE = re.compile(f"[{_IDEO}]")
_CJKISH_RE = re.compile(f"[{_IDEO}{_CJK_PUNCT}]")
_NON_CJKISH_RUN = re.compile(f"[^{_IDEO}{_CJK_PUNCT}]+")
#: Spaces that may sit next to a mark (not newlines).
_SPACES = " \t\u3000"

#: ASCII mark -> full-width mark.
_FULLWIDTH = {
    ",": "，",
    ":": "：",
    ";": "；",
    "?": "？",
    "!": "！",
    "(": "（",
    ")": "）",
}
_SENTENCE_MARKS = ",:;?!"
_SENTENCE_MARK_RE = re.compile(f"[{_SENTENCE_MARKS}]")
#: What a pass may change: an ASCII mark, bracket or quote, or an ellipsis spelling
#: (``_ELLIPSIS_RE``); a line with none of them is left as it is without a pass.
_ASCII_MARK_RE = re.compile(r"""[,:;?!()"'.]""")

RULE_FULLWIDTH = PUNCT_FULLWIDTH
RULE_QUOTES = PUNCT_QUOTES
RULE_ELLIPSIS = PUNCT_ELLIPSIS
CONTEXT = 8  # characters of context on each side in a change record

# --------------------------------------------------------------------------- regexes

#: Spans where no character is ever converted.
_PROTECTED_RES = (
    # URLs: "http://a.b/c?x=1", "www.gov.cn/x"; stop before CJK, spaces and a trailing
    # sentence mark ("见http://a.b/c,详见" keeps the comma outside the URL).
    re.compile(
        rf"(?:(?:https?|ftp)://|www\.)[^\s{_IDEO}{_CJK_PUNCT}\"']*"
        rf"[^\s{_IDEO}{_CJK_PUNCT}\"',.;:!?()]"
    ),
    # HTML entities left by scraping: "&nbsp;", "&#12288;"
    re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);"),
    # Windows copy suffix of a file name: "报告(1).docx"
    re.compile(
        r"\(\d+\)\.(?:docx?|xlsx?|pptx?|pdf|txt|wps)(?![A-Za-z0-9])", re.IGNORECASE
    ),
    # digit grouping: "1,635", "12,345.6" (a comma followed by exactly three digits)
    re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])"),
)

#: An English phrase: two Latin words separated by spaces ("Hello, world").
#: Tried only where a word starts: tried inside a long run of letters too, it scanned the
#: run to its end from every letter (quadratic); a match inside a word has one at its start.
_ENGLISH_RE = re.compile(r"(?<![A-Za-z])[A-Za-z]{2,}[,;:!?.'\"]*\s+['\"]?[A-Za-z]{2,}")

#: Ellipsis spellings: "...", "....", "。。。", or a lone "…" (not part of "……").
_ELLIPSIS_RE = re.compile(r"\.{3,}|。{3,}|(?<!…)…(?!…)")

# --------------------------------------------------------------------------- helpers


def _is_cjkish(ch: str | None) -> bool:
    return ch is not None and bool(_CJKISH_RE.match(ch))


def _has_ideograph(text: str) -> bool:
    return bool(_IDEO_RE.search(text))


def _left(text: str, i: int) -> str | None:
    """The nearest non-space character left of ``i``: ``_left("中 ,", 2) == "中"``."""
    j = i - 1
    while j >= 0 and text[j] in _SPACES:
        j -= 1
    return text[j] if j >= 0 else None


def _right(text: str, i: int) -> str | None:
    """The nearest non-space character right of ``i``: ``_right(", 中", 0) == "中"``."""
    j = i + 1
    while j < len(text) and text[j] in _SPACES:
        j += 1
    return text[j] if j < len(text) else None


#: e-mail addresses ("office@hlr.gov.cn"), found from their "@": the regex
#: ``[A-Za-z0-9._%+-]+@DOMAIN`` tried at every start scans a long run of letters
#: (a base64 blob) to its end each time, which is quadratic.
_EMAIL_LOCAL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
_EMAIL_DOMAIN = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _email_spans(text: str) -> Iterable[tuple[int, int]]:
    r"""(start, end) of each e-mail address, as ``re.finditer`` of
    ``[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`` finds them, in linear time.

    >>> [text[a:b] for text in ["致office@hlr.gov.cn,或a@b"] for a, b in _email_spans(text)]
    ['office@hlr.gov.cn']
    """
    done = 0  # end of the last address: the next one starts no earlier
    at = text.find("@")
    while at >= 0:
        start = at
        while start > done and text[start - 1] in _EMAIL_LOCAL:  # stops at the previous "@"
            start -= 1
        m = _EMAIL_DOMAIN.match(text, at) if start < at else None
        if m:
            yield start, m.end()
            done = m.end()
        at = text.find("@", max(at + 1, done))


def _protected(text: str) -> set[int]:
    """Indices inside URLs, e-mails, entities and grouped numbers."""
    out: set[int] = set()
    spans = [(m.start(), m.end()) for rx in _PROTECTED_RES for m in rx.finditer(text)]
    for start, end in [*spans, *_email_spans(text)]:
        out.update(range(start, end))
    return out


def _english(text: str) -> set[int]:
    """Indices inside runs without Chinese that read as English.

    In "他说 Hello, world 然后" the run " Hello, world " is English, so its comma stays.
    """
    out: set[int] = set()
    for m in _NON_CJKISH_RUN.finditer(text):  # the runs between Chinese characters and marks
        if _ENGLISH_RE.search(text, m.start(), m.end()):
            out.update(range(m.start(), m.end()))
    return out


@dataclass(frozen=True)
class _Edit:
    """Replace ``text[at:at+width]`` by ``repl``; also drop spaces in [lo, hi)."""

    at: int
    width: int
    repl: str
    rule: Rule
    lo: int
    hi: int


def _edit(
    text: str,
    at: int,
    repl: str,
    rule: Rule,
    *,
    width: int = 1,
    strip_before: bool = False,
    strip_after: bool = False,
) -> _Edit:
    lo, hi = at, at + width
    if strip_before:
        while lo > 0 and text[lo - 1] in _SPACES:
            lo -= 1
        if lo == 0:  # leading indentation stays
            lo = at
    if strip_after:
        while hi < len(text) and text[hi] in _SPACES:
            hi += 1
    return _Edit(at, width, repl, rule, lo, hi)


# --------------------------------------------------------------------------- decisions


def _mark_is_chinese(text: str, i: int, english: set[int], chinese_line: bool | None = None) -> bool:
    """Whether the ASCII mark ``text[i]`` (one of , : ; ? !) should be full-width.

    "发展,加强" yes (CJK neighbour); "增长9.1%,13.2%" yes (Chinese line, not a number);
    "12:30" no (colon between digits); "a?x=1" no ('?' before '='); "Hello, world" no.
    ``chinese_line``: whether ``text`` has an ideograph, when known (looking for it
    again for each mark was quadratic in a long line that has it only at its end).
    """
    ch, left, right = text[i], _left(text, i), _right(text, i)
    if _is_cjkish(left) or _is_cjkish(right):
        return True
    if chinese_line is None:
        chinese_line = _has_ideograph(text)
    if not chinese_line or i in english:
        return False
    if ch == ":" and (left or "").isdigit() and (right or "").isdigit():
        return False  # times 12:30, ratios 12.89:56.87
    if ch in "?!" and right == "=":
        return False  # a?x=1, a!=b
    return left is not None or right is not None


def _mark_edits(text: str, protected: set[int], english: set[int]) -> Iterable[_Edit]:
    chinese_line = _has_ideograph(text)
    for m in _SENTENCE_MARK_RE.finditer(text):
        i = m.start()
        if i not in protected and _mark_is_chinese(text, i, english, chinese_line):
            yield _edit(
                text,
                i,
                _FULLWIDTH[text[i]],
                RULE_FULLWIDTH,
                strip_before=True,
                strip_after=True,
            )


def _pairs(
    text: str, opener: str, closers: str, straight: str, skip: set[int]
) -> tuple[list[tuple[int, int]], list[int]]:
    """Pair quotes or brackets; return (pairs, unmatched positions).

    ``opener``/``closers`` are the two sides; for quotes ``straight`` is the character that
    can be either side (it closes when something is open, else opens).
    """
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    marks = [m.start() for m in _any_of(opener + closers + straight).finditer(text) if m.start() not in skip]
    for i in marks:
        ch = text[i]
        if ch in opener or (ch in straight and not stack):
            stack.append(i)
        elif stack and (ch in closers or ch in straight):
            pairs.append((stack.pop(), i))  # a straight quote closes what is open
    matched = {p for pair in pairs for p in pair}
    return pairs, [i for i in marks if i not in matched]


@functools.cache
def _any_of(chars: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(chars)}]")


def _pair_is_chinese(text: str, o: int, c: int) -> bool:
    """A bracket/quote pair is Chinese when its inside has CJK or an outside neighbour is
    Chinese, or one side is already full-width: "(一)", "总值(GDP)", "(2011-2015)》"."""
    ascii_side = {"(", ")", '"', "'"}
    if text[o] not in ascii_side or text[c] not in ascii_side:
        return True
    return (
        _IDEO_RE.search(text, o + 1, c) is not None  # not a copy of the inside: pairs nest
        or _is_cjkish(_left(text, o))
        or _is_cjkish(_right(text, c))
    )


def _bracket_edits(text: str, protected: set[int]) -> Iterable[_Edit]:
    """ "(一)" -> "（一）"; "(QFLP)" in Chinese -> "（QFLP）"; both sides or neither."""
    pairs, unmatched = _pairs(text, "(（", ")）", "", protected)
    for o, c in pairs:
        if _pair_is_chinese(text, o, c):
            if text[o] == "(":
                yield _edit(text, o, "（", RULE_FULLWIDTH, strip_after=True)
            if text[c] == ")":
                yield _edit(text, c, "）", RULE_FULLWIDTH, strip_before=True)
    for i in unmatched:  # a lone bracket (paragraph split inside it) next to Chinese
        if text[i] in "()" and (
            _is_cjkish(_left(text, i)) or _is_cjkish(_right(text, i))
        ):
            yield _edit(text, i, _FULLWIDTH[text[i]], RULE_FULLWIDTH)


def _double_quote_edits(text: str, protected: set[int]) -> Iterable[_Edit]:
    """'他说"好"' -> '他说“好”'; unpaired straight quotes stay."""
    pairs, _ = _pairs(text, "“", "”", '"', protected)
    for o, c in pairs:
        if _pair_is_chinese(text, o, c):
            if text[o] == '"':
                yield _edit(text, o, "“", RULE_QUOTES)
            if text[c] == '"':
                yield _edit(text, c, "”", RULE_QUOTES)


def _single_quote_edits(text: str, protected: set[int]) -> Iterable[_Edit]:
    """ "自治区'8337'发展" -> "自治区‘8337’发展"; apostrophes ("don't") never pair.

    Only clearly Chinese pairs convert: the inside has CJK, or both outsides are Chinese.
    """
    if "'" not in text:  # pairs of ‘’ alone give no edit
        return
    skip = set(protected)
    for m in _any_of("'").finditer(text):
        i = m.start()
        if (
            0 < i < len(text) - 1
            and text[i - 1].isalpha()
            and text[i + 1].isalpha()
            and text[i - 1].isascii()
            and text[i + 1].isascii()
        ):
            skip.add(i)  # don't, it's
    pairs, _ = _pairs(text, "‘", "’", "'", skip)
    for o, c in pairs:
        if text[o] == "‘" or text[c] == "’":
            chinese = True
        else:
            chinese = _IDEO_RE.search(text, o + 1, c) is not None or (
                _is_cjkish(_left(text, o)) and _is_cjkish(_right(text, c))
            )
        if chinese:
            if text[o] == "'":
                yield _edit(text, o, "‘", RULE_QUOTES)
            if text[c] == "'":
                yield _edit(text, c, "’", RULE_QUOTES)


def _ellipsis_edits(text: str, protected: set[int]) -> Iterable[_Edit]:
    """ "等等..." / "等等。。。" / "等等…" -> "等等……" (Chinese context only)."""
    for m in _ELLIPSIS_RE.finditer(text):
        if m.start() in protected:
            continue
        if _is_cjkish(_left(text, m.start())) or _is_cjkish(_right(text, m.end() - 1)):
            yield _edit(text, m.start(), "……", RULE_ELLIPSIS, width=m.end() - m.start())


# --------------------------------------------------------------------------- applying


def _apply(text: str, edits: list[_Edit]) -> tuple[str, list[tuple[Rule, str, str]]]:
    """Apply non-overlapping edits; space ranges of neighbours may overlap and are clipped."""
    edits = sorted(edits, key=lambda e: e.at)
    out: list[str] = []
    placed: list[tuple[_Edit, int]] = []  # edit, its start in the output
    pos = 0
    length = 0  # length of the output so far (kept, not recomputed: long lines have many edits)
    for e in edits:
        lo = max(e.lo, pos)
        out.append(text[pos:lo])
        length += lo - pos
        start = length
        out.append(e.repl)
        length += len(e.repl)
        placed.append((e, start))
        pos = e.hi
    out.append(text[pos:])
    new = "".join(out)
    changes = []
    for e, start in placed:
        before = text[max(0, e.at - CONTEXT) : e.at + e.width + CONTEXT]
        after = new[max(0, start - CONTEXT) : start + len(e.repl) + CONTEXT]
        changes.append((e.rule, before, after))
    return new, changes


def _restore_pass(line: str) -> tuple[str, list[tuple[Rule, str, str]]]:
    protected = _protected(line)
    english = _english(line)
    edits = [
        *_mark_edits(line, protected, english),
        *_bracket_edits(line, protected),
        *_double_quote_edits(line, protected),
        *_single_quote_edits(line, protected),
        *_ellipsis_edits(line, protected),
    ]
    if not edits:
        return line, []
    return _apply(line, edits)


def _restore_line(line: str) -> tuple[str, list[tuple[Rule, str, str]]]:
    """Run passes until nothing changes (each pass only removes ASCII marks or spaces,
    so this ends, and the result is idempotent by construction)."""
    changes: list[tuple[Rule, str, str]] = []
    if not _has_ideograph(line):  # no Chinese context anywhere: nothing to restore
        return line, changes
    if not _ASCII_MARK_RE.search(line) and not _ELLIPSIS_RE.search(line):
        return line, changes  # nothing a pass could change
    while True:
        new, more = _restore_pass(line)
        if new == line:
            return line, changes
        changes.extend(more)
        line = new


def restore_text(text: str) -> tuple[str, list[tuple[Rule, str, str]]]:
    """Restore full-width punctuation in Chinese text, line by line.

    Returns ``(new_text, changes)``; each change is ``(rule, before, after)`` with about
    8 characters of context, rules ``punct-fullwidth``, ``punct-quotes``,
    ``punct-ellipsis``.

    >>> text, [(rule, before, after)] = restore_text("发展, 加强")
    >>> text, rule.name, before, after
    ('发展，加强', 'punct-fullwidth', '发展, 加强', '发展，加强')
    >>> restore_text('他说"好"...')[0]
    '他说“好”……'
    """
    lines = text.split("\n")
    changes: list[tuple[Rule, str, str]] = []
    out = []
    for line in lines:
        new, more = _restore_line(line)
        out.append(new)
        changes.extend(more)
    return "\n".join(out), changes
