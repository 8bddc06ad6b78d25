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


# --------------------------------------------------------------------------- mixed encodings


def _halves(text: str, first: str, second: str) -> tuple[bytes, int]:
    """``text``'s first half of lines in ``first``, the rest in ``second``; and the first
    line that reads differently in the second part (ASCII lines read alike in both, so
    they belong to the part above them)."""
    lines = text.split("\n")
    half = len(lines) // 2
    data = ("\n".join(lines[:half]) + "\n").encode(first) + "\n".join(lines[half:]).encode(second)
    return data, next(n for n in range(half + 1, len(lines) + 1) if not lines[n - 1].isascii())


@pytest.mark.parametrize(("first", "second"), [("utf-8", "gb18030"), ("gb18030", "utf-8")])
def test_utf8_and_gb18030_halves_clean_like_utf8(simplified: str, first: str, second: str) -> None:
    """A file pasted together from a UTF-8 and a GB18030 copy: each part is read in its
    own encoding, and the report says which lines were read how."""
    data, change = _halves(simplified, first, second)
    doc = clean_bytes(data, "mixed.txt")
    assert doc.text() == _clean(simplified.encode("utf-8"))
    assert "太仓市2023年政府工作报告" in doc.text() and "鎻愮翰" not in doc.text()
    assert doc.report.encoding == f"{first}+{second}"
    mixed = [w for w in doc.report.warnings if w.kind == "mixed-encoding"]
    total = simplified.count("\n") + 1
    assert [(w.line, w.message) for w in mixed] == [
        (1, f"lines 1-{change - 1} decoded as {first} (the file mixes {first} and {second})"),
        (change, f"lines {change}-{total} decoded as {second} (the file mixes {first} and {second})"),
    ]
    assert not [w for w in doc.report.warnings if w.kind in ("invalid-bytes", "irreversible-damage")]
    assert not [r for r in doc.report.repairs if r.rule.name == "mojibake-gbk"]


def test_utf8_and_big5_halves_clean_like_utf8(traditional: str) -> None:
    data, change = _halves(traditional, "utf-8", "cp950")
    doc = clean_bytes(data, "mixed.txt")
    assert doc.text() == _clean(traditional.encode("utf-8"))
    assert doc.report.encoding == "utf-8+cp950"
    assert [w.line for w in doc.report.warnings if w.kind == "mixed-encoding"] == [1, change]
