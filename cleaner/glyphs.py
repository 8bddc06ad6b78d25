"""Which characters the PDF editions cannot draw with a real glyph.

The PDF is set in the font families of ``render/style.css``: each role (仿宋, 黑体, 楷体,
the title, the folios) has a chain of families, and every chain ends with the same
rare-character fallbacks (``--rare-glyphs``: CJK Extensions B–H, symbols, emoji).
Pango draws each character with the first font of the chain that has it; a character
no font has is drawn as ``.notdef``, which in CJK fonts is blank space.

:func:`uncovered` answers, for a text, which characters that happens to, from the
cmaps of the chains' fonts (read with fontTools once per process):

* a character no font of any chain maps (the union of all chains: a role's own faces
  differ, its fallbacks are shared);
* a private-use character (U+E000–U+F8FF, planes 15 and 16): some fonts have glyphs
  there (AR PL UKai, BabelStone Han), but they mean what that font's maker agreed,
  not what the writer meant, so it is drawn as an unrelated character;
* a noncharacter or a lone surrogate (the safety stage removes them).

Characters drawn without a glyph of their own are never uncovered: spaces and line
separators, controls (TAB), format characters (the ZWJ of emoji sequences) and
variation selectors.

>>> uncovered("增长𠀀\\ue000，\\ue000。")
['\\ue000']

Families are resolved to files the way the renderer does: ``@font-face`` rules of the
stylesheet by their ``src`` (``local()`` by full or PostScript name, ``file:`` URLs),
other names through fontconfig (``fc-list``), the generic families (``serif``) with
``fc-match``. A family that is not installed is skipped, as Pango skips it.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
import shutil
import struct
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import tinycss2
from fontTools.ttLib import TTFont, TTLibError

STYLESHEET = Path(__file__).parent / "render" / "style.css"
GENERIC_FAMILIES = ("serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui")

# Default-ignorable characters that a font need not have: Pango draws them as nothing.
#: Where ``meaningless`` characters live: private use areas, surrogates, noncharacters.
_MAYBE_MEANINGLESS = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff\ud800-\udfff\ufdd0-\ufdef"
                                + "".join(f"{chr(p << 16 | 0xFFFE)}{chr(p << 16 | 0xFFFF)}" for p in range(17)) + "]")
_NO_GLYPH_NEEDED = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u180b-\u180f]")
_NEEDS_NO_GLYPH_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})

Font = tuple[Path, int]  # file and face index (in a collection)


# --- the stylesheet's chains --------------------------------------------------------------


def _declarations(content) -> list:
    return tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True)


def _family_list(tokens, *, idents: bool) -> list[str]:
    """The family names in a declaration value: quoted names, generic families
    (``serif``) and, with ``idents``, other bare names; anything else (``var()``,
    numbers, ``bold``) is skipped."""
    names, part = [], []
    for token in [*tokens, None]:
        if token is None or (token.type == "literal" and token.value == ","):
            words = [t for t in part if t.type != "whitespace"]
            if len(words) == 1 and words[0].type == "string":
                names.append(words[0].value)
            elif words and all(t.type == "ident" for t in words):
                name = " ".join(t.value for t in words)
                if idents or name.lower() in GENERIC_FAMILIES:
                    names.append(name)
            part = []
        else:
            part.append(token)
    return names


def _unicode_ranges(tokens) -> list[tuple[int, int]]:
    ranges = []
    for text in tinycss2.serialize(tokens).replace(" ", "").split(","):
        m = re.fullmatch(r"[Uu]\+([0-9A-Fa-f?]{1,6})(?:-([0-9A-Fa-f]{1,6}))?", text)
        if m:
            start, end = m[1], m[2]
            if end is None:
                start, end = start.replace("?", "0"), start.replace("?", "F")
            ranges.append((int(start, 16), int(end, 16)))
    return ranges


def _parse(css: str) -> tuple[list[str], dict[str, list[tuple[list, list[tuple[int, int]]]]]]:
    """(families of the chains in order of first use, ``@font-face`` rules by family)."""
    families: list[str] = []
    faces: dict[str, list] = {}

    def declarations(items) -> None:
        for item in items:
            if item.type == "declaration":
                name = item.lower_name
                if name == "font-family":
                    found = _family_list(item.value, idents=True)
                elif name.startswith("--"):
                    found = _family_list(item.value, idents=False)
                else:
                    continue
                families.extend(f for f in found if f not in families)
            elif item.type == "at-rule" and item.content is not None:  # @page margin boxes
                declarations(_declarations(item.content))

    def rules(items) -> None:
        for rule in items:
            if rule.type == "qualified-rule":
                declarations(_declarations(rule.content))
            elif rule.type == "at-rule" and rule.content is not None:
                keyword = rule.lower_at_keyword
                if keyword == "font-face":
                    desc = {d.lower_name: d.value for d in _declarations(rule.content) if d.type == "declaration"}
                    family = _family_list(desc.get("font-family", []), idents=True)
                    if family:
                        ranges = _unicode_ranges(desc["unicode-range"]) if "unicode-range" in desc else []
                        faces.setdefault(family[0], []).append((desc.get("src", []), ranges))
                elif keyword in ("media", "supports", "layer"):
                    rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
                else:
                    declarations(_declarations(rule.content))

    rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return families, faces


@functools.cache
def _installed() -> tuple[dict[str, list[Font]], dict[str, list[Font]]]:
    """Installed fonts (fontconfig) by lower-cased family name, and by full or PostScript
    name (what ``local()`` matches); regular weights first."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return {}, {}
    out = subprocess.run(
        [fc_list, "--format", "%{file}\t%{index}\t%{family}\t%{fullname}\t%{postscriptname}\t%{weight}\n"],
        capture_output=True, text=True, check=False,
    ).stdout
    families: dict[str, list[tuple[float, str, Font]]] = {}
    names: dict[str, list[tuple[float, str, Font]]] = {}
    for line in out.splitlines():
        fields = line.split("\t")
        if len(fields) != 6:
            continue
        path, index, family, fullname, psname, weight = fields
        try:
            font = (Path(path), int(index) & 0xFFFF)  # high bits: a named instance
            key = (abs(float(weight or 80) - 80), path)  # regular first, then by file
        except ValueError:
            continue
        for table, keys in ((families, family.split(",")), (names, [*fullname.split(","), psname])):
            for name in keys:
                if name:
                    table.setdefault(name.lower(), []).append((*key, font))
    return tuple(  # type: ignore[return-value]
        {name: [font for *_, font in sorted(fonts)] for name, fonts in table.items()}
        for table in (families, names)
    )


def _generic(family: str) -> list[Font]:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return []
    out = subprocess.run([fc_match, "--format", "%{file}\t%{index}", family],
                         capture_output=True, text=True, check=False).stdout
    path, _, index = out.partition("\t")
    return [(Path(path), int(index) & 0xFFFF)] if path and index.isdigit() else []


def _face_fonts(src) -> list[Font]:
    """The font of an ``@font-face`` ``src``: its first source that is installed."""
    for token in src:
        if token.type == "function" and token.lower_name == "local":
            names = _family_list(token.arguments, idents=True)
            if names and (fonts := _installed()[1].get(names[0].lower())):
                return fonts[:1]
        elif token.type == "url" or (token.type == "function" and token.lower_name == "url"):
            url = token.value if token.type == "url" else _family_list(token.arguments, idents=False)[0]
            parts = urlsplit(url)
            if parts.scheme == "file" and Path(unquote(parts.path)).is_file():
                return [(Path(unquote(parts.path)), 0)]
    return []


def chain_families(stylesheet: Path = STYLESHEET) -> list[str]:
    """The families the stylesheet's chains name, in order of first use (generic ones
    such as ``serif`` excluded)."""
    families, _ = _parse(stylesheet.read_text(encoding="utf-8"))
    return [f for f in families if f.lower() not in GENERIC_FAMILIES]


@functools.cache
def _chain(stylesheet: Path) -> tuple[tuple[Font, tuple[tuple[int, int], ...]], ...]:
    families, faces = _parse(stylesheet.read_text(encoding="utf-8"))
    chain: dict[Font, tuple[tuple[int, int], ...]] = {}
    for family in families:
        if family in faces:  # an @font-face family hides an installed one of that name
            for src, ranges in faces[family]:
                for font in _face_fonts(src):
                    chain.setdefault(font, tuple(ranges))
            continue
        if family.lower() in GENERIC_FAMILIES:
            fonts = _generic(family)
        else:
            fonts = _installed()[0].get(family.lower(), [])[:1]
        for font in fonts:
            chain.setdefault(font, ())
    return tuple(chain.items())


def chain_fonts(stylesheet: Path = STYLESHEET) -> list[Font]:
    """The font files (and face indexes) the stylesheet's chains resolve to."""
    return [font for font, _ in _chain(Path(stylesheet).resolve())]


class CodePoints:
    """A set of code points held as sorted, disjoint ranges: a CJK font maps 30,000 and
    more code points in a few hundred ranges, so reading and joining the chain's fonts
    costs milliseconds and little memory, and a look-up is a bisection.

    >>> points = CodePoints([(0x41, 0x5A), (0x4E00, 0x9FFF), (0x5B, 0x5B)])
    >>> 0x5B in points, 0x5C in points, points.ranges()
    (True, False, [(65, 91), (19968, 40959)])
    """

    __slots__ = ("starts", "ends", "_outside")

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        merged: list[list[int]] = []
        for lo, hi in sorted(ranges):
            if hi < lo:
                continue
            if merged and lo <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        self.starts = [lo for lo, _ in merged]
        self.ends = [hi for _, hi in merged]
        self._outside: re.Pattern[str] | None = None

    def __contains__(self, cp: int) -> bool:
        i = bisect.bisect_right(self.starts, cp) - 1
        return i >= 0 and cp <= self.ends[i]

    def __bool__(self) -> bool:
        return bool(self.starts)

    def __iter__(self) -> Iterator[int]:
        for lo, hi in zip(self.starts, self.ends, strict=True):
            yield from range(lo, hi + 1)

    def ranges(self) -> list[tuple[int, int]]:
        return list(zip(self.starts, self.ends, strict=True))

    def outside(self, text: str) -> set[str]:
        """The distinct characters of ``text`` not in the set, by one regex scan (the
        class is compiled once, in a few ms).

        >>> sorted(CodePoints([(0x4E00, 0x9FFF)]).outside("中文ab中"))
        ['a', 'b']
        """
        if self._outside is None:
            ranges = "".join(re.escape(chr(lo)) + (f"-{re.escape(chr(hi))}" if hi > lo else "")
                             for lo, hi in self.ranges())
            self._outside = re.compile(f"[^{ranges}]" if ranges else "(?s:.)")
        return set(self._outside.findall(text))

    def within(self, limits: Iterable[tuple[int, int]]) -> CodePoints:
        """The code points that also lie in ``limits`` (an @font-face's unicode-range)."""
        limits = list(limits)
        return CodePoints((max(lo, a), min(hi, b)) for lo, hi in self.ranges() for a, b in limits)


def _cmap(font: Font) -> CodePoints:
    """The code points ``font`` maps to a glyph other than .notdef."""
    path, index = font
    try:
        with TTFont(os.fspath(path), fontNumber=index, lazy=True) as tt:
            return _code_points(tt.reader["cmap"])
    except (OSError, TTLibError, AssertionError, KeyError, struct.error):
        return CodePoints()


def _code_points(cmap: bytes) -> CodePoints:
    """The mapped code points of a raw ``cmap`` table, from its best Unicode subtable.

    fontTools' ``getBestCmap`` also names every glyph, which takes ~0.1 s for a CJK
    font; the code points alone come straight from the subtable's ranges.
    """
    _, count = struct.unpack_from(">HH", cmap, 0)
    records = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
        records.setdefault((platform, encoding), offset)
    for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)):
        if key not in records:
            continue
        offset = records[key]
        fmt = struct.unpack_from(">H", cmap, offset)[0]
        if fmt == 12:
            return CodePoints(_format12(cmap, offset))
        if fmt == 4:
            return CodePoints(_format4(cmap, offset))
    return CodePoints()


def _format12(cmap: bytes, offset: int) -> Iterator[tuple[int, int]]:
    """The groups' code point ranges, adjacent ones joined as they come (a CJK font has
    tens of thousands of one-character groups, in order of code point)."""
    (groups,) = struct.unpack_from(">I", cmap, offset + 12)
    lo = hi = -2
    for start, end, glyph in struct.iter_unpack(">III", cmap[offset + 16 : offset + 16 + 12 * groups]):
        start += glyph == 0  # a group starting at glyph 0 maps its first code point to .notdef
        if start > end:
            continue
        if lo <= start <= hi + 1:
            hi = max(hi, end)
            continue
        if hi >= 0:
            yield lo, hi
        lo, hi = start, end
    if hi >= 0:
        yield lo, hi


def _format4(cmap: bytes, offset: int) -> Iterator[tuple[int, int]]:
    segments = struct.unpack_from(">H", cmap, offset + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", cmap, offset + 14)
    starts_at = offset + 16 + 2 * segments
    starts = struct.unpack_from(f">{segments}H", cmap, starts_at)
    deltas = struct.unpack_from(f">{segments}h", cmap, starts_at + 2 * segments)
    ranges_at = starts_at + 4 * segments
    range_offsets = struct.unpack_from(f">{segments}H", cmap, ranges_at)
    for i in range(segments):
        start, end, delta, range_offset = starts[i], ends[i], deltas[i], range_offsets[i]
        end = min(end, 0xFFFE)
        if range_offset == 0:  # glyph = c + delta: .notdef at one code point at most
            notdef = -delta & 0xFFFF
            yield start, min(end, notdef - 1)
            yield max(start, notdef + 1), end
            continue
        at = ranges_at + 2 * i + range_offset
        run = None
        for c in range(start, end + 1):
            glyph = struct.unpack_from(">H", cmap, at + 2 * (c - start))[0]
            if glyph and (glyph + delta) & 0xFFFF:
                run = run if run is not None else c
            elif run is not None:
                yield run, c - 1
                run = None
        if run is not None:
            yield run, end


@functools.cache
def coverage(stylesheet: Path = STYLESHEET) -> CodePoints:
    """Every code point some font of the stylesheet's chains maps to a glyph (read
    once per process and stylesheet)."""
    return _coverage(Path(stylesheet).resolve())


@functools.cache
def _coverage(stylesheet: Path) -> CodePoints:
    covered: list[tuple[int, int]] = []
    for font, ranges in _chain(stylesheet):
        cmap = _cmap(font)
        covered += (cmap.within(ranges) if ranges else cmap).ranges()
    return CodePoints(covered)


# --- characters -----------------------------------------------------------------------------


def is_noncharacter(char: str) -> bool:
    """U+FDD0..U+FDEF and the last two code points of every plane.

    >>> is_noncharacter("\\ufffe"), is_noncharacter("\\U0010ffff"), is_noncharacter("\\ufffd")
    (True, True, False)
    """
    cp = ord(char)
    return 0xFDD0 <= cp <= 0xFDEF or cp & 0xFFFE == 0xFFFE


def needs_glyph(char: str) -> bool:
    """Whether drawing ``char`` takes a glyph (spaces, controls, format characters and
    variation selectors take none)."""
    return unicodedata.category(char) not in _NEEDS_NO_GLYPH_CATEGORIES and not _NO_GLYPH_NEEDED.match(char)


def meaningless(char: str) -> bool:
    """Private use, noncharacters and surrogates: any glyph a font has for them is not
    the character the writer meant."""
    return unicodedata.category(char) in ("Co", "Cs") or is_noncharacter(char)


def why(char: str) -> str:
    """What the PDF does with an uncovered ``char``, and why (for the report).

    >>> why("\ue000")
    'private use: its meaning is a private agreement; the PDF shows whatever glyph a font has there, or a blank'
    """
    category = unicodedata.category(char)
    if category == "Co":
        return ("private use: its meaning is a private agreement; the PDF shows whatever glyph a font "
                "has there, or a blank")
    if category == "Cs":
        return "a lone surrogate, no character at all"
    if is_noncharacter(char):
        return "a noncharacter, no character at all"
    if category == "Cn":
        return (f"unassigned in Unicode {unicodedata.unidata_version} (or newer) and in no font of the PDF: "
                "it shows as a blank")
    return "no font of the PDF has a glyph for it: it shows as a blank"


def describe(char: str) -> str:
    """``U+XXXX NAME``, or ``U+XXXX <kind>`` for a character without a name.

    >>> describe("𠀀"), describe("\\ue000"), describe("\\u0378")
    ('U+20000 CJK UNIFIED IDEOGRAPH-20000', 'U+E000 <private use>', 'U+0378 <unassigned>')
    """
    cp = ord(char)
    name = unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        name = ("<noncharacter>" if is_noncharacter(char) else
                {"Co": "<private use>", "Cs": "<surrogate>", "Cc": "<control>"}.get(category, "<unassigned>"))
    return f"U+{cp:04X} {name}"


def uncovered(text: str, stylesheet: Path = STYLESHEET) -> list[str]:
    """The distinct characters of ``text`` the PDF cannot draw with a glyph that means
    them, in order of first appearance (see the module docstring).

    One pass over ``text`` (``set``) and set look-ups; a second pass only when some
    character is uncovered, to order them. When no font of the chains can be found
    (:func:`coverage` is empty) only the meaningless characters are returned: a
    warning for every character would say nothing.
    """
    covered = coverage(stylesheet)
    # private use, surrogates and noncharacters found by one regex scan, not by asking
    # unicodedata about every distinct character
    bad = {c for c in _MAYBE_MEANINGLESS.findall(text) if meaningless(c)}
    if covered:  # else no font of the chains was found (no fontconfig?): coverage is unknown
        bad |= {c for c in covered.outside(text) if needs_glyph(c)}
    if not bad:
        return []
    if len(bad) == 1:
        return list(bad)
    return list(dict.fromkeys(filter(bad.__contains__, text)))
