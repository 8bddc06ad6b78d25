"""Chrome: the site's lines around and inside the document, removed line by line with a reason.

``strip_site_chrome`` removes what is chrome wherever it stands: lines of the site
profile and of the generic profile (menus, notices, page markers, thumbnail captions,
contact numbers, file names), bare page numbers inside a wrapped paragraph, running
headers, lines a batch found in many of its documents, and the site-made outline
(提纲/目录), whose entries are kept in the report for the outline stage.

The shell before and after the document is ``shell.strip_head_and_tail``'s.
"""

from __future__ import annotations

import re

from .. import sites
from ..document import Block, Document
from ..textutil import cjk_count, squeeze
from . import patterns as P

OUTLINE_MAX_GAP = 3  # unnumbered lines allowed between numbered outline entries


def _profiles(doc: Document) -> list[sites.Profile]:
    site = sites.get(doc.report.profile)
    generic = sites.get("generic")
    return [generic] if site is generic else [site, generic]


def chrome_rule(text: str, profiles: list[sites.Profile]) -> str | None:
    """The rule that marks a line as site chrome wherever it stands, or None.

    >>> g = [sites.get("generic")]
    >>> chrome_rule("— 12 —", g)
    'generic/pattern page-marker'
    >>> chrome_rule("各位代表：", g) is None
    True
    """
    key = sites.line_key(text)
    if not key:
        return None
    bare = key.rstrip(":：")
    for p in profiles:
        if key in p.lines or bare in p.lines:
            return f"{p.name}/line"
        if len(key) <= 200:
            for phrase in p.contains:
                if phrase in key:
                    return f"{p.name}/contains {phrase!r}"
        for pat in p.patterns:
            if pat.search(key):
                return f"{p.name}/pattern {P.pattern_name(pat.pattern)}"
    return None


def _outline_header(text: str, profiles: list[sites.Profile]) -> bool:
    bare = sites.line_key(text).rstrip(":：")
    return any(bare in p.outline_headers for p in profiles)


def strip_site_chrome(doc: Document) -> Document:
    """Remove lines that are site chrome anywhere, and the site's own outline.

    Example: "添加公寻网到电脑桌面" goes with rule ``gongxun/contains '添加公寻网到电脑桌面'``;
    "— 3 —" goes with rule ``generic/pattern page-marker``; the lines after "提纲:" go
    with rule ``site-outline`` and are listed in ``report.site_outline``.
    """
    profiles = _profiles(doc)
    reading_cut = [p for p in profiles for p in p.continue_reading]
    rules = [chrome_rule(b.text, profiles) for b in doc.blocks]
    rules = [rule or _page_number_inside_paragraph(doc.blocks, rules, i) for i, rule in enumerate(rules)]
    repeated = _running_headers(doc.blocks, rules)
    learned: frozenset[str] = doc.meta.get("_learned_chrome", frozenset())
    kept: list[Block] = []
    blocks = doc.blocks
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if _outline_header(b.text, profiles):
            end = _outline_end(blocks, i + 1)
            if end > i + 1:
                doc.drop(b, "site-outline header")
                for e in blocks[i + 1:end]:
                    doc.drop(e, "site-outline entry")
                    doc.report.site_outline.append(_outline_entry(e.text))
                i = end
                continue
        if _own_note(doc, b):
            i += 1
            continue
        rule = (rules[i] or ("repeated-line" if squeeze(b.text) in repeated else None)
                or ("batch-repeated" if sites.line_key(b.text) in learned else None))
        if rule:
            doc.drop(b, rule)
            if P.title_like(b.text) and P.document_title_like(b.text):  # "NAME.doc", "NAME_第1页"
                doc.meta.setdefault("_site_titles", []).append(b.text.strip())
            key = sites.line_key(b.text)
            if any(c in key for c in reading_cut):
                doc.report.truncation_reasons.append(f"the site cut the preview short: {b.text.strip()!r}")
        else:
            kept.append(b)
        i += 1
    doc.blocks = kept
    return doc


def _page_number_inside_paragraph(blocks: list[Block], rules: list[str | None], i: int) -> str | None:
    """A bare page number ("3") between two lines of prose, where a PDF copy puts it at a
    page break: a long Chinese line above, and Chinese text (not chrome, not a heading)
    below. After a digit or a Latin letter ("增长1,6" / "3", "使用A" / "4" / "纸") it may be
    the rest of a number or a code, so it stays."""
    if i == 0 or not re.fullmatch(r"\d{1,4}", squeeze(blocks[i].text)):
        return None
    below = next((squeeze(blocks[j].text) for j in range(i + 1, len(blocks)) if not rules[j]), "")
    above = squeeze(blocks[i - 1].text)
    if len(above) >= 10 and cjk_count(above) >= 6 and not re.search(r"[\dA-Za-z][,.，．]?$", above) \
            and cjk_count(below) >= 1 and (not P.numbering(below) or P.ordinal_broken(above, below)) \
            and not P.front_matter_kind(below):
        return "page-number-inside-paragraph"
    return None


def learn_chrome(texts: list[str], min_docs: int = 3, share: float = 0.5) -> frozenset[str]:
    """Lines that recur across many documents of one batch are the site's, not the
    documents' (the line-hash idea of CCNet). Returns their keys.

    Lines that documents of one kind share legitimately are never learned: salutations,
    numbered headings, lines that end a sentence ("谢谢大家！"), document names.
    """
    if len(texts) < min_docs:
        return frozenset()
    seen: dict[str, int] = {}
    for text in texts:
        for k in {sites.line_key(line) for line in text.splitlines()}:
            if 2 <= len(k) <= 60:
                seen[k] = seen.get(k, 0) + 1
    need = max(min_docs, int(share * len(texts) + 0.999))
    return frozenset(k for k, n in seen.items()
                     if n >= need and not P.numbering(k) and not P.ends_sentence(k)
                     and not P.front_matter_kind(k) and not P.document_title_like(k) and not P.two_digit_heading(k))


def _running_headers(blocks: list[Block], rules: list[str | None]) -> set[str]:
    """Lines repeated on every page (running headers and footers): short, not headings,
    not titles, and seen three times, or twice each time next to a page marker."""
    counts: dict[str, int] = {}
    by_marker: dict[str, int] = {}
    for i, b in enumerate(blocks):
        s = squeeze(b.text)
        counts[s] = counts.get(s, 0) + 1
        if any("page" in (rules[j] or "") for j in (i - 1, i + 1) if 0 <= j < len(blocks)):
            by_marker[s] = by_marker.get(s, 0) + 1
    return {s for s, n in counts.items()
            if (n >= 3 or (n >= 2 and by_marker.get(s, 0) == n))
            and 6 <= len(s) <= 40 and not P.numbering(s) and not P.ends_sentence(s)
            and not P.document_title_like(s) and not P.front_matter_kind(s) and not P.has_clause_punct(s)}


def _own_note(doc: Document, b: Block) -> bool:
    """A note that an earlier cleaner run added (the input is clean text): take back its
    evidence, so that cleaning clean text gives the same text again."""
    from .truncation import parse_note

    missing = parse_note(b.text)
    if missing is None:
        return False
    doc.drop(b, "cleaner-note")
    doc.report.truncation_reasons.append("an earlier cleaning marked this text as cut off")
    doc.meta["_noted_missing"] = missing
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
