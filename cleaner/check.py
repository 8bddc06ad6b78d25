"""`cleaner check`: the report as a readable table, and the line accounting."""

from __future__ import annotations

import re
import unicodedata

from .document import Document
from .read import decode

_NOT_TEXT = re.compile(r"[\W_]+")


def _norm(text: str) -> str:
    return _NOT_TEXT.sub("", unicodedata.normalize("NFKC", text))


def accounting(data: bytes, doc: Document) -> list[tuple[int, str]]:
    """Input lines that are neither represented in the clean text nor listed as removed.

    A line is represented when its letters and digits (NFKC, punctuation and spaces
    ignored) occur in the clean text, possibly split over several output lines.
    """
    text = decode(data).text
    removed = {r.line for r in doc.report.removed}
    joined = _norm("".join(b.text for b in doc.blocks if b.kind != "note") + doc.title)
    title = _norm(doc.title)
    out_pieces = _norm("".join(doc.text_lines()))
    missing = []
    for n, line in enumerate(text.split("\n"), start=1):
        k = _norm(line)
        if not k or n in removed:
            continue
        if k in joined or k in out_pieces or (title and k in title) or _pieces_present(line, out_pieces):
            continue
        missing.append((n, line.strip()))
    return missing


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
        f"date       {doc.meta.get('date', '-')}",
        f"truncated  {'yes' if r.truncated else 'no'}" + (f"  ({'; '.join(r.truncation_reasons)})" if r.truncated else ""),
    ]
    if r.missing_sections:
        lines.append("missing    " + "、".join(r.missing_sections))
    heads = [b for b in doc.blocks if b.kind == "heading"]
    lines.append(f"\noutline ({len(heads)} headings)")
    lines += [f"  {'  ' * (b.level - 1)}{b.text}" for b in heads]
    lines.append(f"\nremoved ({len(r.removed)} lines)")
    lines.append(f"  {'line':>5}  {'rule':<40} text")
    for x in sorted(r.removed, key=lambda x: x.line):
        lines.append(f"  {x.line:>5}  {x.rule[:40]:<40} {x.text.strip()[:50]}")
    lines.append(f"\nrepairs ({len(r.repairs)})")
    counts = r.counts()["repairs_by_rule"]
    for rule, n in counts.items():
        lines.append(f"  {rule:<28} {n:>5}")
    lines.append(f"\nwarnings ({len(r.warnings)})")
    for w in r.warnings:
        where = f"line {w.line}: " if w.line else ""
        ctx = f"  [{w.context}]" if w.context else ""
        lines.append(f"  {w.kind:<22} {where}{w.message[:90]}{ctx}")
    return "\n".join(lines)
