"""The editions of one cleaned Document, rendered in memory.

``render_editions`` is the one place that knows which renderer makes which file: the
report, text, Markdown, HTML, DOCX and PDF, and the Traditional-Chinese HTML, DOCX and
PDF. Renderers are imported only when their format is asked for.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from .document import Document

FORMATS = ("txt", "md", "html", "docx", "pdf")
#: formats that also get a Traditional-Chinese edition
TRADITIONAL_FORMATS = ("html", "docx", "pdf")


def report_json(doc: Document, source_path: str | None = None) -> bytes:
    """The report as JSON. ``source_path``: where a batch found the input below the folder it
    was given (``sub/a.txt``), recorded right after ``source`` (absent for files named one
    by one, so their reports are as before)."""
    report = doc.report_dict()
    if source_path is not None:
        report = {k: v for k, v in report.items() if k in ("schema", "source")} | {"source_path": source_path} | {
            k: v for k, v in report.items() if k not in ("schema", "source")}
    return (json.dumps(report, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def renderers(formats: set[str], toc: bool = False) -> dict[str, Callable[[Document, bytes, bytes], bytes]]:
    """Format → function(doc, source_bytes, report_json) -> bytes, imported only when asked for.
    ``toc``: a table of contents in the DOCX."""
    table: dict[str, Callable[[Document, bytes, bytes], bytes]] = {}
    if "txt" in formats:
        from .render.text import render_text
        table["txt"] = lambda doc, src, rep: render_text(doc).encode("utf-8")
    if "md" in formats:
        from .render.markdown import render_markdown
        table["md"] = lambda doc, src, rep: render_markdown(doc).encode("utf-8")
    if "html" in formats:
        from .render.html import render_html
        table["html"] = lambda doc, src, rep: render_html(doc).encode("utf-8")
    if "docx" in formats:
        from .render.docx import docx_bytes
        table["docx"] = lambda doc, src, rep: docx_bytes(doc, toc=toc)
    if "pdf" in formats:
        from .render.pdf import pdf_bytes
        table["pdf"] = lambda doc, src, rep: pdf_bytes(doc, source_bytes=src,
                                                      source_name=doc.meta.get("source", "source.txt"),
                                                      report_json=rep)
    return table


def render_editions(doc: Document, source_bytes: bytes, formats: set[str], traditional: bool = True,
                    variant: str = "tw", source_path: str | None = None, toc: bool = False) -> list[tuple[str, bytes]]:
    """``(suffix, payload)`` for every edition of ``doc``: ``report.json`` first, then each
    format, then the Traditional ones (``zh-Hant.docx`` …). Nothing is written.
    ``source_path``: see ``report_json``."""
    rep = report_json(doc, source_path)
    out = [("report.json", rep)]
    table = renderers(formats, toc=toc)
    out += [(fmt, table[fmt](doc, source_bytes, rep)) for fmt in FORMATS if fmt in table]
    if traditional and formats & set(TRADITIONAL_FORMATS):
        from .traditional import document_to_traditional
        hant = document_to_traditional(doc, variant)
        out += [(f"zh-Hant.{fmt}", table[fmt](hant, source_bytes, rep)) for fmt in TRADITIONAL_FORMATS if fmt in table]
    return out
