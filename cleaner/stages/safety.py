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
"""

from __future__ import annotations

from ..document import Document
from ..rules import INVALID_XML_CHAR as RULE
from ..textutil import XML_INVALID as INVALID


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
    title, runs = scrub(doc.title)
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
