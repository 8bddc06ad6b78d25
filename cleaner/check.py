"""`cleaner check`: the report as a readable table, and the line accounting.

Columns are measured in display cells (``wcwidth``), not characters: a hanzi takes two
cells in a terminal, so padding by ``len`` would push every column after it out of line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wcwidth import wcwidth

from .document import Document
from .textutil import key as _norm


def width(text: str) -> int:
    """Display cells ``text`` takes in a terminal (hanzi 2, combining marks 0, controls 0).

    >>> width("公寻网"), width("abc"), width("e\u0301")
    (6, 3, 1)
    """
    return sum(max(0, wcwidth(c)) for c in text)


def clip(text: str, cells: int) -> str:
    """``text`` cut to at most ``cells`` display cells, with "…" when something was cut.

    >>> clip("添加公寻网到电脑桌面", 9), clip("短", 9)
    ('添加公寻…', '短')
    """
    if width(text) <= cells:
        return text
    out, used = [], 0
    for c in text:
        w = max(0, wcwidth(c))
        if used + w > cells - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def pad(text: str, cells: int) -> str:
    """``text`` padded with spaces to ``cells`` display cells (left-aligned)."""
    return text + " " * max(0, cells - width(text))


def table(rows: Sequence[Sequence[str]], sep: str = " ") -> list[str]:
    """Rows of cells as lines whose columns line up on screen; the last column is not padded."""
    if not rows:
        return []
    n = max(len(r) for r in rows)
    widths = [max((width(r[i]) for r in rows if i < len(r) - 1), default=0) for i in range(n)]
    return [sep.join([pad(c, widths[i]) for i, c in enumerate(r[:-1])] + [r[-1]]).rstrip() for r in rows]


def accounting(doc: Document) -> list[tuple[int, str]]:
    """Input lines that are neither represented in the clean text nor listed as removed.

    Every block remembers the input lines it came from (``Block.lines``), so a line is
    looked for where the document says it went, not anywhere in the text: a line some
    block claims must be in the text of the blocks that claim it (after the title, which
    a split line may have led with); a line no block claims must be in the title or the
    date line. "In" means its letters and digits occur there (NFKC, punctuation and
    spaces ignored, so rejoined lines and changed punctuation widths count), whole or
    piece by piece (a run-together line split at sentence marks). A line that the
    Unicode repair stage changed is looked for in its repaired form too (the report's
    ``ftfy`` repairs).

    A line dropped without a record is therefore reported even when the same words
    occur elsewhere in the document (a repeated sentence, a heading echoed in a
    paragraph): its own copy is what is missing.
    """
    repaired = {r.line: r.after for r in doc.report.repairs if r.rule.name == "ftfy"}
    # text cut out of a line (a jammer string, a page marker inside it): the rest must be there
    cut: dict[int, list[str]] = {}
    for r in doc.report.repairs:
        if r.rule.kind not in ("repair", "invalid-char") and not r.after:
            cut.setdefault(r.line, []).append(r.before)
    removed = {r.line for r in doc.report.removed}
    source = [b for b in doc.blocks if b.kind != "note"]
    claimed: dict[int, list[int]] = {}
    for i, b in enumerate(source):
        for n in b.lines:
            claimed.setdefault(n, []).append(i)
    title = _norm(doc.title)
    # Blocks without provenance (none in the pipeline today) can only be checked globally.
    loose = "".join(_norm(b.text) for b in source if not b.lines)
    unclaimed_pool = title + "\n" + _norm(doc.date_line()) + "\n" + loose
    missing = []
    for n, line in enumerate(doc.source_lines, start=1):
        if n in removed or not _norm(line):
            continue
        if n in claimed:
            where = title + "".join(_norm(source[i].text) for i in dict.fromkeys(claimed[n]))
        else:
            where = unclaimed_pool
        forms = dict.fromkeys((line, repaired.get(n, line)))
        if n in cut:
            forms = dict.fromkeys(_without(form, cut[n]) for form in forms)
        if any(_present(form, where) for form in forms):
            continue
        missing.append((n, line.strip()))
    return missing


def _without(line: str, pieces: list[str]) -> str:
    for piece in pieces:
        line = line.replace(piece, " ", 1)
    return line


def _present(line: str, where: str) -> bool:
    k = _norm(line)
    return not k or k in where or _pieces_present(line, where)


def _pieces_present(line: str, out: str) -> bool:
    """A run-together line split into title, headings and paragraphs: every piece is there."""
    pieces = [_norm(p) for p in re.split(r"[。！？；：:;!?]", line)]
    return all(p in out for p in pieces if p)


def format_report(doc: Document) -> str:
    r = doc.report
    lines = [
        f"source     {doc.meta.get('source', '')}  (sha256 {doc.meta.get('sha256', '')[:12]}…)",
        f"encoding   {r.encoding}",
        f"profile    {r.profile}  ({r.profile_reason})",
        f"title      {doc.title}",
        f"date       {doc.meta.get('date', '-')}"
        + (f"  (from the {doc.meta['date_source']})" if doc.meta.get("date_source") else ""),
        f"truncated  {'yes' if r.truncated else 'no'}" + (f"  ({'; '.join(r.truncation_reasons)})" if r.truncated else ""),
    ]
    if doc.evidence.missing_sections:
        lines.append("missing    " + "、".join(doc.evidence.missing_sections))
    heads = [b for b in doc.blocks if b.kind == "heading"]
    lines.append(f"\noutline ({len(heads)} headings)")
    lines += [f"  {'  ' * (b.level - 1)}{b.text}" for b in heads]
    kinds = "  ".join(f"{kind} ×{n}" for kind, n in r.by_kind().items())
    lines.append(f"\nremoved ({len(r.removed)} lines)" + (f"  by principle: {kinds}" if kinds else ""))
    rows = [[f"{'line':>5}", "rule", "text"]]
    rows += [[f"{x.line:>5}", clip(x.rule.name, 44), clip(x.text.strip(), 60)]
             for x in sorted(r.removed, key=lambda x: x.line)]
    lines += ["  " + row for row in table(rows, sep="  ")]
    lines.append(f"\nrepairs ({len(r.repairs)})")
    counts = r.counts()["repairs_by_rule"]
    for rule, n in counts.items():
        lines.append(f"  {rule:<28} {n:>5}")
    lines.append(f"\nwarnings ({len(r.warnings)})")
    for w in r.warnings:  # whole messages: a cut one can lose the very word that matters
        said = re.match(rf"line {w.line}\b", w.message) if w.line else True
        where = "" if said else f"line {w.line}: "
        ctx = f"  [{w.context}]" if w.context else ""
        lines.append(f"  {pad(w.kind, 22)} {where}{w.message}{ctx}")
    return "\n".join(lines)
