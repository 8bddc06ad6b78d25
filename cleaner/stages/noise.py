"""Noise: what no reader of the document can read, cut out of the lines it was put into.

``strip_noise`` removes, and records each cut (what was cut, from which line, under
which rule), without touching the Latin, numbers, units and codes of the document
(GDP, PM2.5, 5G, 〔2019〕5号, a URL in a sentence):

* anti-scraping jammer strings (Discuz! and the like): runs of four or more one- or
  two-character ASCII tokens separated by spaces, most of them holding a punctuation
  mark or mixing a letter and a digit ("& U% Q4 R7 q; R' d# q; a3 Z& f"), at a line's
  start, at its end, inside it, or as the whole line;
* joiners between two Chinese characters (U+200C, U+200D; read.py already drops U+200B,
  U+2060 and U+FEFF), which sites sprinkle against copying;
* watermarks: a web address the site wrote into the text: "本文来自：example.cn" or
  "来源：example.cn" inside a sentence, "【站名 example.com】", and "站名 example.com" when
  that address is a watermark elsewhere too or occurs more than once.

A line left empty is removed whole. Example: "7 f+ f7 a; f$ r9 z5 |2 k- N; g8 o2 Y各省、
自治区" becomes "各省、自治区" (rule ``jammer``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import rules
from ..document import Block, Document
from ..textutil import CJK_CLASS

#: a run of short ASCII tokens between spaces; judged by :func:`_jammer`
_TOKEN_RUN = re.compile(r"(?<![!-~])(?:[!-~]{1,2} {1,2}){3,}[!-~]{1,2}(?![!-~])")
#: marks at the edges of a run that belong to the text it is glued to: the sentence's own
#: mark before it ("各直属机构:" + run), an opening bracket after it (run + "(二)推动")
_TEXT_MARK_BEFORE = ",.:;!?)"
_TEXT_MARK_AFTER = "([\"'"
_NOISY_TOKEN = re.compile(r"[!-/:-@\[-`{-~]|[A-Za-z]\d|\d[A-Za-z]")
_JOINER_BETWEEN_HANZI = re.compile(rf"(?<=[{CJK_CLASS}])[\u200c\u200d]+(?=[{CJK_CLASS}])")
#: a web address; it starts where a label starts (tried inside a long run of letters too, a
#: base64 blob, it scanned the run to its end from every letter: quadratic)
_DOMAIN = r"(?<![A-Za-z0-9-])(?:[A-Za-z0-9-]+\.)+(?i:com|cn|net|org|cc|top|info|vip|club|xyz|site|wang)(?![A-Za-z0-9-])"
_ATTRIBUTION = re.compile(rf"(?:本文来自|来源|转载自|原文来自|出处|摘自)\s*[:：]?\s*({_DOMAIN})")
_BRACKETED = re.compile(rf"【[^【】\n]{{0,20}}?({_DOMAIN})[^【】\n]{{0,10}}】")
_LABELLED = re.compile(rf"(?:^|[ \u3000])[^\s【】]{{1,8}}[ \u3000]({_DOMAIN})")


def _jammer(run: str) -> bool:
    """Most tokens of the run are noise: a mark inside, or a letter glued to a digit."""
    tokens = run.split()
    noisy = sum(1 for t in tokens if _NOISY_TOKEN.search(t) and not re.fullmatch(r"\d+[.%]?", t))
    return len(tokens) >= 4 and noisy * 2 >= len(tokens)


def _watermark_domains(lines: list[str]) -> set[str]:
    """Addresses that are watermarks: in an attribution or a 【】 tag, or written twice."""
    found: dict[str, int] = {}
    marked: set[str] = set()
    for line in lines:
        for m in re.finditer(_DOMAIN, line):
            found[m.group().lower()] = found.get(m.group().lower(), 0) + 1
        marked.update(m.group(1).lower() for rx in (_ATTRIBUTION, _BRACKETED) for m in rx.finditer(line))
    return marked | {d for d, n in found.items() if n >= 2}


def strip_noise(doc: Document) -> Document:
    """Cut jammer strings, joiners between hanzi and watermarks out of every line."""
    domains = _watermark_domains([b.text for b in doc.blocks])
    in_domains = lambda m: m.group(1).lower() in domains  # noqa: E731
    kept: list[Block] = []
    for b in doc.blocks:
        text, cuts = b.text, []
        text = _cut(text, _JOINER_BETWEEN_HANZI, rules.INVISIBLE_JOINER, cuts)
        if domains:
            for rx in (_ATTRIBUTION, _BRACKETED, _LABELLED):
                text = _cut(text, rx, rules.WATERMARK, cuts, in_domains)
        text = _cut_jammers(text, cuts)
        line = b.lines[0] if b.lines else 0
        if not cuts:
            kept.append(b)
        elif text.strip():
            for rule, piece in cuts:
                doc.report.cut(rule, line, piece)
            kept.append(b.with_text(text))
        else:  # nothing but noise: the line goes
            doc.drop(b, cuts[-1][0])
    doc.blocks = kept
    return doc


def _cut_jammers(text: str, cuts: list[tuple[rules.Rule, str]]) -> str:
    """Cut jammer runs, leaving the text's own marks at their edges."""
    out, pos = [], 0
    for m in _TOKEN_RUN.finditer(text):
        start, end = m.start(), m.end()
        if text[start] in _TEXT_MARK_BEFORE and text[start + 1:start + 2] == " " and start > 0 \
                and not text[start - 1].isspace():
            start += 1
        if text[end - 1] in _TEXT_MARK_AFTER and end < len(text) and not text[end].isspace():
            end -= 1
        if not _jammer(text[start:end]):
            continue
        out.append(text[pos:start])
        cuts.append((rules.JAMMER, text[start:end]))
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _cut(text: str, rx: re.Pattern[str], rule: rules.Rule, cuts: list[tuple[rules.Rule, str]],
         accept: Callable[[re.Match[str]], bool] = lambda m: True) -> str:
    """``text`` without the accepted matches of ``rx``; each cut is appended to ``cuts``."""
    out, pos = [], 0
    for m in rx.finditer(text):
        if not accept(m):
            continue
        out.append(text[pos:m.start()])
        cuts.append((rule, m.group()))
        pos = m.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)
