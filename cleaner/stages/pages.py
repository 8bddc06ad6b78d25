"""Page furniture inside lines: page-marker sequences, running heads, preview chunk numbers.

A PDF's text layer or a 文库 preview carries the furniture of its pages into the text:
"第2页/共9页" and a running head ("大庆市统计局") glued into a sentence, "- 3 -" glued to a
line's end, the numbers a site puts before each preview chunk ("2、1亿千瓦", where the
chunk boundary split "11亿"), a header and footer ("可编辑 精品文档") between two words.
What makes them safe to cut is that they form a *sequence*: page numbers increase
under a constant total, chunk numbers run 1, 2, 3 over chunks of similar length, a
running head stands by every page marker, a furniture word recurs between the words
of sentences. A ``1、`` list item or a ``二、`` heading of the document forms no such
sequence and stays.

``strip_page_furniture`` cuts them (each cut recorded with its rule: kind
``page-marker`` or ``running-head``), closes the sentence over the cut ("10 第2页/共9页
大庆市统计局 .2万亩" → "10.2万亩"), and notes in ``evidence.page_ends`` the lines whose
end was a page break, so that ``join_wrapped_lines`` joins the line below.
(Whole-line markers are ``strip_site_chrome``'s.)
"""

from __future__ import annotations

import re
from collections import Counter

from .. import rules
from ..document import Block, Document
from ..rules import Rule
from ..textutil import CJK_CLASS

OF_PAGES = re.compile(r"第\s*(\d{1,4})\s*页\s*[/／]?\s*共\s*(\d{1,4})\s*页")
DASHED_END = re.compile(r"[-—–－]\s*(\d{1,4})\s*[-—–－]\s*$")
DASHED_LINE = re.compile(r"^\s*[-—–－]\s*(\d{1,4})\s*[-—–－]\s*$")
CHUNK = re.compile(r"^\s*(\d{1,3})、")
MIN_CHUNK = 300  # characters: a preview chunk is a page's worth of text, a list item is not
TOKEN = re.compile(rf"(?<!\S)[{CJK_CLASS}]{{2,8}}(?!\S)")
SENTENCE_END = "。！？!?；;：:"
SPACES = " \u3000\t"


def strip_page_furniture(doc: Document) -> Document:
    """Cut chunk numbers, page markers inside lines, running heads and furniture words."""
    cuts: dict[int, list[tuple[int, int, Rule]]] = {}  # block index -> spans to cut
    _chunk_numbers(doc, cuts)
    heads = _inline_page_markers(doc, cuts)
    _furniture_words(doc, cuts, heads)
    if not cuts:
        return doc
    blocks: list[Block] = []
    for i, b in enumerate(doc.blocks):
        if i not in cuts:
            blocks.append(b)
            continue
        text = _splice(b.text, sorted(set(cuts[i])))
        line = b.lines[0] if b.lines else 0
        for start, end, rule in sorted(set(cuts[i])):
            doc.report.cut(rule, line, b.text[start:end])
        if text.strip():
            blocks.append(b.with_text(text))
        else:
            doc.drop(b, cuts[i][0][2])
    doc.blocks = blocks
    return doc


def _chunk_numbers(doc: Document, cuts: dict[int, list[tuple[int, int, Rule]]]) -> None:
    """"1、…" "2、…" "3、…": long lines numbered 1, 2, 3 … in order, where some chunk does
    not end a sentence (the site cut its preview anywhere): the numbers are the site's."""
    found = [(i, m) for i, b in enumerate(doc.blocks) if (m := CHUNK.match(b.text))
             and len(b.text) - m.end() >= MIN_CHUNK]
    if len(found) < 2 or [int(m.group(1)) for _, m in found] != list(range(1, len(found) + 1)):
        return
    if all(doc.blocks[i].text.rstrip()[-1:] in "。！？!?" for i, _ in found[:-1]):
        return  # every chunk ends a sentence: numbered paragraphs of the document
    for k, (i, m) in enumerate(found):
        cuts.setdefault(i, []).append((m.start(1), m.end(), rules.CHUNK_NUMBER))
        if k and doc.blocks[i - 1].lines:
            doc.evidence.page_ends.add(doc.blocks[i - 1].lines[-1])


def _inline_page_markers(doc: Document, cuts: dict[int, list[tuple[int, int, Rule]]]) -> list[str]:
    """Page markers inside lines, when they form a sequence; returns the running heads
    found beside them."""
    heads: list[str] = []
    # "第2页/共9页": by total, a sequence of two or more, the page numbers increasing
    by_total: dict[str, list[tuple[int, re.Match[str]]]] = {}
    for i, b in enumerate(doc.blocks):
        for m in OF_PAGES.finditer(b.text):
            by_total.setdefault(m.group(2), []).append((i, m))
    for total, found in by_total.items():
        pages = [int(m.group(1)) for _, m in found]
        if len(found) < 2 or pages != sorted(pages) or max(pages) > int(total):
            continue
        inline = [(i, m) for i, m in found if doc.blocks[i].text.strip() != m.group().strip()]
        for i, m in inline:
            cuts.setdefault(i, []).append((m.start(), m.end(), rules.INLINE_PAGE_MARKER))
            if not doc.blocks[i].text[m.end():].strip() and doc.blocks[i].lines:
                doc.evidence.page_ends.add(doc.blocks[i].lines[-1])
        head = _running_head([doc.blocks[i].text[m.end():] for i, m in inline])
        if head:
            heads.append(head)
            for i, m in inline:
                after = doc.blocks[i].text[m.end():]
                at = m.end() + len(after) - len(after.lstrip(SPACES))
                cuts[i].append((at, at + len(head), rules.RUNNING_HEAD))
    # "…发- 3 -" at a line's end, between "- 2 -" and "- 4 -" on lines of their own
    whole = {int(m.group(1)) for b in doc.blocks if (m := DASHED_LINE.match(b.text))}
    for i, b in enumerate(doc.blocks):
        m = DASHED_END.search(b.text)
        if m and b.text[:m.start()].strip() and whole and {int(m.group(1)) + d for d in (-2, -1, 1, 2)} & whole:
            cuts.setdefault(i, []).append((m.start(), m.end(), rules.INLINE_PAGE_MARKER))
            if b.lines:
                doc.evidence.page_ends.add(b.lines[-1])
    return heads


def _running_head(after_markers: list[str]) -> str:
    """The text every page marker is followed by: a running head ("大庆市统计局")."""
    if len(after_markers) < 2:
        return ""
    texts = [t.lstrip(SPACES) for t in after_markers]
    n = 0
    while all(len(t) > n for t in texts) and len({t[n] for t in texts}) == 1:
        n += 1
    head = texts[0][:n].rstrip(SPACES)
    return head if 3 <= len(head) <= 30 and re.fullmatch(rf"[{CJK_CLASS}\w]+", head) else ""


def _furniture_words(doc: Document, cuts: dict[int, list[tuple[int, int, Rule]]], heads: list[str]) -> None:
    """Short words standing between spaces that recur, at least once between two words of
    a sentence ("初剩余的55 可编辑 精品文档 1万农村贫困"): a page's header and footer. A
    running head found beside page markers is cut wherever it stands alone, too."""
    counts: Counter[str] = Counter()
    inside: set[str] = set()
    views = [_view(b.text, cuts.get(i, [])) for i, b in enumerate(doc.blocks)]
    for view in views:
        if " " not in view and "\u3000" not in view:
            continue
        spans = list(TOKEN.finditer(view))
        counts.update(m.group() for m in spans)
        for group in _groups(view, spans):
            left = view[:group[0].start()].rstrip(SPACES)[-1:]
            right = view[group[-1].end():].lstrip(SPACES)[:1]
            if left and right and left not in SENTENCE_END and (right.isdigit() or re.match(f"[{CJK_CLASS}]", right)):
                inside.update(m.group() for m in group)
    furniture = {w for w in inside if counts[w] >= 2} | set(heads)
    if not furniture:
        return
    for i, view in enumerate(views):
        for m in TOKEN.finditer(view):
            if m.group() in furniture:
                cuts.setdefault(i, []).append((m.start(), m.end(), rules.RUNNING_HEAD))


def _view(text: str, spans: list[tuple[int, int, Rule]]) -> str:
    """``text`` with what is already to be cut blanked out (positions kept)."""
    if not spans:
        return text
    out, pos = [], 0
    for start, end, _ in sorted(spans):
        start = max(start, pos)
        out += [text[pos:start], " " * max(0, end - start)]
        pos = max(pos, end)
    out.append(text[pos:])
    return "".join(out)


def _groups(text: str, spans: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Tokens that follow each other with only spaces between them."""
    groups: list[list[re.Match[str]]] = []
    for m in spans:
        if groups and not text[groups[-1][-1].end():m.start()].strip(SPACES):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _splice(text: str, spans: list[tuple[int, int, Rule]]) -> str:
    """``text`` without ``spans``; the text on either side closes up, except that a space
    stays after a sentence end (between two paragraphs of a text layer)."""
    out: list[str] = []
    pos = 0
    for start, end, _ in spans:
        if start < pos:  # overlapping spans: the earlier one covered it
            start = pos
        out.append(text[pos:start])
        pos = max(pos, end)
    out.append(text[pos:])
    parts = [out[0]]
    for piece in out[1:]:
        left, right = parts[-1].rstrip(SPACES), piece.lstrip(SPACES)
        if not left.strip():
            parts[-1] += right
            continue
        parts[-1] = left + (" " if left[-1:] in SENTENCE_END and right else "")
        parts.append(right)
    return "".join(parts)
