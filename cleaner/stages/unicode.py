"""Unicode repair: ftfy with settings that are safe for Chinese, then NFC."""

from __future__ import annotations

import re
import unicodedata

import ftfy

from ..document import Document
from ..rules import FTFY

# ftfy's defaults are wrong for Chinese: fix_character_width folds "，" to "," and
# uncurl_quotes turns “ ” into ASCII quotes, which is the very damage we repair later.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # "&amp;" in a report is literal text, not markup to decode
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,  # read.py already normalised line endings
    normalization="NFC",
    explain=False,
)


# Characters that mojibake, C1 controls, ligatures and the like are made of. A line
# without any of them is left to NFC alone: ftfy would find nothing to fix there, and
# skipping it keeps a 200,000-line input fast. The marks of ordinary Chinese prose in
# these blocks (· — ‘ ’ “ ” …) are left out: alone they make no sequence ftfy repairs
# (mojibake of UTF-8 always has a lead character such as Ã â ä ‰), and a line of prose
# with quotes is no reason to run it.
SUSPICIOUS = re.compile(
    "[\u0080-\u00b6\u00b8-\u024f\u0370-\u052f\u2000-\u2013\u2015-\u2017\u201a\u201b\u201e-\u2025"
    "\u2027-\u206f\u2500-\u25ff\ufb00-\ufb06\ufffd]"
)


def fix_line(text: str) -> str:
    """Repair one line.

    >>> fix_line("â€œå¢žé•¿â€")  # UTF-8 read as Windows-1252
    '“增长â€'
    >>> fix_line("增长，“好”")
    '增长，“好”'
    """
    if not SUSPICIOUS.search(text):
        return unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", ftfy.fix_text(text, FTFY_CONFIG))


def repair_unicode(doc: Document) -> Document:
    """Run ftfy (CJK-safe settings) and NFC over every line, recording each change.

    Example: the line "Ã©tÃ© 增长" becomes "été 增长" (rule ``ftfy``).
    """
    blocks = []
    for b in doc.blocks:
        fixed = fix_line(b.text)
        if fixed != b.text:
            doc.report.repair(FTFY, b.lines[0] if b.lines else 0, b.text, fixed)
            b = b.with_text(fixed)
        blocks.append(b)
    doc.blocks = blocks
    return doc
