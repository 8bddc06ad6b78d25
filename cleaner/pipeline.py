"""The cleaning pipeline: read → stages → Document.

``load`` is the one way in: a path (or '-', or bytes) becomes ``(Source, Document)``;
the command line, ``build``, ``check`` and the public API all use it. The stages run in
the order of ``PIPELINE``; each takes the document and returns it, recording what it
changed in ``doc.report`` under a rule of ``rules`` and what it learned for later
stages in ``doc.evidence``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import rules, sites
from .document import Block, Document
from .read import DEFAULT_MAX_BYTES, Decoded, decode, read_path
from .stages.glyphs import flag_unrenderable_chars
from .stages.layout import (
    join_table_cells,
    join_wrapped_lines,
    remove_stray_spaces,
    split_merged_lines,
    split_text_layers,
)
from .stages.noise import strip_noise
from .stages.outline import check_numbering, find_title, mark_headings, reconcile_site_outline
from .stages.pages import strip_page_furniture
from .stages.punctuation import find_lost_marks, restore_punctuation
from .stages.safety import drop_invalid_xml_chars
from .stages.shell import strip_head_and_tail
from .stages.site_chrome import strip_site_chrome
from .stages.summary import strip_summaries
from .stages.truncation import detect_truncation
from .stages.unicode import repair_unicode

Stage = Callable[[Document], Document]
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

PIPELINE: list[Stage] = [
    repair_unicode,         # ftfy (CJK-safe), NFC
    strip_noise,            # jammer strings, joiners between hanzi, watermarks, cut out of lines
    strip_page_furniture,   # page-marker sequences, running heads, chunk numbers inside lines
    strip_summaries,        # a site's 摘要/资源描述 that repeats the document's beginning
    split_text_layers,      # a body on one line, paragraphs separated by spaces only
    strip_site_chrome,      # site and generic chrome anywhere; the site's 提纲
    join_wrapped_lines,     # PDF hard wraps, across removed page markers
    split_merged_lines,     # run-together title/subtitle/signature/headings
    join_table_cells,       # tables flattened to one cell per line, rebuilt as rows
    strip_head_and_tail,    # the shell before and after the document; related documents
    remove_stray_spaces,    # spaces between Chinese characters
    find_title,             # own title, listing title, date
    mark_headings,          # headings, levels, run-in headings
    restore_punctuation,    # , : ; ? ! ( ) → ，：；？！（） in Chinese context
    check_numbering,        # 二 follows 一; gaps and duplicates reported
    reconcile_site_outline, # 提纲 entries the body lacks
    find_lost_marks,        # marks lost after %; missing final 。
    detect_truncation,      # truncated? then say so in a note
    drop_invalid_xml_chars, # nothing XML forbids reaches DOCX/PDF (C0, noncharacters, surrogates)
    flag_unrenderable_chars,# characters no font of the PDF can draw are warned about (no-glyph)
]


def _indent(line: str) -> int:
    n = 0
    for c in line:
        if c == " ":
            n += 1
        elif c == "\u3000":
            n += 2
        elif c == "\t":
            n += 4
        else:
            break
    return n


@dataclass(frozen=True)
class Source:
    """An input as read: its bytes, the name messages and reports use, and its decoding."""

    data: bytes
    name: str
    decoded: Decoded


def new_document(source: Source) -> Document:
    """A Document holding one raw ``line`` block per non-blank input line."""
    decoded, name = source.decoded, source.name
    doc = Document()
    doc.meta.update({
        "source": os.path.basename(name) if name not in ("-", "<stdin>") else "<stdin>",
        "sha256": hashlib.sha256(source.data).hexdigest(),
        "language": "zh-CN",
    })
    doc.report.encoding = decoded.encoding
    for rule, line, before, after in decoded.events:
        if rule != "irreversible-damage":  # a marker, not a change; the warning carries it
            doc.report.repair(rules.RULES[rule], line, before, after)
    for kind, line, message in decoded.warnings:
        doc.report.warn(kind, message, line)
    doc.source_lines = decoded.text.split("\n")
    for n, line in enumerate(doc.source_lines, start=1):
        if line.strip(" \t\u3000\u00a0\ufeff"):
            doc.blocks.append(Block("line", line.rstrip(), lines=(n,), indent=_indent(line)))
    return doc


def run(doc: Document, stages: list[Stage] | None = None) -> Document:
    for stage in PIPELINE if stages is None else stages:
        doc = stage(doc)
        doc.report.stages.append(stage.__name__)
    if doc.profiles and doc.profiles[0].name != "generic":
        doc.meta["site"] = doc.profiles[0].label
    return doc


def clean_source(source: Source, site: str = "auto", learned_chrome: frozenset[str] = frozenset()) -> Document:
    """Clean a read input. ``learned_chrome``: line keys a batch found repeated across its documents."""
    doc = new_document(source)
    doc.evidence.learned_chrome = learned_chrome
    profile, reason = sites.choose([b.text for b in doc.blocks], site)
    doc.profiles = sites.applying(profile)
    doc.report.profile, doc.report.profile_reason = profile.name, reason
    return run(doc)


def read_source(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None) -> Source:
    """Read and decode a file ('-' is standard input); a ReadError names it as ``name``."""
    data, decoded = read_path(path, max_bytes=max_bytes, name=name)
    return Source(data, name or ("<stdin>" if os.fspath(path) == "-" else os.fspath(path)), decoded)


def load(path: str | os.PathLike[str], site: str = "auto", max_bytes: int = DEFAULT_MAX_BYTES,
         name: str | None = None, learned_chrome: frozenset[str] = frozenset()) -> tuple[Source, Document]:
    """Read, decode and clean one input: the one way from a file to a Document."""
    source = read_source(path, max_bytes=max_bytes, name=name)
    return source, clean_source(source, site=site, learned_chrome=learned_chrome)


def clean_bytes(data: bytes, name: str = "<input>", site: str = "auto",
                max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Clean raw bytes."""
    return clean_source(Source(data, name, decode(data, name, max_bytes=max_bytes)), site=site)


def clean(source: str | bytes | os.PathLike[str], site: str = "auto",
          max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Clean a file (path), raw bytes, or a str of text."""
    if isinstance(source, bytes):
        return clean_bytes(source, site=site, max_bytes=max_bytes)
    if isinstance(source, str) and ("\n" in source or not Path(source).exists()):
        # a str may hold lone surrogates (surrogateescape, JSON "\ud800"): they become
        # U+FFFD, which read.py then reports as irreversible damage with its position
        text = LONE_SURROGATE.sub("\ufffd", source)
        return clean_bytes(text.encode("utf-8"), site=site, max_bytes=max_bytes)
    return load(source, site=site, max_bytes=max_bytes)[1]
