"""Outline: the title, the headings and their levels, and the site's outline reconciled.

Runs after the boilerplate and layout stages, on lines that are all document text.

* Title: the document's own title line (a spaced-out "政 府 工 作 报 告" is closed up);
  when it only names the kind of document ("政府工作报告") and the site's listing gives
  the full name ("海拉尔区2015年政府工作报告"), the full name is used. A date in the
  listing title ("(20230105)") becomes ``meta["date"]``.
* Headings: 一、 / （一） / 1. / （1） lines, bulletin headings "01综合", and unnumbered
  section lines ("2022年政府工作回顾"; two such lines in a row are one heading). A heading
  run into its paragraph ("一、坚定不移两手抓、两手胜，经济发展韧劲更强。坚持…") is split:
  the lead is the heading, the rest its paragraph.
* Numbering is checked as a grammar: 二 follows 一, （一） restarts under a new 一、;
  gaps and duplicates are reported.
* The site's 提纲 is reconciled with the body: entries the body lacks are reported.
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import functools
import re
from collections.abc import Callable, Iterable
from importlib import resources

from .. import rules
from .. import shapes as P
from ..document import Block, Document
from ..sites import title_tags
from ..textutil import CJK_CLASS, key, squeeze

MAX_HEADING = 40  # characters; a longer numbered line is a paragraph
MAX_STANDALONE = 60  # a numbered line without sentence punctuation up to this length
MAX_LEAD = 30  # a run-in lead sentence up to this length can be a heading
MIN_HEAD = 4  # a run-in heading has at least this many characters after its number
PART_HEADING_MAX = 30


@functools.cache
def _vocabulary() -> dict[str, tuple[str, ...]]:
    """Word lists that mark where a run-in heading ends (data/heading_words.txt)."""
    text = resources.files("cleaner").joinpath("data/heading_words.txt").read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = []
        else:
            sections[current].extend(line.split())
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in sections.items()}


# --------------------------------------------------------------------------- title


def _closed_up(text: str) -> str:
    """"政 府 工 作 报 告" → "政府工作报告"; other titles keep their inner spaces."""
    s = text.strip()
    if P.SPACED_TITLE.match(s) and re.fullmatch(rf"(?:[{CJK_CLASS}][ \u3000]+)+[{CJK_CLASS}]", s):
        return squeeze(s)
    return s


def _front_end(blocks: list[Block]) -> int:
    """Index of the first block after the front matter: the first running text or heading."""
    for i, b in enumerate(blocks):
        s = squeeze(b.text)
        if P.front_matter_kind(b.text) == "salutation":
            return i
        if len(s) > 60 or (P.has_clause_punct(s) and len(s) > 30) or P.numbering(b.text):
            return i
    return len(blocks)


def find_title(doc: Document) -> Document:
    """Take the title out of the front matter (see module docstring)."""
    blocks = doc.blocks
    end = _front_end(blocks)
    tags = title_tags(doc.profiles)
    candidates = [i for i in range(end) if P.title_like(blocks[i].text)
                  and not P.front_matter_kind(blocks[i].text) and not _is_issuer(blocks, i, tags)]
    site_titles = list(doc.evidence.site_titles)
    _take_date(doc, site_titles)
    own = None
    doc_like = [i for i in candidates if _names_document(blocks[i].text, tags)]
    if doc_like:
        own = doc_like[-1]
    elif candidates:
        own = candidates[0]
    drop: set[int] = set()
    if own is not None:
        title = _closed_up(blocks[own].text)
        above = _title_lines_above(blocks, own, candidates, doc_like)
        own_key = P.title_key(title, tags)
        for i in candidates:
            same = P.title_key(blocks[i].text, tags) == own_key
            if i != own and i not in above and (i in doc_like or same):
                site_titles.append(blocks[i].text.strip())
                doc.drop(blocks[i], rules.DUPLICATE_TITLE if same else rules.LISTING_TITLE)
                drop.add(i)
        drop.add(own)
        if title != blocks[own].text.strip():
            doc.report.repair(rules.TITLE_CLOSED_UP, blocks[own].lines[0], blocks[own].text, title)
        if above:  # "关于XX市2022年计划执行情况" / "与2023年计划草案的报告"; a spaced title on 3 lines
            joined = "".join(_closed_up(blocks[i].text) for i in above) + title
            doc.report.repair(rules.JOIN_TITLE_LINES, blocks[own].lines[0], title, joined)
            title = joined
            drop.update(above)
    else:
        title = ""
    full = _fuller_site_title(title, site_titles, tags)
    if full:
        doc.report.repair(rules.TITLE_FROM_LISTING, blocks[own].lines[0] if own is not None else 0, title, full)
        title = full
    doc.title = title
    doc.blocks = [b for i, b in enumerate(blocks) if i not in drop]
    if not title:
        doc.report.warn("no-title", "no title line found in the document or the site's listing")
    return doc


def _title_lines_above(blocks: list[Block], own: int, candidates: list[int], doc_like: list[int]) -> list[int]:
    """The lines before a title that names a document, when the title was broken: each
    title-like, right above the next; a letter-spaced title continues on spaced lines (up
    to three in all), another title on one line naming no document, short enough together."""
    out: list[int] = []
    spaced = bool(P.SPACED_TITLE.match(blocks[own].text.strip()))
    length = len(squeeze(blocks[own].text))
    i = own - 1
    while i in candidates and len(out) < 2 and blocks[i + 1].lines[0] - blocks[i].lines[-1] <= 2:
        text = blocks[i].text.strip()
        length += len(squeeze(text))
        if spaced and P.SPACED_TITLE.match(text):
            out.insert(0, i)
        elif not spaced and i not in doc_like and length <= 60 and not P.ISSUER.match(text):
            out.insert(0, i)
            break
        else:
            break
        i -= 1
    return out


def _names_document(text: str, tags: tuple[str, ...]) -> bool:
    return (P.document_title_like(re.sub(r"\[\d+\]$", "", squeeze(text)), tags)
            or bool(P.SPACED_TITLE.match(text.strip())))


def _is_issuer(blocks: list[Block], i: int, tags: tuple[str, ...]) -> bool:
    """An issuing office line under the title ("江西省统计局  国家统计局江西调查总队")."""
    return i > 0 and bool(P.ISSUER.match(blocks[i].text.strip())) and not _names_document(blocks[i].text, tags)


_CN_YEAR_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}
_DATE_PARTS = re.compile(r"([0-9〇○零一二三四五六七八九]{4})\s*年\s*([0-9一二三四五六七八九十]{1,3})\s*月"
                         r"\s*([0-9一二三四五六七八九十]{1,3})\s*日")


def _iso_date(text: str) -> str | None:
    """"2019年1月27日" or "一九九六年二月五日" → "2019-01-27" / "1996-02-05".

    >>> _iso_date("一九九六年二月五日"), _iso_date("——2015年2月5日在某区会议上"), _iso_date("2015年13月1日")
    ('1996-02-05', '2015-02-05', None)
    """
    m = _DATE_PARTS.search(text)
    if not m:
        return None
    year = "".join(_CN_YEAR_DIGITS.get(c, c) for c in m[1])
    month, day = (int(x) if x.isdigit() else P.cn_value(x) for x in (m[2], m[3]))
    if not year.isdigit() or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year}-{month:02d}-{day:02d}"


def _document_date(blocks: list[Block]) -> tuple[str, str] | None:
    """The document's own date and where it says it: the subtitle ("——2015年2月5日在…会议
    上"), the date of its 落款 (the last date line), or the year of its 文号."""
    for b in blocks[:8]:
        if P.front_matter_kind(b.text) == "subtitle" and (iso := _iso_date(b.text)):
            return iso, "subtitle"
    for b in reversed(blocks[-6:]):
        if P.front_matter_kind(b.text) == "date" and (iso := _iso_date(b.text)):
            return iso, "closing"
    for b in blocks[:8]:
        if P.front_matter_kind(b.text) == "number" and (m := re.search(r"[〔\[［]\s*((?:19|20)\d\d)", b.text)):
            return m[1], "number"
    return None


def _take_date(doc: Document, site_titles: list[str]) -> None:
    """The document's date: its own (see ``_document_date``) first; else the date of the
    site's listing title, which is shown under the title as the site's, not the document's."""
    own = _document_date(doc.blocks)
    if own:
        doc.meta["date"], doc.meta["date_source"] = own[0], f"document ({own[1]})"
        return
    for t in site_titles:
        m = P.TITLE_DATE.search(t.replace(" ", ""))
        if m:
            y, mo, d = m.groups()
            if 1 <= int(mo) <= 12 and 1 <= int(d) <= 31:
                doc.meta["date"], doc.meta["date_source"] = f"{y}-{mo}-{d}", "site (listing title)"
                doc.report.notes.append(doc.date_line())  # printed under the title, not source text
                doc.report.repair(rules.DATE_FROM_LISTING, 0, m.group(0), doc.date_line())
                return


def _fuller_site_title(title: str, site_titles: list[str], tags: tuple[str, ...]) -> str:
    """The site's name for the document when the own title is only its last part."""
    keys = [P.title_key(t, tags) for t in site_titles]
    keys = [k for k in keys if k and P.document_title_like(k, tags)]
    counts = collections.Counter(keys)  # counted once: keys.count per key was quadratic
    if not title:
        return max(keys, key=counts.__getitem__) if keys else ""
    own = squeeze(title)
    first = {k: -i for i, k in reversed(list(enumerate(keys)))}
    longer = [k for k in keys if k != own and k.endswith(own)]
    return max(longer, key=lambda k: (counts[k], first[k])) if longer else ""


# --------------------------------------------------------------------------- headings


_YEAR_RE = re.compile(r"(19|20)\d\d年")
_CJK_OR_DIGIT_RE = re.compile(rf"[{CJK_CLASS}0-9A-Za-z“”]")


def _boundary_score(head: str, rest: str, vocab: dict[str, tuple[str, ...]]) -> int:
    score = 0
    if _YEAR_RE.match(rest):
        score += 3
    if rest.startswith(vocab["openers"]):  # str.startswith takes the tuple: one call, in C
        score += 2
    if head.endswith(vocab["finals"]):
        score += 2
    return score


def _cjk_or_digit(c: str) -> bool:
    return bool(_CJK_OR_DIGIT_RE.match(c))


class OutlineEntries:
    """The site outline's entries by text, so that the entry a paragraph starts with is
    found by looking up the paragraph's prefixes, not by trying every entry (N entries
    against N run-in headings was N²). The first entry in outline order wins, as in a scan.

    >>> OutlineEntries(["回顾", "回顾工作", ""]).first_prefix("回顾工作过去一年")
    '回顾'
    """

    def __init__(self, entries: Iterable[str]) -> None:
        self.order: dict[str, int] = {}
        for i, e in enumerate(entries):
            if e:
                self.order.setdefault(e, i)
        self.lengths = sorted({len(e) for e in self.order})

    def first_prefix(self, body: str) -> str | None:
        hits = [body[:n] for n in self.lengths if n <= len(body) and body[:n] in self.order]
        return min(hits, key=self.order.__getitem__) if hits else None


def run_in_split(body: str, outline: list[str] | OutlineEntries, short_style: bool) -> int:
    """Where the heading ends inside a numbered paragraph (index into ``body``, the text
    after the number), or 0 when it cannot be told. ``outline``: the site outline's
    entries without their numbers (an ``OutlineEntries`` when called once per paragraph).

    >>> run_in_split("坚定不移两手抓、两手胜,经济发展韧劲更强。坚持人民至上", [], False)
    20
    >>> run_in_split("县域经济实力稳步提升2014年,全区地区生产总值完成", [], False)
    10
    """
    vocab = _vocabulary()
    lead_end = _lead_end(body)
    lead = body[:lead_end]
    entries = outline if isinstance(outline, OutlineEntries) else OutlineEntries(outline)
    entry = entries.first_prefix(body)
    if entry:  # 1. the site's outline names the heading
        n = len(entry)
        if n < len(body) and _cjk_or_digit(body[n]) and n < lead_end:
            return n
        return lead_end if lead_end <= MAX_HEADING else 0
    if short_style:  # 2. bulletins: short section names ("综合", "科学技术和教育")
        n = _section_name_length(body, vocab["sections"])
        if n:
            return n
    candidates = []
    for i in range(MIN_HEAD, min(len(body) - 1, MAX_HEADING)):
        if i >= lead_end:
            break
        if _cjk_or_digit(body[i - 1]) and _cjk_or_digit(body[i]) and body[i - 1] not in "“" and body[i] not in "”":
            score = _boundary_score(body[:i], body[i:], vocab)
            if score >= 2:
                candidates.append((score, i))
    strong = [c for c in candidates if c[0] >= 4]
    if strong:  # 3. a strong boundary: "…工作回顾|2012年", "…进一步加强|深入开展"
        return min(strong, key=lambda c: (-c[0], c[1]))[1]
    has_comma = bool(re.search(r"[，,]", lead))
    if has_comma and lead_end <= MAX_LEAD and lead_end < len(body):  # 4. "X，Y。" lead sentence
        return lead_end
    if candidates:  # 5. a weaker boundary
        return min(c[1] for c in candidates)
    if lead_end <= MAX_LEAD and lead_end < len(body):  # 6. a short lead sentence
        return lead_end
    return 0


def _lead_end(body: str) -> int:
    m = re.search(r"[。！？!?；;]", body)
    return m.start() if m else len(body)


def _section_name_length(body: str, names: tuple[str, ...]) -> int:
    """Length of a run of standard section names joined by 和/与/、/及 at the start."""
    pos, end = 0, 0
    while True:
        name = next((n for n in names if body.startswith(n, pos)), None)
        if not name:
            break
        pos += len(name)
        end = pos
        if pos < len(body) and body[pos] in "和与、及":
            pos += 1
        else:
            break
    return end if 0 < end < len(body) else 0


def _heading_text(marker: str, head: str) -> str:
    return (marker + head).rstrip("。；;，,：: ")


def mark_headings(doc: Document) -> Document:
    """Turn lines into headings and paragraphs, splitting run-in headings."""
    outline = OutlineEntries(_strip_number(e) for e in doc.evidence.site_outline)
    blocks = doc.blocks
    start = _front_end(blocks)
    short_style = _short_heading_style(blocks[start:])
    two_digit_sequence = _two_digit_sequence(blocks)
    out: list[Block] = []
    for i, b in enumerate(blocks):
        text = b.text.strip()
        if i < start:
            out.append(dataclasses.replace(b, kind="paragraph", text=text))
            continue
        num = P.numbering(text)
        two = P.two_digit_heading(text)
        if two and two_digit_sequence(i):
            out.append(dataclasses.replace(b, kind="heading", level=1, text=text))
        elif num and num[0] <= 2 and len(squeeze(text)) > 1:
            out.extend(_numbered(doc, b, text, num, outline, short_style))
        elif num and _standalone_heading(text):
            out.append(dataclasses.replace(b, kind="heading", level=num[0], text=text.rstrip("。")))
        else:
            out.append(dataclasses.replace(b, kind="paragraph", text=text))
    doc.blocks = _part_headings(doc, out, start)
    return doc


def _strip_number(entry: str) -> str:
    num = P.numbering(entry)
    s = squeeze(entry)
    return s[num[2]:] if num else s


def _standalone_heading(text: str) -> bool:
    s = squeeze(text)
    return len(s) <= MAX_HEADING and not P.SENTENCE_STOP.search(s[:-1]) and not P.has_clause_punct(s[-1:] or "")


def _numbered(doc: Document, b: Block, text: str, num: tuple[int, int, int], outline: OutlineEntries,
              short_style: bool) -> list[Block]:
    level, _, mlen = num
    marker, body = text[:mlen].strip(), text[mlen:].strip()
    marker = _normalise_marker(marker, level)
    if (_standalone_heading(text) or len(squeeze(text)) <= MAX_STANDALONE) and not P.SENTENCE_STOP.search(body):
        return [dataclasses.replace(b, kind="heading", level=level, text=_heading_text(marker, body))]
    cut = run_in_split(body, outline, short_style and level == 1)
    if (not cut or cut >= _lead_end(body)) and _titled_with_stop(body):
        # "（一）指导思想。" on its own line: the source's heading, 。 and all
        return [dataclasses.replace(b, kind="heading", level=level, text=marker + body)]
    if not cut:
        return [dataclasses.replace(b, kind="paragraph", text=text)]
    head, rest = body[:cut], body[cut:].lstrip("。；;，, ")
    text_of_heading = marker + head + "。" if _titled_with_stop(body[:cut + 1]) else _heading_text(marker, head)
    heading = dataclasses.replace(b, kind="heading", level=level, text=text_of_heading, run_in=True)
    doc.report.repair(rules.RUN_IN_HEADING, b.lines[0], text[:len(marker) + cut + 1], heading.text)
    if not rest:
        return [heading]
    return [heading, dataclasses.replace(b, kind="paragraph", text=rest)]


def _titled_with_stop(body: str) -> bool:
    """A short heading phrase closed by its 。 ("指导思想。", "统筹建设监管工作平台。"): no comma,
    no other stop, short. A lead sentence ("坚定不移两手抓、两手胜，经济发展韧劲更强。") is not."""
    s = squeeze(body)
    return (s.endswith("。") and len(s) <= 25 and not P.SENTENCE_STOP.search(s[:-1])
            and not re.search(r"[，,；;：:]", s))


def _normalise_marker(marker: str, level: int) -> str:
    """"(一)" → "（一）" and "一," → "一、": the marker is part of the heading's form."""
    if level in (2, 4):
        return "（" + marker.strip("（()） ") + "）"
    if level == 1:
        return marker.rstrip("、，,．. ") + "、"
    return marker


def _short_heading_style(blocks: list[Block]) -> bool:
    """Whether standalone level-1 headings are short section names (a bulletin)."""
    lens = []
    for b in blocks:
        num = P.numbering(b.text)
        if num and num[0] == 1 and _standalone_heading(b.text):
            lens.append(len(squeeze(b.text)) - num[2])
    return len(lens) >= 2 and max(lens) <= 12


def _two_digit_sequence(blocks: list[Block]) -> Callable[[int], bool]:
    """Whether block ``i``'s bulletin number ("02综合") has its predecessor before it or its
    successor after it: a test per block, from the numbers of all blocks taken once (taking
    them for every block was quadratic in a bulletin of many sections)."""
    nums = [P.two_digit_heading(b.text) for b in blocks]
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for i, n in enumerate(nums):
        first.setdefault(n, i)
        last[n] = i

    def in_sequence(i: int) -> bool:
        n = nums[i]
        return first.get(n - 1, i) < i or last.get(n + 1, i) > i or (n == 1 and 2 in first)

    return in_sequence


CAPTION = re.compile(r"^(表|图|附表|附图|注|资料来源)\s*\d*")


def _part_headings(doc: Document, blocks: list[Block], start: int) -> list[Block]:
    """Unnumbered section lines ("2022年政府工作回顾") become headings; two in a row join."""
    def candidate(j: int) -> bool:
        b = blocks[j]
        s = squeeze(b.text)
        return (b.kind == "paragraph" and j >= start and 4 <= len(s) <= PART_HEADING_MAX
                and P.title_like(b.text) and not P.front_matter_kind(b.text)
                and not CAPTION.match(s) and not P.ends_sentence(b.text) and not s.endswith(("：", ":")))

    def body_follows(j: int) -> bool:
        return j < len(blocks) and (blocks[j].kind == "heading" or len(squeeze(blocks[j].text)) > 60)

    def after_body(j: int) -> bool:
        return j == start or (j > 0 and (blocks[j - 1].kind == "heading" or P.ends_sentence(blocks[j - 1].text)
                                         or len(squeeze(blocks[j - 1].text)) > 60))

    # Part headings take level 1, like 一、: GB/T 9704 sets fonts by numbering level
    # (一、 黑体, （一） 楷体), and a part line is no deeper than the sections under it.
    out: list[Block] = []
    j = 0
    while j < len(blocks):
        b = blocks[j]
        if candidate(j) and after_body(j):
            if body_follows(j + 1):
                out.append(dataclasses.replace(b, kind="heading", level=1))
                j += 1
                continue
            if j + 1 < len(blocks) and candidate(j + 1) and body_follows(j + 2):
                nxt = blocks[j + 1]
                joined = b.text.strip() + " " + nxt.text.strip()
                doc.report.repair(rules.JOIN_HEADING_LINES, nxt.lines[0], nxt.text, joined)
                out.append(dataclasses.replace(b, kind="heading", level=1, text=joined, lines=b.lines + nxt.lines))
                j += 2
                continue
        out.append(b)
        j += 1
    return out


# --------------------------------------------------------------------------- grammar


def check_numbering(doc: Document) -> Document:
    """Report gaps and duplicates in heading numbers (二 should follow 一, …)."""
    last: dict[int, int] = {}
    for b in doc.blocks:
        if b.kind != "heading":
            continue
        num = P.numbering(b.text)
        if not num:
            continue
        level, value, _ = num
        prev = last.get(level, 0)
        if value == prev:
            doc.report.warn("numbering-duplicate", f"heading number {value} repeats at level {level}",
                            b.lines[0] if b.lines else 0, b.text[:30])
        elif value != prev + 1 and value != 1:
            doc.report.warn("numbering-gap", f"heading number {value} follows {prev} at level {level}",
                            b.lines[0] if b.lines else 0, b.text[:30])
        last[level] = value
        for deeper in [k for k in last if k > level]:
            del last[deeper]
    return doc


class _HeadingKeys:
    """The body's heading keys, indexed so that an outline entry is matched without
    comparing it with every heading (a 提纲 of N entries against N headings was N²).

    An entry matches a heading that starts with it, or a heading of four or more
    characters that it starts with (the outline may shorten a heading, or run on).

    >>> h = _HeadingKeys(["一坚定不移两手抓两手胜经济发展韧劲更强", "回顾"])
    >>> h.matches("一坚定不移两手抓两手胜"), h.matches("回顾过去"), h.matches("二安排")
    (True, False, False)
    """

    def __init__(self, heads: Iterable[str]) -> None:
        self.sorted = sorted(heads)
        self.long = {h for h in self.sorted if len(h) >= 4}
        self.lengths = sorted({len(h) for h in self.long})

    def matches(self, entry: str) -> bool:
        # headings starting with ``entry`` sort together, the first of them right at or after it
        i = bisect.bisect_left(self.sorted, entry)
        if i < len(self.sorted) and self.sorted[i].startswith(entry):
            return True
        # a heading that ``entry`` starts with is one of its prefixes: one lookup per heading length
        for n in self.lengths:
            if n > len(entry):
                break
            if entry[:n] in self.long:
                return True
        return False


def reconcile_site_outline(doc: Document) -> Document:
    """Compare the site's 提纲 with the body's headings; record entries the body lacks.

    The missing entries that come after every entry the body has are the document's
    missing tail: they make the document truncated and are named in the note.
    """
    ev = doc.evidence
    entries = ev.site_outline
    if not entries:
        return doc
    heads = _HeadingKeys(key(b.text) for b in doc.blocks if b.kind == "heading")
    found = [heads.matches(key(e)) for e in entries]
    last_found = max((i for i, f in enumerate(found) if f), default=-1)
    for i, (e, f) in enumerate(zip(entries, found, strict=True)):
        if f:
            continue
        if i > last_found:
            ev.missing_sections.append(e)
        else:
            doc.report.warn("outline-entry-missing", f"the site outline lists {e!r}, the body has no such heading")
    if ev.missing_sections:
        ev.cut_signals.append(f"{len(ev.missing_sections)} section(s) listed in the site outline are missing from the body")
    return doc
