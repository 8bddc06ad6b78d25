"""The DOCX's CFF → TrueType conversion and its glyph cache (cleaner/render/truetype.py):
cached or not, in this process or the next, broken or missing, the font's bytes are
those of a fresh conversion."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from cleaner.render import docx, truetype

TEXT = "太仓市人民政府关于印发二〇二三年政府工作报告的通知，“十四五”规划。"


@pytest.fixture(scope="module")
def subset() -> tuple[bytes, str]:
    """A CFF subset of the body face (仿宋), and the id of its font file."""
    located = docx._locate(docx._fonts_for("zh-CN").body)
    assert located is not None, "the body face is installed (scripts/system-deps.sh)"
    path, index = located
    data = docx._harfbuzz_subset(path, index, sorted(map(ord, set(TEXT))))
    assert data is not None and "CFF " in TTFont(io.BytesIO(data)), "a CFF face"
    return data, truetype.font_id(path, index)


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(truetype.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(truetype, "_memory", {})
    return tmp_path / "cache" / truetype.CACHE_FILE


def _converting(fn):
    before = truetype.converted
    out = fn()
    return out, truetype.converted - before


def test_cached_glyphs_give_the_bytes_of_a_fresh_conversion(subset, cache):
    data, source = subset
    fresh, n = _converting(lambda: truetype.truetype_outlines(data))
    assert n > len(set(TEXT)) - 5 and "glyf" in TTFont(io.BytesIO(fresh))
    cold, n_cold = _converting(lambda: truetype.truetype_outlines(data, source))
    assert cold == fresh and n_cold == n and cache.is_file()
    warm_memory, n_memory = _converting(lambda: truetype.truetype_outlines(data, source))
    truetype._memory.clear()
    warm_disk, n_disk = _converting(lambda: truetype.truetype_outlines(data, source))
    assert warm_memory == warm_disk == fresh
    assert n_memory == n_disk == 0, "every glyph came from the cache"


def test_a_subset_with_new_characters_converts_only_those(subset, cache):
    data, source = subset
    truetype.truetype_outlines(data, source)
    path, index = docx._locate(docx._fonts_for("zh-CN").body)
    more = docx._harfbuzz_subset(path, index, sorted(map(ord, set(TEXT + "鼎"))))
    out, n = _converting(lambda: truetype.truetype_outlines(more, source))
    assert n == 1 and out == truetype.truetype_outlines(more)


@pytest.mark.parametrize("damage", ["not a database", "a folder in the way", "a bad glyph", "no cache"])
def test_a_broken_or_missing_cache_is_passed_by(subset, cache, monkeypatch, damage):
    data, source = subset
    fresh = truetype.truetype_outlines(data)
    cache.parent.mkdir(parents=True)
    if damage == "not a database":
        cache.write_bytes(b"\x00garbage" * 100)
    elif damage == "a folder in the way":
        cache.mkdir()
    elif damage == "a bad glyph":
        truetype.truetype_outlines(data, source)
        truetype._memory.clear()
        with sqlite3.connect(cache) as db:
            db.execute("UPDATE glyphs SET data = ?", (b"\x00\x05broken",))
        db.close()
    else:
        monkeypatch.setenv(truetype.CACHE_ENV, "")
    assert truetype.truetype_outlines(data, source) == fresh
    assert truetype.truetype_outlines(data, source) == fresh  # and again, from what the process kept
    if damage == "no cache":
        assert not any(cache.parent.iterdir())


def test_the_next_process_takes_its_glyphs_from_the_disk(tmp_path):
    """A whole `cleaner build` of the seed: the second run converts no glyph and writes
    the same DOCX bytes."""
    root = Path(__file__).resolve().parents[1]
    script = (
        "import sys\n"
        "from cleaner.pipeline import clean\n"
        "from cleaner.render import docx, truetype\n"
        f"data = docx.docx_bytes(clean({str(root / 'seeds' / '000_ae458432d04a05e1.txt')!r}))\n"
        "sys.stdout.write(str(truetype.converted))\n"
        "sys.stdout.flush()\n"
        "open(sys.argv[1], 'wb').write(data)\n"
    )
    env = {**os.environ, truetype.CACHE_ENV: str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", script, str(tmp_path / f"{n}.docx")], env=env, check=True,
                           capture_output=True, text=True) for n in (1, 2)]
    assert int(runs[0].stdout) > 500 and int(runs[1].stdout) == 0
    assert (tmp_path / "1.docx").read_bytes() == (tmp_path / "2.docx").read_bytes()
