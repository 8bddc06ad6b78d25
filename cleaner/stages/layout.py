"""Layout damage: hard-wrapped lines, run-together text and stray spaces.

``join_wrapped_lines`` rejoins text copied from a PDF viewer, which breaks every N
characters (N = the page's line length, 28 for 公文). Page markers between the
pieces were already removed by ``strip_site_chrome``, so paragraphs rejoin across them.

``split_merged_lines`` undoes the opposite damage: sites that lost every line break
run the title, subtitle, signature, salutation, headings and paragraphs together.

``remove_stray_spaces`` deletes spaces between two Chinese characters inside running
text (but not between Latin words, and not in short lines such as signatures where a
space separates a title from a name).
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import re

from .. import rules
from .. import shapes as P
from ..chrome import shell_rule
from ..document import Block, Document
from ..sites import Profile
from ..textutil import CJK_CLASS, squeeze

MIN_WRAP_WIDTH = 16
MAX_WRAP_WIDTH = 80
#: "增长9." at the end of a line whose next line starts "8%": a number broken by a wrap
BROKEN_DECIMAL_HEAD = re.compile(r"\d[.．]$")


def _width(b: Block, base: int) -> int:
    return len(b.text.strip()) + max(0, b.indent - base)


def wrap_width(blocks: list[Block]) -> tuple[int, int] | None:
    """(N, base indent) when the lines look hard-wrapped at N characters, else None.

    A wrapped text has many lines of exactly the same length (the measure), a few
    short ones (paragraph ends) and nothing longer.
    """
    # prose lines only: headings and titles are short (or, run in with their paragraph,
    # long) for their own reasons, and counting them made the verdict depend on how many
    # there were (a listing title removed, or a run-in heading split off, by the first
    # cleaning tipped it on the second: not idempotent)
    longish = [b for b in blocks if len(b.text.strip()) >= 10 and not P.numbering(b.text) and not P.title_like(b.text)]
    if len(longish) < 6:  # the real test is below: six or more lines at the measure
        return None
    # the indent most lines share (a PDF copy may prefix every line with spaces); shell
    # lines at column 0 must not make every wrapped line look like a new paragraph
    base = collections.Counter(b.indent for b in longish).most_common(1)[0][0]
    widths = collections.Counter(_width(b, base) for b in longish)
    width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
    near = sum(n for w, n in widths.items() if width - 1 <= w <= width)
    longer = sum(n for w, n in widths.items() if w > width + 2)
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    if near < max(6, 0.4 * len(longish)) or longer > max(2, 0.1 * len(longish)):
        return None
    return width, base


def _starts_unit(b: Block, base: int) -> bool:
    """A line that starts something of its own: an indented paragraph, a heading, front matter."""
    text = b.text.strip()
    return (b.indent > base or bool(P.numbering(text)) or bool(P.front_matter_kind(text))
            or bool(P.two_digit_heading(text)))


def join_wrapped_lines(doc: Document) -> Document:
    """Join lines broken at a fixed width back into paragraphs.

    Example (width 28): "过去的一年,在市委、市政府和区委的坚强领导下,在区人" + "大、政协的监督支持下,…"
    becomes one line; a heading line "一、2017年工作回顾" is shorter than the measure and
    is never joined to the next.
    """
    found = wrap_width(doc.blocks)
    # without a measure, only joins that need no width are made: a line that starts with
    # a closing mark ("%。", no paragraph starts with one), a number or an ordinal broken
    # in two ("9." / "8%", "第" / "一，"), a clause broken by a page marker
    width, base = found or (None, 0)
    page_breaks = doc.evidence.page_breaks
    out: list[Block] = []
    # out[-1] while lines join it: its text in pieces, its line numbers, whether it has a
    # clause mark. Joined at the end: rebuilding the text per joined line made one long
    # wrapped paragraph quadratic. The tests look only at the end of the joined text.
    pieces: list[str] = []
    numbers: list[int] = []
    clause_mark = joined = False
    last_width = 0  # width of the last physical line added to out[-1]
    for b in doc.blocks:
        prev = out[-1] if out else None
        text = b.text.strip()
        tail = _tail(pieces)
        continues = prev is not None and prev.kind == "line" and (
            text.startswith(P.LEADING_MARKS)
            or (width is not None and last_width >= width - 1 and not _starts_unit(b, base))
            or (BROKEN_DECIMAL_HEAD.search(tail) is not None and text[:1].isdigit())
            or P.ordinal_broken(tail, text)
            or _split_by_page_break(numbers[-1], tail, clause_mark, b, base, page_breaks, doc.evidence.page_ends,
                                    doc.profiles)
        )
        if continues:
            doc.report.repair(rules.JOIN_WRAPPED_LINE, b.lines[0], text, "")
            _rstrip_pieces(pieces)
            pieces.append(text)
            numbers.extend(b.lines)
            clause_mark = clause_mark or P.CLAUSE_MARK.search(text) is not None
            joined = True
        else:
            if joined:
                out[-1] = dataclasses.replace(out[-1], text="".join(pieces), lines=tuple(numbers))
            out.append(b)
            pieces, numbers, joined = [b.text], list(b.lines), False
            clause_mark = P.CLAUSE_MARK.search(b.text) is not None
        last_width = _width(b, base)
    if joined:
        out[-1] = dataclasses.replace(out[-1], text="".join(pieces), lines=tuple(numbers))
    doc.blocks = out
    return doc


def _tail(pieces: list[str], at_least: int = 16) -> str:
    """The end of the text ``pieces`` join to, at least ``at_least`` characters when it has
    them (and not much more: a piece may be a whole huge line).

    >>> _tail(["过去一年经济发展稳中有进增长9", ".", "8"], 4)
    '进增长9.8'
    """
    i, n = len(pieces), 0
    while i > 0 and n < at_least:
        i -= 1
        n += len(pieces[i])
    return "".join(p[-at_least:] for p in pieces[i:])


def _rstrip_pieces(pieces: list[str]) -> None:
    """Strip trailing whitespace off the text ``pieces`` join to, in place."""
    while pieces:
        pieces[-1] = pieces[-1].rstrip()
        if pieces[-1]:
            return
        pieces.pop()


def _split_by_page_break(last_line: int, tail: str, clause_mark: bool, b: Block, base: int,
                         page_breaks: list[int], page_ends: set[int], profiles: tuple[Profile, ...]) -> bool:
    """"…各级政府，经济增" / "— 3 —" / "长9.8%": a page marker between a line of prose that
    stops mid-clause and a line that starts nothing of its own is a page break inside one
    paragraph. Needed when no wrap width was measured (too few wrapped lines), where the
    piece after the marker would otherwise stand alone after removed chrome. A line the
    shell rules call site notice or menu ("相关文档推荐") is not joined. The prose above is
    known by its last source line, the end of its text, and whether it has a clause mark."""
    at = bisect.bisect_right(page_breaks, last_line)
    if last_line not in page_ends and (at == len(page_breaks) or page_breaks[at] >= b.lines[0]):
        return False
    return (P.ends_mid_clause(tail) and clause_mark
            # the indent after a page break is the page's, not a new paragraph's
            and not _starts_unit(b, max(base, b.indent)) and shell_rule(b.text, profiles) is None)


# --------------------------------------------------------------------------- splitting

TITLE_BEFORE_DASH = re.compile(rf"^([{CJK_CLASS}]{{2,30}}?)(?=[-—–―－]{{1,4}}\s*\d{{4}}\s*年)")
NAME_AFTER_SIGNATURE = re.compile(rf"^\s*([{CJK_CLASS}]{{2,4}}?)(?=各位|同志们|\s|$)")
SALUTATION_LEAD = re.compile(r"^(各位代表|各位委员|同志们|各位同志)[：:]")
_NUMBER = rf"[{CJK_CLASS}]{{1,12}}[〔\[［]\s*(?:19|20)\d\d\s*[〕\]］]\s*\d{{1,4}}\s*号"
#: a 公文's title run into its 文号: "国务院关于…的指导意见国发〔2018〕42号…"
TITLE_BEFORE_NUMBER = re.compile(rf"^(.{{4,80}}?(?:{'|'.join(P.DOC_TYPES)}))(?={_NUMBER})")
NUMBER_LEAD = re.compile(rf"^{_NUMBER}")
#: the 主送机关 run into the first sentence: "各省、自治区…各直属机构：农业机械化…"
ADDRESSEE_LEAD = re.compile(r"^各[^。；;！!？?：:]{2,90}?[：:](?=\S)")
#: "一、总体要求（一）指导思想。…": a level-1 heading run into the level-2 one under it
HEADING_BEFORE_SUBHEADING = re.compile(
    rf"^([{P.CN_NUM}]{{1,3}}、[^，,。；;：:（(\s]{{2,30}}?)(?=[（(][{P.CN_NUM}]{{1,3}}[）)])")
# Places inside a run-together line where a new unit starts: a heading number or a
# salutation right after the end of a sentence.
UNIT_START = re.compile(
    rf"(?<=[。！？!?；;：:])\s*(?=(?:[{P.CN_NUM}]{{1,3}}[、]|[（(][{P.CN_NUM}]{{1,3}}[）)]|各位代表[，,]))"
)
#: "…等负责）三、着力推进": a heading after the parenthesis that closed a sentence
UNIT_AFTER_PARENTHESIS = re.compile(
    rf"(?<=[）)])(?=[{P.CN_NUM}]{{1,3}}、[^，,。；;]{{2,40}}?(?:[（(][{P.CN_NUM}]{{1,3}}[）)]|[。；;]))")


def front_pieces(text: str) -> list[str]:
    """Cut the front matter off the start of a run-together line.

    >>> front_pieces("政 府 工 作 报 告--2015年2月5日在某区第十四届人民代表大会第四次会议上某区人民政府区长  杜联合各位代表:现在,我代表")
    ['政 府 工 作 报 告', '--2015年2月5日在某区第十四届人民代表大会第四次会议上', '某区人民政府区长  杜联合', '各位代表:', '现在,我代表']
    >>> front_pieces("某市关于加强供水管理的意见某政发〔2021〕7号各区人民政府，市政府各部门：为进一步加强")
    ['某市关于加强供水管理的意见', '某政发〔2021〕7号', '各区人民政府，市政府各部门：', '为进一步加强']
    """
    pieces: list[str] = []
    s = text.strip()
    for _ in range(6):
        m = (P.SPACED_TITLE.match(s) if not pieces else None) or (
            TITLE_BEFORE_DASH.match(s) if not pieces else None) or P.SUBTITLE.match(s) or (
            TITLE_BEFORE_NUMBER.match(s) if not pieces else None) or NUMBER_LEAD.match(s) or (
            ADDRESSEE_LEAD.match(s) if pieces and NUMBER_LEAD.match(pieces[-1]) else None)
        if m is None:
            m = P.SIGNATURE.match(s)
            if m:
                name = NAME_AFTER_SIGNATURE.match(s[m.end():])
                if not name:
                    break
                end = m.end() + name.end()
                pieces.append(s[:end].strip())
                s = s[end:].strip()
                continue
            m = SALUTATION_LEAD.match(s)
        if m is None:
            break
        pieces.append(s[:m.end()].strip())
        s = s[m.end():].strip()
    if s:
        pieces.append(s)
    return pieces


def split_units(text: str) -> list[str]:
    """Split a run-together line before heading numbers and salutations that follow a
    sentence end.

    >>> split_units("切实加以解决。二、2013年工作安排今年政府工作的总体要求是:深入贯彻")
    ['切实加以解决。', '二、2013年工作安排今年政府工作的总体要求是:深入贯彻']
    >>> split_units("现提出如下意见。一、总体要求（一）指导思想。以习近平")
    ['现提出如下意见。', '一、总体要求', '（一）指导思想。以习近平']
    """
    parts = []
    units = [u for p in UNIT_START.split(text) for u in _after_parenthesis(p)]
    for part in (p.strip() for p in units):
        m = HEADING_BEFORE_SUBHEADING.match(part)
        parts += [m.group(1), part[m.end():]] if m else [part]
    return [p for p in parts if p]


ENCLOSED = re.compile(r"^(?:〔[^〔〕]*〕|（[^（）]*）|【[^【】]*】|\[[^\[\]]*\])$")


def _after_parenthesis(text: str) -> list[str]:
    """Split before a heading that follows a parenthesis closing a sentence ("。（…负责）三、")."""
    cuts = [m.start() for m in UNIT_AFTER_PARENTHESIS.finditer(text)
            if re.search(r"[。！？!?；;][（(][^（()）]{2,80}[）)]$", text[max(0, m.start() - 84):m.start()])]
    if not cuts:
        return [text]
    return [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)], strict=True)]


def split_merged_lines(doc: Document) -> Document:
    """Split lines that hold several units (front matter, headings, paragraphs). A line
    enclosed in one pair of brackets ("〔…〕", "（…）") is one unit, whatever it holds."""
    out: list[Block] = []
    for b in doc.blocks:
        if ENCLOSED.match(b.text.strip()):
            out.append(b)
            continue
        pieces: list[str] = []
        for piece in front_pieces(b.text):
            pieces.extend(split_units(piece))
        if len(pieces) == 1:
            out.append(b)
            continue
        doc.report.repair(rules.SPLIT_MERGED_LINE, b.lines[0], b.text[:40], " | ".join(p[:20] for p in pieces))
        out.extend(dataclasses.replace(b, text=p, indent=0) for p in pieces)
    doc.blocks = out
    return doc


# --------------------------------------------------------------------------- text layers

LAYER_MIN = 200  # characters: a line this long holding several paragraphs is a text layer
LAYER_GAP = re.compile(r"[ \u3000]+")
_LAYER_LEFT = re.compile(rf"[{CJK_CLASS}。！？!?；;：:”’）)》」』、，,]")
_LAYER_RIGHT = re.compile(rf"[{CJK_CLASS}0-9“‘（(《「『]")
_PARAGRAPH_END = "。！？!?；;"


def layer_pieces(text: str) -> list[str]:
    """The paragraphs and headings of a text layer that lost its line breaks, where only a
    space separates them: split at a space after a sentence end, before a numbered
    heading, or after a short piece with no sentence inside (a title, a heading, "各位代
    表："). Only in a layer that shows that shape at least twice (two sentence ends
    followed by a space), so a stray space in a paragraph splits nothing.

    >>> layer_pieces("某市经济运行情况分析 今年以来，全市经济平稳。 一、工业稳步增长 上半年工业增长5%。 二、投资 投资增长3%。")
    ['某市经济运行情况分析', '今年以来，全市经济平稳。', '一、工业稳步增长', '上半年工业增长5%。', '二、投资', '投资增长3%。']
    """
    gaps = [m for m in LAYER_GAP.finditer(text)
            if m.start() > 0 and m.end() < len(text) and _LAYER_LEFT.match(text[m.start() - 1])
            and _LAYER_RIGHT.match(text[m.end()])]
    if sum(1 for m in gaps if text[m.start() - 1] in _PARAGRAPH_END) < 2:
        return [text]
    out, start = [], 0
    for m in gaps:  # the piece is text[start:end], looked at in place: copied per gap, it was quadratic
        end = m.start()
        if (text[end - 1] in _PARAGRAPH_END or P.numbering(text[m.end():m.end() + 8])
                or (end - start <= 60 and not P.SENTENCE_STOP.search(text, start, end))):
            out.append(text[start:end])
            start = m.end()
    out.append(text[start:])
    return [p for p in (p.strip() for p in out) if p]


def split_text_layers(doc: Document) -> Document:
    """Rebuild the paragraphs and heading lines of a body copied as one line (or a few very
    long lines) where only spaces separate them (see :func:`layer_pieces`)."""
    out: list[Block] = []
    for b in doc.blocks:
        pieces = layer_pieces(b.text.strip()) if len(b.text) >= LAYER_MIN else [b.text]
        if len(pieces) == 1:
            out.append(b)
            continue
        doc.report.repair(rules.SPLIT_TEXT_LAYER, b.lines[0] if b.lines else 0, b.text[:40],
                          f"{len(pieces)} paragraphs and headings")
        out.extend(dataclasses.replace(b, text=p, indent=0) for p in pieces)
    doc.blocks = out
    return doc


STRAY_SPACE = re.compile(rf"(?<=[{CJK_CLASS}，。；：、！？“”（）])[ \u3000]+(?=[{CJK_CLASS}“”（）])")


def remove_stray_spaces(doc: Document) -> Document:
    """Remove spaces between Chinese characters in running text; trim every line.

    Example: "实施老旧小区 既有建筑节能改造" → "实施老旧小区既有建筑节能改造". "Hello world" and the
    signature "海拉尔区人民政府区长  杜联合" keep their spaces.
    """
    out = []
    for b in doc.blocks:
        text = b.text.strip(" \t\u3000\u00a0")
        s = squeeze(text)
        if len(s) >= 30 and P.has_clause_punct(text) and not P.front_matter_kind(text):
            new = STRAY_SPACE.sub("", text)
            if new != text:
                doc.report.repair(rules.STRAY_SPACE, b.lines[0], text, new)
                text = new
        text = re.sub(r"[ \t\u00a0]{2,}", " ", text) if len(s) >= 30 else text
        out.append(b.with_text(text))
    doc.blocks = out
    return doc


# --------------------------------------------------------------------------- tables

MAX_CELL = 12
MAX_TABLE_CELLS = 5000  # a longer run of short lines is no table of a report
NUMERIC_CELL = re.compile(r"[-+±]?\d[\d,.]*%?|[-—]")


def table_columns(cells: list[str]) -> tuple[int, int] | None:
    """(leading non-table cells, columns) when ``cells`` read as a table flattened one
    cell per line: a header row without numbers, then rows whose columns are
    consistently numeric or not. Smallest column count wins.

    >>> table_columns(["产品", "单位", "产量", "酒", "千升", "157", "布", "米", "20"])
    (0, 3)
    """
    for lead in range(0, 3):
        body = cells[lead:]
        for k in range(2, 9):
            if len(body) % k or len(body) // k < 3:
                continue
            rows = [body[r:r + k] for r in range(0, len(body), k)]
            header, data = rows[0], rows[1:]
            if any(NUMERIC_CELL.fullmatch(c) for c in header):
                continue
            flags = [{bool(NUMERIC_CELL.fullmatch(row[c])) for row in data} for c in range(k)]
            if all(len(f) == 1 for f in flags) and any(True in f for f in flags):
                return lead, k
    return None


def join_table_cells(doc: Document) -> Document:
    """Rebuild table rows from one-cell-per-line text: "饮料酒" / "千升" / "15767" /
    "18.64" become the row "饮料酒 千升 15767 18.64"."""
    blocks = doc.blocks
    cells = [_cell_like(b.text) for b in blocks]
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        if not cells[i]:
            out.append(blocks[i])
            i += 1
            continue
        j = i
        while j < len(blocks) and cells[j]:
            j += 1
        found = table_columns([b.text.strip() for b in blocks[i:j]]) if 8 <= j - i <= MAX_TABLE_CELLS else None
        if not found:  # a run of short lines that is no table: keep it whole (linear time)
            out.extend(blocks[i:j])
            i = j
            continue
        lead, k = found
        out.extend(blocks[i:i + lead])
        for r in range(i + lead, j, k):
            row = blocks[r:r + k]
            text = " ".join(b.text.strip() for b in row)
            doc.report.repair(rules.TABLE_ROW, row[0].lines[0], " | ".join(b.text.strip() for b in row), text)
            doc.evidence.table_rows.add(row[0].lines[0])
            out.append(dataclasses.replace(row[0], text=text, lines=tuple(n for b in row for n in b.lines)))
        i = j
    doc.blocks = out
    return doc


def _cell_like(text: str) -> bool:
    s = squeeze(text)
    return 0 < len(s) <= MAX_CELL and not P.has_clause_punct(s) and not P.numbering(s)
