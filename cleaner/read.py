"""Bytes -> text: BOM, charset detection, line endings, invisible characters, mojibake repair.

Detection (``decode``), in order:
  1. a BOM (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides;
  2. binary data (many NULs or control bytes) is refused, unless NULs sit in one byte column
     (UTF-16 without BOM);
  3. strict UTF-8 that reads as Chinese (``hanzi_score`` >= 0.6) decides;
  4. a file that is UTF-8 only in part (two copies pasted together, a footer added in
     another encoding) is read line by line (``_mixed``): lines that are UTF-8 Chinese as
     UTF-8, the others in GB18030 or Big5, whichever reads them as Chinese; the label names
     both ("utf-8+gb18030", in order of appearance) and a ``mixed-encoding`` warning gives
     each run of lines and its encoding. If the other lines read as nothing plausible, and
     are too many to be a few damaged bytes of UTF-8, the file is refused;
  5. otherwise each candidate that decodes -- UTF-8, GB18030, Big5 (cp950, else big5hkscs),
     UTF-16 without BOM; strictly, or with at most 1% invalid bytes replaced -- is scored by
     ``hanzi_score`` (common hanzi from ``data/common_hanzi.txt``; ASCII, the same in every
     candidate, does not count) and the best wins. Valid UTF-8 loses only to a clearly better
     reading. charset-normalizer is not used: it calls short GBK text cp949.

Then line by line: invisible characters dropped, mojibake (UTF-8 read as GBK) repaired,
irreversible damage (锟斤拷, 烫烫烫, U+FFFD) flagged. Line endings (CRLF, CR, U+2028, U+2029)
become '\\n' as part of decoding and are not events; no step adds or removes a line.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .textutil import CJK_RE

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_BOMS = (  # UTF-32 LE first: its BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le (BOM)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be (BOM)"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le (BOM)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be (BOM)"),
)
# Dropped: C0 except \t \n, DEL, C1 (incl. NEL), BOM/ZWNBSP and word joiner inside text, and
# U+200B, which some sites sprinkle between hanzi against copying (Chinese has no word spaces).
# \f and \v go too: str.splitlines() would see line breaks the '\n' numbering does not.
# Kept (out of scope): ZWJ/ZWNJ (emoji, scripts), soft hyphen, bidi marks.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff]+")
_CTRL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f") + b"\x7f"
_DAMAGE = re.compile("(?:锟斤拷)+|烫{3,}|屯{3,}|\ufffd+")
_DAMAGE_MARKS = ("锟斤拷", "烫烫烫", "屯屯屯", "\ufffd")
# Well-formed UTF-8 (no overlongs, no surrogates). A run starts with a 3-byte sequence: hanzi
# and CJK punctuation are 3 bytes, and this skips most chance matches in ordinary GBK text.
_MB3 = rb"\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
_UTF8_RUN = re.compile(rb"(?:%s)(?:%s|[\xc2-\xdf][\x80-\xbf]|[\x20-\x7e])*" % (_MB3, _MB3))
# What a repaired span may contain: ASCII, hanzi, CJK/general punctuation, fullwidth forms.
_OK = (
    "\\t\\x20-\\x7e\u00b0\u00b1\u00b7\u00d7\u00f7\u2010-\u206f\u2100-\u218f\u2460-\u24ff"
    "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uffe6"
)
_PLAUSIBLE_CORE = re.compile(f"[^{_OK}]*([{_OK}]*)[^{_OK}]*")  # junk, the text, junk
# Characters a Chinese document (nearly) never has, but misreadings are full of: kana, Hangul,
# Greek, Cyrillic, IPA, private use, controls. Box drawing and shapes (tables, bullets) are fine.
_FOREIGN = re.compile(f"[^{_OK}\u2500-\u26ff\U00020000-\U0003134f]")
_HANZI = CJK_RE
_ASCII_TEXT = re.compile("[\t\n\r\x20-\x7e]+")
_SCORE_SAMPLE = 200_000  # characters: enough to tell encodings apart, cheap on 50 MB files


class ReadError(Exception):
    """Input that cannot be read as text; the message is one sentence naming the file."""


@dataclass
class Decoded:
    """Decoded text plus what was done to it.

    ``events``: (rule, line, before, after) for each change: ``control-char`` (one per run of
    invisible characters), ``mojibake-gbk``; and ``irreversible-damage`` markers, whose text
    is kept (``after`` is ""). ``warnings``: (kind, line or 0 for the whole file, message).
    """

    text: str
    encoding: str
    events: list[tuple[str, int, str, str]] = field(default_factory=list)
    warnings: list[tuple[str, int, str]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _good_chars() -> frozenset[str]:
    """Common hanzi from the data file, plus CJK and general punctuation, fullwidth forms."""
    path = Path(__file__).with_name("data") / "common_hanzi.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    chars = {ch for ln in lines if not ln.startswith("#") for ch in ln if not ch.isspace()}
    ranges = [(0x3000, 0x303F), (0xFF01, 0xFF5E), (0x2010, 0x2027), (0x2030, 0x203B), (0x2460, 0x2473)]
    chars.update(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))
    return frozenset(chars | set("·×÷°±"))


def hanzi_score(text: str) -> float:
    """How Chinese a text reads, from -1 to 1: among its non-ASCII characters (and controls),
    the share of common hanzi and CJK punctuation minus the share of ``_FOREIGN`` ones.
    Rare hanzi count 0: names and terms are real, but so are misread bytes.

    >>> hanzi_score("政府工作报告，2015年")
    1.0
    >>> round(hanzi_score("鏀垮簻宸ヤ綔鎶ュ憡"), 2)  # the same title as UTF-8 read as GBK: ヤ ュ are kana
    -0.22
    """
    rest = _ASCII_TEXT.sub("", text[:_SCORE_SAMPLE])
    return (len(_good_re().findall(rest)) - len(_FOREIGN.findall(rest))) / len(rest) if rest else 1.0


@lru_cache(maxsize=1)
def _good_re() -> re.Pattern[str]:
    """``_good_chars`` as a regex class: counted in C, not character by character."""
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(_good_chars())) + "]")


def _size_error(name: str, size: int | None, limit: int) -> ReadError:
    """The too-big message; ``size`` None when only "more than the limit" is known (stdin)."""
    mib = 1024 * 1024
    what = f"is {size:,} bytes ({size / mib:.1f} MiB), over" if size is not None else "is over"
    return ReadError(f"{name}: {what} the limit of {limit:,} bytes ({limit / mib:.1f} MiB); raise it with --max-size")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit almost only in one byte column.

    >>> _utf16_without_bom("第1页\\n".encode("utf-16-le"))
    'utf-16-le'
    """
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    hi, lo, codec = (odd, even, "utf-16-le") if odd >= even else (even, odd, "utf-16-be")
    return codec if hi >= max(2, len(data) // 100) and 4 * lo <= hi else None  # U+xx00 gives a few


def _binary_reason(data: bytes) -> str | None:
    """Why this looks like binary data (trailing NUL padding ignored), or None.

    >>> _binary_reason(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR")
    'looks like binary data (NUL bytes), not text'
    """
    body = data.rstrip(b"\x00") or data
    if body.count(0) > max(2, len(body) / 100):  # a stray NUL or two is dropped later
        return "looks like binary data (NUL bytes), not text"
    controls = len(body) - len(body.translate(None, _CTRL_BYTES))
    if controls > max(4, len(body) / 20):
        return f"looks like binary data ({100 * controls // len(body)}% control bytes), not text"
    return None


def _lenient(data: bytes, codec: str) -> tuple[str, int] | None:
    """(text, invalid sequences replaced by U+FFFD) if at most 1% is damaged, else None.

    >>> _lenient("政府工作报告".encode()[:-1], "utf-8")  # cut off mid-character
    ('政府工作报\ufffd', 1)
    """
    text = (_cesu_to_utf8(data) if codec == "utf-8" else data).decode(codec, "replace")
    try:  # U+FFFD already in the file is not damage done by this decoding
        bad = text.count("\ufffd") - data.count("\ufffd".encode(codec))
    except UnicodeEncodeError:  # Big5 has no U+FFFD
        bad = text.count("\ufffd")
    return (text, bad) if bad <= max(1, len(text) // 100) else None


_ENCODED_SURROGATES = re.compile(rb"\xed[\xa0-\xaf][\x80-\xbf]\xed[\xb0-\xbf][\x80-\xbf]|\xed[\xa0-\xbf][\x80-\xbf]")


def _cesu_to_utf8(data: bytes) -> bytes:
    """UTF-8 for surrogates encoded one by one (CESU-8, WTF-8): a high+low pair becomes
    its character, a lone surrogate one U+FFFD (one damaged character, not three).

    >>> _cesu_to_utf8(b"\\xed\\xa0\\xbd\\xed\\xb8\\x80 \\xed\\xa0\\x80").decode()
    '\U0001f600 \ufffd'
    """
    def fix(m: re.Match[bytes]) -> bytes:
        s = m.group().decode("utf-8", "surrogatepass")
        return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le").encode() if len(s) == 2 else "\ufffd".encode()

    return _ENCODED_SURROGATES.sub(fix, data) if b"\xed" in data else data


def _candidates(data: bytes, utf16: str | None) -> list[tuple[str, str, int]]:
    """(encoding, text, replaced) for each family's first strict decoding, else a lenient one."""
    out: list[tuple[str, str, int]] = []
    families = [[utf16]] if utf16 else []
    families += [["utf-8"], ["gb18030"], ["cp950", "big5hkscs"]]  # cp950 round-trips real Big5
    for family in families:
        for codec in family:
            try:
                out.append((codec, data.decode(codec), 0))
                break
            except UnicodeDecodeError:
                pass
        else:
            if damaged := _lenient(data, family[-1]):
                out.append((family[-1], *damaged))
    return out


_LEGACY = ("gb18030", "cp950", "big5hkscs")  # in order of preference on a tie
_LINE_BREAK = re.compile(rb"(\r\n|\r|\n)")


def _mixed(data: bytes, name: str) -> tuple[str, str, list[tuple[str, int, str]]] | None:
    """Read a file that mixes UTF-8 with GB18030 or Big5 line by line: (text, label such
    as "utf-8+gb18030", warnings), or None when the file is not such a mix.

    It is one when some lines are valid UTF-8 that reads as Chinese (``hanzi_score`` >= 0.6),
    the lines that are not valid UTF-8 read as Chinese in GB18030 or Big5 (the one of the
    two that reads them best, together), and reading each line in the encoding that reads
    it best uses both (ASCII lines read alike in all). Every
    run of lines read one way gets a ``mixed-encoding`` warning with its line range. When
    the lines that are not UTF-8 read as nothing plausible and too many of them to be
    damage in a UTF-8 file, the file is refused (ReadError), not read as mojibake.
    Linear: each line is decoded at most three times.

    >>> text, label, warnings = _mixed("政府工作报告\\n".encode() + "二〇二三年".encode("gbk"), "m.txt")
    >>> text, label, [w[1] for w in warnings]
    ('政府工作报告\\n二〇二三年', 'utf-8+gb18030', [1, 2])
    """
    # Lines end in CRLF, CR or LF (no byte of a UTF-8, GB18030 or Big5 character is CR or
    # LF); the line breaks are kept, so that decoding numbers lines as read.py always does.
    pieces = _LINE_BREAK.split(data)
    lines, breaks = pieces[0::2], [b.decode("ascii") for b in pieces[1::2]]
    utf8: list[str | None] = [None] * len(lines)
    strong = False  # a line that can only be UTF-8 Chinese
    for i, raw in enumerate(lines):
        if raw.isascii():
            continue
        with contextlib.suppress(UnicodeDecodeError):
            utf8[i] = raw.decode("utf-8")
            strong = strong or hanzi_score(utf8[i]) >= 0.6
    if not strong:
        return None
    rest = b"\n".join(raw for raw, u in zip(lines, utf8, strict=True) if u is None and not raw.isascii())
    if not rest:
        return None
    legacy = _best_legacy(rest)
    if legacy is None or legacy[1] < 0.6:
        if _lenient(data, "utf-8"):  # a few damaged bytes in a UTF-8 file: read as UTF-8, flagged
            return None
        best = f"best guess {legacy[0]}, score {legacy[1]:.2f}" if legacy else "no guess decodes them"
        raise ReadError(f"{name}: mixes UTF-8 with lines that read as no known encoding ({best}); not decoded")
    codec = legacy[0]
    texts: list[str] = []
    codecs_used: list[str | None] = []  # per line; None for ASCII
    bad = first_bad = 0  # invalid byte sequences, the first line that has one
    for raw, u in zip(lines, utf8, strict=True):
        if raw.isascii():
            texts.append(raw.decode("ascii"))
            codecs_used.append(None)
            continue
        try:
            other: str | None = raw.decode(codec)
        except UnicodeDecodeError:
            other = None
        if u is not None and (other is None or hanzi_score(u) >= hanzi_score(other)):
            texts.append(u)
            codecs_used.append("utf-8")
        elif other is not None:
            texts.append(other)
            codecs_used.append(codec)
        else:  # valid in neither: the closer reading, with U+FFFD for what it cannot read
            a, b = raw.decode("utf-8", "replace"), raw.decode(codec, "replace")
            text, used = (a, "utf-8") if a.count("\ufffd") <= b.count("\ufffd") else (b, codec)
            bad += text.count("\ufffd")
            first_bad = first_bad or len(texts) + 1
            texts.append(text)
            codecs_used.append(used)
    if len({c for c in codecs_used if c}) < 2:  # one encoding after all: read as a whole
        return None
    text = "".join(t + br for t, br in zip(texts, [*breaks, ""], strict=True))
    if bad > max(1, len(text) // 100):
        raise ReadError(f"{name}: mixes UTF-8 and {codec}, and {bad} byte sequences read as neither; not decoded")
    return text, *_segments(codecs_used, bad, first_bad)


def _best_legacy(data: bytes) -> tuple[str, float] | None:
    """The legacy encoding (GB18030, else Big5) that reads ``data`` best (with at most 1%
    invalid bytes), and its score."""
    scored = []
    for i, codec in enumerate(_LEGACY):
        if decoded := _lenient(data, codec):
            scored.append((hanzi_score(decoded[0]), -decoded[1], -i, codec))
    if not scored:
        return None
    score, _, _, codec = max(scored)
    return codec, score


def _segments(codecs_used: list[str | None], bad: int, first_bad: int) -> tuple[str, list[tuple[str, int, str]]]:
    """(label, warnings) for lines read in the encodings ``codecs_used`` (None: ASCII, read
    alike in all, so part of the run around it): a ``mixed-encoding`` warning per run, and
    one for ``bad`` invalid byte sequences from line ``first_bad`` on."""
    runs: list[list] = []  # [codec, first line, last line]
    for n, codec in enumerate(codecs_used, 1):
        if runs and codec in (None, runs[-1][0]):
            runs[-1][2] = n
        elif codec is None:  # ASCII before the first non-ASCII line
            continue
        else:
            runs.append([codec, runs[-1][2] + 1 if runs else 1, n])
    if runs:
        runs[-1][2] = len(codecs_used)
    order = list(dict.fromkeys(r[0] for r in runs))
    mix = " and ".join(order)
    warnings = [("mixed-encoding", a, f"lines {a}-{b} decoded as {codec} (the file mixes {mix})") for codec, a, b in runs]
    if bad:
        warnings.append(("invalid-bytes", first_bad, f"{bad} invalid byte sequence(s) replaced by U+FFFD"))
    return "+".join(order), warnings


def _detect(data: bytes, name: str) -> tuple[str, str, list[tuple[str, int, str]]]:
    """Return (text, encoding label, warnings); raise ReadError if nothing fits."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8" and (mixed := _mixed_after_bom(data[len(bom) :], name)):
                return mixed
            if not (decoded := _lenient(data[len(bom) :], codec)):
                raise ReadError(f"{name}: starts with a {codec} byte-order mark but is not {codec}")
            return decoded[0], label, _invalid_warning(*decoded, codec)
    utf16, utf8 = _utf16_without_bom(data), None
    if utf16 is None:
        if reason := _binary_reason(data):
            raise ReadError(f"{name}: {reason}")
        with contextlib.suppress(UnicodeDecodeError):
            utf8 = data.decode("utf-8")
        if utf8 is not None and hanzi_score(utf8) >= 0.6:  # the common case, decided at once
            return utf8, "utf-8", []
        if utf8 is None and (mixed := _mixed(data, name)):  # UTF-8 in part: by lines
            return mixed
    # Highest score wins; on a tie the earlier (strict, then listed) candidate.
    ranked = sorted(
        ((hanzi_score(t), -bad, -i, codec, t, bad) for i, (codec, t, bad) in enumerate(_candidates(data, utf16))),
        reverse=True,
    )
    if not ranked:  # NULs in one column looked like UTF-16, but were not
        raise ReadError(f"{name}: {_binary_reason(data) or 'cannot be decoded as UTF-8, UTF-16, GB18030 or Big5'}")
    score, _, _, codec, text, bad = ranked[0]
    # Valid UTF-8 (Russian, Japanese, or one GBK hanzi that happens to be valid) loses only
    # to a clearly better reading: "图纸".encode("gbk") is valid UTF-8 for "ͼֽ".
    if utf8 is not None and (score < 0.5 or score - hanzi_score(utf8) < 0.4):
        return utf8, "utf-8", []
    if score < 0.3 and len(_ASCII_TEXT.sub("", text[:_SCORE_SAMPLE])) >= 20:  # junk, not Chinese
        raise ReadError(
            f"{name}: cannot be decoded as UTF-8, UTF-16, GB18030 or Big5"
            f" (best guess {codec} gives mostly rare characters, score {score:.2f})"
        )
    warnings = []
    runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
    if score < 0.6 or score - runner_up < 0.25:
        others = ", ".join(f"{c} {s:.2f}" for s, _, _, c, _, _ in ranked[1:]) or "no other candidate"
        warnings.append(("low-confidence-encoding", 0, f"guessed {codec} (score {score:.2f}; {others})"))
    return text, codec, warnings + _invalid_warning(text, bad, codec)


def _mixed_after_bom(data: bytes, name: str) -> tuple[str, str, list[tuple[str, int, str]]] | None:
    """``_mixed`` for a file that starts with a UTF-8 byte-order mark but is not all UTF-8."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    if not (mixed := _mixed(data, name)):
        return None
    text, label, warnings = mixed
    return text, label.replace("utf-8", "utf-8-sig", 1), [(k, n, m.replace("utf-8", "utf-8-sig")) for k, n, m in warnings]


def _invalid_warning(text: str, bad: int, codec: str) -> list[tuple[str, int, str]]:
    """The warning for ``bad`` invalid byte sequences that decoding replaced, at the first one."""
    if not bad:
        return []
    line = text.count("\n", 0, text.index("\ufffd")) + 1
    return [("invalid-bytes", line, f"{bad} invalid byte sequence(s) in {codec} replaced by U+FFFD")]


def _half_sequence(ch: str) -> bool:
    """True for a lost-byte mark, or a GBK character made of a UTF-8 lead + continuation byte.

    >>> _half_sequence("骞")  # b"\\xe5\\xb9": 年 is b"\\xe5\\xb9\\xb4", its last byte went missing
    True
    """
    raw = ch.encode("gb18030")
    return ch in "?\ufffd" or (len(raw) == 2 and 0xC2 <= raw[0] <= 0xEF and 0x80 <= raw[1] <= 0xBF)


def _trimmed(raw: bytes, start: int, end: int) -> tuple[int, int, str]:
    """Decode a UTF-8 run, cutting off junk at its edges (a neighbour's bytes that happen to
    be valid UTF-8, say Cyrillic): (start, end, text) of the plausible middle, "" if none.
    """
    text = raw[start:end].decode("utf-8")
    if not (m := _PLAUSIBLE_CORE.fullmatch(text)):  # junk inside: not text that was misread
        return start, end, ""
    return start + len(text[: m.start(1)].encode()), end - len(text[m.end(1) :].encode()), m[1]


def _boundary(raw: bytes, cursor: tuple[int, int], offset: int, step: int) -> tuple[int, int] | None:
    """(byte offset, char index) of the character boundary at ``offset``, or one byte away
    (``step``) when ``offset`` falls inside a 2-byte character; ``cursor`` is a known boundary.
    """
    for off in (offset, offset + step):
        try:
            return off, cursor[1] + len(raw[cursor[0] : off].decode("gb18030"))
        except UnicodeDecodeError:
            pass
    return None


def repair_mojibake(line: str) -> tuple[str, list[tuple[str, str]], list[str]]:
    """Undo UTF-8 text that was read as GBK and saved again: (line, [(before, after)], [warnings]).

    The line's GB18030 bytes are the original UTF-8 bytes, except where the misreading lost a
    byte (U+FFFD, or nothing at all). Each run of well-formed UTF-8 between such holes is a
    candidate; a character at its edge may hold a byte of a lost neighbour, which goes with it
    (the lost character is marked U+FFFD). A line is only touched if some candidate has two or
    more hanzi and reads clearly better than before (``hanzi_score`` >= 0.6 and 0.4 above the
    original); then its one-hanzi candidates count too. What does not round-trip stays.

    >>> repair_mojibake("海拉尔区鏀垮簻宸ヤ綔鎶ュ憡")[0]
    '海拉尔区政府工作报告'
    >>> repair_mojibake("鍏ㄩ潰骞\ufffd2015")[0]  # 全面年2015: the last byte of 年 is gone
    '全面骞\ufffd2015'
    >>> repair_mojibake("鍩庡競寤鸿惧叏闈㈠姞")[0]  # 城市建设全面加, a byte of 设 dropped
    '城市建\ufffd全面加'
    """
    if line.isascii():
        return line, [], []
    raw = line.replace("\ufffd", "\x00").encode("gb18030")  # a hole stops every UTF-8 run
    found, cursor, pos = [], (0, 0), 0
    # The last character boundary found, taken or not: boundaries are counted from there,
    # not from ``cursor`` (the end of the last repair), which stays put while candidates
    # are rejected: counting from it again for each made a long line quadratic.
    scan = cursor
    while m := _UTF8_RUN.search(raw, pos):
        pos = m.end()
        s, e, after = _trimmed(raw, *m.span())
        if after.isascii() or hanzi_score(after) < 0.6:
            continue
        start = _boundary(raw, scan if cursor[0] <= scan[0] <= s - 1 else cursor, s, -1)
        end = start and _boundary(raw, start, e, +1)
        scan = end or start or scan
        if not end or hanzi_score(after) - hanzi_score(line[start[1] : end[1]]) < 0.4:
            continue
        cursor = end
        found.append((start[1], end[1], after, start[0] < s, end[0] > e))
    if not any(len(_HANZI.findall(f[2])) >= 2 for f in found):
        return line, [], []
    out, changes, lost, done = "", [], [], 0
    for i, j, after, cut_left, cut_right in found:
        # A cut edge character shares its other byte with a character that lost bytes: that
        # character is gone, so U+FFFD marks it, unless a mark is already there.
        if cut_left and not (out + line[done:i]).endswith(("?", "\ufffd")):
            after = "\ufffd" + after
        if cut_right and line[j : j + 1] not in ("?", "\ufffd"):
            after += "\ufffd"
        out += line[done:i] + after
        changes.append((line[i:j], after))
        if cut_left or cut_right or (j < len(line) and _half_sequence(line[j])):
            lost.append(len(out))  # where the unrepaired rest starts in the new line
        done = j
    out += line[done:]
    if not lost:
        return out, changes, []
    where = f"column {lost[0] + 1} ({out[max(0, lost[0] - 4) : lost[0] + 2]!r})"
    return out, changes, [f"mojibake repaired in part: bytes lost at {len(lost)} place(s), first {where}"]


def _damage(line: str, n: int) -> list[tuple[tuple[str, int, str, str], tuple[str, int, str]]]:
    """(event, warning) for each run of 锟斤拷 / 烫烫烫 / 屯屯屯 / U+FFFD: text lost upstream.

    >>> _damage("前文锟斤拷后文", 7)[0][1]
    ('irreversible-damage', 7, "line 7, column 3: '锟斤拷' marks lost text, kept as is: …前文锟斤拷后文…")
    """
    out = []
    if not any(mark in line for mark in _DAMAGE_MARKS):  # nearly every line: no regex scan
        return out
    for m in _DAMAGE.finditer(line):
        context = line[max(0, m.start() - 10) : m.end() + 10]
        message = f"line {n}, column {m.start() + 1}: {m[0]!r} marks lost text, kept as is: …{context}…"
        out.append((("irreversible-damage", n, m[0], ""), ("irreversible-damage", n, message)))
    return out


def decode(data: bytes, name: str = "<input>", max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Decode a scraped document and clean what can be cleaned without guessing.

    >>> d = decode("政府工作报告\\r\\n".encode("gbk"), "a.txt")
    >>> d.text, d.encoding
    ('政府工作报告\\n', 'gb18030')
    """
    if len(data) > max_bytes:
        raise _size_error(name, len(data), max_bytes)
    text, encoding, warnings = _detect(data, name)
    # UTF-16/32 bytes are full of NULs: judge the characters instead (re-encoded as UTF-8).
    if encoding.startswith(("utf-16", "utf-32")) and (reason := _binary_reason(text.encode())):
        raise ReadError(f"{name}: {reason}")
    for sep in ("\r\n", "\r", "\u2028", "\u2029"):
        text = text.replace(sep, "\n")
    events: list[tuple[str, int, str, str]] = []
    lines = text.split("\n")
    for n, line in enumerate(lines, 1):
        # Invisible characters first: a zero-width space inside mojibake would split it.
        events += [("control-char", n, m.group(), "") for m in _INVISIBLE.finditer(line)]
        line = _INVISIBLE.sub("", line)
        line, changes, notes = repair_mojibake(line)
        events += [("mojibake-gbk", n, before, after) for before, after in changes]
        warnings += [("mojibake-partial", n, note) for note in notes]
        for event, warning in _damage(line, n):
            events.append(event)
            warnings.append(warning)
        lines[n - 1] = line
    text = "\n".join(lines)
    if not text.strip():
        raise ReadError(f"{name}: is empty")
    return Decoded(text, encoding, events, warnings)


def read_path(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES,
              name: str | None = None) -> tuple[bytes, Decoded]:
    """Read a file ('-' is standard input) and decode it; every failure is a ReadError.

    ``name``: how messages name the file (default: the path itself; "<stdin>" for '-').
    """
    path = os.fspath(path)
    if path == "-":
        name = name or "<stdin>"
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _size_error(name, None, max_bytes)
        return data, decode(data, name, max_bytes)
    name = name or path
    try:
        if os.path.isdir(path):
            raise ReadError(f"{name}: is a directory, not a file")
        size = os.path.getsize(path)
        if size > max_bytes:
            raise _size_error(name, size, max_bytes)
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)  # +1: a file that grew (or a pipe) still trips the limit
    except FileNotFoundError:
        raise ReadError(f"{name}: no such file") from None
    except PermissionError:
        raise ReadError(f"{name}: permission denied") from None
    except OSError as e:
        raise ReadError(f"{name}: cannot be read ({e.strerror or e})") from None
    return data, decode(data, name, max_bytes)
