"""The one document model every stage and renderer shares.

A ``Document`` is built by ``read`` (one raw ``Block`` per input line), changed by
the stages in ``pipeline.PIPELINE``, and consumed by the renderers, which never
re-parse text: a heading is a ``Block`` of kind ``heading`` with a ``level``.

Every block remembers the 1-based input line numbers it came from (``lines``), and
every change a stage makes is written to ``Document.report``. Together these give
the accounting promise: each non-blank input line is in the output or in
``report.removed`` with the rule that removed it.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
from dataclasses import dataclass, field
from typing import Any, Literal

BlockKind = Literal["line", "paragraph", "heading", "note"]


def source_date_epoch() -> datetime.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC datetime, or None when unset or unusable.

    Reproducible-build tools set it; a value that is no whole number of seconds, or
    lies outside the years 1970-9999 that PDF and OOXML dates can hold, is ignored
    rather than allowed to break a build.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit() or len(value) > 12:
        return None
    seconds = int(value)
    if seconds > 253402300799:  # 9999-12-31T23:59:59Z
        return None
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC)


@dataclass(frozen=True)
class Block:
    """One unit of the document.

    kind:
      ``line``      raw input line, before segmentation (only inside the pipeline)
      ``paragraph`` body text (also table rows, signatures, subtitles)
      ``heading``   section heading with ``level`` 1..4 (一、 / （一） / 1. / （1）)
      ``note``      text the cleaner adds itself (e.g. the truncation note); never source text
    """

    kind: BlockKind
    text: str
    lines: tuple[int, ...] = ()
    level: int = 0
    indent: int = 0  # leading whitespace width of the source line (layout hint)
    run_in: bool = False  # heading split out of the paragraph it led

    def with_text(self, text: str) -> Block:
        return dataclasses.replace(self, text=text)


@dataclass
class Removal:
    line: int
    text: str
    rule: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "rule": self.rule}


@dataclass
class Repair:
    rule: str
    line: int
    before: str
    after: str

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "line": self.line, "before": self.before, "after": self.after}


@dataclass
class Warning_:
    kind: str
    message: str
    line: int = 0
    context: str = ""

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "message": self.message}
        if self.line:
            d["line"] = self.line
        if self.context:
            d["context"] = self.context
        return d


@dataclass
class Report:
    """What the cleaner did, written as ``<stem>.report.json``."""

    removed: list[Removal] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    truncated: bool = False
    truncation_reasons: list[str] = field(default_factory=list)
    missing_sections: list[str] = field(default_factory=list)
    site_outline: list[str] = field(default_factory=list)
    profile: str = "generic"
    profile_reason: str = ""
    encoding: str = ""
    stages: list[str] = field(default_factory=list)

    def remove(self, line: int, text: str, rule: str) -> None:
        self.removed.append(Removal(line, text, rule))

    def repair(self, rule: str, line: int, before: str, after: str) -> None:
        self.repairs.append(Repair(rule, line, before, after))

    def warn(self, kind: str, message: str, line: int = 0, context: str = "") -> None:
        self.warnings.append(Warning_(kind, message, line, context))

    def counts(self) -> dict[str, Any]:
        by_rule: dict[str, int] = {}
        for r in self.removed:
            by_rule[r.rule] = by_rule.get(r.rule, 0) + 1
        repairs: dict[str, int] = {}
        for r in self.repairs:
            repairs[r.rule] = repairs.get(r.rule, 0) + 1
        return {
            "removed_lines": len({r.line for r in self.removed}),
            "removed_by_rule": dict(sorted(by_rule.items())),
            "repairs_by_rule": dict(sorted(repairs.items())),
            "warnings": len(self.warnings),
        }


@dataclass
class Document:
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    # The decoded input lines (index = line number - 1), so that removing a block that
    # joined several lines lists each of them with its own text.
    source_lines: list[str] = field(default_factory=list, repr=False)

    def drop(self, block: Block, rule: str) -> None:
        """Remove-record every source line of ``block`` under ``rule``."""
        if len(block.lines) <= 1 or not self.source_lines:
            self.report.remove(block.lines[0] if block.lines else 0, block.text, rule)
            return
        for n in block.lines:
            text = self.source_lines[n - 1] if 0 < n <= len(self.source_lines) else block.text
            self.report.remove(n, text, rule)

    # --- views used by renderers -------------------------------------------------
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "heading"]

    def date_line(self) -> str:
        """The date line printed under the title: ``meta["date"]`` "2023-01-05" → "2023年1月5日".

        Every edition shows it (GB/T 9704 puts the date under the title), so it is part
        of the clean text; the pipeline lists it in ``report.notes`` as added text.

        >>> Document(meta={"date": "2023-01-05"}).date_line(), Document().date_line()
        ('2023年1月5日', '')
        """
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(self.meta.get("date") or ""))
        return f"{int(m[1])}年{int(m[2])}月{int(m[3])}日" if m else ""

    def text_lines(self) -> list[str]:
        """The clean text: title first, the date line, then one block per line, no blank lines."""
        out = [self.title] if self.title else []
        if self.date_line():
            out.append(self.date_line())
        out.extend(b.text for b in self.blocks if b.text)
        return out

    def text(self) -> str:
        return "\n".join(self.text_lines()) + "\n"

    def report_dict(self) -> dict[str, Any]:
        r = self.report
        return {
            "schema": "cleaner.report/1",
            "source": self.meta.get("source", ""),
            "sha256": self.meta.get("sha256", ""),
            "encoding": r.encoding,
            "profile": r.profile,
            "profile_reason": r.profile_reason,
            "title": self.title,
            "meta": {k: v for k, v in sorted(self.meta.items()) if k not in ("source", "sha256")},
            "truncated": r.truncated,
            "truncation_reasons": r.truncation_reasons,
            "missing_sections": r.missing_sections,
            "site_outline": r.site_outline,
            "notes": r.notes,
            "outline": [{"level": b.level, "text": b.text} for b in self.headings()],
            "counts": r.counts(),
            "removed": [x.as_dict() for x in r.removed],
            "repairs": [x.as_dict() for x in r.repairs],
            "warnings": [x.as_dict() for x in r.warnings],
            "stages": r.stages,
        }
