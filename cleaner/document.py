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
from typing import TYPE_CHECKING, Any, Literal

from .rules import Rule

if TYPE_CHECKING:  # pragma: no cover
    from .sites import Profile

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
    rule: Rule

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "rule": self.rule.name, "kind": self.rule.kind}


@dataclass
class Repair:
    rule: Rule
    line: int
    before: str
    after: str

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule.name, "kind": self.rule.kind, "line": self.line, "before": self.before,
                "after": self.after}


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
    profile: str = "generic"
    profile_reason: str = ""
    encoding: str = ""
    stages: list[str] = field(default_factory=list)

    def remove(self, line: int, text: str, rule: Rule) -> None:
        if not isinstance(rule, Rule):
            raise TypeError(f"a removal names a registered Rule, not {rule!r}")
        self.removed.append(Removal(line, text, rule))

    def repair(self, rule: Rule, line: int, before: str, after: str) -> None:
        if not isinstance(rule, Rule):
            raise TypeError(f"a repair names a registered Rule, not {rule!r}")
        self.repairs.append(Repair(rule, line, before, after))

    def cut(self, rule: Rule, line: int, text: str) -> None:
        """``text`` was cut out of input line ``line`` (the rest of the line stays): a repair
        whose ``before`` is exactly what went and whose ``after`` is empty."""
        self.repair(rule, line, text, "")

    def warn(self, kind: str, message: str, line: int = 0, context: str = "") -> None:
        self.warnings.append(Warning_(kind, message, line, context))

    def counts(self) -> dict[str, Any]:
        by_rule: dict[str, int] = {}
        for r in self.removed:
            by_rule[r.rule.name] = by_rule.get(r.rule.name, 0) + 1
        repairs: dict[str, int] = {}
        for r in self.repairs:
            repairs[r.rule.name] = repairs.get(r.rule.name, 0) + 1
        return {
            "removed_lines": len({r.line for r in self.removed}),
            "removed_by_rule": dict(sorted(by_rule.items())),
            "removed_by_kind": self.by_kind(),
            "repairs_by_rule": dict(sorted(repairs.items())),
            "warnings": len(self.warnings),
        }

    def by_kind(self) -> dict[str, int]:
        """What was taken out, by principle: removed lines, and text cut out of lines
        (a jammer string, a page marker inside a sentence), by the kind of their rule."""
        kinds: dict[str, int] = {}
        for r in self.removed:
            kinds[r.rule.kind] = kinds.get(r.rule.kind, 0) + 1
        for r in self.repairs:
            if r.rule.kind not in ("repair", "invalid-char") and not r.after:
                kinds[r.rule.kind] = kinds.get(r.rule.kind, 0) + 1
        return dict(sorted(kinds.items()))


@dataclass
class Evidence:
    """What a stage learns for a later stage; typed, never parsed back out of the report.

    Line numbers are 1-based input lines, as in ``Block.lines``.
    """

    #: input lines of removed page markers ("— 3 —", "第2页/共9页", a bare page number), ascending
    page_breaks: list[int] = field(default_factory=list)
    #: input lines whose end was a page break (a page marker glued to it, a preview chunk's end)
    page_ends: set[int] = field(default_factory=set)
    #: input lines that ``strip_site_chrome`` removed, ascending (where the site's shell is)
    chrome_lines: list[int] = field(default_factory=list)
    #: input lines of headers of what the site appends after a document ("延伸阅读", "相关推荐")
    appendix_lines: list[int] = field(default_factory=list)
    #: the site's names for the document (listing titles, file names, thumbnail captions)
    site_titles: list[str] = field(default_factory=list)
    #: the entries of the outline (提纲/目录) the site made from the document
    site_outline: list[str] = field(default_factory=list)
    #: entries of ``site_outline`` the body lacks after its last heading
    missing_sections: list[str] = field(default_factory=list)
    #: signs that the text was cut off, found before the end is judged (sections missing)
    cut_signals: list[str] = field(default_factory=list)
    #: the site's prompts to read on ("还剩85页未读，继续阅读"): a cut, unless the document
    #: ends with its own closing (sites show them under complete documents too)
    continue_prompts: list[str] = field(default_factory=list)
    #: first input line of each table row rebuilt from one-cell-per-line text
    table_rows: set[int] = field(default_factory=set)
    #: line keys a batch found repeated across many of its documents
    learned_chrome: frozenset[str] = frozenset()
    #: the missing sections an earlier cleaner run named in its note (None: no such note)
    noted_missing: list[str] | None = None
    #: that note's exact text (a Traditional edition's note is kept in its own script)
    earlier_note: str | None = None


@dataclass(frozen=True)
class DocDate:
    """The document's date; ``month`` and ``day`` may be unknown (0)."""

    year: int
    month: int = 0
    day: int = 0

    def as_datetime(self) -> datetime.datetime:
        return datetime.datetime(self.year, self.month or 1, self.day or 1, tzinfo=datetime.UTC)

    def display(self) -> str:
        """The date as Chinese text.

        >>> DocDate(2023, 1, 5).display(), DocDate(2023, 1).display()
        ('2023年1月5日', '2023年1月')
        """
        out = f"{self.year}年"
        if self.month:
            out += f"{self.month}月" + (f"{self.day}日" if self.day else "")
        return out


# Used when a document has neither a date nor SOURCE_DATE_EPOCH: a fixed value, never the
# clock, so that two renders of one document are byte-identical.
FALLBACK_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _generic_profiles() -> tuple[Profile, ...]:
    from . import sites  # the profiles a document has before a site is chosen

    return (sites.get("generic"),)


@dataclass
class Document:
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    evidence: Evidence = field(default_factory=Evidence)
    #: the site profiles that apply, the chosen site's first and ``generic`` last
    profiles: tuple[Profile, ...] = field(default_factory=lambda: _generic_profiles(), repr=False)
    # The decoded input lines (index = line number - 1), so that removing a block that
    # joined several lines lists each of them with its own text.
    source_lines: list[str] = field(default_factory=list, repr=False)

    def drop(self, block: Block, rule: Rule) -> None:
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

    @property
    def date(self) -> DocDate | None:
        """The document's date, from ``meta["date"]`` ("2023-01-05", "2023-01" or "2023").

        >>> Document(meta={"date": "2023-01-05"}).date, Document(meta={"date": "soon"}).date
        (DocDate(year=2023, month=1, day=5), None)
        """
        m = _ISO_DATE.fullmatch(str(self.meta.get("date") or "").strip())
        if not m:
            return None
        year, month, day = int(m[1]), int(m[2] or 0), int(m[3] or 0)
        try:
            if month:
                datetime.date(year, month, day or 1)
        except ValueError:
            return None
        return DocDate(year, month, day) if year >= 1 else None

    def stamp(self) -> datetime.datetime:
        """The time written into every edition's metadata: the document's date, else
        ``SOURCE_DATE_EPOCH`` (reproducible builds), else a fixed date; never the clock."""
        return self.date.as_datetime() if self.date else source_date_epoch() or FALLBACK_DATE

    def date_line(self) -> str:
        """The line under the title that dates a document only the site dates: a date the
        site gave it (``meta["date_source"]`` "site …"), marked as the editor's, like the
        editor's note. A document that states its own date (subtitle, 落款) needs no line.

        Every edition shows it, so it is part of the clean text; the pipeline lists it in
        ``report.notes`` as added text.

        >>> Document(meta={"date": "2023-01-05", "date_source": "site (listing title)"}).date_line()
        '〔编者注：网站标注日期2023年1月5日〕'
        >>> Document(meta={"date": "2023-01-05", "date_source": "document (subtitle)"}).date_line()
        ''
        >>> Document(meta={"date": "2023-01-05"}).date_line()  # built by hand: as given
        '2023年1月5日'
        """
        d = self.date
        source = str(self.meta.get("date_source", ""))
        if not (d and d.day) or source.startswith("document"):
            return ""
        if not source:  # a Document built by hand with its date: shown as given
            return d.display()
        if str(self.meta.get("language", "")).startswith("zh-Hant"):
            return f"〔編者注：網站標註日期{d.display()}〕"
        return f"〔编者注：网站标注日期{d.display()}〕"

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
            "missing_sections": self.evidence.missing_sections,
            "site_outline": self.evidence.site_outline,
            "notes": r.notes,
            "outline": [{"level": b.level, "text": b.text} for b in self.headings()],
            "counts": r.counts(),
            "removed": [x.as_dict() for x in r.removed],
            "repairs": [x.as_dict() for x in r.repairs],
            "warnings": [x.as_dict() for x in r.warnings],
            "stages": r.stages,
        }
