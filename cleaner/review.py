"""The review page: the source, line by line, beside the clean result.

A page is built from a cleaning report (``NAME.report.json`` or ``Document.report_dict()``)
and the decoded source lines, nothing else, so it can be rebuilt from any earlier output
folder. Every piece of document text goes through ``html.escape``; the page is one
self-contained file (CSS and a small script inline, fonts from the system, a
Content-Security-Policy that allows only that script), so it works from ``file://`` and
fetches nothing. What the page shows is decided here; the page holds the source text once,
its changes marked in it, and rules by number (see "one document" below), so a 10,000-line
input makes a page of about 3 MB, not 18. The script lays out the rows near the window as
line number, source and clean result, moves between changes (n/j, p/k), and sorts and
filters the index.

>>> removed = [{"line": 1, "text": "<script>x</script>", "rule": "r", "kind": "jammer"}]
>>> page = page_html({"title": "<b>T</b>", "removed": removed}, ["<script>x</script>", "正文"])
>>> "<script>x</script>" in page, "&lt;script&gt;x&lt;/script&gt;" in page
(False, True)
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import html
import json
import os
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import rules

REPORT_SUFFIX = ".report.json"
JOIN_REACH = 60  # source lines after a block's first line that a repair in the block is looked for in
CHUNK = 100  # lines per block of the page that the browser lays out when it comes near


def _asset(name: str) -> str:
    return resources.files("cleaner.render").joinpath(name).read_text(encoding="utf-8")


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _kind_class(kind: str) -> str:
    return "k-" + "".join(c if c.isalnum() or c == "-" else "_" for c in str(kind))


def _frame(title: str, body: str) -> str:
    """A whole page: inline CSS and script, and a policy that lets nothing else run or load
    (each of the two is allowed by its hash, so a style or script in a document could not
    act even if one escaped the escaping)."""
    script, style = _asset("review.js"), _asset("review.css")

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"

    csp = f"default-src 'none'; style-src {digest(style)}; script-src {digest(script)}"
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{_e(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        f"{body}<script>{script}</script>\n</body>\n</html>\n"
    )


# --- one document ----------------------------------------------------------------------------
#
# The page spends its bytes on the source text, once. Every rule the report names gets a
# number in the legend (``<li id="r3" data-kind=… data-rule=…>`` in ``#legend``), and a row is
#
#     <p id="L47" class="c" data-x="3" data-f="5*12 7">the line, its changes marked</p>
#
# ``data-x``: the rules of the line's removals, one number per removal; ``data-f``: the rules
# of the repairs noted under the line, the most frequent first ("5*12": twelve of rule 5).
# In the line, a change is ``<del>old</del><ins>new</ins>``, with ``class="r7"`` when its rule
# is not the row's first; text cut out of the line is ``<del class="x">``; a heading or line
# split, or lines joined, is a ``<span class="split">`` / ``<span class="join">`` where it
# happened. Class ``c``: a change to move to; ``x``: the whole line removed; ``w``: warned.
# The script lays each row out as number, source and clean result (labels and rule names
# from the legend) when its block of rows comes near the window.

#: what outline.py takes out between a run-in heading and the paragraph it led
_HEADING_SEPARATORS = "。；;，, "
#: lines joined: what the join marker says, by rule
_JOINS = {
    rules.JOIN_WRAPPED_LINE.name: "joined to the line above",
    rules.JOIN_HEADING_LINES.name: "joined to the heading line above",
    rules.JOIN_TITLE_LINES.name: "joined to the title line above",
}
#: repairs made while the input was decoded: the lines the page shows have them already
_DECODING = {rules.CONTROL_CHAR.name, rules.MOJIBAKE_GBK.name}


def _short(before: str, after: str, context: int = 6, limit: int = 80) -> str:
    """``before`` with each change marked ``<b>old</b>→<i>new</i>``, cut to a little
    context around the changes.

    >>> _short("挑战,我们", "挑战，我们")
    '挑战<b>,</b>→<i>，</i>我们'
    >>> _short("政府,向大会报告工作,请", "政府，向大会报告工作，请")
    '政府<b>,</b>→<i>，</i>向大会报告工作<b>,</b>→<i>，</i>请'
    >>> _short("2023-01-05", "〔编者注：网站标注日期2023年1月5日〕")
    '<b>2023-01-05</b>→<i>〔编者注：网站标注日期2023年1月5日〕</i>'
    """
    ops = _ops(before, after)
    if not ops:
        return _e(before[:limit])
    kept = len(before) - sum(end - start for start, end, _ in ops)
    if 2 * kept < max(len(before), len(after)):  # little in common: the two whole
        return (f"<b>{_e(before if len(before) <= limit else before[:limit] + '…')}</b>→"
                f"<i>{_e(after if len(after) <= limit else after[:limit] + '…')}</i>")
    out, pos = [], max(0, ops[0][0] - context)
    for start, end, new in ops:
        gap = before[pos:start]
        out.append(_e(gap if len(gap) <= limit else gap[:context] + "…" + gap[-context:]))
        old = before[start:end]
        out.append(f"<b>{_e(old if len(old) <= limit else old[:limit] + '…')}</b>→"
                   f"<i>{_e(new if len(new) <= limit else new[:limit] + '…')}</i>")
        pos = end
    out.append(_e(before[pos:pos + context]))
    return "".join(out)


def _visible(text: str) -> str:
    """``text`` with invisible characters named.

    >>> _visible("国\u2060发")
    '国⟨U+2060⟩发'
    """
    return "".join(f"⟨U+{ord(c):04X}⟩" if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)


def _repair_note(rep: dict[str, Any], why: str) -> str:
    """A repair the page cannot mark in the line, written out: its rule, what it did, and why
    it is not marked."""
    kind, rule = rep.get("kind", "repair"), str(rep.get("rule", ""))
    before, after = _visible(str(rep.get("before", ""))), _visible(str(rep.get("after", "")))
    if rule in _JOINS:
        shown = _e(_JOINS[rule])
    elif not after and kind != "repair":
        shown = f"cut <b>{_e(before)}</b>"
    else:
        shown = _short(before, after)
    return (f"<span class=\"nt\" title=\"{_e(f'{rule} ({kind}): {before} → {after}')}\">"
            f"{_e(rule)}: {shown} ({_e(why)})</span>")


_FOLD = str.maketrans(",:;?!()", "，：；？！（）")  # one character for one: positions stay


def _ops(before: str, after: str) -> list[tuple[int, int, str]]:
    """The changes that turn ``before`` into ``after``: ``(start, end, replacement)``."""
    if len(before) + len(after) > 2000:
        return [(0, len(before), after)]
    return [(i1, i2, after[j1:j2])
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
            if tag != "equal"]


def _part_of(removed: str, line: str) -> bool:
    """Whether a removal took only part of ``line``.

    >>> _part_of("标题", "标题 正文很长的一段"), _part_of("标题", " 标题 "), _part_of("别的", "标题")
    (True, False, False)
    """
    removed, line = removed.strip(), line.strip()
    return bool(removed) and len(removed) < len(line) and removed in line


@dataclass(frozen=True)
class _Mark:
    """What the page marks in one source line: ``[start, end)`` replaced by ``new``, or,
    with ``marker`` ("split", "join"), ``text`` saying what happened at ``start``. ``code``:
    the rule's number in the legend; ``owner``: the repair's index in the report (-1: a
    removal of part of the line)."""

    start: int
    end: int
    new: str
    code: int
    owner: int
    cut: bool = False
    marker: str = ""
    text: str = ""


Segment = tuple[int, int, int, int]  # (line, start, end, offset in the text looked for)


def _lead(line: str) -> int:
    return len(line) - len(line.lstrip())


class _Source:
    """The source lines as the cleaner came to see them: without what was cut out of them
    (jammer strings, page markers, a title split off) and without the lines removed whole,
    so that a repair's context, taken after the cuts, is found where it lies.

    >>> src = _Source(["第一行代表人", "— 3 —", "  ,并请审议"], gone={2})
    >>> src.locate("人,并请", 1)
    [(1, 5, 6, 0), (3, 2, 5, 1)]
    >>> src = _Source(["现在,我代表x@#,向大会"])
    >>> src.locate("我代表，向", 1)
    []
    >>> src.cut(1, 6, 9)
    >>> src.locate("我代表，向", 1)
    [(1, 3, 6, 0), (1, 9, 11, 3)]
    """

    def __init__(self, lines: list[str], gone: set[int] | frozenset[int] = frozenset()) -> None:
        self.lines, self.gone = lines, gone
        self.cuts: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self._views: dict[int, tuple[str, list[tuple[int, int, int]]]] = {}

    def cut(self, m: int, start: int, end: int) -> None:
        self.cuts[m].append((start, end))
        self._views.pop(m, None)

    def view(self, m: int) -> tuple[str, list[tuple[int, int, int]]]:
        """Line ``m`` without its cuts, stripped (as a join strips it), and its pieces:
        ``(offset in that text, start, end in the line)``."""
        if m not in self._views:
            line, pos, kept = self.lines[m - 1], 0, []
            for a, b in sorted(self.cuts.get(m, [])) + [(len(line), len(line))]:
                if a > pos:
                    kept.append((pos, a))
                pos = max(pos, b)
            text = "".join(line[a:b] for a, b in kept)
            skip, keep = len(text) - len(text.lstrip()), len(text.rstrip())
            pieces, off = [], 0
            for a, b in kept:
                lo, hi = max(a, a + skip - off), min(b, a + keep - off)
                if lo < hi:
                    pieces.append((off + lo - a - skip, lo, hi))
                off += b - a
            self._views[m] = (text[skip:keep], pieces)
        return self._views[m]

    def locate(self, before: str, n: int) -> list[Segment]:
        """Where ``before`` lies: in line ``n``, or, for a paragraph joined from wrapped lines
        or a line with text cut out of it, in the text of the lines from ``n`` on, as the
        cleaner saw them. ASCII punctuation matches its full-width form, for a context
        taken after an earlier repair. ``[]``: not found."""
        if not before or not 0 < n <= len(self.lines) or n in self.gone:
            return []
        line = self.lines[n - 1]
        i = line.find(before)
        if i < 0:
            i = line.translate(_FOLD).find(before.translate(_FOLD))
        if i >= 0:
            return [(n, i, i + len(before), 0)]
        text, starts = "", []
        for m in range(n, min(len(self.lines), n + JOIN_REACH) + 1):
            if m not in self.gone:
                piece, pieces = self.view(m)
                starts.append((len(text), m, pieces))
                text += piece
        i = text.translate(_FOLD).find(before.translate(_FOLD))
        if i < 0:
            return []
        out = []
        for start, m, pieces in starts:
            for off, a, b in pieces:
                lo, hi = max(i, start + off), min(i + len(before), start + off + b - a)
                if lo < hi:
                    out.append((m, a + lo - start - off, a + hi - start - off, lo - i))
        return out

    def find_on(self, m: int, pos: int, text: str, last: int) -> tuple[int, int] | None:
        """The first place of ``text`` at or after column ``pos`` of line ``m``, in the lines
        up to ``last`` that were not removed."""
        folded = text.translate(_FOLD)
        while m <= min(last, len(self.lines)):
            if m not in self.gone:
                line = self.lines[m - 1]
                i = line.find(text, pos)
                if i < 0:
                    i = line.translate(_FOLD).find(folded, pos)
                if i >= 0:
                    return m, i
            m, pos = m + 1, 0
        return None


def _position(segments: list[Segment], k: int) -> tuple[int, int]:
    """The source line and column of character ``k`` of the text ``segments`` locate (its
    end when ``k`` is its length)."""
    for m, a, b, off in segments:
        if off <= k < off + b - a:
            return m, a + k - off
    m, _, b, _ = segments[-1]
    return m, b


def _changes(segments: list[Segment], before: str, after: str, code: int, owner: int,
             cut: bool = False) -> list[tuple[int, _Mark]]:
    """The marks that turn the located ``before`` into ``after``, each within one line."""
    out = []
    for start, end, new in _ops(before, after):
        put = False
        for m, a, b, off in segments:
            lo, hi = max(start, off), min(end, off + b - a)
            if lo < hi:  # the part of the change in this line; what is put in goes with the first
                out.append((m, _Mark(a + lo - off, a + hi - off, "" if put else new, code, owner, cut)))
                put = True
        if not put and new:
            m, at = _position(segments, start)
            out.append((m, _Mark(at, at, new, code, owner, cut)))
    return out


def _place(rep: dict[str, Any], n: int, src: _Source, code: int, owner: int) -> tuple[int, list[tuple[int, _Mark]]]:
    """Where a repair shows in the source: the line to note it under, and its marks by line
    (none: not found). A repair names the first line of its block.

    Splits and joins record a piece of the text as ``before`` and what became of it as
    ``after``; they are marked as what they are, from the rule that made them: a run-in
    heading split where the heading ends (its separator struck), a merged line split before
    each piece, a text layer split into paragraphs, a line joined to the one above, table
    cells joined into a row. Any other repair is marked as the changes from ``before`` to
    ``after``, found in line ``n`` or across the wrapped lines of its paragraph; what it cut
    out is remembered, so that later repairs are found around it.

    >>> rep = {"rule": "run-in-heading", "before": "一、回顾。", "after": "一、回顾"}
    >>> [(m, k.start, k.end, k.marker) for m, k in _place(rep, 1, _Source(["一、回顾。过去一年"]), 1, 0)[1]]
    [(1, 4, 5, ''), (1, 5, 5, 'split')]
    """
    rule, kind = str(rep.get("rule", "")), str(rep.get("kind", "repair"))
    before, after = str(rep.get("before", "")), str(rep.get("after", ""))
    lines = src.lines
    if not 0 < n <= len(lines) or not lines[n - 1].strip() or n in src.gone or rule in _DECODING:
        return n, []
    start = _lead(lines[n - 1])
    marks: list[tuple[int, _Mark]] = []
    if rule in _JOINS:
        marks = [(n, _Mark(start, start, "", code, owner, marker="join", text="joined"))]
    elif rule == rules.SPLIT_TEXT_LAYER.name:
        marks = [(n, _Mark(start, start, "", code, owner, marker="split", text=f"split into {after}"))]
    elif rule == rules.RUN_IN_HEADING.name:
        # ``before``: the heading and the character after it, the separator outline.py takes
        # out or the paragraph's first character; ``after``: the heading
        segments = src.locate(before, n)
        if segments:
            head = before if before[-1] in _HEADING_SEPARATORS else before[:-1]
            m, at = _position(segments, len(head))
            marks = _changes(segments, head, after, code, owner)
            marks.append((m, _Mark(at, at, "", code, owner, marker="split", text="heading split")))
    elif rule == rules.SPLIT_MERGED_LINE.name:
        # ``after``: the pieces' beginnings, " | " between them
        pieces = [p.strip() for p in after.split(" | ")]
        segments = src.locate(pieces[0], n)
        m, pos = (segments[-1][0], segments[-1][2]) if segments else (n, start)
        for piece in pieces[1:]:
            found = src.find_on(m, pos, piece, n + JOIN_REACH) if piece else None
            if found:
                m, pos = found
                marks.append((m, _Mark(pos, pos, "", code, owner, marker="split", text="line split")))
                pos += len(piece)
    elif rule == rules.TABLE_ROW.name:
        # ``before``: the cells, " | " between them, the first on line ``n``, each on a line
        cells = [c.strip() for c in before.split(" | ")]
        end = len(lines[n - 1].rstrip())
        marks = [(n, _Mark(end, end, "", code, owner, marker="join", text=f"table row of {len(cells)} cells"))]
        m = n
        for cell in cells[1:]:
            found = src.find_on(m + 1, 0, cell, n + JOIN_REACH) if cell else None
            if found:
                m = found[0]
                at = _lead(lines[m - 1])
                marks.append((m, _Mark(at, at, "", code, owner, marker="join", text="joined")))
    else:
        segments = src.locate(before, n)
        if segments:
            cut = kind != "repair" and not after
            marks = _changes(segments, before, after, code, owner, cut=cut)
            for m, k in marks:
                if cut:
                    src.cut(m, k.start, k.end)
    return (marks[0][0] if marks else n), marks


def _render(line: str, marks: list[_Mark], first: int) -> str:
    """``line``, escaped, with its marks; a mark of rule ``first`` (the row's first) names no rule.
    Of two changes to the same characters the first is marked."""
    changes: dict[tuple[int, int], _Mark] = {}
    for k in marks:
        if not k.marker:
            changes.setdefault((k.start, k.end), k)
    items = sorted([k for k in marks if k.marker] + list(changes.values()),
                   key=lambda k: (k.start, 0 if k.marker else 1, k.end))
    out, pos = [], 0

    def cls(k: _Mark, *more: str) -> str:
        names = [*more] + (["x"] if k.cut else []) + ([f"r{k.code}"] if k.code != first else [])
        return f" class=\"{' '.join(names)}\"" if names else ""

    for k in items:
        if k.marker:
            at = max(k.start, pos)
            out.append(_e(line[pos:at]))
            out.append(f"<span{cls(k, k.marker)}>{_e(k.text)}</span>")
            pos = at
            continue
        if k.start < pos:  # overlaps a change already marked
            continue
        out.append(_e(line[pos:k.start]))
        if k.end > k.start:
            out.append(f"<del{cls(k)}>{_e(line[k.start:k.end])}</del>")
        if k.new:
            out.append(f"<ins{cls(k)}>{_e(k.new)}</ins>")
        pos = k.end
    out.append(_e(line[pos:]))
    return "".join(out)


def _codes(report: dict[str, Any]) -> dict[tuple[str, str], int]:
    """A number for each rule (kind and name) the report names: removal kinds first, then
    repairs, each by kind and name."""
    found = Counter((str(r.get("kind", "")), str(r.get("rule", "")))
                    for r in report.get("removed", []) + report.get("repairs", []))
    order = sorted(found, key=lambda kr: (kr[0] == "repair", kr))
    return {kr: i for i, kr in enumerate(order, start=1)}


def _key(r: dict[str, Any]) -> tuple[str, str]:
    return str(r.get("kind", "")), str(r.get("rule", ""))


def _legend(report: dict[str, Any], codes: dict[tuple[str, str], int]) -> str:
    uses = Counter(_key(r) for r in report.get("removed", []) + report.get("repairs", []))
    items = "".join(f"<li id=\"r{c}\" class=\"{_kind_class(k)}\" data-kind=\"{_e(k)}\" data-rule=\"{_e(r)}\">"
                    f"{_e(k)} · {_e(r)} <b>{uses[(k, r)]}</b></li>" for (k, r), c in codes.items())
    return f"<details class=\"legend\" open><summary>rules applied</summary><ul id=\"legend\">{items}</ul></details>\n"


def _label(kind: str, rule: str) -> str:
    """A removal's label (the script makes the same from the legend for each row)."""
    return f"<span class=\"lbl removal {_kind_class(kind)}\">{_e(kind)} · {_e(rule)}</span>"


def _header(report: dict[str, Any], source_problem: str, legend: str) -> str:
    removed = report.get("removed", [])
    repairs = report.get("repairs", [])
    warnings = report.get("warnings", [])
    truncated = bool(report.get("truncated"))
    parts = [f"<header>\n<h1>{_e(report.get('title') or report.get('source') or '(untitled)')}</h1>\n"]
    parts.append(f"<div class=\"meta\">source <code>{_e(report.get('source_path') or report.get('source', ''))}</code>"
                 f" · sha256 <code>{_e(str(report.get('sha256', ''))[:16])}…</code>"
                 f" · encoding {_e(report.get('encoding', ''))}"
                 f" · profile <span id=\"profile\">{_e(report.get('profile', ''))}</span>"
                 f" ({_e(report.get('profile_reason', ''))})</div>\n")
    if source_problem:
        parts.append(f"<p class=\"source-problem\" id=\"source-problem\">{_e(source_problem)}</p>\n")
    verdict = "truncated" if truncated else "complete"
    parts.append(f"<div class=\"verdict {verdict}\" id=\"verdict\" data-truncated=\"{str(truncated).lower()}\">"
                 f"{'truncated: the body stops before the document ends' if truncated else 'not truncated'}</div>\n")
    reasons = report.get("truncation_reasons") or []
    if reasons:
        parts.append("<ul class=\"reasons\">" + "".join(f"<li>{_e(r)}</li>" for r in reasons) + "</ul>\n")
    missing = report.get("missing_sections") or []
    if missing:
        parts.append("<div id=\"missing\">missing sections: <ol class=\"missing\">"
                     + "".join(f"<li>{_e(m)}</li>" for m in missing) + "</ol></div>\n")
    by_kind = Counter(str(r.get("kind", "")) for r in removed)
    cuts = Counter(str(r.get("kind", "")) for r in repairs if r.get("kind") != "repair" and not r.get("after"))
    parts.append("<ul class=\"counts\">"
                 f"<li>removed lines: <b id=\"count-removed\">{len(removed)}</b></li>"
                 f"<li>repairs: <b id=\"count-repairs\">{len(repairs)}</b></li>"
                 f"<li>warnings: <b id=\"count-warnings\">{len(warnings)}</b></li></ul>\n")
    parts.append("<ul class=\"kinds\">" + "".join(
        f"<li class=\"{_kind_class(k)}\">{_e(k)} <b class=\"count-kind\" data-kind=\"{_e(k)}\">{n}</b></li>"
        for k, n in sorted(by_kind.items())) + "</ul>\n")
    if cuts:
        parts.append("<ul class=\"kinds\">cut out of lines: " + "".join(
            f"<li class=\"{_kind_class(k)}\">{_e(k)} <b class=\"count-cut\" data-kind=\"{_e(k)}\">{n}</b></li>"
            for k, n in sorted(cuts.items())) + "</ul>\n")
    parts.append(legend)
    if warnings:
        items = []
        for w in warnings:
            where = (f"<a href=\"#L{int(w['line'])}\">line {int(w['line'])}</a> " if w.get("line") else "")
            ctx = f" <code>{_e(w['context'])}</code>" if w.get("context") else ""
            items.append(f"<li class=\"warning\" data-kind=\"{_e(w.get('kind', ''))}\">{where}"
                         f"<b>{_e(w.get('kind', ''))}</b>: {_e(w.get('message', ''))}{ctx}</li>")
        parts.append("<details open><summary>warnings</summary><ul id=\"warnings\">"
                     + "".join(items) + "</ul></details>\n")
    notes = report.get("notes") or []
    if notes:
        parts.append("<div class=\"meta\">added by cleaner: "
                     + " · ".join(f"<q>{_e(n)}</q>" for n in notes) + "</div>\n")
    parts.append("<p class=\"help\">n / j: next change · p / k: previous change · struck: removed or cut ·"
                 " green: put in by a repair · ↵ a heading or line split there · ⤴ lines joined ·"
                 " under each line the rules of its repairs (hover a change for its rule)</p>\n</header>\n")
    return "".join(parts)


def _tally(codes: list[int]) -> str:
    """``data-f``: each rule once with its count, the most frequent first.

    >>> _tally([5, 7, 5, 5])
    '5*3 7'
    """
    return " ".join(f"{c}*{n}" if n > 1 else str(c)
                    for c, n in sorted(Counter(codes).items(), key=lambda cn: (-cn[1], cn[0])))


def page_html(report: dict[str, Any], source_lines: list[str] | None, source_problem: str = "") -> str:
    """The review page of one document: ``report`` as in ``NAME.report.json``, and the decoded
    input lines (``None`` when the source is missing: the page then lists the report alone)."""
    codes = _codes(report)
    removed: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in report.get("removed", []):
        removed[int(r.get("line", 0))].append(r)
    warns: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for w in report.get("warnings", []):
        warns[int(w.get("line", 0) or 0)].append(w)
    lines = source_lines if source_lines is not None else []
    numbers: list[int] | range = range(1, len(lines) + 1)
    if source_lines is None:  # the report alone: the lines it names
        named = {int(r.get("line", 0)) for r in report.get("repairs", [])}
        numbers = sorted(n for n in set(removed) | named | set(warns) if n > 0)
    texts = {n: lines[n - 1] if source_lines is not None else str((removed.get(n) or [{}])[0].get("text", ""))
             for n in numbers}
    # a line removed whole is struck; a removal of part of a line (a title split off a text
    # layer on one line) is struck inside it, and the rest of the line shows its repairs
    gone = {n for n in numbers if any(not _part_of(str(r.get("text", "")), texts[n]) for r in removed.get(n, []))}
    src = _Source(lines, gone)
    marks: dict[int, list[_Mark]] = defaultdict(list)
    for n in sorted(set(removed) & set(numbers) - gone):
        for r in removed[n]:
            part = str(r.get("text", "")).strip()
            i = texts[n].find(part)
            marks[n].append(_Mark(i, i + len(part), "", codes[_key(r)], -1, cut=True))
            src.cut(n, i, i + len(part))
    # each repair is noted under one line, and marked (each mark within one line) where it
    # changed the text
    repairs = report.get("repairs", [])
    noted: dict[int, list[int]] = defaultdict(list)
    placed: dict[int, bool] = {}
    for k, r in enumerate(repairs):
        n, found = _place(r, int(r.get("line", 0)), src, codes[_key(r)], k)
        noted[n].append(k)
        placed[k] = bool(found)
        for m, mark in found:
            marks[m].append(mark)
    in_range = set(numbers)

    def why(k: int, n: int) -> str:
        if source_lines is None:
            return "source missing"
        if repairs[k].get("rule") in _DECODING:
            return "made while decoding: the line shown has it"
        return "in a line then removed whole" if n in gone else "not found in the source"

    rows = []
    for n in numbers:
        rms, mine, ws = removed.get(n, []), noted.get(n, []), warns.get(n, [])
        classes = []
        if rms or mine or ws or marks.get(n):
            classes.append("c")
        if n in gone:
            classes.append("x")
        if ws:
            classes.append("w")
        attrs = f" class=\"{' '.join(classes)}\"" if classes else ""
        if rms:
            attrs += f" data-x=\"{' '.join(str(codes[_key(r)]) for r in rms)}\""
        tally = _tally([codes[_key(repairs[k])] for k in mine])
        if tally:
            attrs += f" data-f=\"{tally}\""
        first = int(tally.split(" ")[0].split("*")[0]) if tally else 0
        body = _e(texts[n]) if n in gone else _render(texts[n], marks.get(n, []), first)
        body += "".join(_repair_note(repairs[k], why(k, n)) for k in mine if not placed[k])
        body += "".join(f"<span class=\"wn\">⚠ {_e(w.get('kind', ''))}: {_e(w.get('message', ''))}</span>"
                        for w in ws)
        rows.append(f"<p id=\"L{n}\"{attrs}>{body}</p>\n")

    loose = []  # what the report ties to no line of this source (line 0: the document as a whole)
    for n in sorted(set(removed) - in_range):
        loose.extend(f"<li data-n=\"{n}\" data-x=\"{codes[_key(r)]}\">line {n}: {_label(*_key(r))} "
                     f"<code>{_e(r.get('text', ''))}</code></li>" for r in removed[n])
    for n in sorted(set(noted) - in_range):
        where = f"line {n}: " if n else ""
        loose.extend(f"<li data-n=\"{n}\" data-f=\"{codes[_key(repairs[k])]}\">{where}"
                     f"{_repair_note(repairs[k], 'not tied to a line of the source')}</li>" for k in noted[n])
    body = [_header(report, source_problem, _legend(report, codes))]
    if loose:
        body.append("<section class=\"loose\"><h2>not tied to a source line</h2><ul id=\"loose\">" + "".join(loose) + "</ul></section>\n")
    # rows in blocks the browser lays out (and the script fills in) only when they come near
    # the window (content-visibility), so a long source opens as fast as a short one
    chunks = ("<div class=\"k\">\n" + "".join(rows[i:i + CHUNK]) + "</div>\n" for i in range(0, len(rows), CHUNK))
    body.append("<main class=\"lines\"><div class=\"row head\"><span class=\"n\">line</span><span>source</span>"
                "<span>clean result</span></div>\n" + "".join(chunks) + "</main>\n")
    return _frame(f"review: {report.get('title') or report.get('source', '')}", "".join(body))


# --- many documents ----------------------------------------------------------------------


@dataclass
class Entry:
    """One document to review: its report, its source lines (None: missing) and where its page goes."""

    report: dict[str, Any]
    source_lines: list[str] | None
    page: str  # the page's path relative to the output folder, with /
    source_problem: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def index_html(entries: list[Entry]) -> str:
    """Every document with its title, profile, status, truncation, removals by kind and
    warnings; sortable (click a column) and filterable by status and warning kind."""
    warning_kinds = sorted({str(w.get("kind", "")) for e in entries for w in e.report.get("warnings", [])})
    rows = []
    for e in entries:
        r = e.report
        truncated = bool(r.get("truncated"))
        status = "truncated" if truncated else "complete"
        by_kind = Counter(str(x.get("kind", "")) for x in r.get("removed", []))
        wk = Counter(str(w.get("kind", "")) for w in r.get("warnings", []))
        source = "missing" if e.source_lines is None else ("ok" if not e.source_problem else "changed")
        cells = [
            (r.get("title") or r.get("source", ""),
             f"<a href=\"{_e(quote(e.page))}\">{_e(r.get('title') or r.get('source', '(untitled)'))}</a>"),
            (r.get("source_path") or r.get("source", ""), _e(r.get("source_path") or r.get("source", ""))),
            (r.get("profile", ""), _e(r.get("profile", ""))),
            (status, f"<span class=\"status\">{status}</span>"),
            (len(r.get("missing_sections") or []), _e(len(r.get("missing_sections") or []))),
            (len(r.get("removed", [])), _e(len(r.get("removed", [])))),
            (" ".join(sorted(by_kind)), " ".join(f"<span class=\"rule {_kind_class(k)}\">{_e(k)} {n}</span>"
                                                 for k, n in sorted(by_kind.items()))),
            (len(r.get("repairs", [])), _e(len(r.get("repairs", [])))),
            (sum(wk.values()), " ".join(f"{_e(k)} {n}" for k, n in sorted(wk.items())) or "0"),
            (source, _e(source if not e.source_problem else e.source_problem)),
        ]
        tds = "".join(f"<td data-sort=\"{_e(s)}\">{h}</td>" for s, h in cells)
        rows.append(f"<tr data-status=\"{status}\" data-warnings=\"{_e(' '.join(sorted(wk)))}\">{tds}</tr>\n")
    heads = ["title", "source", "profile", "status", "missing sections", "removed lines", "removed by kind",
             "repairs", "warnings", "source file"]
    options = "".join(f"<option value=\"{_e(k)}\">{_e(k)}</option>" for k in warning_kinds)
    body = (
        f"<header><h1>cleaner review: {len(entries)} document(s)</h1>"
        "<p class=\"help\">click a column to sort · n / p on a document page move between changes</p></header>\n"
        "<div class=\"filters\"><label>status <select id=\"f-status\"><option value=\"\">all</option>"
        "<option value=\"complete\">complete</option><option value=\"truncated\">truncated</option></select></label> "
        f"<label>warning <select id=\"f-warning\"><option value=\"\">any</option>{options}</select></label></div>\n"
        "<table class=\"index\"><thead><tr>" + "".join(f"<th>{h}</th>" for h in heads)
        + "</tr></thead><tbody>\n" + "".join(rows) + "</tbody></table>\n"
    )
    return _frame("cleaner review", body)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _decoded_lines(path: Path, max_bytes: int) -> list[str]:
    from .pipeline import read_source

    return read_source(path, max_bytes=max_bytes).decoded.text.split("\n")


def find_source(report: dict[str, Any], report_path: Path, sources: Path | None,
                max_bytes: int) -> tuple[list[str] | None, str]:
    """The decoded lines of the input a report names, and a problem to state ("" if none).

    Looked for under ``sources`` (by ``source_path``, then by ``source``), then next to the
    report; a file whose SHA-256 is not the report's is not the input."""
    name, rel = str(report.get("source", "")), str(report.get("source_path", "") or "")
    candidates: list[Path] = []
    for base in ([sources] if sources else []) + [report_path.parent]:
        for part in (rel, name):
            if part and part != "<stdin>" and Path(part).name not in ("", ".", ".."):
                p = base / part
                if p not in candidates:
                    candidates.append(p)
    changed = []
    for p in candidates:
        if not p.is_file():
            continue
        if _sha256(p) == report.get("sha256"):
            return _decoded_lines(p, max_bytes), ""
        changed.append(p)
    if changed:
        return None, (f"source changed: {', '.join(map(str, changed))} is not the input this report was made from "
                      f"(its SHA-256 differs from the report's); the page shows the report alone. "
                      f"Give the folder of the inputs with --sources DIR.")
    looked = ", ".join(map(str, candidates)) or "(the report names no source)"
    return None, f"source missing: looked for {looked}; the page shows the report alone. Give --sources DIR."


def _page_name(stem: str, taken: set[str]) -> str:
    name, k = f"{stem}.html", 2
    while name in taken or name == "index.html":
        name, k = f"{stem}-{k}.html", k + 1
    taken.add(name)
    return name


def collect(inputs: list[str], sources: str | None = None, site: str = "auto",
            max_bytes: int = 50 * 1024 * 1024) -> list[Entry]:
    """The documents to review: ``*.report.json`` files (given, or found in a folder given)
    with their sources, or inputs to clean first ('-': standard input, page ``stdin.html``)."""
    from .pipeline import load

    src_dir = Path(sources) if sources else None
    entries: list[Entry] = []
    taken: set[str] = set()

    def from_report(path: Path, rel_stem: str) -> None:
        from .read import ReadError

        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ReadError(f"{path}: not a readable cleaning report ({e})") from None
        if not isinstance(report, dict) or not str(report.get("schema", "")).startswith("cleaner.report/"):
            raise ReadError(f"{path}: not a cleaning report (no \"schema\": \"cleaner.report/1\")")
        lines, problem = find_source(report, path, src_dir, max_bytes)
        entries.append(Entry(report, lines, _page_name(rel_stem, taken), problem))

    def from_input(path: Path, stem: str) -> None:
        _, doc = load(path, site=site, max_bytes=max_bytes, name=str(path))
        entries.append(Entry(doc.report_dict(), list(doc.source_lines), _page_name(stem, taken)))

    for given in inputs:
        p = Path(given)
        if given == "-":  # standard input, named as `build -` names what it writes from it
            from_input(p, "stdin")
        elif p.is_dir():
            reports = sorted(p.rglob("*" + REPORT_SUFFIX))
            if reports:
                for r in reports:
                    from_report(r, r.relative_to(p).as_posix()[: -len(REPORT_SUFFIX)])
            else:
                for t in sorted(x for x in p.rglob("*") if x.is_file() and x.suffix.lower() == ".txt"):
                    from_input(t, t.relative_to(p).with_suffix("").as_posix())
        elif p.name.endswith(REPORT_SUFFIX):
            from_report(p, p.name[: -len(REPORT_SUFFIX)])
        else:
            from_input(p, p.stem)
    return entries


def write_review(entries: list[Entry], outdir: str | os.PathLike[str]) -> list[Path]:
    """Write one page per entry, and ``index.html`` when there are several; the paths written."""
    from .files import write_atomic

    out = Path(outdir)
    written = []
    for e in entries:
        target = out / e.page
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, page_html(e.report, e.source_lines, e.source_problem).encode("utf-8"))
        written.append(target)
    if len(entries) > 1:
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / "index.html", index_html(entries).encode("utf-8"))
        written.append(out / "index.html")
    return written
