"""The last stage: no character that XML forbids reaches a renderer.

python-docx (lxml) raises on C0 controls, U+FFFE/U+FFFF and lone surrogates, and a PDF
built from HTML would carry them into its text layer. ``read`` already drops most
controls from decoded bytes, but a ``Document`` can also be built from a ``str`` or
changed by a stage, so this stage removes, from the title, every block and every
string in ``meta``:

* C0 controls except TAB and LF (CR too: the clean text has one line per block), and
  DEL and C1 controls;
* noncharacters: U+FDD0..U+FDEF and the last two code points of every plane
  (U+FFFE, U+FFFF, U+1FFFE, U+1FFFF, ... U+10FFFF);
* lone surrogates (U+D800..U+DFFF), which no UTF encoding can write.

Each removed run is recorded as a repair (rule ``invalid-xml-char``) whose ``before`` names
the characters as ``U+XXXX`` (the characters themselves could make the report itself
unwritable) and whose ``after`` is empty. A block left empty is dropped, and its input
line is listed in ``report.removed`` under the same rule.

A noncharacter is not a control: it stood in the text where a reader expected
something (often a character a converter could not map), and it vanishes from every
edition. So each distinct noncharacter removed also gets a warning (kind
``removed-char``) at the first line that held it, e.g. ``U+FFFE (noncharacter) removed:
…``, with the clean text around it as context. Controls are only repairs.
"""

from __future__ import annotations

import re

from ..document import Document
from ..rules import INVALID_XML_CHAR as RULE
from ..textutil import NONCHARACTERS
from ..textutil import XML_INVALID as INVALID

WARN_KIND = "removed-char"
NONCHARACTER = re.compile(f"[{NONCHARACTERS}]")
CONTEXT = 10  # characters of clean text either side of a removed noncharacter


def describe(run: str) -> str:
    """The characters of ``run`` as code points: safe to write anywhere.

    >>> describe("\\x00\\ufffe")
    'U+0000 U+FFFE'
    """
    return " ".join(f"U+{ord(c):04X}" for c in run)


def scrub(text: str) -> tuple[str, list[str]]:
    """``text`` without invalid characters, and the runs removed (described).

    >>> scrub("增长\\x00\\x01率\\udc80")
    ('增长率', ['U+0000 U+0001', 'U+DC80'])
    """
    runs = [describe(m.group()) for m in INVALID.finditer(text)]
    return (INVALID.sub("", text), runs) if runs else (text, [])


def _noncharacters(text: str) -> list[tuple[str, int]]:
    """Each noncharacter of ``text`` with its position in ``scrub(text)``'s result.

    >>> _noncharacters("甲\\x01乙\\ufffe丙\\uffff")
    [('\\ufffe', 2), ('\\uffff', 3)]
    """
    out, removed = [], 0
    for m in INVALID.finditer(text):
        out += [(c, m.start() - removed) for c in m.group() if NONCHARACTER.match(c)]
        removed += len(m.group())
    return out


def _source_line(doc: Document, char: str, lines: tuple[int, ...]) -> int:
    """The first of ``lines`` (all input lines when empty) whose text holds ``char``."""
    candidates = lines or range(1, len(doc.source_lines) + 1)
    for n in candidates:
        if 0 < n <= len(doc.source_lines) and char in doc.source_lines[n - 1]:
            return n
    return lines[0] if lines else 0


class _NoncharacterWarnings:
    """Warns once per distinct noncharacter, at the first place it was removed from."""

    def __init__(self, doc: Document) -> None:
        self.doc, self.seen = doc, set()

    def __call__(self, text: str, clean: str, lines: tuple[int, ...]) -> None:
        for char, at in _noncharacters(text):
            if char in self.seen:
                continue
            self.seen.add(char)
            self.doc.report.warn(
                WARN_KIND,
                f"{describe(char)} (noncharacter) removed: it is no character, has no glyph and XML "
                "cannot hold it; something may be missing here",
                _source_line(self.doc, char, lines),
                clean[max(0, at - CONTEXT) : at + CONTEXT],
            )


def _scrub_value(value: object) -> tuple[object, list[str]]:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        out, runs = [], []
        for v in value:
            new, found = scrub(v)
            out.append(new)
            runs += found
        return out, runs
    return value, []


def drop_invalid_xml_chars(doc: Document) -> Document:
    """Remove XML-invalid characters from title, blocks and meta; record every removal."""
    report = doc.report
    warn = _NoncharacterWarnings(doc)
    title, runs = scrub(doc.title)
    if runs:
        warn(doc.title, title, ())
    for run in runs:
        report.repair(RULE, 0, f"title: {run}", "")
    doc.title = title.strip()

    blocks = []
    for b in doc.blocks:
        text, runs = scrub(b.text)
        if not runs:
            blocks.append(b)
            continue
        line = b.lines[0] if b.lines else 0
        warn(b.text, text, b.lines)
        for run in runs:
            report.repair(RULE, line, run, "")
        if text.strip():
            blocks.append(b.with_text(text))
        else:
            for n in b.lines or (0,):
                report.remove(n, describe(b.text.strip()), RULE)
    doc.blocks = blocks
    report.notes[:] = [scrub(n)[0] for n in report.notes]

    for key in list(doc.meta):
        value, runs = _scrub_value(doc.meta[key])
        for run in runs:
            report.repair(RULE, 0, f"meta {key}: {run}", "")
        doc.meta[key] = value
    return doc
