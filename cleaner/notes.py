"""The editor's note: the one kind of text the cleaner adds to a document.

A truncated document ends with a note that says so and names the missing sections.
Its wording lives here, with the parser that recognises a note an earlier cleaner run
wrote (so that cleaning clean text gives the same text again).
"""

from __future__ import annotations

import re

from .fullwidth import restore_text

#: the note as this module writes it, and as the Traditional editions spell it
NOTE_RE = re.compile(r"^〔[编編]者注：原文至此中[断斷]，(?:以下部分缺失：(.*)。|[后後]文缺失。)〕$")


def truncation_note(missing: list[str]) -> str:
    """The note that ends a truncated document; ``missing`` names the lost sections
    (their punctuation restored, as in the text).

    >>> truncation_note(["一、甲", "(二)乙"]), truncation_note([])
    ('〔编者注：原文至此中断，以下部分缺失：一、甲；（二）乙。〕', '〔编者注：原文至此中断，后文缺失。〕')
    """
    if missing:
        names = "；".join(restore_text(m.strip())[0] for m in missing)
        return f"〔编者注：原文至此中断，以下部分缺失：{names}。〕"
    return "〔编者注：原文至此中断，后文缺失。〕"


def parse_note(text: str) -> list[str] | None:
    """The missing sections named by a note :func:`truncation_note` wrote, or None if it is
    no such note.

    >>> parse_note("〔编者注：原文至此中断，以下部分缺失：一、甲；二、乙。〕")
    ['一、甲', '二、乙']
    >>> parse_note("〔编者注：原文至此中断，后文缺失。〕"), parse_note("〔編者注：原文至此中斷，後文缺失。〕")
    ([], [])
    """
    m = NOTE_RE.match(text.strip())
    if not m:
        return None
    return m.group(1).split("；") if m.group(1) else []
