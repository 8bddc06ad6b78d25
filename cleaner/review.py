"""The review page: the source, line by line, beside the clean result.

A page is built from a cleaning report (``NAME.report.json`` or ``Document.report_dict()``)
and the decoded source lines, nothing else, so it can be rebuilt from any earlier output
folder. Every piece of document text goes through ``html.escape``; the page is one
self-contained file (CSS and a small script inline, fonts from the system, a
Content-Security-Policy that allows only that script), so it works from ``file://`` and
fetches nothing. The page is built here, server-side: the script only moves between
changes (n/j, p/k) and sorts and filters the index.

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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

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


def _short(before: str, after: str, context: int = 6, limit: int = 80) -> str:
    """``before`` with each change marked ``<b>old</b>→<i>new</i>``, cut to a little
    context around the changes.

    >>> _short("挑战,我们", "挑战，我们")
    '挑战<b>,</b>→<i>，</i>我们'
    >>> _short("政府,向大会报告工作,请", "政府，向大会报告工作，请")
    '政府<b>,</b>→<i>，</i>向大会报告工作<b>,</b>→<i>，</i>请'
    """
    ops = _ops(before, after)
    if not ops:
        return _e(before[:limit])
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


def _repair_note(rep: dict[str, Any], located: bool) -> str:
    kind, rule = rep.get("kind", "repair"), rep.get("rule", "")
    before, after = str(rep.get("before", "")), str(rep.get("after", ""))
    title = f"{rule} ({kind}): {before} → {after}" + ("" if located else " (not found in the source)")
    if not after and kind != "repair":
        shown = f"cut <b>{_e(before)}</b>"
    else:
        shown = _short(before, after)
    return (f"<span class=\"rep {_kind_class(kind)}\" data-kind=\"{_e(kind)}\" data-rule=\"{_e(rule)}\" "
            f"title=\"{_e(title)}\">{_e(rule)}: {shown}</span>")


def _strike_cuts(line: str, cuts: list[str]) -> str:
    """The source line, escaped, with the pieces cut out of it struck through."""
    spans: list[tuple[int, int]] = []
    start = 0
    for piece in cuts:
        i = line.find(piece, start) if piece else -1
        if i < 0:
            i = line.find(piece) if piece else -1
        if i >= 0 and not any(a < i + len(piece) and i < b for a, b in spans):
            spans.append((i, i + len(piece)))
            start = i + len(piece)
    out, pos = [], 0
    for a, b in sorted(spans):
        out.append(_e(line[pos:a]))
        out.append(f"<del class=\"cut\">{_e(line[a:b])}</del>")
        pos = b
    out.append(_e(line[pos:]))
    return "".join(out)


_FOLD = str.maketrans(",:;?!()", "，：；？！（）")  # one character for one: positions stay


def _ops(before: str, after: str) -> list[tuple[int, int, str]]:
    """The changes that turn ``before`` into ``after``: ``(start, end, replacement)``."""
    if len(before) + len(after) > 2000:
        return [(0, len(before), after)]
    return [(i1, i2, after[j1:j2])
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
            if tag != "equal"]


def _apply(line: str, pairs: list[tuple[str, str]]) -> tuple[str, list[bool]]:
    """``line`` with its changes marked (escaped HTML), and whether each ``(before, after)``
    was found. Each pair is found in the source line itself (or with ASCII punctuation
    read as full-width, for a context taken after an earlier repair), so repairs whose
    contexts overlap mark each change once.

    >>> _apply("现在,我代表,向大会", [("现在,我代", "现在，我代"), ("代表,向大", "代表，向大"), ("x", "y")])
    ('现在<del class="fix">,</del><ins class="fix">，</ins>我代表<del class="fix">,</del><ins class="fix">，</ins>向大会', [True, True, False])
    """
    folded = None
    changes: dict[tuple[int, int], str] = {}
    found = []
    for before, after in pairs:
        i = line.find(before) if before else -1
        if i < 0 and before:
            folded = folded if folded is not None else line.translate(_FOLD)
            i = folded.find(before.translate(_FOLD))
        found.append(i >= 0)
        if i >= 0:
            for start, end, new in _ops(before, after):
                changes.setdefault((i + start, i + end), new)
    out, pos = [], 0
    for (start, end), new in sorted(changes.items()):
        if start < pos:  # overlaps a change already marked
            continue
        out.append(_e(line[pos:start]))
        if end > start:
            out.append(f"<del class=\"fix\">{_e(line[start:end])}</del>")
        if new:
            out.append(f"<ins class=\"fix\">{_e(new)}</ins>")
        pos = end
    out.append(_e(line[pos:]))
    return "".join(out), found


def _part_of(removed: str, line: str) -> bool:
    """Whether a removal took only part of ``line``.

    >>> _part_of("标题", "标题 正文很长的一段"), _part_of("标题", " 标题 "), _part_of("别的", "标题")
    (True, False, False)
    """
    removed, line = removed.strip(), line.strip()
    return bool(removed) and len(removed) < len(line) and removed in line


def _place(rep: dict[str, Any], n: int, lines: list[str]) -> tuple[int, list[tuple[int, str, str]]]:
    """Where a repair's change lies in the source: the line to note it under, and the
    edits ``(line, before, after)`` that make it, each within one line.

    A repair names the first line of its block; in a paragraph joined from wrapped lines
    its ``before`` may lie further down or across line ends. Then the joined text of the
    lines that follow (stripped, as the join strips them) is searched, and the change is
    split at the line ends it crosses. Not found: noted under line ``n``, with no edit.

    >>> _place({"before": "人,并请", "after": "人，并请"}, 1, ["第一行代表人", "  ,并请审议"])
    (2, [(2, ',并请', '，并请')])
    >>> _place({"before": "作,请予审议,并", "after": "作，请予审议，并"}, 1, ["工作,请予审议", " ,并请"])
    (1, [(1, '作,请予审议', '作，请予审议'), (2, ',并', '，并')])
    """
    before, after = str(rep.get("before", "")), str(rep.get("after", ""))
    if not before or not 0 < n <= len(lines):
        return n, []
    if before in lines[n - 1] or before.translate(_FOLD) in lines[n - 1].translate(_FOLD):
        return n, [(n, before, after)]
    text, segments = "", []
    for m in range(n, min(len(lines), n + JOIN_REACH) + 1):
        piece = lines[m - 1].strip()
        segments.append((len(text), len(text) + len(piece), m))
        text += piece
    i = text.translate(_FOLD).find(before.translate(_FOLD))
    if i < 0:
        return n, []
    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes() \
        if len(before) + len(after) < 2000 else [("replace", 0, len(before), 0, len(after))]
    edits = []
    for start, end, m in segments:
        a, b = max(i, start), min(i + len(before), end)
        if a >= b:
            continue
        out = []
        for tag, i1, i2, j1, j2 in ops:
            g1, g2 = i + i1, i + i2
            if tag == "equal":
                if max(g1, a) < min(g2, b):
                    out.append(text[max(g1, a):min(g2, b)])
            elif a <= g1 < b or (g1 == b == i + len(before)):
                out.append(after[j1:j2])
        part_after = "".join(out)
        if text[a:b] != part_after:
            edits.append((m, text[a:b], part_after))
    if not edits:
        return n, []
    return edits[0][0], edits


def _label(rm: dict[str, Any]) -> str:
    kind, rule = rm.get("kind", ""), rm.get("rule", "")
    return (f"<span class=\"rule removal {_kind_class(kind)}\" data-kind=\"{_e(kind)}\" "
            f"title=\"{_e(rule)}\">{_e(kind)} · {_e(rule)}</span>")


def _header(report: dict[str, Any], source_problem: str) -> str:
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
                 " green: inserted by a repair (hover for rule and before → after)</p>\n</header>\n")
    return "".join(parts)


def page_html(report: dict[str, Any], source_lines: list[str] | None, source_problem: str = "") -> str:
    """The review page of one document: ``report`` as in ``NAME.report.json``, and the decoded
    input lines (``None`` when the source is missing: the page then lists the report alone)."""
    removed: dict[int, list[dict[str, Any]]] = defaultdict(list)
    repairs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    warns: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in report.get("removed", []):
        removed[int(r.get("line", 0))].append(r)
    # each repair is noted under one line; its edits (within single lines) are applied
    # to the lines they fall in; ``found[k]``: all edits of repair k were found
    edits: dict[int, list[tuple[str, str, int, bool]]] = defaultdict(list)
    keyed: dict[int, list[tuple[dict[str, Any], int]]] = defaultdict(list)
    found: dict[int, bool] = {}
    for k, r in enumerate(report.get("repairs", [])):
        n = int(r.get("line", 0))
        n, places = _place(r, n, source_lines) if source_lines is not None else (n, [])
        repairs[n].append(r)
        keyed[n].append((r, k))
        found[k] = bool(places)
        cut = r.get("kind") != "repair" and not r.get("after")
        for m, b, a in places:
            edits[m].append((b, a, k, cut))
    for w in report.get("warnings", []):
        warns[int(w.get("line", 0) or 0)].append(w)
    lines = source_lines if source_lines is not None else []
    numbers = range(1, len(lines) + 1)
    if source_lines is None:  # the report alone: the lines it names
        numbers = sorted(n for n in set(removed) | set(repairs) | set(warns) if n > 0)
    in_range = set(numbers)

    shown: dict[int, tuple[str, str, str]] = {}  # line -> (source html, result html, labels)
    whole_removed: set[int] = set()
    for n in numbers:
        text = lines[n - 1] if source_lines is not None else ""
        rms = removed.get(n, [])
        if source_lines is None and rms:
            text = str(rms[0].get("text", ""))
        # a removal of part of a line (a title split off a text layer on one line) is
        # struck inside it; the rest of the line is shown with its repairs
        whole = [r for r in rms if not _part_of(str(r.get("text", "")), text)]
        labels = "".join(_label(r) for r in rms)
        mine = edits.get(n, [])
        if whole:
            whole_removed.add(n)
            for _, _, k, _ in mine:
                found[k] = False
            shown[n] = (_e(text), "", labels)
            continue
        parts = [str(r.get("text", "")).strip() for r in rms]
        cuts = parts + [b for b, _, _, cut in mine if cut]
        src = _strike_cuts(text, cuts) if cuts else _e(text)
        result, ok = _apply(text, [(t, "") for t in parts] + [(b, a) for b, a, _, _ in mine])
        for (_, _, k, _), hit in zip(mine, ok[len(parts):], strict=True):
            found[k] = found[k] and hit
        shown[n] = (src, result if source_lines is not None else "", labels)

    rows = []
    for n in numbers:
        src, result, labels = shown[n]
        rms, reps, ws = removed.get(n, []), keyed.get(n, []), warns.get(n, [])
        classes = []
        if n in whole_removed:
            classes.append("removed")
        if rms or reps or ws or edits.get(n):
            classes.append("chg")
        if ws:
            classes.append("warn")
        tab = " tabindex=\"-1\"" if "chg" in classes else ""
        out = labels + result
        notes = "".join(_repair_note(r, found[k]) for r, k in reps)
        if notes:
            out += f"<span class=\"notes\">{notes}</span>"
        for w in ws:
            out += f"<span class=\"wnote\">⚠ {_e(w.get('kind', ''))}: {_e(w.get('message', ''))}</span>"
        rows.append(f"<div id=\"L{n}\" class=\"row{' ' if classes else ''}{' '.join(classes)}\"{tab}>"
                    f"<div class=\"n\"><a href=\"#L{n}\">{n}</a></div>"
                    f"<div class=\"src\">{src}</div><div class=\"out\">{out}</div></div>\n")

    loose = []  # what the report ties to no line of this source (line 0: the document as a whole)
    for n in sorted(set(removed) - in_range):
        loose.extend(f"<li>line {n}: {_label(r)} <code>{_e(r.get('text', ''))}</code></li>" for r in removed[n])
    for n in sorted(set(repairs) - in_range):
        where = f"line {n}: " if n else ""
        loose.extend(f"<li>{where}{_repair_note(r, False)}</li>" for r in repairs[n])
    body = [_header(report, source_problem)]
    if loose:
        body.append("<section class=\"loose\"><h2>not tied to a source line</h2><ul id=\"loose\">" + "".join(loose) + "</ul></section>\n")
    # rows in chunks the browser may skip laying out until they are near the screen
    # (content-visibility), so a long source opens as fast as a short one
    chunks = ("<div class=\"chunk\">" + "".join(rows[i:i + CHUNK]) + "</div>\n" for i in range(0, len(rows), CHUNK))
    body.append("<main class=\"lines\"><div class=\"row head\"><div class=\"n\">line</div><div class=\"src\">source</div>"
                "<div class=\"out\">clean result</div></div>\n" + "".join(chunks) + "</main>\n")
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
