"""A sample in GB18030, Big5, UTF-16 and as GBK mojibake cleans to the same text as the
UTF-8 original: decoding is the only thing the encoding may change."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from cleaner.pipeline import clean_bytes

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_ae458432d04a05e1.txt"


@pytest.fixture(scope="module")
def simplified() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def traditional(simplified: str) -> str:
    """The seed in Traditional characters, keeping only lines Big5 can encode (Big5 has
    no 琻-style rare characters; the test needs a text that exists in both encodings)."""
    converted = opencc.OpenCC("s2tw").convert(simplified)
    lines = []
    for line in converted.split("\n"):
        try:
            line.encode("cp950")
        except UnicodeEncodeError:
            continue
        lines.append(line)
    text = "\n".join(lines)
    assert len(text) > 0.8 * len(converted), "too few Big5-encodable lines for a fair test"
    return text


def _clean(data: bytes) -> str:
    return clean_bytes(data, "sample.txt").text()


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_simplified_encodings_clean_alike(simplified: str, encoding: str) -> None:
    expected = _clean(simplified.encode("utf-8"))
    data = simplified.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data  # with its BOM
    assert _clean(data) == expected


def test_crlf_and_cr_line_endings_clean_alike(simplified: str) -> None:
    expected = _clean(simplified.encode("utf-8"))
    assert _clean(simplified.replace("\n", "\r\n").encode("utf-8")) == expected
    assert _clean(simplified.replace("\n", "\r").encode("utf-8")) == expected


def test_big5_cleans_like_utf8(traditional: str) -> None:
    expected = _clean(traditional.encode("utf-8"))
    assert _clean(traditional.encode("cp950")) == expected
    assert "太倉市2023年政府工作報告" in expected


def test_gbk_mojibake_is_repaired_and_reported(simplified: str) -> None:
    """UTF-8 bytes that were read as GBK and saved again as UTF-8 (鍏ㄩ潰 for 全面)."""
    expected = _clean(simplified.encode("utf-8"))
    lines = simplified.split("\n")
    # damage a 6-character stretch of a few body lines the way a wrong "open as GBK"
    # does: its UTF-8 bytes read as GBK (6 characters = 18 bytes = 9 GBK characters)
    damaged = []
    count = 0
    for line in lines:
        if count < 3 and len(line) > 40:
            for i in range(len(line) - 6):
                word = line[i:i + 6]
                try:
                    garbled = word.encode("utf-8").decode("gbk")
                except UnicodeDecodeError:
                    continue
                if garbled.encode("gbk") == word.encode("utf-8"):
                    line = line[:i] + garbled + line[i + 6:]
                    count += 1
                    break
        damaged.append(line)
    assert count == 3
    doc = clean_bytes("\n".join(damaged).encode("utf-8"), "sample.txt")
    assert doc.text() == expected
    assert sum(1 for r in doc.report.repairs if r.rule.name == "mojibake-gbk") >= 3
