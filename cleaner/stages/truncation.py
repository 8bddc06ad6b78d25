"""Truncation: state it, never hide it.

Evidence gathered by earlier stages (``evidence.cut_signals``: a site's "继续免费阅读";
``evidence.missing_sections``: sections of the site's outline missing from the body) and the text's own end (a last paragraph that stops
mid-sentence) make the document truncated. The clean document then ends with an
editor's note, a ``note`` block whose exact text is also listed in ``report.notes``.
"""

from __future__ import annotations

import re

from .. import shapes as P
from ..document import Block, Document
from ..notes import truncation_note
from ..textutil import squeeze

CLOSING_LINE = re.compile(r"^[（(][^（()）]{2,40}[)）]$")  # "（万载县统计局）"


def ends_complete(text: str) -> bool:
    """Whether a last paragraph ends where a document can end.

    >>> ends_complete("表示衷心的感谢！"), ends_complete("（万载县统计局）"), ends_complete("优化港口业态、建")
    (True, True, False)
    """
    s = squeeze(text)
    if not s:
        return True
    if s[-1] in P.DOCUMENT_END or CLOSING_LINE.match(s):
        return True
    return bool(P.front_matter_kind(s) in ("date", "signature") or P.DATE_LINE.match(s) or P.ISSUER.match(s))


def _closing(text: str) -> bool:
    """The line that closes an official document: its date under the issuer, the issuer,
    or a note such as "（此件公开发布）"."""
    s = squeeze(text)
    return bool(P.CLOSING_NOTE.match(s) or P.front_matter_kind(s) == "date" or P.ISSUER.match(s))


def detect_truncation(doc: Document) -> Document:
    """Decide whether the document is cut off, and say so at its end."""
    source_blocks = [b for b in doc.blocks if b.kind != "note"]
    ev = doc.evidence
    reasons = doc.report.truncation_reasons
    last = source_blocks[-1] if source_blocks else None
    if ev.continue_prompts and last is not None and _closing(last.text):
        doc.report.warn("continue-prompt-ignored", "the site invites to read on, but the document ends with its"
                        f" closing ({last.text.strip()[:20]}): it is complete", context=ev.continue_prompts[0][:40])
    else:
        reasons.extend(f"the site cut the preview short: {p!r}" for p in ev.continue_prompts)
    reasons.extend(ev.cut_signals)
    ends_with_table = last is not None and bool(last.lines) and last.lines[0] in ev.table_rows
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
    if not ev.missing_sections and ev.noted_missing:
        ev.missing_sections = list(ev.noted_missing)
    # an earlier run's note stands as it was written (in its script), unless there is news
    note = ev.earlier_note if ev.earlier_note and ev.missing_sections == ev.noted_missing \
        else truncation_note(ev.missing_sections)
    doc.report.notes.append(note)
    doc.blocks.append(Block("note", note))
    doc.report.warn("truncated", "; ".join(reasons))
    return doc
