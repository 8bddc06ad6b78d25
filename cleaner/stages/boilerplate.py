"""Boilerplate: the site's chrome around the document, removed line by line with a reason.

Two stages:

``strip_site_chrome`` removes what is chrome wherever it stands: lines of the site
profile and of the generic profile (menus, notices, page markers, thumbnail captions,
contact numbers, file names), and the site-made outline (提纲/目录), whose entries are
kept in the report for the outline stage.

``strip_head_and_tail`` then looks at the zones before the first and after the last
line of running text, where sites put their shells: there a short line dense in
notice vocabulary, a menu line, a listing title, or everything above the site shell
goes; front matter (title, subtitle, signature, date, salutation) and closing lines
stay. A second document that a listing page appends after the body (introduced by its
title twice) is cut as ``related-document``.

Body text wins ties: a long line with sentence punctuation is never removed by a
vocabulary rule, and short body lines such as "各位代表：" or "谢谢大家！" carry no
notice vocabulary.
"""

from __future__ import annotations

import bisect
import re

from .. import sites
from ..document import Block, Document
from ..textutil import cjk_count, cjk_ratio, squeeze
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
    """A bare page number ("3") between two pieces of one wrapped paragraph: the long line
    above stops mid-sentence on a Chinese character, and a line of text (not chrome, not
    a heading) goes on below. After a digit ("增长1,6" / "3") it may be the rest of the
    number, so it stays."""
    if i == 0 or not re.fullmatch(r"\d{1,4}", squeeze(blocks[i].text)):
        return None
    below = next((squeeze(blocks[j].text) for j in range(i + 1, len(blocks)) if not rules[j]), "")
    above = squeeze(blocks[i - 1].text)
    if len(above) >= 10 and not P.ends_sentence(above) and not re.search(r"[\d,.，．%％]$", above) \
            and below and not P.numbering(below) and not P.front_matter_kind(below):
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


# --------------------------------------------------------------------------- zones


def is_running_text(text: str, notice_words: tuple[str, ...]) -> bool:
    """A line of the document's running text: long, Chinese, with clause punctuation,
    not dense in site vocabulary."""
    s = squeeze(text)
    if len(s) < 40 or cjk_ratio(s) < 0.6:
        return False
    if sum(s.count(c) for c in "，,。；;、") < 2:
        return False
    hits = notice_hits(s, notice_words)
    return hits * 25 < len(s)


def notice_hits(s: str, words: tuple[str, ...]) -> int:
    return sum(s.count(w) for w in words)


def _nav_share(s: str, words: tuple[str, ...]) -> float:
    covered = s
    for w in sorted(words, key=len, reverse=True):
        covered = covered.replace(w, "")
    covered = re.sub(r"[\W_\d]", "", covered)
    letters = len(re.sub(r"[\W_\d]", "", s))
    return 1 - len(covered) / letters if letters else 0.0  # digits alone are no menu


def shell_rule(text: str, generic: sites.Profile) -> str | None:
    """Why a line near the head or tail is site shell, or None.

    >>> g = sites.get("generic")
    >>> shell_rule("下载资源需要8金币", g)
    'notice-vocabulary'
    >>> shell_rule("各位代表:", g) is None
    True
    >>> shell_rule("首页 > 资源分类 > 文档下载", g)
    'breadcrumb'
    >>> shell_rule("首页 全部分类 排行 专题", g)
    'navigation'
    """
    s = squeeze(text)
    if not s:
        return None
    if P.front_matter_kind(text) or s.startswith(P.LEADING_MARKS):
        return None  # front matter; the tail of a wrapped line ("%。"), never a menu
    if re.search(r"[>›»]", s) and len(s) <= 60:
        return "breadcrumb"
    if len(s) <= 40 and not s.endswith(("。", "！", "？")) and _nav_share(s, generic.nav_words) >= 0.7:
        return "navigation"
    hits = notice_hits(s, generic.notice_words)
    if hits and len(s) <= 20 + 18 * hits:
        return "notice-vocabulary"
    if cjk_count(s) == 0 and len(s) <= 30 and not s.endswith(("。", "；", "，")):
        return "no-chinese-text"  # but "8%。", the tail of a wrapped Chinese sentence, stays
    if P.bullet_line(text):
        return "menu-item"
    return None


def strip_head_and_tail(doc: Document) -> Document:
    """Remove the site shell before the document starts and after it ends.

    Example head (dev sample of a 31ppt page): "全部分类", "• 办公文档>", "首页 三一办公 >
    资源分类 > DOC文档下载" go; "政府工作报告", "—2018年3月7日在…会议上", "海拉尔区人民政府
    区长  杨国宏", "各位代表:" stay.
    """
    generic = sites.get("generic")
    blocks = doc.blocks
    running = [i for i, b in enumerate(blocks) if is_running_text(b.text, generic.notice_words)]
    if not running:
        return doc
    first, last = running[0], running[-1]
    cut = _related_document_start(blocks, first)
    if cut is not None:
        for b in blocks[cut:]:
            doc.drop(b, "related-document")
        doc.report.warn("related-document", "the page continues with another document; it was cut",
                        blocks[cut].lines[0], blocks[cut].text.strip()[:40])
        blocks = blocks[:cut]
        running = [i for i in running if i < cut]
        last = running[-1]
    # the body ends with its last line of body text, which may be a heading or a short
    # paragraph after the last long one: the tail zone begins after it
    last = max([last] + [j for j in range(last + 1, len(blocks)) if _body_like(blocks[j].text, generic)])
    start = _document_start(blocks, first, generic)
    site_titles: list[str] = doc.meta.setdefault("_site_titles", [])
    kept: list[Block] = []
    in_tail_shell = False
    last_line = blocks[last].lines[-1]
    removed_lines = sorted(r.line for r in doc.report.removed if r.rule != "cleaner-note" and r.line > last_line)
    for i, b in enumerate(blocks):
        rule = None
        if i < start:
            if P.title_like(b.text) and P.document_title_like(b.text):
                site_titles.append(b.text.strip())
                rule = "listing-title"
            else:
                rule = shell_rule(b.text, generic) or "head-shell"
        elif i < first:
            rule = shell_rule(b.text, generic)
        elif i > last:
            rule = shell_rule(b.text, generic) or _tail_rule(b.text, doc, site_titles)
            # once the site's shell has begun after the body, what follows is shell too,
            # except closing lines (dates, signatures) and lines that end a sentence
            shell_began = in_tail_shell or bisect.bisect_left(removed_lines, b.lines[0]) > 0
            if not rule and shell_began and not (P.front_matter_kind(b.text) or P.ends_sentence(b.text)
                                                 or _issuer_over_date(blocks, i) or _clause(b.text, generic)):
                rule = "tail-shell"
            in_tail_shell = in_tail_shell or bool(rule)
        else:
            rule = _inline_ad(b.text, generic)
        if rule:
            doc.drop(b, rule)
        else:
            kept.append(b)
    doc.blocks = kept
    return doc


def _clause(text: str, generic: sites.Profile) -> bool:
    """Chinese prose with a clause mark inside: a sentence, or the cut-off start of one
    where the free preview ends ("全市，经"). Menus and listing titles have none."""
    s = squeeze(text)
    return (cjk_ratio(s) >= 0.6 and re.search(r"[，,；;、]", s[:-1]) is not None
            and notice_hits(s, generic.notice_words) == 0)


def _issuer_over_date(blocks: list[Block], i: int) -> bool:
    """The issuer that signs the document ("太仓市人民政府"), on the line above its date."""
    return (i + 1 < len(blocks) and bool(P.ISSUER.match(blocks[i].text.strip()))
            and P.front_matter_kind(blocks[i + 1].text) == "date")


def _inline_ad(text: str, generic: sites.Profile) -> str | None:
    """Inside the body only a dense site notice goes ("下载文档 收藏 分享" between two
    paragraphs): short, two or more notice words, no sentence punctuation."""
    s = squeeze(text)
    if len(s) <= 30 and notice_hits(s, generic.notice_words) >= 2 and not P.has_clause_punct(s) \
            and not P.numbering(s) and not P.ends_sentence(s):
        return "inline-notice"
    return None


def _document_start(blocks: list[Block], first: int, generic: sites.Profile) -> int:
    """Index of the first front-matter line: walk back from the first running-text line
    while lines look like front matter (title, subtitle, signature, date, salutation),
    headings or pieces of body text. One or two odd lines (a stray wrapped piece) do not
    end the walk when body text (a numbered heading, a sentence) comes right above them."""
    start = first
    i = first - 1
    while i >= 0:
        if _front_line(blocks[i].text, generic) and _near(blocks, i, start):
            start, i = i, i - 1
            continue
        above = [j for j in (i - 1, i - 2) if j >= 0 and _body_line(blocks[j].text, generic) and _near(blocks, j, start)]
        if not above:
            break
        start, i = above[0], above[0] - 1
    return start


def _near(blocks: list[Block], i: int, start: int) -> bool:
    # far above, across removed chrome, is not the same document
    return blocks[start].lines[0] - blocks[i].lines[-1] <= 6


def _front_line(text: str, generic: sites.Profile) -> bool:
    if shell_rule(text, generic) or P.file_name(text):
        return False
    return bool(P.front_matter_kind(text) or P.title_like(text) or P.numbering(text) or _sentence_like(text)
                or _prose_fragment(text, generic))


def _body_line(text: str, generic: sites.Profile) -> bool:
    """Certainly the document's: a numbered heading, a sentence, a salutation, a subtitle."""
    if shell_rule(text, generic) or notice_hits(squeeze(text), generic.notice_words):
        return False
    return bool(P.numbering(text) or _sentence_like(text)
                or P.front_matter_kind(text) in ("salutation", "subtitle"))


def _prose_fragment(text: str, generic: sites.Profile) -> bool:
    """A piece of a hard-wrapped paragraph: it starts with the mark that ended the line
    above ("%。", "，经济…"), it ends a sentence ("济。"), or it is a run of Chinese prose
    too long for a menu."""
    s = squeeze(text)
    if s.startswith(P.LEADING_MARKS) or P.ends_sentence(s):
        return True  # "%。", "济。", "2.3%。": the end of a sentence wrapped onto its own line
    return len(s) >= 16 and cjk_ratio(s) >= 0.8 and notice_hits(s, generic.notice_words) == 0


def _body_like(text: str, generic: sites.Profile) -> bool:
    """Body text, not shell: a numbered heading or a sentence without site vocabulary."""
    if shell_rule(text, generic):
        return False
    s = squeeze(text)
    return bool(P.numbering(text)) or (_sentence_like(text) and notice_hits(s, generic.notice_words) == 0)


def _sentence_like(text: str) -> bool:
    """A line of body text too short to count as running text ("并请…提出意见。")."""
    s = squeeze(text)
    return len(s) >= 6 and cjk_ratio(s) >= 0.4 and P.has_clause_punct(s)


def _tail_rule(text: str, doc: Document, site_titles: list[str]) -> str | None:
    """A line after the last running text that repeats a listing title is site chrome."""
    k = P.title_key(text)
    if k and any(P.title_key(t) == k for t in site_titles):
        return "listing-title"
    if P.listing_title_with_tag(text):
        return "listing-title"
    return None


def _related_document_start(blocks: list[Block], first: int) -> int | None:
    """Where a listing page starts another document after ours: a title-like line
    repeated on the next line, after running text, followed by more text."""
    for i in range(first + 1, len(blocks) - 1):
        a, b = blocks[i].text.strip(), blocks[i + 1].text.strip()
        if a == b and P.title_like(a) and P.document_title_like(a):
            return i
    return None
