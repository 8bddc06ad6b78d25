"""Tests for cleaner.read: bytes -> text."""

from __future__ import annotations

import doctest
import io
import random
import sys
from pathlib import Path

import pytest

import cleaner.read
from cleaner.read import Decoded, ReadError, decode, read_path, repair_mojibake

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "corpus" / "dev"  # the project's own copy of the corpus
SEED = ROOT / "seeds" / "000_ae458432d04a05e1.txt"

TRAD = (
    "過去的一年，面對錯綜複雜的經濟形勢和繁重緊迫的改革發展任務，區政府緊緊圍繞市委、"
    "市政府的決策部署，在區委的正確領導下，依靠全區各族幹部群眾，統籌穩增長、促改革、"
    "調結構、惠民生，經濟和社會事業保持良好的發展態勢，較好地完成了年初確定的各項目標任務。"
)
SIMP = (
    "过去的一年，面对错综复杂的经济形势和繁重紧迫的改革发展任务，区政府紧紧围绕市委、"
    "市政府的决策部署，在区委的正确领导下，依靠全区各族干部群众，统筹稳增长、促改革、"
    "调结构、惠民生，经济和社会事业保持良好的发展态势，较好地完成了年初确定的各项目标任务。"
)


def dev_files() -> list[Path]:
    files = sorted(DEV.glob("dev_*.txt"))
    if not files:
        pytest.fail(f"dev corpus not found at {DEV}")
    return files


def reference(path: Path) -> str:
    """The dev files' known encodings (see their truth.json), decoded by hand."""
    codec = "gb18030" if "gb18030" in path.name else "utf-8-sig"
    return path.read_bytes().decode(codec).replace("\r\n", "\n")


def mojibake(text: str) -> str:
    """UTF-8 text read as GBK, as Windows tools do it (lost bytes become U+FFFD)."""
    return text.encode("utf-8").decode("gbk", errors="replace")


# --- encodings -------------------------------------------------------------------------


def test_utf8() -> None:
    d = decode("海拉尔区2015年政府工作报告\n各位代表：\n".encode())
    assert (d.text, d.encoding, d.events, d.warnings) == ("海拉尔区2015年政府工作报告\n各位代表：\n", "utf-8", [], [])


def test_utf8_bom_and_crlf() -> None:
    d = decode(b"\xef\xbb\xbf" + "政府工作报告\r\n各位代表：\r\n".encode())
    assert d.text == "政府工作报告\n各位代表：\n"
    assert d.encoding == "utf-8-sig"
    assert d.events == []


@pytest.mark.parametrize(
    ("codec", "label"),
    [
        ("utf-16-le", "utf-16-le (BOM)"),
        ("utf-16-be", "utf-16-be (BOM)"),
        ("utf-32-le", "utf-32-le (BOM)"),
        ("utf-32-be", "utf-32-be (BOM)"),
    ],
)
def test_utf16_and_utf32_with_bom(codec: str, label: str) -> None:
    d = decode(("\ufeff" + SIMP + "\r\n第二行").encode(codec))
    assert (d.text, d.encoding, d.events) == (SIMP + "\n第二行", label, [])


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec: str) -> None:
    text = "第一章 总则\n政府工作报告 2015\n"  # 一 is U+4E00: one NUL in the "wrong" column
    assert decode(text.encode(codec)).text == text
    assert decode(text.encode(codec)).encoding == codec


def test_gb18030_long() -> None:
    text = SIMP + "\n人名用字䶮（U+4DAE，GB18030 四字节）。\n" + SIMP
    d = decode(text.encode("gb18030"))
    assert (d.text, d.encoding, d.warnings) == (text, "gb18030", [])


@pytest.mark.parametrize("text", ["政府工作报告", "统计公报", "全面深化改革"])
def test_short_gbk(text: str) -> None:
    # charset-normalizer calls "政府工作报告".encode("gbk") cp949; the hanzi score must win.
    d = decode(text.encode("gbk"))
    assert (d.text, d.encoding, d.warnings) == (text, "gb18030", [])


@pytest.mark.parametrize("text", ["政府工作報告", TRAD, TRAD + "\n" + TRAD])
def test_big5(text: str) -> None:
    d = decode(text.encode("cp950"))
    assert (d.text, d.encoding, d.warnings) == (text, "cp950", [])


def test_big5_hkscs_characters_fall_back_to_big5hkscs() -> None:
    text = "羣衆" + TRAD  # 羣衆 are not in cp950
    d = decode(text.encode("big5hkscs"))
    assert (d.text, d.encoding) == (text, "big5hkscs")


@pytest.mark.parametrize("text", ["图纸>", "业", "图纸"])
def test_gbk_that_happens_to_be_valid_utf8(text: str) -> None:
    data = text.encode("gbk")
    data.decode("utf-8")  # valid UTF-8 (Greek, Hebrew, Cyrillic letters), but not the text
    assert decode(data).text == text


@pytest.mark.parametrize("text", ["Привет, мир! Это русский текст.", "日本語のテキストです。", "café"])
def test_valid_utf8_in_other_languages_stays_utf8(text: str) -> None:
    assert (decode(text.encode()).text, decode(text.encode()).encoding) == (text, "utf-8")


# --- mixed encodings --------------------------------------------------------------------


def test_mixed_utf8_and_gb18030_lines_are_read_line_by_line() -> None:
    lines = [("第一部分：" + SIMP, "utf-8"), ("page 2", "ascii"), ("第二部分：" + SIMP, "gb18030"),
             ("", "ascii"), ("第三部分：" + SIMP, "utf-8")]
    data = b"\r\n".join(text.encode(codec) for text, codec in lines)
    d = decode(data, "m.txt")
    assert d.text == "\n".join(text for text, _ in lines)
    assert d.encoding == "utf-8+gb18030"
    assert d.warnings == [
        ("mixed-encoding", 1, "lines 1-2 decoded as utf-8 (the file mixes utf-8 and gb18030)"),
        ("mixed-encoding", 3, "lines 3-4 decoded as gb18030 (the file mixes utf-8 and gb18030)"),
        ("mixed-encoding", 5, "lines 5-5 decoded as utf-8 (the file mixes utf-8 and gb18030)"),
    ]
    assert d.events == []


def test_mixed_with_cr_only_line_breaks() -> None:
    d = decode((SIMP + "\r").encode() + (SIMP + "\r").encode("gb18030") + SIMP.encode(), "m.txt")
    assert (d.text, d.encoding) == ("\n".join([SIMP] * 3), "utf-8+gb18030")
    assert [w[:2] for w in d.warnings] == [("mixed-encoding", 1), ("mixed-encoding", 2), ("mixed-encoding", 3)]


def test_mixed_big5_then_utf8() -> None:
    data = (TRAD + "\n").encode("cp950") + SIMP.encode()
    d = decode(data, "m.txt")
    assert (d.text, d.encoding) == (TRAD + "\n" + SIMP, "cp950+utf-8")
    assert [w[:2] for w in d.warnings] == [("mixed-encoding", 1), ("mixed-encoding", 2)]


def test_mixed_after_a_utf8_byte_order_mark() -> None:
    d = decode(b"\xef\xbb\xbf" + (SIMP + "\n").encode() + SIMP.encode("gb18030"), "m.txt")
    assert (d.text, d.encoding) == (SIMP + "\n" + SIMP, "utf-8-sig+gb18030")
    assert d.warnings[0] == ("mixed-encoding", 1, "lines 1-1 decoded as utf-8-sig (the file mixes utf-8-sig and gb18030)")


def test_mixed_line_valid_in_neither_is_flagged() -> None:
    broken = SIMP.encode("gb18030")[:40] + b"\xff" + SIMP.encode("gb18030")[40:]
    d = decode((SIMP * 3 + "\n").encode() + SIMP.encode("gb18030") + b"\n" + broken, "m.txt")
    assert d.encoding == "utf-8+gb18030"
    assert d.text.split("\n")[2].count("\ufffd") == 1
    assert ("invalid-bytes", 3) in [w[:2] for w in d.warnings]


def test_utf8_mixed_with_no_plausible_encoding_is_refused() -> None:
    japanese = "日本語のテキストです。これは中国語ではない文章です。\n" * 10
    with pytest.raises(ReadError, match=r"^m\.txt: mixes UTF-8 with lines that read as no known encoding") as e:
        decode((SIMP + "\n").encode() + japanese.encode("shift_jis"), "m.txt")
    assert "\n" not in str(e.value)


def test_gb18030_with_a_line_that_happens_to_be_valid_utf8_is_not_mixed() -> None:
    text = SIMP + "\n图纸\n" + SIMP
    d = decode(text.encode("gb18030"), "g.txt")
    assert (d.text, d.encoding, d.warnings) == (text, "gb18030", [])


def test_cr_only_line_endings() -> None:
    d = decode("第一行\r第二行\r\r第四行".encode())
    assert d.text == "第一行\n第二行\n\n第四行"


def test_only_newline_is_a_line_break() -> None:
    d = decode("甲\x0b乙\x0c丙\x1c丁\x85戊\u2028己\u2029庚".encode())
    assert d.text == "甲乙丙丁戊\n己\n庚"
    assert d.text.splitlines() == d.text.split("\n")


def test_ambiguous_two_characters_warn_low_confidence() -> None:
    d = decode(b"\xb0\xb2\xb0\xb5")  # 安暗 in GB18030, 假做 in Big5: both common
    assert d.encoding == "gb18030"  # mainland documents are the common case
    assert [w[0] for w in d.warnings] == ["low-confidence-encoding"]


def test_truncated_utf8_keeps_utf8_and_flags_the_loss() -> None:
    d = decode((SIMP + "\n政府工作报告").encode()[:-1])
    assert d.encoding == "utf-8"
    assert d.text == SIMP + "\n政府工作报\ufffd"
    kinds = {(kind, line) for kind, line, _ in d.warnings}
    assert kinds == {("invalid-bytes", 2), ("irreversible-damage", 2)}


# --- rejected input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"  \r\n\t \n", b"\xef\xbb\xbf", "\u3000\r\n".encode("gbk"), "\u200b\n".encode()]
)
def test_empty(data: bytes) -> None:
    with pytest.raises(ReadError, match=r"^a\.txt: is empty$"):
        decode(data, "a.txt")


@pytest.mark.parametrize("step", [37, 50])  # 50: every NUL in the even column, like UTF-16
def test_random_bytes_are_binary(step: int) -> None:
    data = bytearray(random.Random(7).randbytes(4096))
    data[::step] = b"\x00" * len(data[::step])
    with pytest.raises(ReadError, match=r"^r\.bin: looks like binary data \(NUL bytes\)"):
        decode(bytes(data), "r.bin")


def test_png_is_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00\x5c\x72\xa8\x66"
    with pytest.raises(ReadError, match=r"^p\.png: looks like binary data"):
        decode(png, "p.png")


def test_control_bytes_without_nul_are_binary() -> None:
    data = bytes(random.Random(3).choice(range(1, 32)) for _ in range(200))
    with pytest.raises(ReadError, match=r"^c\.bin: looks like binary data \(\d+% control bytes\)"):
        decode(data, "c.bin")


@pytest.mark.parametrize(
    "data",
    [
        b"report \xff\xff\xff\xff 2015 \xff\xff\xff\xff",  # 0xFF starts nothing anywhere
        "日本語のテキストです。これは中国語ではない文章です。".encode("shift_jis"),
    ],
)
def test_undecodable(data: bytes) -> None:
    with pytest.raises(ReadError, match=r"^x\.txt: cannot be decoded as UTF-8, UTF-16, GB18030 or Big5"):
        decode(data, "x.txt")


def test_size_limit() -> None:
    with pytest.raises(ReadError, match=r"^big\.txt: is 101 bytes .*limit of 100 bytes.*--max-size$"):
        decode(b"a" * 101, "big.txt", max_bytes=100)
    assert decode(b"a" * 100, max_bytes=100).text == "a" * 100


# --- cleaning ---------------------------------------------------------------------------


def test_control_characters_dropped_and_recorded() -> None:
    text = SIMP + "\n政府\x07工作\t报告\x1b[0m\u200b完成\ufeff\n末行\x00\x00。"
    d = decode(text.encode(), "c.txt")
    assert d.text == SIMP + "\n政府工作\t报告[0m完成\n末行。"
    assert d.events == [
        ("control-char", 2, "\x07", ""),
        ("control-char", 2, "\x1b", ""),
        ("control-char", 2, "\u200b", ""),
        ("control-char", 2, "\ufeff", ""),
        ("control-char", 3, "\x00\x00", ""),
    ]


def test_mojibake_repaired_and_recorded() -> None:
    assert mojibake("政府工作报告") == "鏀垮簻宸ヤ綔鎶ュ憡"
    d = decode(f"海拉尔区{mojibake('政府工作报告')}（2015年）\n{mojibake('全面深化改革')}".encode())
    assert d.text == "海拉尔区政府工作报告（2015年）\n全面深化改革"
    assert d.events == [
        ("mojibake-gbk", 1, "鏀垮簻宸ヤ綔鎶ュ憡", "政府工作报告"),
        ("mojibake-gbk", 2, mojibake("全面深化改革"), "全面深化改革"),
    ]
    assert d.warnings == []


def test_mojibake_with_lost_bytes_is_repaired_in_part() -> None:
    # 年 = e5 b9 b4: GBK pairs e5 b9 (骞) and cannot pair b4 with "2", so that byte is lost.
    line = mojibake("全面年2015")
    assert line == "鍏ㄩ潰骞\ufffd2015"
    d = decode(line.encode())
    assert d.text == "全面骞\ufffd2015"  # what was lost stays visible
    assert d.events[0] == ("mojibake-gbk", 1, "鍏ㄩ潰", "全面")
    assert [w[0] for w in d.warnings] == ["mojibake-partial", "irreversible-damage"]
    assert "column 3" in d.warnings[0][2]


@pytest.mark.parametrize(
    ("text", "repairs"),
    [
        # 设 lost a byte: 建's last byte and 设's first share 鸿, 设's last and 全's first share 惧
        ("城市建设全面加", [("鍩庡競寤鸿", "城市建\ufffd"), ("惧叏闈㈠姞", "全面加")]),
        # after 》 the pairs shift: 请 loses a byte, its first byte sits in 嬭, its last in 峰
        ("》请在冰豆网上", [("銆嬭", "》\ufffd"), ("峰湪鍐拌眴缃戜笂", "在冰豆网上")]),
        # 禽 loses a byte; its last byte shares 借 with 肉's first (羊 and 禽 are left as read)
        ("羊禽肉产量35", [("借倝浜ч噺35", "\ufffd肉产量35")]),
    ],
)
def test_mojibake_with_a_silently_dropped_byte_marks_the_lost_character(
    text: str, repairs: list[tuple[str, str]]
) -> None:
    line = text.encode().decode("gbk", errors="ignore")  # lost bytes leave no trace
    d = decode(line.encode())
    assert [(before, after) for rule, _, before, after in d.events if rule == "mojibake-gbk"] == repairs
    assert ("irreversible-damage", 1, "\ufffd", "") in d.events


def test_mojibake_paragraph_mostly_recovered() -> None:
    d = decode(mojibake(SIMP).encode())
    assert d.text.count("\ufffd") == mojibake(SIMP).count("\ufffd")  # one mark per lost byte
    recovered = sum(ch in SIMP for ch in d.text) / len(SIMP)
    assert recovered > 0.8
    assert all(rule in ("mojibake-gbk", "irreversible-damage") for rule, *_ in d.events)


def test_normal_text_is_never_repaired() -> None:
    lines = [SIMP, TRAD, *[ln for f in dev_files() for ln in reference(f).split("\n")]]
    for line in lines:
        assert repair_mojibake(line) == (line, [], [])


def test_text_that_decodes_to_common_hanzi_is_not_repaired_unless_clearly_better() -> None:
    # The GBK bytes of 楹间环 are the UTF-8 bytes of 麼价 (two common characters), but the
    # original already reads well: the repair must not win on its own score alone.
    assert "楹间环".encode("gbk") == "麼价".encode()
    assert decode("雕梁画栋，楹间环绕".encode()).text == "雕梁画栋，楹间环绕"


@pytest.mark.parametrize("codec", ["gb18030", "utf-8"])
def test_normal_text_in_other_encodings_is_unchanged(codec: str) -> None:
    text = "\n".join([SIMP, TRAD, *(reference(f) for f in dev_files())])
    d = decode(text.encode(codec))
    assert (d.text, d.encoding, d.events, d.warnings) == (text, codec, [], [])


def test_dev_corpus_decodes_to_reference() -> None:
    expected = {"dev_05": "utf-8-sig", "dev_06": "gb18030"}
    for path in dev_files():
        d = decode(path.read_bytes(), path.name)
        assert d.text == reference(path), path.name
        assert d.encoding == expected.get(path.name[:6], "utf-8"), path.name
        assert (d.events, d.warnings) == ([], []), path.name


def test_seed_unchanged() -> None:
    data = SEED.read_bytes()
    assert decode(data).text == data.decode("utf-8")


def test_irreversible_damage_warned_with_position() -> None:
    text = "前文锟斤拷锟斤拷后文\n第二行\ufffd结束，烫烫烫烫\n烫烫不算"
    d = decode(text.encode())
    assert d.text == text  # kept
    assert d.events == [
        ("irreversible-damage", 1, "锟斤拷锟斤拷", ""),
        ("irreversible-damage", 2, "\ufffd", ""),
        ("irreversible-damage", 2, "烫烫烫烫", ""),
    ]
    assert [(kind, line) for kind, line, _ in d.warnings] == [
        ("irreversible-damage", 1),
        ("irreversible-damage", 2),
        ("irreversible-damage", 2),
    ]
    assert "line 1, column 3" in d.warnings[0][2] and "前文锟斤拷" in d.warnings[0][2]
    assert "line 2, column 4" in d.warnings[1][2]


# --- read_path --------------------------------------------------------------------------


def test_read_path(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes("政府工作报告".encode("gbk"))
    data, d = read_path(f)
    assert data == f.read_bytes()
    assert isinstance(d, Decoded) and d.text == "政府工作报告"


def test_read_path_errors(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(ReadError, match=r"nope\.txt: no such file$"):
        read_path(missing)
    with pytest.raises(ReadError, match=r": is a directory, not a file$"):
        read_path(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2000)
    with pytest.raises(ReadError, match=r"big\.txt: is 2,000 bytes.*--max-size"):
        read_path(big, max_bytes=1000)


def test_read_path_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "secret.txt"
    f.write_bytes(b"x")

    def refuse(*args: object, **kwargs: object) -> None:  # chmod 0 does not stop root
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cleaner.read, "open", refuse, raising=False)
    with pytest.raises(ReadError, match=r"secret\.txt: permission denied$"):
        read_path(f)


def test_read_path_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("政府工作報告".encode("cp950"))))
    assert read_path("-")[1].text == "政府工作報告"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a" * 11)))
    with pytest.raises(ReadError, match=r"^<stdin>: is over the limit of 10 bytes .*--max-size$"):
        read_path("-", max_bytes=10)


def test_docstring_examples() -> None:
    assert doctest.testmod(cleaner.read).failed == 0


def test_surrogates_encoded_one_by_one_are_one_character_each() -> None:
    """CESU-8 / WTF-8: a lone surrogate's three bytes are one damaged character (not three
    invalid sequences, which refused short files), and an encoded pair is its character."""
    data = ("某市2023年政府工作报告\n全市经济发展坚持推进全面建设，改革开放。".encode() + b"\xed\xa0\x80"
            + "创新服务。\n".encode() + b"\xed\xa0\xbd\xed\xb8\x80\n")
    decoded = decode(data, "x.txt")
    assert decoded.text.splitlines()[1:] == ["全市经济发展坚持推进全面建设，改革开放。\ufffd创新服务。", "\U0001f600"]
    assert [w[2] for w in decoded.warnings if w[0] == "invalid-bytes"] == [
        "1 invalid byte sequence(s) in utf-8 replaced by U+FFFD"]
