"""Test-run summary: the corpus scores of this run (written by tests/test_corpus.py)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

SCORES = Path(__file__).resolve().parents[1] / ".pytest-corpus-scores.json"


def pytest_sessionstart(session) -> None:
    SCORES.unlink(missing_ok=True)
    # the DOCX's converted glyphs (render/truetype.py): every run starts from an empty
    # cache of its own, never the developer's, and the cleaner processes it starts share it
    os.environ["CLEANER_CACHE_DIR"] = tempfile.mkdtemp(prefix="cleaner-test-cache-")


def pytest_terminal_summary(terminalreporter) -> None:
    if not SCORES.is_file():
        return
    terminalreporter.section("corpus scores (tests/corpus, scored by its score.py)")
    for name, line in sorted(json.loads(SCORES.read_text(encoding="utf-8")).items()):
        terminalreporter.write_line(f"{name:<5} {line}")
    SCORES.unlink(missing_ok=True)
