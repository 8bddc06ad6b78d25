"""Shell: the zones before the first and after the last line of running text, where
sites put their shells.

``strip_head_and_tail`` removes there a short line dense in notice vocabulary, a menu
line, a listing title, or everything above the site shell; front matter (title,
subtitle, signature, date, salutation), closing lines and pieces of wrapped body text
stay. A second document that a listing page appends after the body (introduced by its
title twice) is cut as ``related-document``.

Body text wins ties: a long line with sentence punctuation is never removed by a
vocabulary rule, and short body lines such as "各位代表：" or "谢谢大家！" carry no
notice vocabulary.
"""

from __future__ import annotations

import bisect
import re

from .. import rules
from .. import shapes as P
from ..chrome import is_running_text, notice_hits, shell_rule
from ..document import Block, Document
from ..rules import Rule
from ..sites import Profile, line_key, notice_words, title_tags
from ..textutil import cjk_ratio, squeeze


def strip_head_and_tail(doc: Document) -> Document:
    """Remove the site shell before the document starts and after it ends.

    Example head (dev sample of a 31ppt page): "全部分类", "• 办公文档>", "首页 三一办公 >
    资源分类 > DOC文档下载" go; "政府工作报告", "—2018年3月7日在…会议上", "海拉尔区人民政府
    区长  杨国宏", "各位代表:" stay.
    """
    profiles = doc.profiles
    tags = title_tags(profiles)
    blocks = doc.blocks
    running = [i for i, b in enumerate(blocks) if is_running_text(b.text, profiles)]
    if not running:  # no body to frame the document by: only what has no document shape goes
        learned = doc.evidence.learned_chrome
        kept = []
        for i, b in enumerate(blocks):
            if learned and line_key(b.text) in learned and not _body_line(b.text, profiles) \
                    and not _document_line_in_tail(blocks, i, profiles) and not P.ISSUER.match(b.text.strip()):
                doc.drop(b, rules.BATCH_REPEATED)
            else:
                kept.append(b)
        doc.blocks = kept
        return doc
    first, last = running[0], running[-1]
    cut = _related_document_start(blocks, first, title_tags(profiles))
    if cut is not None:
        for b in blocks[cut:]:
            doc.drop(b, rules.RELATED_DOCUMENT)
        doc.report.warn("related-document", "the page continues with another document; it was cut",
                        blocks[cut].lines[0], blocks[cut].text.strip()[:40])
        blocks = blocks[:cut]
        running = [i for i in running if i < cut]
        last = running[-1]
    # the document's frame: where its opening (title over 文号, 主送机关 or 各位代表) and
    # the site's appendix ("延伸阅读", "相关推荐") say it starts and ends
    opening, opening_end = _opening(blocks, tags)
    end = _appendix_start(blocks, doc.evidence.appendix_lines, opening if opening is not None else first)
    running = [i for i in running if (opening is None or i >= opening) and i < end]
    if not running:
        opening, opening_end, end = None, -1, len(blocks)
        running = [i for i, b in enumerate(blocks) if is_running_text(b.text, profiles)]
    first, last = running[0], running[-1]
    # the body ends with its last line of body text, which may be a heading or a short
    # paragraph after the last long one: the tail zone begins after it
    last = _body_end(blocks, last, end, profiles)
    start = opening if opening is not None else _document_start(blocks, first, profiles)
    site_titles = doc.evidence.site_titles
    title_keys = {P.title_key(t, tags) for t in site_titles}  # keyed once: per tail line it was quadratic
    kept: list[Block] = []
    in_tail_shell = False
    chrome_lines = doc.evidence.chrome_lines
    after_last = bisect.bisect_right(chrome_lines, blocks[last].lines[-1])  # chrome removed after the body
    for i, b in enumerate(blocks):
        rule: Rule | None = None
        learned = bool(doc.evidence.learned_chrome) and (i < first or i > last) \
            and line_key(b.text) in doc.evidence.learned_chrome and not _document_line_in_tail(blocks, i, profiles) \
            and not P.ISSUER.match(b.text.strip())
        if learned:  # shared by many documents of the batch, outside this one's frame
            rule = rules.BATCH_REPEATED
        elif i >= end:
            rule = shell_rule(b.text, profiles) or rules.AFTER_FRAME
        elif i < start:
            if shell_rule(b.text, profiles) is rules.BREADCRUMB:
                rule = rules.BREADCRUMB
                if P.document_title_like(b.text.split()[-1], tags):
                    site_titles.append(b.text.split()[-1])
                    title_keys.add(P.title_key(b.text.split()[-1], tags))
            elif P.title_like(b.text) and P.document_title_like(b.text, tags):
                site_titles.append(b.text.strip())
                title_keys.add(P.title_key(b.text.strip(), tags))
                rule = rules.LISTING_TITLE
            elif opening is not None and _prose_or_heading(b.text, profiles):
                rule = rules.BEFORE_FRAME  # an article the site put before the document
            else:
                rule = shell_rule(b.text, profiles) or rules.HEAD_SHELL
        elif i < first and (opening is None or i > opening_end):
            rule = shell_rule(b.text, profiles)
        elif i > last:
            rule = shell_rule(b.text, profiles) or _tail_rule(b.text, title_keys, tags)
            if i == last + 1 and _number_ending_a_cut_line(blocks[last].text, b.text):
                rule = None
            # once the site's shell has begun after the body, what follows is shell too,
            # except what can only be the document's own closing text
            shell_began = in_tail_shell or bisect.bisect_left(chrome_lines, b.lines[0]) > after_last
            if not rule and shell_began and not _document_line_in_tail(blocks, i, profiles):
                rule = rules.TAIL_SHELL
            in_tail_shell = in_tail_shell or bool(rule)
            if not rule and not _document_line_in_tail(blocks, i, profiles):
                # neither shell by any rule nor the document's by its shape: kept, and said
                doc.report.warn("unplaced-text", "kept after the end of the body, but it may not be the"
                                " document's", b.lines[0], b.text.strip()[:40])
        else:
            rule = _inline_ad(b.text, profiles)
        if rule:
            doc.drop(b, rule)
        else:
            kept.append(b)
    doc.blocks = kept
    return doc


def _opening(blocks: list[Block], tags: tuple[str, ...]) -> tuple[int | None, int]:
    """Index of the document's first line when its opening can be recognised: a 文号, a
    主送机关 ("各省、自治区…：") or a salutation ("各位代表：") with the document's title at
    most a few lines above it, over nothing but front matter (a speaker, a subtitle, a
    date). Text above that is not the document's. Returns the index of the title's first
    line and of the 文号/主送机关/salutation line, or (None, -1) when no opening is found."""
    for i, b in enumerate(blocks):
        if P.front_matter_kind(b.text) not in ("number", "addressee", "salutation"):
            continue
        start, titled, j = i, False, i - 1
        while j >= 0 and i - j <= 6:
            text = blocks[j].text.strip()
            adjacent = blocks[j].lines[-1] + 1 >= blocks[j + 1].lines[0]
            spaced = bool(P.SPACED_TITLE.match(text)) and not P.has_clause_punct(text)
            if titled:  # above the title: more of a letter-spaced title, or its first line
                if spaced and adjacent:
                    start, j = j, j - 1
                    continue
                if adjacent and not P.SPACED_TITLE.match(blocks[start].text.strip()) and P.title_like(text) \
                        and not P.document_title_like(text, tags) and not P.front_matter_kind(text) \
                        and len(squeeze(text)) + len(squeeze(blocks[start].text)) <= 60:
                    start = j
                break
            if P.title_like(text) and (P.document_title_like(text, tags) or spaced):
                start, titled = j, True
            elif P.front_matter_kind(text) in ("subtitle", "signature", "date", "number") or spaced \
                    or re.fullmatch(r"[\u4e00-\u9fff]{2,4}", squeeze(text)):  # a speaker's name
                start = j
            else:
                break
            j -= 1
        if titled:
            return start, i
    return None, -1


def _appendix_start(blocks: list[Block], appendix_lines: list[int], start: int) -> int:
    """Index of the first block after a site appendix header that follows the document's
    start ("延伸阅读", "相关推荐" …), or len(blocks)."""
    if start >= len(blocks):
        return len(blocks)
    after = bisect.bisect_right(appendix_lines, blocks[start].lines[0])
    if after == len(appendix_lines):
        return len(blocks)
    cut = appendix_lines[after]
    return next((i for i, b in enumerate(blocks) if b.lines[0] >= cut), len(blocks))


def _body_end(blocks: list[Block], last: int, end: int, profiles: tuple[Profile, ...]) -> int:
    """The last line of body text: a heading or a short paragraph may follow the last long
    one, but nothing after the document's closing (a date under the issuer, "（此件公开
    发布）") is body text, unless it is running text itself (an attached report)."""
    out, closed = last, False
    for j in range(last + 1, end):
        text = blocks[j].text
        if closed:
            break
        if _body_like(text, profiles):
            out = j
        closed = bool(P.CLOSING_NOTE.match(squeeze(text)) or P.front_matter_kind(text) == "date")
    return out


def _prose_or_heading(text: str, profiles: tuple[Profile, ...]) -> bool:
    return bool(P.numbering(text) or _sentence_like(text) or is_running_text(text, profiles)
                or _prose_fragment(text, profiles))


def _document_line_in_tail(blocks: list[Block], i: int, profiles: tuple[Profile, ...]) -> bool:
    """A line after the body that is the document's even where the site's shell has
    begun: a closing line (date, signature), an issuer over its date, or prose (a line
    that ends a sentence, or a clause cut where the free preview ends)."""
    text = blocks[i].text
    return bool(P.front_matter_kind(text) or P.ends_sentence(text) or _issuer_over_date(blocks, i)
                or _clause(text, profiles) or re.fullmatch(r"[（(][^（()）]{2,40}[)）]", squeeze(text)))


def _number_ending_a_cut_line(above: str, text: str) -> bool:
    """"9" under a last body line that stops mid-sentence ("…增长"): the rest of the line
    where the free preview cut it, as likely as a page number; kept, since dropping it
    would hide text."""
    return bool(re.fullmatch(r"[\d.,%％]{1,8}", squeeze(text))) and P.ends_mid_clause(above)


def _clause(text: str, profiles: tuple[Profile, ...]) -> bool:
    """Chinese prose with a clause mark inside: a sentence, or the cut-off start of one
    where the free preview ends ("全市，经"). Menus and listing titles have none."""
    s = squeeze(text)
    return (cjk_ratio(s) >= 0.6 and P.CLAUSE_MARK.search(s[:-1]) is not None
            and notice_hits(s, notice_words(profiles)) == 0)


def _issuer_over_date(blocks: list[Block], i: int) -> bool:
    """The issuer that signs the document ("太仓市人民政府"), on the line above its date."""
    return (i + 1 < len(blocks) and bool(P.ISSUER.match(blocks[i].text.strip()))
            and P.front_matter_kind(blocks[i + 1].text) == "date")


def _inline_ad(text: str, profiles: tuple[Profile, ...]) -> Rule | None:
    """Inside the body only a dense site notice goes ("下载文档 收藏 分享" between two
    paragraphs): short, two or more notice words, no sentence punctuation."""
    s = squeeze(text)
    if len(s) <= 30 and notice_hits(s, notice_words(profiles)) >= 2 and not P.has_clause_punct(s) \
            and not P.numbering(s) and not P.ends_sentence(s):
        return rules.INLINE_NOTICE
    return None


def _document_start(blocks: list[Block], first: int, profiles: tuple[Profile, ...]) -> int:
    """Index of the first front-matter line: walk back from the first running-text line
    while lines look like front matter (title, subtitle, signature, date, salutation),
    headings or pieces of body text. One or two odd lines (a stray wrapped piece) do not
    end the walk when body text (a numbered heading, a sentence) comes right above them."""
    start = first
    i = first - 1
    while i >= 0:
        if _front_line(blocks[i].text, profiles) and _near(blocks, i, start):
            start, i = i, i - 1
            continue
        above = [j for j in (i - 1, i - 2) if j >= 0 and _body_line(blocks[j].text, profiles) and _near(blocks, j, start)]
        if not above:
            break
        start, i = above[0], above[0] - 1
    return start


def _near(blocks: list[Block], i: int, start: int) -> bool:
    # far above, across removed chrome, is not the same document
    return blocks[start].lines[0] - blocks[i].lines[-1] <= 6


def _front_line(text: str, profiles: tuple[Profile, ...]) -> bool:
    if shell_rule(text, profiles) or P.file_name(text):
        return False
    return bool(P.front_matter_kind(text) or P.title_like(text) or P.numbering(text) or _sentence_like(text)
                or _prose_fragment(text, profiles))


def _body_line(text: str, profiles: tuple[Profile, ...]) -> bool:
    """Certainly the document's: a numbered heading, a sentence, a salutation, a subtitle."""
    if shell_rule(text, profiles) or notice_hits(squeeze(text), notice_words(profiles)):
        return False
    return bool(P.numbering(text) or _sentence_like(text)
                or P.front_matter_kind(text) in ("salutation", "subtitle"))


def _prose_fragment(text: str, profiles: tuple[Profile, ...]) -> bool:
    """A piece of a hard-wrapped paragraph: it starts with the mark that ended the line
    above ("%。", "，经济…"), it ends a sentence ("济。"), or it is a run of Chinese prose
    too long for a menu."""
    s = squeeze(text)
    if s.startswith(P.LEADING_MARKS) or P.ends_sentence(s):
        return True  # "%。", "济。", "2.3%。": the end of a sentence wrapped onto its own line
    return len(s) >= 16 and cjk_ratio(s) >= 0.8 and notice_hits(s, notice_words(profiles)) == 0


def _body_like(text: str, profiles: tuple[Profile, ...]) -> bool:
    """Body text, not shell: a numbered heading or a sentence without site vocabulary."""
    if shell_rule(text, profiles):
        return False
    s = squeeze(text)
    return bool(P.numbering(text)) or (_sentence_like(text) and notice_hits(s, notice_words(profiles)) == 0)


def _sentence_like(text: str) -> bool:
    """A line of body text too short to count as running text ("并请…提出意见。")."""
    s = squeeze(text)
    return len(s) >= 6 and cjk_ratio(s) >= 0.4 and P.has_clause_punct(s)


def _tail_rule(text: str, title_keys: set[str], tags: tuple[str, ...]) -> Rule | None:
    """A line after the last running text that repeats a listing title is site chrome;
    ``title_keys``: the ``title_key`` of each of the site's titles for the document."""
    k = P.title_key(text, tags)
    if k and k in title_keys:
        return rules.LISTING_TITLE
    if P.listing_title_with_tag(text, tags):
        return rules.LISTING_TITLE
    return None


def _related_document_start(blocks: list[Block], first: int, tags: tuple[str, ...]) -> int | None:
    """Where a listing page starts another document after ours: a title-like line
    repeated on the next line, after running text, followed by more text."""
    for i in range(first + 1, len(blocks) - 1):
        a, b = blocks[i].text.strip(), blocks[i + 1].text.strip()
        if a == b and P.title_like(a) and P.document_title_like(a, tags):
            return i
    return None
