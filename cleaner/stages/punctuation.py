"""Punctuation stages: full-width marks restored, and marks the source lost found.

``restore_punctuation`` applies :func:`cleaner.fullwidth.restore_text` to every heading
and paragraph ("2014年,全区增长9.1%" → "2014年，全区增长9.1%").

``find_lost_marks`` looks for marks that were deleted outright, mostly right after
``%`` ("同比增长33.5%城镇居民"), warns about each, and repairs the two certain cases.

Both stages work on segmented blocks (``paragraph`` / ``heading``) and never on
``note`` blocks, which the cleaner writes itself.
"""

from __future__ import annotations

import bisect
import re

from ..document import Block, Document
from ..fullwidth import CONTEXT, restore_text
from ..rules import LOST_MARK_ENUMERATION, LOST_MARK_FINAL_STOP
from ..textutil import CJK_RE

_IDEO_RE = CJK_RE

# --------------------------------------------------------------------------- stage


def _line_of(block: Block) -> int:
    return block.lines[0] if block.lines else 0


def restore_punctuation(doc: Document) -> Document:
    """Stage: restore full-width marks in the title, paragraphs and headings."""
    if doc.title:
        new, changes = restore_text(doc.title)
        for rule, before, after in changes:
            doc.report.repair(rule, 0, before, after)
        doc.title = new
    blocks = []
    for block in doc.blocks:
        if block.kind in ("paragraph", "heading"):
            new, changes = restore_text(block.text)
            for rule, before, after in changes:
                doc.report.repair(rule, _line_of(block), before, after)
            if new != block.text:
                block = block.with_text(new)
        blocks.append(block)
    doc.blocks = blocks
    return doc


# =========================================================================== lost marks

RULE_LOST = "lost-mark"
RULE_ENUMERATION = LOST_MARK_ENUMERATION
RULE_FINAL_STOP = LOST_MARK_FINAL_STOP

#: Characters that normally follow "%" / "‰" directly: "100%的", "80%以上", "5%左右",
#: "8%和", "3%至5%", "%—".  Anything else Chinese after "%" may start a new clause.
_PERCENT_FOLLOWERS = set("的以左上下和及与至到或—")
#: Punctuation that may follow "%" (both widths), and closing marks.
_PUNCT_AFTER = set("，。；：！？、）》」』】”’…,.;:!?)]/ \t\u3000")

#: A percent (or per-mille) directly followed by the next character: "33.5%城".
_PERCENT_NEXT_RE = re.compile(r"\d[%‰](?=(.))")
#: A number + money/measure unit directly followed by a digit: "投资5亿元176个项目".
#: Counting words (户 人 家 个) are left out: "96户177人", "8家4S店" are normal.
_UNIT_DIGIT_RE = re.compile(
    r"\d(?:\.\d+)?(?:亿元|万元|元|万吨|吨|公顷|平方米|立方米|公里)(?=\d)"
)
#: Two or more percentages run together: "40.5%30.9%" (not preceded by part of a number).
_PERCENT_RUN_RE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?%(?:\d+(?:\.\d+)?%)+")
_ONE_PERCENT_RE = re.compile(r"\d+(?:\.\d+)?%")
#: Clause boundaries: the "分别" must be in the same clause as the run.
_CLAUSE_END_RE = re.compile(r"[，。；：！？,;:!?]")
#: Marks that may end a body paragraph (also ASCII ones a later stage may convert).
_FINAL_MARKS = set("。！？；：…”）’」』》.!?;:)")
#: A paragraph needs some sentence punctuation to be prose (not a table row or a caption).
_SENTENCE_PUNCT_RE = re.compile(r"[，。；：！？,;:!?]")
#: A table row: tab-separated, or three or more short cells separated by spaces
#: ("饮料酒 千升 15767 18.64").
_TABLE_ROW_RE = re.compile(r".*\t.*|(?:\S{1,15} +){2,}\S{1,15}")
#: Only a figure at the end is evidence of a lost 。: sites drop the mark after "%" and
#: numbers ("…下降8.65%"); a paragraph ending in a Chinese character is far more often a
#: hard-wrapped line whose wrap was not detected, and a 。 there would split a word.
_CAN_TAKE_STOP_RE = re.compile(r"[0-9%％‰℃]$")
_SPACE_RE = re.compile(r"\s")


def _context(text: str, at: int, width: int = 10) -> str:
    return text[max(0, at - width) : at + width]


def _clause_before(text: str, at: int, ends: list[int] | None = None) -> str:
    """The part of the clause before ``at``: in "甲，分别为1%2%" at the run -> "分别为".
    ``ends``: where the clauses of ``text`` end (``_clause_ends``), when asked many times.

    >>> _clause_before("甲，分别为1%2%", 5)
    '分别为'
    """
    ends = _clause_ends(text) if ends is None else ends
    k = bisect.bisect_right(ends, at)
    return text[ends[k - 1] if k else 0 : at]


def _clause_ends(text: str) -> list[int]:
    """Positions just after each clause mark, ascending."""
    return [m.end() for m in _CLAUSE_END_RE.finditer(text)]


def _enumeration_fix(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """ "分别增长22.8%17.7%，普惠" -> "分别增长22.8%、17.7%，普惠".

    Returns (new text, [(position in the old text, before, after)]).
    """
    fixes: list[tuple[int, str, str]] = []
    out, pos = [], 0
    ends = _clause_ends(text)  # once per text: a long line has many runs
    for m in _PERCENT_RUN_RE.finditer(text):
        if "分别" not in _clause_before(text, m.start(), ends):
            continue
        run = "、".join(p.group() for p in _ONE_PERCENT_RE.finditer(m.group()))
        out.append(text[pos : m.start()])
        out.append(run)
        pos = m.end()
        before = text[max(0, m.start() - CONTEXT) : m.end() + CONTEXT]
        after = (
            text[max(0, m.start() - CONTEXT) : m.start()]
            + run
            + text[m.end() : m.end() + CONTEXT]
        )
        fixes.append((m.start(), before, after))
    out.append(text[pos:])
    return "".join(out), fixes


def lost_mark_spots(text: str) -> list[tuple[int, str]]:
    """Positions (just after the number) where a mark was probably deleted, with a reason.

    >>> [r for _, r in lost_mark_spots("增长9.8%176个项目，均达100%PM2.5，比上年增长33.5%城镇")]
    ["'%' followed by a digit", "'%' followed by a Latin letter", "'%' followed by a new clause"]
    >>> lost_mark_spots("100%的，80%以上，5%左右，增长8%。")
    []
    """
    spots = []
    for m in _PERCENT_NEXT_RE.finditer(text):
        nxt, at = m.group(1), m.end()
        if nxt.isdigit():
            spots.append((at, f"'{text[at - 1]}' followed by a digit"))
        elif nxt.isascii() and nxt.isalpha():
            spots.append((at, f"'{text[at - 1]}' followed by a Latin letter"))
        elif _IDEO_RE.match(nxt) and nxt not in _PERCENT_FOLLOWERS:
            spots.append((at, f"'{text[at - 1]}' followed by a new clause"))
    for m in _UNIT_DIGIT_RE.finditer(text):
        spots.append((m.end(), "number and unit followed by a digit"))
    return sorted(spots)


def _needs_final_stop(block: Block) -> bool:
    """A prose paragraph that ends without final punctuation: "…同比下降8.65%"."""
    text = block.text.strip()
    if block.kind != "paragraph" or len(text) < 20:
        return False
    # the ending first: it rules out nearly every paragraph at once
    if text[-1] in _FINAL_MARKS or not _CAN_TAKE_STOP_RE.search(text):
        return False
    visible = len(text) - len(_SPACE_RE.findall(text))
    if len(_IDEO_RE.findall(text)) < 0.6 * visible:
        return False
    return bool(_SENTENCE_PUNCT_RE.search(text)) and not _TABLE_ROW_RE.fullmatch(text)


_CONTINUATION_RE = re.compile(r"[0-9A-Za-z%％.．,，。、；;:：）)”’》」』]")


def find_lost_marks(doc: Document) -> Document:
    """Stage: warn about marks lost after "%" etc.; repair only the certain cases.

    * "分别为27.1%、40.5%30.9%" -> "分别为27.1%、40.5%、30.9%" (``lost-mark-enumeration``)
    * a body paragraph (not the last one) ending "…下降8.65%" gets "。"
      (``lost-mark-final-stop``)
    """
    source = [i for i, b in enumerate(doc.blocks) if b.kind != "note"]
    last = source[-1] if source else -1
    # the text of the next non-note block after each block, in one backward pass
    next_text = [""] * len(doc.blocks)
    upcoming = ""
    for k in range(len(doc.blocks) - 1, -1, -1):
        next_text[k] = upcoming
        if doc.blocks[k].kind != "note":
            upcoming = doc.blocks[k].text.lstrip()
    blocks = []
    for i, block in enumerate(doc.blocks):
        if block.kind not in ("paragraph", "heading"):
            blocks.append(block)
            continue
        line, text = _line_of(block), block.text
        fixed, fixes = _enumeration_fix(text)
        repaired = {at for at, _, _ in fixes}
        runs = [(m.start(), m.end()) for m in _PERCENT_RUN_RE.finditer(text)]
        for at, reason in lost_mark_spots(text):
            run_start = _run_start(runs, at)
            note = " (repaired: inserted 、)" if run_start in repaired else ""
            doc.report.warn(
                RULE_LOST,
                f"punctuation probably lost: {reason}{note}",
                line,
                _context(text, at),
            )
        for _, before, after in fixes:
            doc.report.repair(RULE_ENUMERATION, line, before, after)
        following = next_text[i]
        # a next line that starts with a digit, a Latin letter or a mark continues this
        # one (a break inside "9.8%"): no stop goes between them
        continued = bool(following) and bool(_CONTINUATION_RE.match(following))
        if i != last and not continued and _needs_final_stop(block.with_text(fixed)):
            stripped = fixed.rstrip()
            doc.report.warn(
                RULE_LOST,
                "paragraph ends without final punctuation (repaired: appended 。)",
                line,
                stripped[-CONTEXT * 2 :],
            )
            doc.report.repair(
                RULE_FINAL_STOP,
                line,
                stripped[-CONTEXT * 2 :],
                stripped[-CONTEXT * 2 :] + "。",
            )
            fixed = stripped + "。"
        blocks.append(block.with_text(fixed) if fixed != text else block)
    doc.blocks = blocks
    return doc


def _run_start(runs: list[tuple[int, int]], at: int) -> int:
    """Start of the percent run that contains position ``at`` (or -1); ``runs``: the
    (start, end) of the text's percent runs, ascending and apart (found once per text:
    scanning the text for each spot was quadratic on a long line).

    >>> _run_start([(0, 8), (12, 20)], 15), _run_start([(0, 8), (12, 20)], 12)
    (12, -1)
    """
    k = bisect.bisect_left(runs, (at, 0)) - 1
    return runs[k][0] if k >= 0 and runs[k][0] < at < runs[k][1] else -1
