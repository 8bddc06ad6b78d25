"""CFF (PostScript) outlines → TrueType ones, for the fonts the DOCX embeds, with a glyph cache.

Word embeds only TrueType-flavoured fonts (the Windows embedding API is TrueType's), so a
CFF face such as FandolFang or Noto CJK is converted: cubic curves become quadratic ones
within 1 font unit (1/1000 em), invisible at any printed size. LibreOffice reads either.

Converting costs about 1 ms a glyph (the CFF charstrings are interpreted in Python, then
cu2qu, then the glyf compiler): a second a document for the 仿宋 subset alone, more than
the rest of the DOCX. A converted glyph depends only on the font file and which glyph it
is, so it is kept, by the font file (path, face index, size, mtime) and the glyph's name
(a subset keeps the names of the font's charset: ``cid04559`` is the same glyph in every
subset): in memory for the process (a batch worker's next documents), and on disk for the
next process, in ``truetype-glyphs.sqlite3`` under ``$CLEANER_CACHE_DIR`` (default
``$XDG_CACHE_HOME/cleaner``, or ``~/.cache/cleaner``; set it empty for no disk cache).
Cached or not, the font's bytes are those of a fresh conversion; a cache that cannot be
read or written is passed by, never a failed build.
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import struct
from collections.abc import Iterator
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph

CACHE_ENV = "CLEANER_CACHE_DIR"
CACHE_FILE = "truetype-glyphs.sqlite3"

#: font id → {glyph name: compiled TrueType glyph}; what this process converted or read
_memory: dict[str, dict[str, bytes]] = {}
#: glyphs this process converted (not taken from a cache): the tests read it
converted = 0


class _Compiled(Glyph):
    """A glyph already compiled: saving the font writes these bytes as they are. (The
    glyf compiler would decompile and compile every glyph again to recompute its
    bounding box, which the bytes already hold.)"""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.compiled = data

    def compile(self, glyfTable, recalcBBoxes=True, **options) -> bytes:  # noqa: N803 (fontTools' name)
        return self.compiled


def font_id(path: Path, index: int) -> str:
    """What a cached glyph belongs to: the font file as it is now."""
    st = path.stat()
    return f"{os.path.realpath(path)}#{index}:{st.st_size}:{st.st_mtime_ns}"


def truetype_outlines(data: bytes, source: str | None = None) -> bytes:
    """``data`` (a font, usually a subset) with CFF outlines converted to TrueType ones;
    ``data`` itself when it has none. ``source``: ``font_id`` of the file ``data`` was cut
    from, which lets converted glyphs be cached (None: no cache)."""
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    if "CFF " not in font:
        return data
    if source is None:
        return _convert(font, {}, {})
    cached = _cached(source)
    try:
        return _convert(font, cached, _memory.setdefault(source, {}), source)
    except Exception:  # an unreadable cached glyph: convert afresh; the process stops using the cache
        _memory[source] = {}
        return _convert(TTFont(io.BytesIO(data), recalcTimestamp=False), {}, {})


def _convert(font: TTFont, cached: dict[str, bytes], learned: dict[str, bytes], source: str | None = None) -> bytes:
    global converted
    order = font.getGlyphOrder()
    outlines = font.getGlyphSet()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    fresh: dict[str, bytes] = {}
    for name in order:
        compiled = cached.get(name)
        if compiled is None:
            pen = TTGlyphPen(None)
            outlines[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
            compiled = pen.glyph().compile(glyf, True, optimizeSize=True)  # as glyf's own compile
            converted += 1
            fresh[name] = compiled
        glyf.glyphs[name] = _Compiled(compiled)
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    hmtx = font["hmtx"]
    for name in order:  # TrueType: left side bearing = xMin
        compiled = glyf.glyphs[name].compiled
        hmtx[name] = (hmtx[name][0], struct.unpack(">h", compiled[2:4])[0] if compiled else 0)
    maxp = font["maxp"] = newTable("maxp")  # version 1.0; the counts are recomputed on save
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    font["post"].formatType = 3.0  # no glyph names: a CID-keyed CFF has none either
    font.sfntVersion = "\x00\x01\x00\x00"
    out = io.BytesIO()
    font.save(out)
    if source is not None and fresh:
        learned.update(fresh)
        _store(source, fresh)
    return out.getvalue()


# --- the cache -----------------------------------------------------------------------------


def cache_path() -> Path | None:
    """The disk cache's file, or None when ``$CLEANER_CACHE_DIR`` is set empty."""
    folder = os.environ.get(CACHE_ENV)
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "cleaner")
    return Path(folder, CACHE_FILE) if folder else None


@contextlib.contextmanager
def _database() -> Iterator[sqlite3.Connection | None]:
    path = cache_path()
    if path is None:
        yield None
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=5)  # batch workers share it: wait for a writer
        db.execute("CREATE TABLE IF NOT EXISTS glyphs (font TEXT, glyph TEXT, data BLOB,"
                   " PRIMARY KEY (font, glyph)) WITHOUT ROWID")
    except (OSError, sqlite3.Error):
        yield None
        return
    try:
        with db:  # one transaction
            yield db
    finally:
        db.close()


def _cached(source: str) -> dict[str, bytes]:
    """The glyphs of ``source`` converted before: by this process, or by any (disk)."""
    if source in _memory:
        return _memory[source]
    found: dict[str, bytes] = {}
    try:
        with _database() as db:
            if db is not None:
                found = {name: bytes(data) for name, data in db.execute(
                    "SELECT glyph, data FROM glyphs WHERE font = ?", (source,))}
    except sqlite3.Error:  # not a database, locked too long: no cache this time
        found = {}
    _memory[source] = found
    return found


def _store(source: str, glyphs: dict[str, bytes]) -> None:
    try:
        with _database() as db:
            if db is not None:
                db.executemany("INSERT OR IGNORE INTO glyphs VALUES (?, ?, ?)",
                               [(source, name, data) for name, data in sorted(glyphs.items())])
    except sqlite3.Error:
        pass
