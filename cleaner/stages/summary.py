"""Summaries: a site's 摘要/简介/资源描述 that repeats the beginning of the document.

Sites print the first hundred characters or so of a document above it, labelled
("【摘要】:", "资源描述:") or not, cut anywhere and often closed with "..." or "…". Read
with the document it is text printed twice. ``strip_summaries`` removes a line that is
labelled as a summary or ends in an ellipsis, when its words (letters and digits) are
the words with which the text below it begins. Example: "资源描述: 某某意见国办发〔2018〕
123号各省…等现象时..." above the document goes (rule ``summary``).
"""

from __future__ import annotations

import re

from .. import rules
from ..document import Document
from ..textutil import key

LABEL = re.compile(r"^\s*[【\[]?(?:摘要|简介|内容简介|内容摘要|文档简介|资源描述|内容提要|导读|提要|文章摘要)[】\]]?\s*[:：]?\s*")
ELLIPSIS = re.compile(r"(?:\.{3,}|…+|。{3,})\s*$")
MIN_SUMMARY = 20  # characters of words: shorter lines are titles, not summaries
WINDOW = 4000  # characters of the text below that a summary is looked for in
HEAD = 200  # blocks: a summary stands at the head of the page, above the document


def strip_summaries(doc: Document) -> Document:
    """Remove site summaries that repeat the beginning of the text below them."""
    blocks = doc.blocks
    drop: set[int] = set()
    for i, b in enumerate(blocks[:HEAD]):
        label = LABEL.match(b.text)
        if not (label or ELLIPSIS.search(b.text)):
            continue
        words = key(ELLIPSIS.sub("", b.text[label.end():] if label else b.text))
        if len(words) < MIN_SUMMARY:
            continue
        below, n, j = [], 0, i + 1
        while j < len(blocks) and n < len(words) + WINDOW:
            below.append(key(blocks[j].text))
            n += len(below[-1])
            j += 1
        # the summary's last word may be cut in two: compare without its last characters
        if words[:-2] in "".join(below):
            drop.add(i)
    for i in sorted(drop):
        doc.drop(blocks[i], rules.SUMMARY)
    doc.blocks = [b for i, b in enumerate(blocks) if i not in drop]
    return doc
