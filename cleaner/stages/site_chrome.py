"""Site chrome: the site's lines around and inside the document, removed line by line.

``strip_site_chrome`` removes what is chrome wherever it stands: lines of the site
profile and of the generic profile (menus, notices, page markers, thumbnail captions,
contact numbers, file names), bare page numbers inside a wrapped paragraph, running
headers, and the site-made outline (提纲/目录). (Lines a batch found in many of its
documents go only outside the document's frame: ``strip_head_and_tail``.)

The shell before and after the document is ``strip_head_and_tail``'s. What this stage
learns for later stages goes to ``doc.evidence``: where pages broke (``page_breaks``),
where chrome stood (``chrome_lines``), the site's names for the document
(``site_titles``), the site's outline (``site_outline``), signs of a cut (``cut_signals``).
"""

from __future__ import annotations

import bisect
import re

from .. import rules
from .. import shapes as P
from ..chrome import appendix_header, chrome_rule, cut_phrase, is_running_text, outline_header
from ..document import Block, Document
from ..notes import parse_note
from ..rules import Rule
from ..sites import Profile, title_tags
from ..textutil import cjk_count, squeeze

OUTLINE_MAX_GAP = 3  # unnumbered lines allowed between numbered outline entries


def strip_site_chrome(doc: Document) -> Document:
    """Remove lines that are site chrome anywhere, and the site's own outline.

    Example: "添加公寻网到电脑桌面" goes with rule ``gongxun/contains '添加公寻网到电脑桌面'``;
    "— 3 —" goes with rule ``generic/pattern page-marker``; the lines after "提纲:" go
    with rule ``site-outline entry`` and are kept in ``evidence.site_outline``.
    """
    profiles, ev = doc.profiles, doc.evidence
    found = [chrome_rule(b.text, profiles) for b in doc.blocks]
    found = [rule or _page_number_inside_paragraph(doc.blocks, found, i) for i, rule in enumerate(found)]
    repeated = _running_headers(doc.blocks, found, profiles)
    kept: list[Block] = []
    blocks = doc.blocks
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if outline_header(b.text, profiles):
            end = _outline_end(blocks, i + 1)
            if end > i + 1:
                _drop(doc, b, rules.SITE_OUTLINE_HEADER)
                for e in blocks[i + 1:end]:
                    _drop(doc, e, rules.SITE_OUTLINE_ENTRY)
                    ev.site_outline.append(_outline_entry(e.text))
                i = end
                continue
        if i == len(blocks) - 1 and _own_note(doc, b):
            i += 1
            continue
        if appendix_header(b.text, profiles):
            ev.appendix_lines.extend(b.lines[:1])
        rule = found[i] or (rules.REPEATED_LINE if squeeze(b.text) in repeated else None)
        if rule:
            _drop(doc, b, rule)
            if P.title_like(b.text) and P.document_title_like(b.text, title_tags(profiles)):  # "NAME.doc", "NAME_第1页"
                ev.site_titles.append(b.text.strip())
            if cut_phrase(b.text, profiles):
                ev.continue_prompts.append(b.text.strip())
        else:
            kept.append(b)
        i += 1
    doc.blocks = kept
    return doc


def _drop(doc: Document, b: Block, rule: Rule) -> None:
    """Remove ``b`` and remember where chrome (and where a page break) stood."""
    doc.drop(b, rule)
    for n in b.lines:
        bisect.insort(doc.evidence.chrome_lines, n)
        if rule.kind == "page-marker":
            bisect.insort(doc.evidence.page_breaks, n)


def _page_number_inside_paragraph(blocks: list[Block], found: list[Rule | None], i: int) -> Rule | None:
    """A bare page number ("3") between two lines of prose, where a PDF copy puts it at a
    page break: a long Chinese line above, and Chinese text (not chrome, not a heading)
    below. After a digit or a Latin letter ("增长1,6" / "3", "使用A" / "4" / "纸") it may be
    the rest of a number or a code, so it stays."""
    if i == 0 or not re.fullmatch(r"\d{1,4}", squeeze(blocks[i].text)):
        return None
    below = next((squeeze(blocks[j].text) for j in range(i + 1, len(blocks)) if not found[j]), "")
    above = squeeze(blocks[i - 1].text)
    if len(above) >= 10 and cjk_count(above) >= 6 and not re.search(r"[\dA-Za-z][,.，．]?$", above) \
            and cjk_count(below) >= 1 and (not P.numbering(below) or P.ordinal_broken(above, below)) \
            and not P.front_matter_kind(below):
        return rules.PAGE_NUMBER_INSIDE_PARAGRAPH
    return None


def _running_headers(blocks: list[Block], found: list[Rule | None], profiles: tuple[Profile, ...]) -> set[str]:
    """Lines repeated on every page (running headers and footers): short, not headings,
    not titles, and seen three times, or twice each time next to a page marker; and seen
    inside the body (a title printed three times above the document repeats no page)."""
    counts: dict[str, int] = {}
    by_marker: dict[str, int] = {}
    in_body: set[str] = set()
    body = next((i for i, b in enumerate(blocks) if is_running_text(b.text, profiles)), len(blocks))
    for i, b in enumerate(blocks):
        s = squeeze(b.text)
        counts[s] = counts.get(s, 0) + 1
        if i > body:
            in_body.add(s)
        if any(found[j] is not None and found[j].kind == "page-marker" for j in (i - 1, i + 1) if 0 <= j < len(blocks)):
            by_marker[s] = by_marker.get(s, 0) + 1
    return {s for s, n in counts.items()
            if ((n >= 3 and s in in_body) or (n >= 2 and by_marker.get(s, 0) == n))
            and 6 <= len(s) <= 40 and not P.numbering(s) and not P.ends_sentence(s)
            and not P.document_title_like(s, title_tags(profiles)) and not P.front_matter_kind(s)
            and not P.has_clause_punct(s)}


def _own_note(doc: Document, b: Block) -> bool:
    """The note an earlier cleaner run added, as the last line, where the cleaner puts it
    (the input is a clean edition, in either script): take back its evidence and its
    wording, so that cleaning clean text gives the same text again. A line written like a
    note anywhere else is source text, never trusted."""
    missing = parse_note(b.text)
    if missing is None:
        return False
    doc.drop(b, rules.CLEANER_NOTE)
    doc.evidence.cut_signals.append("an earlier cleaning marked this text as cut off")
    doc.evidence.noted_missing = missing
    doc.evidence.earlier_note = b.text.strip()
    return True


def _outline_entry(text: str) -> str:
    """An outline entry without its leader dots and page number ("一、总体要求……3")."""
    return re.sub(r"\s*[.．…·。\-—]{2,}\s*\d*\s*$|\s+\d{1,3}$", "", text.strip())


def _outline_end(blocks: list[Block], start: int) -> int:
    """End (exclusive) of the outline entries that follow an outline header."""
    end, gap = start, 0
    for j in range(start, len(blocks)):
        text = blocks[j].text.strip()
        if P.numbering(text) and len(squeeze(text)) <= 40 and not P.ends_sentence(text):
            end, gap = j + 1, 0
        elif len(squeeze(text)) <= 25 and not P.has_clause_punct(text) and gap < OUTLINE_MAX_GAP:
            gap += 1  # an unnumbered part heading inside the outline, if numbered entries follow
        else:
            break
    return end
