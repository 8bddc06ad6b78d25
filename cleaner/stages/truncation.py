"""Truncation: state it, never hide it.

Evidence gathered by earlier stages (a site's "继续免费阅读", sections of the site's
outline missing from the body) and the text's own end (a last paragraph that stops
mid-sentence) make the document truncated. The clean document then ends with an
editor's note, a ``note`` block whose exact text is also listed in ``report.notes``.
"""

from __future__ import annotations

import re

from ..document import Block, Document
from ..textutil import squeeze
from . import patterns as P
from .punctuation import restore_text

# A paragraph that ends with one of these ends a sentence.
TERMINAL = set("。！？!?…”’」』")
CLOSING_LINE = re.compile(r"^[（(][^（()）]{2,40}[)）]$")  # "（万载县统计局）"


def ends_complete(text: str) -> bool:
    """Whether a last paragraph ends where a document can end.

    >>> ends_complete("表示衷心的感谢！"), ends_complete("（万载县统计局）"), ends_complete("优化港口业态、建")
    (True, True, False)
    """
    s = squeeze(text)
    if not s:
        return True
    if s[-1] in TERMINAL or CLOSING_LINE.match(s):
        return True
    return bool(P.front_matter_kind(s) in ("date", "signature") or P.DATE_LINE.match(s) or P.ISSUER.match(s))


def truncation_note(missing: list[str]) -> str:
    if missing:
        names = "；".join(restore_text(m.strip())[0] for m in missing)
        return f"〔编者注：原文至此中断，以下部分缺失：{names}。〕"
    return "〔编者注：原文至此中断，后文缺失。〕"


NOTE_RE = re.compile(r"^〔编者注：原文至此中断，(?:以下部分缺失：(.*)。|后文缺失。)〕$")


def parse_note(text: str) -> list[str] | None:
    """The missing sections named by a note this module wrote, or None if it is no such note.

    >>> parse_note("〔编者注：原文至此中断，以下部分缺失：一、甲；二、乙。〕")
    ['一、甲', '二、乙']
    >>> parse_note("〔编者注：原文至此中断，后文缺失。〕")
    []
    """
    m = NOTE_RE.match(text.strip())
    if not m:
        return None
    return m.group(1).split("；") if m.group(1) else []


def detect_truncation(doc: Document) -> Document:
    """Decide whether the document is cut off, and say so at its end."""
    source_blocks = [b for b in doc.blocks if b.kind != "note"]
    reasons = doc.report.truncation_reasons
    table_rows = {r.line for r in doc.report.repairs if r.rule == "table-row"}
    last = source_blocks[-1] if source_blocks else None
    ends_with_table = last is not None and bool(last.lines) and last.lines[0] in table_rows
    has_body = any(b.kind == "paragraph" for b in source_blocks)
    if last is not None and last.kind == "heading":
        if has_body:  # a section announced and nothing under it: the rest is missing
            reasons.append(f"the text ends with a heading and nothing under it: {last.text.strip()[:40]}")
    elif last is not None and not ends_with_table and not ends_complete(last.text):
        tail = last.text.strip()[-12:]
        reasons.append(f"the last paragraph stops mid-sentence: …{tail}")
    if source_blocks and not has_body:
        # an outline, or a body lost to damage: nothing to judge the end by
        doc.report.warn("no-body-text", "the document has headings but no paragraph of body text")
    if not reasons:
        doc.report.truncated = False
        return doc
    doc.report.truncated = True
    if not doc.report.missing_sections and doc.meta.get("_noted_missing"):
        doc.report.missing_sections = list(doc.meta["_noted_missing"])
    note = truncation_note(doc.report.missing_sections)
    doc.report.notes.append(note)
    doc.blocks.append(Block("note", note))
    doc.report.warn("truncated", "; ".join(reasons))
    return doc
