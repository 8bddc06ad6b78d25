"""Chinese line composition for the PDF edition (W3C CLREQ, 标点挤压 and 禁则).

WeasyPrint (Pango) breaks Chinese lines between any two characters and, when a
line ends early - the next character is a closing mark that may not start a line,
or a number does not fit - leaves it short; CSS has no inter-character
justification in WeasyPrint. Letter-spacing the short line spreads digits apart
("2 3 7 0") and makes loose lines. A Chinese typesetter fits a line the other way
round: first by compressing punctuation (the blank half of 。，、；：“”（）《》… ,
at line end, in adjacent pairs, then elsewhere on the line), only then by
adjusting the space between characters evenly, and never inside a number or a
Latin word.

:func:`compose` does that before layout: it chooses every line break of a block
and the compression of each mark, and html.py writes the block's lines separated
by newlines; ``pdf.py`` moves the characters after layout: each compressed mark
loses its blank side, and the residue is spread between the characters, never inside
a number or a Latin word. The widths come from the fonts' own
advance tables where the font file is installed, else from a full-width /
half-width estimate; an estimate error costs a fraction of a point, never a reflow.

>>> lines = compose("各位代表，现在我代表人民政府向大会报告工作。", measure=10, indent=2)
>>> ["".join(p.text for p in line) for line in lines]
['各位代表，现在我', '代表人民政府向大会', '报告工作。']
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# --- character classes (CLREQ 3.1.7, line-start and line-end prohibition rules) --------

#: Marks that may not start a line.
NO_START = frozenset("，。、；：？！）》」』〉】〕”’%‰℃…—·．,.;:?!)]}")
#: Marks that may not end a line.
NO_END = frozenset("（《「『〈【〔“‘([{")
#: Marks that may hang past the end of a line.
HANGING = frozenset("，。、；：")
#: Marks whose blank half may be compressed (标点挤压); ？！ stay full.
COMPRESSIBLE = frozenset("，。、；：）》」』〉】〕”’（《「『〈【〔“‘·")
#: Runs that are never broken and never letter-spaced: numbers (with their decimal
#: point, thousands separators, sign and per-cent), Latin words, codes such as T-MAX,
#: any run of Latin-script characters and ASCII signs (3+3, PM2.5, 24微克/立方米's "/").
ATOM = re.compile(r"[!-~\u00c0-\u024f]+")
SPACE = re.compile(r"[ \t\u00a0]+")
_TOKEN = re.compile(rf"(?P<space>{SPACE.pattern})|(?P<atom>{ATOM.pattern})|(?P<char>.)", re.S)

# The Latin face covers this range (style.css: @font-face "GB Latin", unicode-range).
_LATIN_RANGE = ((0x21, 0x7E), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0xFF))

FONT_FILES = {
    "latin": ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
    "fandol": ("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf",),
    "cwtex": ("/usr/share/fonts/truetype/cwtex/cwfs.ttf",),
}


@dataclass(frozen=True)
class Face:
    """How one role's text is set: its font chain (by key of ``FONT_FILES``), size and tracking.

    ``quotes_full``: “ ” ‘ ’ come from FandolFang, full width (style.css does this for
    Traditional, whose cwTeX 仿宋 draws them a third of an em wide)."""

    chain: tuple[str, ...]
    size: float  # pt
    tracking: float  # pt, CSS letter-spacing
    quotes_full: bool = False
    atom_tracking: float | None = None  # pt: numbers and Latin words, if not ``tracking``


@functools.cache
def _font(key: str) -> tuple[dict[int, float], dict[int, tuple[float, float]]] | None:
    """``(advance by code point, (left blank, right blank) by code point)`` in em, or None."""
    path = next((p for p in FONT_FILES.get(key, ()) if Path(p).is_file()), None)
    if path is None:
        return None
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    upm = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    advances = {code: hmtx[name][0] / upm for code, name in cmap.items()}
    blanks: dict[int, tuple[float, float]] = {}
    glyphs = font.getGlyphSet()
    for char in COMPRESSIBLE:
        name = cmap.get(ord(char))
        if name is None:
            continue
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        if pen.bounds:
            blanks[ord(char)] = (pen.bounds[0] / upm, (hmtx[name][0] - pen.bounds[2]) / upm)
    font.close()
    return advances, blanks


def _in_latin_range(code: int) -> bool:
    return any(a <= code <= b for a, b in _LATIN_RANGE)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WFA" and ord(char) >= 0x2000


def _chain(char: str, face: Face) -> tuple[str, ...]:
    return ("fandol",) if face.quotes_full and char in "“”‘’" else face.chain


def advance(char: str, face: Face) -> float:
    """The advance of ``char`` in pt, tracking included."""
    return _advance(char, face)


def _advance(char: str, face: Face) -> float:
    """The advance of ``char`` in pt, tracking included."""
    code = ord(char)
    em = None
    for key in _chain(char, face):
        if em is not None:
            break
        if key == "latin" and not _in_latin_range(code):
            continue
        font = _font(key)
        if font is not None and code in font[0]:
            em = font[0][code]
    if em is None:
        em = 1.0 if _wide(char) else 0.5
    return em * face.size + face.tracking


@functools.lru_cache(maxsize=4096)
def blanks(char: str, face: Face) -> tuple[float, float]:
    """How much of ``char``'s left and right side may be compressed away, in pt."""
    if char not in COMPRESSIBLE:
        return 0.0, 0.0
    half = face.size / 2
    for key in _chain(char, face):
        if key == "latin":
            continue
        font = _font(key)
        if font is not None and ord(char) in font[0]:
            left, right = font[1].get(ord(char), (0.0, 0.0))
            break
    else:  # a mainland-style estimate: closing marks sit left, opening marks right
        left, right = (0.5, 0.0) if char in NO_END else (0.0, 0.5)
    width = advance(char, face) - face.tracking
    left, right = left * face.size, right * face.size
    # Compress at most half an em, from the blank side; a centred mark loses a
    # quarter em on each side.
    if right >= half - 0.05 * face.size:
        return 0.0, min(half, width / 2)
    if left >= half - 0.05 * face.size:
        return min(half, width / 2), 0.0
    if left >= half / 2 and right >= half / 2:
        return half / 2, half / 2
    return 0.0, 0.0


# --- pieces and lines ----------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class Piece:
    """One unbreakable unit: a character, a mark, a space, or a number/Latin word (``atom``)."""

    text: str
    width: float
    atom: bool = False
    space: bool = False
    squeeze_left: float = 0.0  # what may be compressed away
    squeeze_right: float = 0.0
    cut_left: float = 0.0  # what is compressed away
    cut_right: float = 0.0
    # A character of a long number or code: no space after it, and a line may end
    # after it only at this cost (None: never).
    joined: bool = False
    break_cost: float | None = None
    tracking: float | None = None  # pt: an atom's letter-spacing

    @property
    def set_width(self) -> float:
        return self.width - self.cut_left - self.cut_right


@functools.cache
def _metrics(face: Face) -> dict[str, tuple[float, float, float]]:
    """Per face, ``{char: (advance, left blank, right blank)}``, filled as characters come."""
    return {}


def pieces(text: str, face: Face) -> list[Piece]:
    out: list[Piece] = []
    metrics = _metrics(face)

    def advance(char: str, face: Face) -> float:
        if char not in metrics:
            metrics[char] = (_advance(char, face), *blanks(char, face))
        return metrics[char][0]

    for m in _TOKEN.finditer(text):
        word = m.group()
        if m.lastgroup == "space":
            out.append(Piece(" ", advance(" ", face), space=True))
        elif m.lastgroup == "atom":
            tracking = face.tracking if face.atom_tracking is None else face.atom_tracking
            widths = [advance(c, face) - face.tracking + tracking for c in word]
            if len(word) < LONG_ATOM:
                out.append(Piece(word, sum(widths), atom=True, tracking=tracking))
            else:  # a long number may be broken as a last resort, best after - / . ,
                for k, (char, w) in enumerate(zip(word, widths, strict=True)):
                    last = k == len(word) - 1
                    cost = None
                    if not last and not (word[k].isalpha() and word[k + 1].isalpha()):
                        cost = BREAK_AFTER_MARK if char in "-/.,:" else BREAK_IN_NUMBER
                    out.append(Piece(char, w, atom=True, joined=not last, break_cost=cost, tracking=tracking))
        else:
            width = advance(word, face)
            out.append(Piece(word, width, squeeze_left=metrics[word][1], squeeze_right=metrics[word][2]))
    _compress_pairs(out, face)
    return out


def _compress_pairs(items: list[Piece], face: Face) -> None:
    """Adjacent marks share their blanks (。” → the 。 loses its blank half): CLREQ's
    default for mainland punctuation. Centred (Traditional) marks are left full."""
    for a, b in zip(items, items[1:], strict=False):
        if a.squeeze_right and b.text in COMPRESSIBLE and (b.squeeze_left or b.squeeze_right) and not a.squeeze_left:
            if b.squeeze_left or a.text not in NO_END:
                a.cut_right = a.squeeze_right
        elif b.squeeze_left and a.text in COMPRESSIBLE and not b.squeeze_right and not a.cut_right:
            if a.squeeze_left or a.squeeze_right:
                b.cut_left = b.squeeze_left


def _can_break(before: Piece, after: Piece) -> bool:
    if before.joined:
        return before.break_cost is not None
    if before.space or after.space:
        return True
    if after.text[0] in NO_START or before.text[-1] in NO_END:
        return False
    if before.text[-1] in "—…" and after.text[0] == before.text[-1]:
        return False
    return True


# Lines are composed this much (in em) short of the measure, as room for rounding in
# the layout engine (a line that overflows by a hair would be broken again there);
# pdf.py spreads the remainder.
SAFETY = 0.005
# Costs of a line (total fit, as in Knuth and Plass's paragraph builder): stretching
# costs the square of the extra space per character gap in units of STRETCH_UNIT;
# compressing costs the square of the compression in half ems, times COMPRESS_WEIGHT,
# so punctuation is compressed before characters are spaced out (CLREQ 3.8), and
# a lone character on a paragraph's last line (孤字) costs LONE_LAST.
STRETCH_UNIT = 0.1  # pt per gap
MAX_SLACK = 3.0  # em
COMPRESS_WEIGHT = 0.5
LONE_LAST = 4.0
RAGGED_WEIGHT = 0.5
# Numbers and codes of this many characters or more may be broken, at these costs.
LONG_ATOM = 5
BREAK_AFTER_MARK = 12.0
BREAK_IN_NUMBER = 25.0


def _gap_units(piece: Piece) -> int:
    """Places where pdf.py may add space after this piece: one after a number or Latin
    word, one after each character otherwise."""
    if piece.joined:
        return 0
    return 1 if piece.atom else len(piece.text)


def _trim(line: list[Piece]) -> list[Piece]:
    start, end = 0, len(line)
    while start < end and line[start].space:
        start += 1
    while end > start and line[end - 1].space:
        end -= 1
    return line[start:end]


def _hang(piece: Piece) -> float:
    """What hanging ``piece`` at the end of a line adds to compressing it: the rest of
    its width (。，、；： may hang into the margin, 标点悬挂, as Word's default for
    Chinese, "允许标点溢出边界", sets them)."""
    if piece.text not in HANGING:
        return 0.0
    return max(0.0, piece.set_width - (piece.squeeze_left - piece.cut_left + piece.squeeze_right - piece.cut_right))


def _squeeze(line: list[Piece], need: float) -> None:
    """Compress marks on ``line`` by ``need`` pt in total: the line-end mark first, then
    let it hang, then the others from the end of the line."""
    items = _trim(line)
    if not items:
        return
    end = items[-1]
    hang = _hang(end)
    order = [(end, "right"), (end, "left")]
    for piece in reversed(items[:-1]):
        order += [(piece, "right"), (piece, "left")]
    for k, (piece, side) in enumerate(order):
        if need <= 1e-9:
            break
        free = getattr(piece, f"squeeze_{side}") - getattr(piece, f"cut_{side}")
        take = min(free, need)
        if take > 0:
            setattr(piece, f"cut_{side}", getattr(piece, f"cut_{side}") + take)
            need -= take
        if k == 1 and need > 1e-9 and hang:
            take = min(hang, need)
            end.cut_right += take
            need -= take


def _best_breaks(items, breaks, starts, slack, measure, indent, face, min_last, ragged,
                 width, room, gaps, chars, hang, start_at, end_at):
    """Total fit: the least-cost way to every break (costs, previous breaks).

    The inner loop reads per-break arrays (a line from break ``ib`` starts at item
    ``sa[ib]``, at width ``sw[ib]``…), not items through two indexes: it runs for every
    break against every earlier break that can start its line."""
    n = len(items)
    half_em = face.size / 2
    size = face.size
    inf = float("inf")
    best = [inf] * (n + 1)
    prev = [-1] * (n + 1)
    best[0] = 0.0
    sa = [start_at[i] for i in breaks]
    sw = [width[a] for a in sa]
    sr = [room[a] for a in sa]
    sg = [gaps[a] for a in sa]
    sc = [chars[a] for a in sa]
    bb = [inf] * len(breaks)  # best[] by break index
    bb[0] = 0.0
    first_avail = measure - indent
    for jb in range(1, len(breaks)):
        j = breaks[jb]
        last = j == n
        first = jb - 1
        if slack is not None and not last:  # skip lines far too short
            first = min(first, bisect.bisect_right(starts, width[end_at[j]] - slack) - 1)
            if first < 0:
                first = jb - 1
        penalty = 0.0 if last else (items[j - 1].break_cost or 0.0)
        breaks_at_space = items[j - 1].space or (j < n and items[j].space)
        b_end = end_at[j]
        w_end, r_end, g_end, c_end = width[b_end], room[b_end] + hang[b_end], gaps[b_end], chars[b_end]
        best_j, prev_j = inf, -1
        for ib in range(first, -1, -1):
            base = bb[ib]
            if base == inf:
                continue
            a = sa[ib]
            if b_end <= a:  # nothing but spaces
                continue
            natural = w_end - sw[ib]
            avail = first_avail if ib == 0 else measure
            if natural - (r_end - sr[ib]) > avail + 1e-9:
                if ib == jb - 1 and base + 1e6 < best_j:  # one unit wider than the line: alone
                    best_j, prev_j = base + 1e6, breaks[ib]
                break
            if last and ib > 0 and c_end - sc[ib] < min_last:
                continue
            if natural <= avail:
                if last:
                    cost = LONE_LAST if c_end - sc[ib] == 1 and ib > 0 and not ragged else 0.0
                elif ragged:
                    cost = 0.0 if breaks_at_space else RAGGED_WEIGHT * ((avail - natural) / size) ** 2
                else:
                    spaces = g_end - sg[ib] - 1
                    cost = ((avail - natural) / (spaces if spaces > 1 else 1) / STRETCH_UNIT) ** 2
            else:
                cost = COMPRESS_WEIGHT * ((natural - avail) / half_em) ** 2
            total = base + cost + penalty
            if total < best_j:
                best_j, prev_j = total, breaks[ib]
        best[j], prev[j], bb[jb] = best_j, prev_j, best_j
    return best, prev


def compose(text: str, *, measure: float, indent: float = 0.0, face: Face | None = None,
            min_last: int = 1, ragged: bool = False) -> list[list[Piece]]:
    """Break ``text`` into lines of ``measure`` pt (the first indented by ``indent`` pt),
    choosing the breaks of the whole block together: the least stretch and compression
    over all its lines.

    ``min_last``: the last line holds at least this many characters (a heading never
    leaves one character alone on its last line). ``ragged``: lines are not justified
    (headings); a short line costs a little, and breaking at a space nothing.
    Without ``face`` widths are in em (full-width 1, half-width 0.5), for examples.
    """
    face = face or Face(chain=(), size=1.0, tracking=0.0)
    measure -= SAFETY * face.size
    items = pieces(text, face)
    n = len(items)
    if not n:
        return []
    width = [0.0]
    room = [0.0]
    gaps = [0]
    chars = [0]
    for p in items:
        width.append(width[-1] + p.set_width)
        room.append(room[-1] + p.squeeze_left - p.cut_left + p.squeeze_right - p.cut_right)
        gaps.append(gaps[-1] + _gap_units(p))
        chars.append(chars[-1] + len(p.text))
    hang = [0.0] + [_hang(p) for p in items]  # by end index
    # A line [i, j) without its leading and trailing spaces is [start[i], end[j]).
    start_at = list(range(n + 1))
    for k in range(n - 1, -1, -1):
        if items[k].space:
            start_at[k] = start_at[k + 1]
    end_at = list(range(n + 1))
    for k in range(1, n + 1):
        if items[k - 1].space:
            end_at[k] = end_at[k - 1]
    breaks = [0] + [k for k in range(1, n) if _can_break(items[k - 1], items[k])] + [n]
    # Lines shorter than the measure by more than MAX_SLACK ems are not tried (their cost
    # is prohibitive) unless nothing else reaches the end of the block.
    starts = [width[start_at[i]] for i in breaks]
    slack = None if ragged else measure - indent - MAX_SLACK * face.size
    best, prev = _best_breaks(items, breaks, starts, slack, measure, indent, face, min_last, ragged,
                              width, room, gaps, chars, hang, start_at, end_at)
    if best[n] == float("inf") and slack is not None:
        best, prev = _best_breaks(items, breaks, starts, None, measure, indent, face, min_last, ragged,
                                  width, room, gaps, chars, hang, start_at, end_at)
    # Walk back from the end.
    ends = []
    j = n
    while j > 0:
        ends.append(j)
        j = prev[j]
    ends.reverse()
    lines, start = [], 0
    for number, end in enumerate(ends):
        line = _trim(items[start:end])
        avail = measure - (indent if number == 0 else 0.0)
        over = sum(p.set_width for p in line) - avail
        if over > 0:
            _squeeze(line, over)
        lines.append(merge_atoms(line))
        start = end
    return lines


# --- output --------------------------------------------------------------------------------


def line_text(line: list[Piece]) -> str:
    return "".join(p.text for p in line)


def merge_atoms(line: list[Piece]) -> list[Piece]:
    """The characters of a long number, as one piece again (within a line)."""
    out: list[Piece] = []
    for piece in line:
        if out and out[-1].joined:
            prev = out.pop()
            piece = Piece(prev.text + piece.text, prev.width + piece.width, atom=True, joined=piece.joined,
                          break_cost=piece.break_cost, tracking=piece.tracking)
        out.append(piece)
    return out
