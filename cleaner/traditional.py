"""Simplified -> Traditional editions: OpenCC plus the project's overrides.

OpenCC converts by greedy longest match over its phrase dictionary, and that dictionary only
lists phrases that need a special conversion. So in 学生发展 it never sees the word 学生; it sees
the phrase 生发 ("hair growth", 生髮) and returns 學生髮展. ``cleaner/data/opencc_overrides.tsv``
holds the corrections, as data:

* ``split`` rules cut the Simplified text where such a phrase would straddle two words; each
  piece is converted on its own, so OpenCC still picks the right form of the real word for every
  variant (发布 is 發布 in Taiwan and 發佈 in Hong Kong).
* ``keep`` rules (``twp`` only) mark words of the Simplified text that an official document
  uses in their everyday sense, where Taiwan's phrase dictionary puts the computing term and
  changes the meaning (优化 -> 最佳化, 文件 -> 檔案, 社区 -> 社群): each such word is converted
  with the variant the rule names (``tw``: characters only), the rest of the text with ``twp``.
* ``post`` rules fix the Traditional output where OpenCC has no phrase for the right reading
  (OpenCC gives 八万里 -> 八萬裏; the li is 里).

>>> to_traditional("粉丝发布")
'粉絲發布'
>>> to_traditional("信息软件"), to_traditional("信息软件", "twp")
('信息軟件', '資訊軟體')
>>> to_traditional("优化信息服务", "twp")
'優化資訊服務'
"""

from __future__ import annotations

import copy
import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.document import Document

try:  # the stdlib regex parser, to read which character a split rule cuts before
    from re import _constants as sre
    from re import _parser
except ImportError:  # pragma: no cover - a Python without it just takes the slower scan
    _parser = None

# variant -> OpenCC config. "tw" is the default: Taiwan standard characters, mainland wording kept
# (an official document's 信息 stays 信息); "twp" also swaps vocabulary and only on request.
VARIANTS: dict[str, str] = {"t": "s2t", "tw": "s2tw", "hk": "s2hk", "twp": "s2twp"}

LANGUAGE: dict[str, str] = {"t": "zh-Hant", "tw": "zh-Hant-TW", "hk": "zh-Hant-HK", "twp": "zh-Hant-TW"}

OVERRIDES_PATH = Path(__file__).parent / "data" / "opencc_overrides.tsv"

STAGES = ("define", "split", "keep", "post")

# Variants whose OpenCC config swaps vocabulary; a keep rule may only name these.
VOCABULARY_VARIANTS = frozenset({"twp"})

# Meta values that identify the source or are dates: converting them would break lookups.
_META_KEEP = frozenset({"source", "sha256", "language"})

_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})

# Taiwan and Hong Kong official texts quote with corner brackets 「」『』: the default
# for those editions. The plain "t" edition keeps “ ” unless asked.
CORNER_BY_DEFAULT = frozenset({"tw", "twp", "hk"})


@dataclass(frozen=True)
class Rule:
    """One row of the overrides file, its pattern compiled."""

    stage: str
    variants: frozenset[str]
    pattern: re.Pattern[str]
    replacement: str
    reason: str
    line: int


# --- the overrides file ----------------------------------------------------------------------


def parse_rules(lines: Iterable[str], source: str = "<rules>") -> tuple[Rule, ...]:
    """Parse override rows (stage, variants, pattern, replacement, reason; TAB-separated).

    ``define`` rows are expanded into later patterns and are not returned.

    >>> rows = ["define\\t*\\t{L}\\t[头丝]\\tleft chars",
    ...         "split\\t*\\t(?<={L})(?=发展)\\t|\\tcut"]
    >>> [r.pattern.pattern for r in parse_rules(rows)]
    ['(?<=[头丝])(?=发展)']
    """
    defines: dict[str, str] = {}
    rules: list[Rule] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source}:{number}"
        fields = line.split("\t")
        if len(fields) != 5:
            raise ValueError(f"{where}: expected 5 TAB-separated columns, got {len(fields)}")
        stage, variants_text, pattern, replacement, reason = fields
        if stage not in STAGES:
            raise ValueError(f"{where}: unknown stage {stage!r}; expected one of {STAGES}")
        if stage == "define":
            defines[pattern] = replacement
            continue
        variants = _parse_variants(variants_text, where)
        if stage == "split" and replacement != "|":
            raise ValueError(f"{where}: a split rule's replacement must be '|'")
        if stage == "keep":
            if replacement not in VARIANTS:
                raise ValueError(f"{where}: a keep rule's replacement must name a variant ({', '.join(VARIANTS)})")
            if not variants <= VOCABULARY_VARIANTS:
                raise ValueError(f"{where}: keep rules are only for {', '.join(sorted(VOCABULARY_VARIANTS))}")
        if not reason.strip():
            raise ValueError(f"{where}: every rule needs a reason")
        for name, value in defines.items():
            pattern = pattern.replace(name, value)
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{where}: bad pattern: {exc}") from exc
        rules.append(Rule(stage, variants, compiled, replacement, reason, number))
    return tuple(rules)


def _parse_variants(text: str, where: str) -> frozenset[str]:
    if text.strip() == "*":
        return frozenset(VARIANTS)
    names = frozenset(v.strip() for v in text.split(","))
    unknown = names - set(VARIANTS)
    if unknown:
        raise ValueError(f"{where}: unknown variant(s) {sorted(unknown)}; expected {sorted(VARIANTS)}")
    return names


@functools.cache
def rules() -> tuple[Rule, ...]:
    """The project's override rules, read once from ``OVERRIDES_PATH``."""
    with OVERRIDES_PATH.open(encoding="utf-8") as f:
        return parse_rules(f, OVERRIDES_PATH.name)


def cut_chars(pattern: str) -> frozenset[str] | None:
    """The characters a split rule's lookahead needs at the cut, or None if it cannot tell.

    >>> sorted(cut_chars("(?<=[头丝])(?=发(?:展|现))"))
    ['发']
    >>> cut_chars("(?<=里)") is None, cut_chars("里(?=长征)") is None
    (True, True)
    """
    # A scan that first checks the character at each position is ~15x faster than trying
    # every rule's lookbehind at every position; the check is derived from the rules
    # themselves so the data file cannot get out of step with it. Only zero-width
    # assertions may come before the lookahead, or the cut would not be at that character.
    if _parser is None:
        return None
    for op, av in _parser.parse(pattern):
        if op is sre.ASSERT and av[0] == 1 and len(av[1]):
            first_op, first_av = av[1][0]
            if first_op is sre.LITERAL:
                return frozenset(chr(first_av))
            if first_op is sre.IN and all(o is sre.LITERAL for o, _ in first_av):
                return frozenset(chr(code) for _, code in first_av)
            return None
        if op not in (sre.ASSERT, sre.ASSERT_NOT):
            return None
    return None


@functools.cache
def _split_pattern(variant: str) -> re.Pattern[str] | None:
    # One alternation, one pass over the text, instead of one pass per rule.
    parts = [r.pattern.pattern for r in rules() if r.stage == "split" and variant in r.variants]
    if not parts:
        return None
    alternation = "|".join(f"(?:{p})" for p in parts)
    chars = [cut_chars(p) for p in parts]
    if any(c is None for c in chars):
        return re.compile(alternation)
    prefilter = "".join(sorted(frozenset().union(*chars)))
    return re.compile(f"(?=[{re.escape(prefilter)}])(?:{alternation})")


@functools.cache
def _keep_pattern(variant: str) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """One alternation of the keep rules for ``variant`` (group ``k<i>`` is rule i), and the
    variant each rule converts its words with."""
    keep = [r for r in rules() if r.stage == "keep" and variant in r.variants]
    if not keep:
        return None, ()
    alternation = "|".join(f"(?P<k{i}>{r.pattern.pattern})" for i, r in enumerate(keep))
    firsts = [first_chars(r.pattern.pattern) for r in keep]
    if all(firsts):  # a kept word starts with one of these: test that first, as the split scan does
        prefilter = "".join(sorted(frozenset().union(*firsts)))  # type: ignore[arg-type]
        alternation = f"(?=[{re.escape(prefilter)}])(?:{alternation})"
    return re.compile(alternation), tuple(r.replacement for r in keep)


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with, or None if it cannot tell.

    >>> sorted(first_chars("(?<!高级)[高低]级(?!设置)")), first_chars("(?=x)") is None
    (['低', '高'], True)
    """
    if _parser is None:
        return None
    for op, av in _parser.parse(pattern):
        if op in (sre.ASSERT, sre.ASSERT_NOT) and av[0] == -1:
            continue  # a lookbehind: the match starts after it
        if op is sre.LITERAL:
            return frozenset(chr(av))
        if op is sre.IN and all(o is sre.LITERAL for o, _ in av):
            return frozenset(chr(code) for _, code in av)
        return None
    return None


def keep_spans(text: str, variant: str = "twp") -> list[tuple[int, int, str]]:
    """``(start, end, convert_as)`` for each word of the Simplified ``text`` that a keep rule
    converts with another variant.

    >>> keep_spans("优化营商环境，社区治理")
    [(0, 2, 'tw'), (7, 9, 'tw')]
    >>> keep_spans("优化营商环境", "tw")
    []
    """
    pattern, convert_as = _keep_pattern(check_variant(variant))
    if pattern is None:
        return []
    return [(m.start(), m.end(), convert_as[int(m.lastgroup[1:])])
            for m in pattern.finditer(text) if m.end() > m.start()]


@functools.cache
def _post_rules(variant: str) -> tuple[Rule, ...]:
    return tuple(r for r in rules() if r.stage == "post" and variant in r.variants)


# --- conversion ------------------------------------------------------------------------------


def check_variant(variant: str) -> str:
    """Return ``variant`` if known, else raise ValueError naming the valid ones.

    >>> check_variant("hk")
    'hk'
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown Traditional variant {variant!r}; expected one of {', '.join(VARIANTS)}")
    return variant


@functools.cache
def _converter(variant: str) -> Any:
    # Imported lazily so the rest of the cleaner runs without OpenCC; one converter per variant
    # is built on first use and kept, because building one reads its dictionaries from disk.
    import opencc

    return opencc.OpenCC(VARIANTS[variant])


def opencc_convert(text: str, variant: str = "tw") -> str:
    """Plain OpenCC, without the overrides (what the overrides are measured against).

    >>> opencc_convert("粉丝发布")
    '粉絲髮布'
    """
    return _converter(check_variant(variant)).convert(text)


def cut_points(text: str, variant: str = "tw") -> list[int]:
    """Offsets in the Simplified ``text`` where a split rule cuts it.

    >>> cut_points("粉丝发布会")
    [2]
    """
    pattern = _split_pattern(check_variant(variant))
    if pattern is None:
        return []
    return sorted({m.start() for m in pattern.finditer(text)} - {0, len(text)})


def _convert_pieces(text: str, variant: str) -> str:
    convert = _converter(variant).convert
    cuts = cut_points(text, variant)
    spans = keep_spans(text, variant)
    if not cuts and not spans:
        return convert(text)
    # A kept word is a piece of its own, converted as its rule says; the split cuts, found
    # on the whole text, still cut everywhere else. Spans do not overlap (one finditer).
    bounds = sorted({0, len(text), *cuts, *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
    out, k = [], 0
    for a, b in itertools.pairwise(bounds):
        while k < len(spans) and spans[k][1] <= a:
            k += 1
        inside = k < len(spans) and spans[k][0] <= a
        out.append(_converter(spans[k][2]).convert(text[a:b]) if inside else convert(text[a:b]))
    return "".join(out)


def apply_post_rules(text: str, variant: str = "tw") -> str:
    """Apply the post rules for ``variant`` to already converted Traditional text.

    >>> apply_post_rules("八萬裏")
    '八萬里'
    """
    for rule in _post_rules(check_variant(variant)):
        text = rule.pattern.sub(rule.replacement, text)
    return text


def to_traditional(text: str, variant: str = "tw") -> str:
    """Convert Simplified ``text`` to Traditional with the project's overrides; no cleaning.

    >>> to_traditional("去干预市场"), to_traditional("百年历程"), to_traditional("八万里")
    ('去干預市場', '百年歷程', '八萬里')
    >>> to_traditional("太仓市2023年政府工作报告")
    '太倉市2023年政府工作報告'
    >>> to_traditional("软件", "hk")
    '軟件'
    """
    check_variant(variant)
    if not text:
        return text
    return apply_post_rules(_convert_pieces(text, variant), variant)


def corner_quotes(text: str) -> str:
    """Curly quotes to the corner brackets of Traditional typesetting.

    >>> corner_quotes("他说：“要‘稳’字当头”")
    '他说：「要『稳』字当头」'
    """
    return text.translate(_QUOTES)


# --- documents -------------------------------------------------------------------------------


def _is_date_key(key: str) -> bool:
    k = key.lower()
    return "date" in k or k.endswith(("_at", "time", "year")) or k in {"published", "updated", "created"}


def _convert_value(value: Any, convert: Any) -> Any:
    if isinstance(value, str):
        return convert(value)
    if isinstance(value, list):
        return [_convert_value(v, convert) for v in value]
    if isinstance(value, tuple):
        return tuple(_convert_value(v, convert) for v in value)
    if isinstance(value, dict):
        return {k: _convert_value(v, convert) for k, v in value.items()}
    return value


def convert_meta(meta: dict[str, Any], convert: Any) -> dict[str, Any]:
    """Convert the string values of ``meta`` except source, sha256, language and date fields.

    >>> convert_meta({"issuer": "太仓市人民政府", "source": "a/b.txt", "date": "2023年"}, to_traditional)
    {'issuer': '太倉市人民政府', 'source': 'a/b.txt', 'date': '2023年'}
    """
    return {k: v if k in _META_KEEP or _is_date_key(str(k)) else _convert_value(v, convert) for k, v in meta.items()}


def document_to_traditional(doc: Document, variant: str = "tw", quotes: str | None = None) -> Document:
    """A Traditional copy of ``doc``: title, blocks, meta strings, report notes, missing sections.

    ``quotes`` is ``"keep"`` or ``"corner"`` (“ ” -> 「 」); by default corner for the Taiwan
    and Hong Kong editions, keep for ``t``. The input document is not changed;
    ``meta["language"]`` names the edition (zh-Hant-TW, zh-Hant-HK or zh-Hant).
    """
    check_variant(variant)
    if quotes is None:
        quotes = "corner" if variant in CORNER_BY_DEFAULT else "keep"
    if quotes not in ("keep", "corner"):
        raise ValueError(f"unknown quotes style {quotes!r}; expected 'keep' or 'corner'")

    def convert(text: str) -> str:
        out = to_traditional(text, variant)
        return corner_quotes(out) if quotes == "corner" else out

    out = copy.deepcopy(doc)
    out.title = convert(doc.title)
    out.blocks = [b.with_text(convert(b.text)) for b in doc.blocks]
    out.meta = convert_meta(out.meta, convert)
    out.meta["language"] = LANGUAGE[variant]
    out.report.notes = [convert(n) for n in doc.report.notes]
    out.evidence.missing_sections = [convert(s) for s in doc.evidence.missing_sections]
    return out
