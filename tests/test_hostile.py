"""Hostile and broken inputs: never crash, never trust the input.

A corpus of files generated here (random bytes, lone surrogates, controls, private use,
bidi marks, combining sequences, a 10 MB line, 200,000 lines, whitespace, chrome only,
headings only, numbering repeated thousands of times, NUL bytes, markup, hostile file
names, oversized files) goes through the command line in a subprocess. Each case states
its outcome: the exit status, a one-line message on stderr that names the file, never a
traceback, and what the outputs hold. API-level checks cover what a subprocess cannot
see (the PDF renderer's URL fetcher, Markdown as a Markdown reader renders it).
"""

from __future__ import annotations

import hashlib
import html.parser
import io
import json
import os
import random
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from cleaner.check import accounting
from cleaner.editions import report_json
from cleaner.files import MAX_STEM_BYTES, safe_stem
from cleaner.pipeline import clean_bytes
from cleaner.read import ReadError
from cleaner.stages.safety import INVALID

ROOT = Path(__file__).resolve().parents[1]
TITLE = "某市2023年政府工作报告"
BODY = [
    "各位代表：",
    "一、过去一年工作回顾",
    "过去一年，全市经济增长9.8%，完成固定资产投资1,635亿元，各项事业迈出坚实步伐。",
    "（一）工业经济",
    "规模以上工业产值增长12.3%，新增高新技术企业176家。",
    "二、今年工作安排",
    "坚持稳中求进工作总基调，推动高质量发展，让人民群众的获得感成色更足。",
]
MARKUP = [
    '<img src="file:///etc/passwd">',
    "<script>alert(1)</script>",
    "&amp;",
    "{{ x }}",
    "url(http://example.com/x.png)",
    "[link](http://x)",
]


def document(*extra: str, title: str = TITLE) -> str:
    return "\n".join([title, *BODY[:3], *extra, *BODY[3:]]) + "\n"


def env(**overrides: str) -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e["PYTHONIOENCODING"] = "utf-8"
    e.pop("CLEANER_DEBUG", None)
    e.update(overrides)
    return e


def cli(*args: str, stdin: bytes | None = None, cwd: Path = ROOT, timeout: float = 180,
        **env_overrides: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "cleaner", *args], cwd=cwd, env=env(**env_overrides), input=stdin,
                          capture_output=True, timeout=timeout, check=False)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


def no_traceback(p: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in p.stderr, p.stderr
    assert "Error:" not in p.stderr.replace("ReadError", ""), p.stderr  # no "ValueError: …" dumps


def refused(p: subprocess.CompletedProcess[str], name: str, *words: str, status: int = 2) -> None:
    """A clear refusal: the status, one line naming the file, the reason, no traceback."""
    no_traceback(p)
    assert p.returncode == status, (p.returncode, p.stderr)
    assert name in p.stderr, p.stderr
    for w in words:
        assert w in p.stderr, (w, p.stderr)
    assert len(p.stderr.strip().splitlines()) == 1, p.stderr
    assert p.stdout == ""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def squeeze(text: str) -> str:
    return "".join(text.split())


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def pdf_text(path: Path) -> str:
    p = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60)
    return p.stdout.decode("utf-8")


def assert_complete_editions(out: Path, stem: str, traditional: bool = True) -> None:
    """Every edition of ``stem`` exists and parses."""
    json.loads((out / f"{stem}.report.json").read_text(encoding="utf-8"))
    (out / f"{stem}.txt").read_text(encoding="utf-8")
    (out / f"{stem}.md").read_text(encoding="utf-8")
    suffixes = ["", ".zh-Hant"] if traditional else [""]
    for s in suffixes:
        docx.Document(str(out / f"{stem}{s}.docx"))
        pdf = (out / f"{stem}{s}.pdf").read_bytes()
        assert pdf.rstrip().endswith(b"%%EOF")
        assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) >= 1


# =========================================================================== the corpus

# Inputs that must clean: name -> bytes.
GOOD: dict[str, bytes] = {
    "nul_bytes.txt": document("正文\x00内容\x00完整。").encode(),
    "controls.txt": document("控制\x01字符\x02和\x1b[31m转义\x7f序列\u0085以及\x0b换页\x0c。").encode(),
    "private_use.txt": document("私用区\ue000字符\uf8ff和\U000f0000补充私用区\U0010fffd。").encode(),
    "noncharacters.txt": document("非字符\ufffe和\uffff以及\ufdd0和\U0001fffe、\U0010ffff。", "\ufffe\uffff").encode(),
    "bidi.txt": document("\u200f右到左标记\u202e反转\u202c，\u2067隔离\u2069，שלום עליכם، مرحبا بالعالم。").encode(),
    "combining.txt": document("组合" + "\u0301" * 60 + "字符，e\u0301与é，Z\u0351\u0352\u0353\u0354a\u0355lgo，"
                              "变体选择符\ufe00和\U000e0100。").encode(),
    "surrogates_sprinkled.txt": "\n".join(
        [TITLE] + [f"过去一年，全市经济增长9.8%，完成第{i}批项目{i * 7}个，各项事业迈出坚实步伐。" for i in range(40)]
        + ["正文\ud800内容，\udfff继续。"]).encode("utf-8", "surrogatepass"),
    "utf16_lone_surrogate.txt": document("正文\ud800内容。").encode("utf-16", "surrogatepass"),
    "markup.txt": "\n".join([TITLE, "各位代表：", *(f"正文中出现{m}这样的文字。" for m in MARKUP), *MARKUP,
                              "一、总体情况", "全市经济增长9.8%，完成投资1,635亿元。"]).encode(),
    "headings_only.txt": "一、总体要求\n二、主要目标\n（一）经济发展\n（二）社会民生\n三、保障措施\n".encode(),
    "boilerplate_only.txt": "回到顶部\n下载本文档\n— 3 —\n添加公寻网到电脑桌面\n客服微信:22665800\n".encode(),
    "numbering_one_line.txt": ("一、" * 10000 + "\n").encode(),
    "nested_numbering_one_line.txt": ("（一）" * 5000 + "\n").encode(),
    "crlf_cr_mixed.txt": document().replace("\n", "\r\n", 3).replace("\n", "\r", 2).encode(),
    "gb18030.txt": document().encode("gb18030"),
    "bom_utf8.txt": b"\xef\xbb\xbf" + document().encode(),
}

# Inputs that must be refused: name -> (bytes, words the message must contain).
BAD: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "random_bytes.txt": (random.Random(0).randbytes(4096), ("binary",)),
    "png.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, ("binary",)),
    "many_nuls.txt": (document().encode() + b"\x00" * 50 + document().encode(), ("binary", "NUL")),
    "empty.txt": (b"", ("empty",)),
    "whitespace_only.txt": (" \t\u3000\n\r\n\u00a0 \n\n".encode() * 20, ("empty",)),
    "invisible_only.txt": ("\u200b\ufeff\u2060\n".encode() * 20, ("empty",)),
    "lone_surrogates.txt": ("".join(chr(0xD800 + i) for i in range(400)).encode("utf-8", "surrogatepass"),
                            ("cannot be decoded",)),
    "zip.txt": (b"PK\x03\x04" + bytes(random.Random(1).randbytes(2000)), ("binary",)),
    "utf16_bom_garbage.txt": (b"\xff\xfe" + b"\x00\xd8" * 500, ("utf-16",)),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "in"
    folder.mkdir()
    for name, data in GOOD.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Every edition of every good file, in one `cleaner build` run (HTML too)."""
    before = {p.name: sha256(p) for p in corpus.iterdir()}
    out = tmp_path_factory.mktemp("hostile-out")
    start = time.monotonic()
    p = cli("build", str(corpus), "-o", str(out), "--to", "txt,md,html,docx,pdf", "--quiet", timeout=600)
    print(f"\nbuilt {len(GOOD)} hostile inputs, every edition, in {time.monotonic() - start:.1f} s")
    assert {p.name: sha256(p) for p in corpus.iterdir()} == before, "an input was modified"
    return out, p


@pytest.mark.slow
def test_the_good_corpus_builds_without_failures(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, p = built
    no_traceback(p)
    assert p.returncode == 0, p.stderr
    assert f"{len(GOOD)} of {len(GOOD)} input(s) built" in p.stderr
    assert not [f for f in out.iterdir() if f.name.startswith(".tmp")]


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_input_gives_complete_safe_editions(built: tuple[Path, subprocess.CompletedProcess[str]],
                                                 name: str) -> None:
    out, p = built
    stem = name[:-4]
    assert f"FAILED {name}" not in p.stderr and name not in p.stderr, p.stderr
    assert_complete_editions(out, stem)
    txt = (out / f"{stem}.txt").read_text(encoding="utf-8")
    assert not INVALID.search(txt), ascii(txt)
    for s in ("", ".zh-Hant"):
        assert not INVALID.search(docx_text(out / f"{stem}{s}.docx"))
    report = json.loads((out / f"{stem}.report.json").read_text(encoding="utf-8"))
    assert report["source"] == name


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_input_is_accounted_for(name: str) -> None:
    data = GOOD[name]
    doc = clean_bytes(data, name)
    assert accounting(doc) == []


def test_nul_and_control_characters_are_removed_and_reported(built) -> None:
    out, _ = built
    txt = (out / "nul_bytes.txt").read_text(encoding="utf-8")
    assert "正文内容完整。" in txt
    report = json.loads((out / "nul_bytes.report.json").read_text(encoding="utf-8"))
    assert sum(r["rule"] == "control-char" for r in report["repairs"]) == 2
    txt = (out / "controls.txt").read_text(encoding="utf-8")
    assert "控制字符和[31m转义序列以及换页。" in txt


def test_noncharacters_are_removed_and_reported(built) -> None:
    out, _ = built
    txt = (out / "noncharacters.txt").read_text(encoding="utf-8")
    assert "非字符和以及和、。" in txt
    report = json.loads((out / "noncharacters.report.json").read_text(encoding="utf-8"))
    repairs = [r for r in report["repairs"] if r["rule"] == "invalid-xml-char"]
    assert {r["before"] for r in repairs} >= {"U+FFFE", "U+FFFF", "U+FDD0", "U+1FFFE", "U+10FFFF"}
    # the line that held nothing else is removed, and listed with the characters it held
    assert [r for r in report["removed"] if r["line"] == 6] == [
        {"line": 6, "text": "U+FFFE U+FFFF", "rule": "invalid-xml-char", "kind": "invalid-char"}]
    assert "非字符和以及和、。" in squeeze(docx_text(out / "noncharacters.docx"))
    assert "非字符和以及和、。" in squeeze(pdf_text(out / "noncharacters.pdf"))


@pytest.mark.parametrize("junk", ["\ufffe\uffff", "abc", "###"])
def test_a_junk_line_inside_the_body_does_not_cut_the_headings_after_it(junk: str) -> None:
    doc = clean_bytes(document(junk).encode(), "junk.txt")
    assert [b.text for b in doc.headings()] == ["一、过去一年工作回顾", "（一）工业经济", "二、今年工作安排"], [
        (r.line, r.rule.name, r.text) for r in doc.report.removed]


def test_private_use_bidi_and_combining_characters_are_kept(built) -> None:
    out, _ = built
    assert "私用区\ue000字符\uf8ff和\U000f0000补充私用区\U0010fffd。" in (out / "private_use.txt").read_text("utf-8")
    bidi = (out / "bidi.txt").read_text("utf-8")
    assert "שלום עליכם" in bidi and "مرحبا بالعالم" in bidi and "\u202e反转\u202c" in bidi
    assert "שלום" in docx_text(out / "bidi.docx")
    combining = (out / "combining.txt").read_text("utf-8")
    assert unicodedata.is_normalized("NFC", combining)
    assert "é与é" in combining  # e + U+0301 composed


def test_lone_surrogates_become_replacement_characters_with_a_warning(built) -> None:
    out, _ = built
    for stem in ("surrogates_sprinkled", "utf16_lone_surrogate"):
        txt = (out / f"{stem}.txt").read_text("utf-8")
        assert "\ufffd" in txt and "内容" in txt
        report = json.loads((out / f"{stem}.report.json").read_text("utf-8"))
        assert any(w["kind"] == "invalid-bytes" for w in report["warnings"]), report["warnings"]


def test_chrome_only_gives_an_empty_document_with_every_line_listed(built) -> None:
    out, _ = built
    assert (out / "boilerplate_only.txt").read_text("utf-8").strip() == ""
    report = json.loads((out / "boilerplate_only.report.json").read_text("utf-8"))
    assert sorted(r["line"] for r in report["removed"]) == [1, 2, 3, 4, 5]


def test_headings_only(built) -> None:
    out, _ = built
    txt = (out / "headings_only.txt").read_text("utf-8").splitlines()
    assert txt[:5] == ["一、总体要求", "二、主要目标", "（一）经济发展", "（二）社会民生", "三、保障措施"]
    report = json.loads((out / "headings_only.report.json").read_text("utf-8"))
    assert [(h["level"], h["text"]) for h in report["outline"]] == [
        (1, "一、总体要求"), (1, "二、主要目标"), (2, "（一）经济发展"), (2, "（二）社会民生"), (1, "三、保障措施")]
    # nothing to judge the end by: not called cut off, but the missing body is said
    assert report["truncated"] is False and len(txt) == 5
    assert [w["kind"] for w in report["warnings"]] == ["no-title", "no-body-text"]


def test_repeated_numbering_on_one_line_is_kept_whole(built) -> None:
    out, _ = built
    assert squeeze((out / "numbering_one_line.txt").read_text("utf-8")).count("一、") == 10000
    assert squeeze((out / "nested_numbering_one_line.txt").read_text("utf-8")).count("（一）") == 5000


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("name", sorted(BAD))
@pytest.mark.parametrize("command", ["clean", "check"])
def test_bad_input_is_refused_with_a_message_naming_it(tmp_path: Path, name: str, command: str) -> None:
    data, words = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    refused(cli(command, str(path)), name, *words)
    assert path.read_bytes() == data


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_through_the_api_raises_read_error(name: str) -> None:
    data, words = BAD[name]
    with pytest.raises(ReadError) as e:
        clean_bytes(data, name)
    assert str(e.value).startswith(f"{name}: ")


# =========================================================================== size and time


# A guard against hangs (quadratic behaviour took many minutes on these inputs), not a
# speed target: speed is measured by make bench. Generous, because CI machines are shared.
HANG_GUARD = 300


def _run_measured(tmp_path: Path, data: bytes, timeout: float) -> tuple[float, int, int, str]:
    """`cleaner clean` on ``data`` in a subprocess: (seconds, peak RSS in kB, exit, stderr)."""
    src = tmp_path / "big.txt"
    src.write_bytes(data)
    script = (
        "import sys\n"
        "from cleaner.cli import main\n"
        "with open(sys.argv[2], 'wb') as out:\n"
        "    sys.stdout = open(out.fileno(), 'w', closefd=False)\n"
        "    rc = main(['clean', sys.argv[1]])\n"
        "    sys.stdout.flush()\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print('VmHWM', hwm, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    start = time.monotonic()
    try:
        p = subprocess.run([sys.executable, "-c", script, str(src), str(tmp_path / "out.txt")], env=env(),
                           capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"cleaning {len(data):,} bytes took more than {timeout:.0f} s")
    seconds = time.monotonic() - start
    stderr = p.stderr.decode("utf-8", "replace")
    hwm = int(next(ln.split()[1] for ln in stderr.splitlines() if ln.startswith("VmHWM")))
    return seconds, hwm, p.returncode, stderr


@pytest.mark.slow
def test_10_mb_single_line_time_and_memory(tmp_path: Path) -> None:
    sentence = "过去一年，全市经济增长9.8%，完成投资1,635亿元。"
    n = 10 * 1024 * 1024 // len(sentence.encode())
    data = (sentence * n).encode()
    seconds, hwm, rc, stderr = _run_measured(tmp_path, data, timeout=HANG_GUARD)
    print(f"\n10 MB single line ({len(data):,} bytes): {seconds:.1f} s, peak RSS {hwm / 1024:.0f} MiB")
    assert "Traceback" not in stderr and rc == 0, stderr
    out = (tmp_path / "out.txt").read_text("utf-8")
    assert squeeze(out).count("完成投资1,635亿元") == n
    assert hwm < 1.5 * 1024 * 1024, f"peak RSS {hwm} kB"


@pytest.mark.slow
def test_10_mb_single_line_of_ascii_with_commas(tmp_path: Path) -> None:
    """No hanzi at all: every ',' used to rescan the whole line."""
    data = (b"Growth was 9.8%, investment 1,635, output up; see annex: ok? yes! " * 160000)[:10 * 1024 * 1024]
    seconds, hwm, rc, stderr = _run_measured(tmp_path, data, timeout=HANG_GUARD)
    print(f"\n10 MB ASCII line: {seconds:.1f} s, peak RSS {hwm / 1024:.0f} MiB")
    assert "Traceback" not in stderr and rc == 0, stderr
    assert hwm < 1.5 * 1024 * 1024


@pytest.mark.slow
def test_200000_short_lines(tmp_path: Path) -> None:
    data = "".join(f"第{i}项工作已经完成。\n" for i in range(200_000)).encode()
    seconds, hwm, rc, stderr = _run_measured(tmp_path, data, timeout=HANG_GUARD)
    print(f"\n200,000 short lines ({len(data):,} bytes): {seconds:.1f} s, peak RSS {hwm / 1024:.0f} MiB")
    assert "Traceback" not in stderr and rc == 0, stderr
    assert (tmp_path / "out.txt").read_text("utf-8").count("项工作已经完成") == 200_000
    assert hwm < 1.5 * 1024 * 1024


@pytest.mark.slow
def test_200000_short_table_like_lines(tmp_path: Path) -> None:
    """Short lines without punctuation look like table cells: the table finder must stay linear."""
    data = "".join(f"数据{i}\n" for i in range(200_000)).encode()
    seconds, hwm, rc, stderr = _run_measured(tmp_path, data, timeout=HANG_GUARD)
    print(f"\n200,000 table-like lines: {seconds:.1f} s, peak RSS {hwm / 1024:.0f} MiB")
    assert "Traceback" not in stderr and rc == 0, stderr


def test_numbering_repeated_on_10000_lines(tmp_path: Path) -> None:
    data = ("一、\n" * 10000 + "（一）\n" * 5000).encode()
    seconds, hwm, rc, stderr = _run_measured(tmp_path, data, timeout=HANG_GUARD)
    print(f"\n'一、' x 10,000 lines: {seconds:.1f} s")
    assert "Traceback" not in stderr and rc == 0, stderr


def test_default_size_limit_is_50_mb(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with open(big, "wb") as f:  # sparse: size is checked before anything is read
        f.truncate(51 * 1024 * 1024)
    refused(cli("clean", str(big)), "huge.txt", "over the limit", "50.0 MiB", "--max-size")
    refused(cli("clean", str(big), "--max-size", "0.5"), "huge.txt", "0.5 MiB")


def test_max_size_option(tmp_path: Path) -> None:
    src = tmp_path / "small.txt"
    src.write_text(document() * 5, encoding="utf-8")  # about 3 kB
    refused(cli("clean", str(src), "--max-size", "0.001"), "small.txt", "over the limit", "--max-size")
    refused(cli("check", str(src), "--max-size", "0.001"), "small.txt", "over the limit")
    p = cli("clean", "-", "--max-size", "0.001", stdin=document().encode() * 5)
    refused(p, "<stdin>", "over the limit")
    assert cli("clean", str(src), "--max-size", "1").returncode == 0


@pytest.mark.parametrize("value", ["abc", "-1", "0", "nan", "inf", ""])
def test_max_size_must_be_a_positive_number(tmp_path: Path, value: str) -> None:
    src = tmp_path / "small.txt"
    src.write_text(document(), encoding="utf-8")
    p = cli("clean", str(src), "--max-size", value)
    no_traceback(p)
    assert p.returncode == 2
    assert "--max-size" in p.stderr


# =========================================================================== markup stays text


@pytest.fixture(scope="module")
def markup_doc():
    data = GOOD["markup.txt"]
    return data, clean_bytes(data, "markup.txt")


def marked_lines(out: Path) -> list[str]:
    """The lines of the clean text that hold markup: every edition must show them literally."""
    lines = [ln for ln in (out / "markup.txt").read_text("utf-8").splitlines()
             if any(c in ln for c in "<>&{}[]") or "url" in ln]
    assert len(lines) == 2 * len(MARKUP), lines
    return lines


def hant(line: str) -> str:
    """The Traditional edition of a marked line (only these hanzi differ)."""
    return line.replace("出现", "出現").replace("这样", "這樣")


def test_markup_is_literal_in_the_clean_text(built) -> None:
    out, _ = built
    txt = (out / "markup.txt").read_text("utf-8").splitlines()
    for m in MARKUP:
        assert m in txt, m  # a line of its own: exactly as it was
        # inside a Chinese sentence: only punctuation widths may change ("url(" -> "url（")
        assert unicodedata.normalize("NFKC", f"正文中出现{m}这样的文字。") in [
            unicodedata.normalize("NFKC", t) for t in txt], m


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "title")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _parse_html(markup: str) -> _Collector:
    c = _Collector()
    c.feed(markup)
    c.close()
    return c


def _assert_no_active_markup(c: _Collector) -> None:
    assert not {"img", "script", "a", "link", "iframe", "object", "embed"} & set(c.tags), c.tags
    for name, value in c.attrs:
        assert name not in ("src", "href"), (name, value)
        assert "passwd" not in (value or "") and "example.com" not in (value or "")


def test_markup_is_escaped_in_html(built) -> None:
    out, _ = built
    page = (out / "markup.html").read_text("utf-8")
    c = _parse_html(page)
    _assert_no_active_markup(c)
    lines = [line for line in "".join(c.text).splitlines() if line.strip()]
    for m in marked_lines(out):
        assert m in lines, m
    assert "&amp;amp;" in page and "&lt;script&gt;" in page


def test_markup_renders_as_literal_text_in_markdown(built) -> None:
    """Read the Markdown edition with a CommonMark reader: the text comes back literally."""
    from markdown_it import MarkdownIt  # installed with the test tools (rich, for openxml-audit)

    out, _ = built
    rendered = MarkdownIt("commonmark").render((out / "markup.md").read_text("utf-8"))
    c = _parse_html(rendered)
    _assert_no_active_markup(c)
    paragraphs = [t.strip() for t in "".join(c.text).split("\n") if t.strip()]
    for m in marked_lines(out):
        assert m in paragraphs, (m, paragraphs)


@pytest.mark.parametrize("line", [
    "1. 不是列表", "- 不是列表", "+ 不是列表", "> 不是引用", "# 不是标题", "---", "***", "___", "    缩进不是代码",
    "`代码`", "*强调*", "_强调_", "~~删除~~", "<b>粗体</b>", "&copy; &#x41; &amp;", "a\\b", "[x]: http://x",
    "![图](http://x/y.png)", "<http://x>", "| a | b |", "=====",
])
def test_markdown_escaping_keeps_any_line_literal(line: str) -> None:
    from markdown_it import MarkdownIt

    from cleaner.document import Block, Document
    from cleaner.render.markdown import render_markdown

    doc = Document(title=TITLE, blocks=[Block("paragraph", "正文。"), Block("paragraph", line),
                                        Block("paragraph", "正文。")])
    rendered = MarkdownIt("commonmark").render(render_markdown(doc))
    c = _parse_html(rendered)
    _assert_no_active_markup(c)
    assert c.tags.count("p") == 3 and c.tags.count("h1") == 1, (line, rendered)
    texts = [t for t in "".join(c.text).split("\n") if t.strip()]
    assert texts == [TITLE, "正文。", line.strip(), "正文。"], (line, rendered)


def test_markup_is_literal_in_docx(built) -> None:
    out, _ = built
    for s in ("", ".zh-Hant"):
        text = docx_text(out / f"markup{s}.docx").splitlines()
        lines = marked_lines(out)
        if s:  # the Traditional edition: the same characters but the hanzi
            lines = [hant(ln) for ln in lines]
        for m in lines:
            assert m in text, (s, m)
        with zipfile.ZipFile(out / f"markup{s}.docx") as z:
            rels = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".rels"))
        assert 'TargetMode="External"' not in rels
        assert "passwd" not in rels and "example.com" not in rels


def test_markup_is_literal_in_pdf(built) -> None:
    out, _ = built
    for s in ("", ".zh-Hant"):
        path = out / f"markup{s}.pdf"
        text = squeeze(pdf_text(path))
        for m in marked_lines(out):
            assert squeeze(hant(m) if s else m) in text, (s, m)
        reader = pypdf.PdfReader(str(path))
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                assert "/URI" not in str(annot.get_object()), annot.get_object()


def test_pdf_renderer_fetches_only_fonts(markup_doc) -> None:
    from cleaner.render.pdf import FONT_DIRS, FONT_SUFFIXES, FontOnlyFetcher, pdf_bytes

    data, doc = markup_doc

    class Recorder(FontOnlyFetcher):
        pass

    fetcher = Recorder()
    pdf = pdf_bytes(doc, source_bytes=data, source_name="markup.txt", report_json=report_json(doc),
                    url_fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.requested, "the stylesheet's fonts are fetched through the fetcher"
    for url in fetcher.requested:
        assert url.startswith("file:///"), url
        path = url[len("file://"):]
        assert path.lower().endswith(FONT_SUFFIXES), url
        assert any(os.path.realpath(path).startswith(os.path.realpath(d)) for d in FONT_DIRS), url
        assert "passwd" not in url and "example.com" not in url and "http" not in url


def test_pdf_renderer_refuses_what_it_is_asked_for_outside_fonts() -> None:
    from cleaner.render.pdf import FontOnlyFetcher, RefusedURL

    f = FontOnlyFetcher()
    for url in ("file:///etc/passwd", "http://example.com/x.png", "https://x/y.ttf", "data:text/plain,hi",
                "file:///usr/share/fonts/../../../etc/passwd", "file:///tmp/evil.ttf"):
        with pytest.raises(RefusedURL):
            f.fetch(url)
    assert f.requested[0] == "file:///etc/passwd"


# =========================================================================== hostile file names


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


EDITIONS_NO_HANT = ("txt", "md", "report.json", "docx", "pdf")
# the build's own files at the top of the output folder, written by default (--no-manifest: none)
RECORDS = ["manifest-sha256.txt", "manifest.json", "summary.csv", "summary.json"]


def documents_written(out: Path) -> list[str]:
    """The names in ``out`` less the build's own records, which must all be there."""
    names = sorted(f.name for f in out.iterdir())
    assert set(RECORDS) <= set(names), names
    return [n for n in names if n not in RECORDS]


def test_file_names_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    names = {
        "a\nb.txt": "a_b",
        "..\\..\\evil.txt": "evil",
        "...txt": "document",
        'x:*?"<>|y.txt': "x_y",
        "-rf.txt": "-rf",
        " spaced .txt": "spaced",
        "报" * 80 + ".txt": None,  # 244 bytes: the outputs would pass the 255-byte limit
    }
    bodies = {}
    for i, name in enumerate(names):
        bodies[name] = document(f"第{i}号文件的独有内容。")
        (src / name).write_text(bodies[name], encoding="utf-8")
    hashes = {p.name: sha256(p) for p in src.iterdir()}
    outside = _tree(tmp_path)
    out = tmp_path / "out"
    p = cli("build", str(src), "-o", str(out), "--no-traditional", "--to", "txt,md,docx,pdf", "--quiet")
    no_traceback(p)
    assert p.returncode == 0, p.stderr
    assert {p.name: sha256(p) for p in src.iterdir()} == hashes
    new = _tree(tmp_path) - outside
    assert new and all(x == "out" or x.startswith("out/") for x in new), sorted(new)
    written = documents_written(out)
    assert all(len(f.encode()) <= 255 for f in written)
    stems = {n.rsplit(".", 2 if n.endswith(".report.json") else 1)[0] for n in written}
    assert len(stems) == len(names), written
    for name, expected in names.items():
        stem = expected or next(s for s in stems if s.startswith("报报报"))
        assert len(stem.encode()) <= MAX_STEM_BYTES
        for ed in EDITIONS_NO_HANT:
            assert (out / f"{stem}.{ed}").is_file(), (name, stem, ed)
        assert bodies[name].splitlines()[3] in (out / f"{stem}.txt").read_text("utf-8")


def test_relative_and_absolute_paths(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "work").mkdir()
    (tmp_path / "in" / "x.txt").write_text(document(), encoding="utf-8")
    (tmp_path / "in" / "y.txt").write_text(document(), encoding="utf-8")
    p = cli("build", "../in/x.txt", str(tmp_path / "in" / "y.txt"), "-o", "../out", "--to", "txt,md", cwd=tmp_path / "work")
    assert p.returncode == 0, p.stderr
    assert sorted(f.name for f in (tmp_path / "out").iterdir()) == sorted([
        "x.md", "x.report.json", "x.txt", "y.md", "y.report.json", "y.txt", *RECORDS])
    assert _tree(tmp_path / "work") == set()


def test_very_long_names_are_shortened_distinctly() -> None:
    a, b = "报" * 100 + "甲.txt", "报" * 100 + "乙.txt"  # 304 bytes each, same first 300 bytes
    assert len(a.encode()) > 300
    sa, sb = safe_stem(a), safe_stem(b)
    assert sa != sb
    assert len(sa.encode()) <= MAX_STEM_BYTES and len(f"{sa}.zh-Hant.docx".encode()) <= 255
    assert safe_stem("/abs/path/" + a) == sa
    assert safe_stem("../../" + a) == sa


def test_names_that_differ_only_in_normalisation_get_distinct_outputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    nfc, nfd = unicodedata.normalize("NFC", "报告é"), unicodedata.normalize("NFD", "报告é")
    assert nfc != nfd
    (src / f"{nfc}.txt").write_text(document("NFC的独有内容。"), encoding="utf-8")
    (src / f"{nfd}.txt").write_text(document("NFD的独有内容。"), encoding="utf-8")
    if len(list(src.iterdir())) != 2:
        pytest.skip("this file system folds Unicode normalisation")
    out = tmp_path / "out"
    p = cli("build", str(src), "-o", str(out), "--to", "txt", "--quiet")
    assert p.returncode == 0, p.stderr
    txts = sorted(out / n for n in documents_written(out) if n.endswith(".txt"))
    assert len(txts) == 2, [t.name for t in txts]
    contents = sorted(t.read_text("utf-8") for t in txts)
    assert any("NFC的独有内容" in c for c in contents) and any("NFD的独有内容" in c for c in contents)
    reports = [json.loads(r.read_text("utf-8")) for r in out.glob("*.report.json")]
    assert sorted(r["source"] for r in reports) == sorted([f"{nfc}.txt", f"{nfd}.txt"])


def test_names_that_differ_only_in_case_get_distinct_outputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "Report.txt").write_text(document("大写的独有内容。"), encoding="utf-8")
    (src / "report.txt").write_text(document("小写的独有内容。"), encoding="utf-8")
    (src / "report-2.txt").write_text(document("连字符的独有内容。"), encoding="utf-8")
    if len(list(src.iterdir())) != 3:
        pytest.skip("case-insensitive file system")
    out = tmp_path / "out"
    p = cli("build", str(src), "-o", str(out), "--to", "txt", "--quiet")
    assert p.returncode == 0, p.stderr
    texts = {t.name: t.read_text("utf-8") for t in out.glob("*.txt")}
    assert texts.pop("manifest-sha256.txt")  # the build's fixity list, not a document
    assert len({n.casefold() for n in texts}) == 3, sorted(texts)
    assert "连字符的独有内容" in texts["report-2.txt"]


def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    raw = os.fsencode(str(src)) + b"/\xff\xfe\xb1\xa8\xb8\xe6.txt"  # GBK 报告 after two stray bytes
    with open(raw, "wb") as f:
        f.write(document().encode())
    out = tmp_path / "out"
    p = cli("build", str(src), "-o", str(out), "--to", "txt,md,docx", "--no-traditional", "--quiet")
    no_traceback(p)
    assert p.returncode == 0, p.stderr
    report = json.loads(next(out.glob("*.report.json")).read_text("utf-8"))
    assert report["source"].endswith(".txt") and "\ufffd" in report["source"]
    p = cli("clean", os.fsdecode(raw))
    assert p.returncode == 0 and TITLE in p.stdout, p.stderr
    p = cli("check", os.fsdecode(raw))
    no_traceback(p)
    assert p.returncode == 0, p.stderr


def test_an_output_never_replaces_an_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    src = out / "doc.txt"
    src.write_text(document(), encoding="utf-8")
    before = sha256(src)
    p = cli("build", str(src), "-o", str(out), "--to", "txt,md", "--quiet")
    no_traceback(p)
    assert p.returncode == 1
    assert "doc.txt" in p.stderr and "would replace an input" in p.stderr
    assert sha256(src) == before


def test_unwritable_places_are_reported_not_raised(tmp_path: Path) -> None:
    src = tmp_path / "doc.txt"
    src.write_text(document(), encoding="utf-8")
    a_file = tmp_path / "file"
    a_file.write_text("x")
    p = cli("build", str(src), "-o", str(a_file))
    no_traceback(p)
    assert p.returncode == 2 and "output folder" in p.stderr
    p = cli("clean", str(src), "--report", str(tmp_path / "missing" / "r.json"))
    no_traceback(p)
    assert p.returncode == 2 and "r.json" in p.stderr


# =========================================================================== the command line itself


def test_internal_errors_are_one_line_not_a_traceback(tmp_path: Path, monkeypatch, capsys) -> None:
    from cleaner import cli as cli_module
    from cleaner import pipeline

    src = tmp_path / "doc.txt"
    src.write_text(document(), encoding="utf-8")

    def broken(doc):
        raise RuntimeError("a stage broke")

    monkeypatch.setattr(pipeline, "PIPELINE", [broken])
    assert cli_module.main(["clean", str(src)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "doc.txt" in err and "RuntimeError: a stage broke" in err
    assert "Traceback" not in err


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    src = tmp_path / "doc.txt"
    src.write_text(TITLE + "\n" + "过去一年，全市经济增长9.8%，完成投资1,635亿元。\n" * 20000, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(src)], env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err, err


@pytest.mark.parametrize("epoch", ["99999999999999999999", "253402300800", "-5", "abc", "1e9", ""])
def test_odd_source_date_epoch_never_breaks_a_build(tmp_path: Path, epoch: str) -> None:
    src = tmp_path / "doc.txt"
    src.write_text(document(), encoding="utf-8")  # no date of its own: the epoch would be used
    p = cli("build", str(src), "-o", str(tmp_path / "out"), "--to", "docx,pdf", "--no-traditional",
            SOURCE_DATE_EPOCH=epoch)
    no_traceback(p)
    assert p.returncode == 0, p.stderr


def test_clean_api_accepts_text_with_lone_surrogates() -> None:
    """``pipeline.clean(str)``: a str can hold lone surrogates (from surrogateescape or a JSON
    "\\ud800" escape); the result is a Document or a ReadError, not a UnicodeEncodeError."""
    from cleaner.pipeline import clean

    try:
        doc = clean(document("正文\ud800内容\udcff。"))
    except ReadError:
        return
    assert not INVALID.search(doc.text())
    json.loads(report_json(doc))


# =========================================================================== hostile invocations
# The command line itself attacked: outputs aimed at inputs, terminals that vanish,
# signals, standard input, options that would do nothing.


@pytest.mark.parametrize("how", ["same path", "other spelling", "symlink", "hard link"])
def test_the_report_never_replaces_its_input(tmp_path: Path, how: str) -> None:
    src = tmp_path / "v.txt"
    src.write_text(document(), encoding="utf-8")
    before = sha256(src)
    target = {"same path": str(src), "other spelling": str(tmp_path / "." / "v.txt"),
              "symlink": str(tmp_path / "link.json"), "hard link": str(tmp_path / "hard.json")}[how]
    if how == "symlink":
        os.symlink(src, target)
    if how == "hard link":
        os.link(src, target)
    p = cli("clean", str(src), "--report", target)
    refused(p, "v.txt", "--report", "is the input")
    assert sha256(src) == before


def test_build_never_writes_through_a_link_onto_an_input(tmp_path: Path) -> None:
    src = tmp_path / "in" / "doc.txt"
    src.parent.mkdir()
    src.write_text(document(), encoding="utf-8")
    before = sha256(src)
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(src, out / "doc.txt")  # the output doc.txt would be the input
    p = cli("build", str(src), "-o", str(out), "--to", "txt,md", "--quiet")
    no_traceback(p)
    assert p.returncode == 1 and "would replace an input" in p.stderr
    assert sha256(src) == before and (out / "doc.txt").is_symlink()


def _run_with_closed_pipes(args: list[str], close: tuple[str, ...]) -> int:
    """Run cleaner with stdout and stderr as pipes whose reading ends are closed at once,
    or ("fds",) with file descriptors 1 and 2 closed before it starts (`>&- 2>&-`)."""
    if close == ("fds",):
        proc = subprocess.Popen([sys.executable, "-m", "cleaner", *args], env=env(), stdin=subprocess.DEVNULL,
                                preexec_fn=lambda: (os.close(1), os.close(2)))
        return proc.wait(timeout=300)
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", *args], env=env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for name in close:
        getattr(proc, name).close()
    for name in {"stdout", "stderr"} - set(close):
        getattr(proc, name).read()
    return proc.wait(timeout=300)


@pytest.mark.parametrize("close", [("stderr",), ("stdout", "stderr"), ("fds",)])
def test_failures_keep_their_exit_status_when_the_terminal_is_gone(tmp_path: Path, close) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(BAD["random_bytes.txt"][0])
    good = tmp_path / "good.txt"
    good.write_text(document(), encoding="utf-8")
    assert _run_with_closed_pipes(["clean", str(bad)], close) == 2
    assert _run_with_closed_pipes(["check", str(bad)], close) == 2
    assert _run_with_closed_pipes(["clean", str(tmp_path / "missing.txt")], close) == 2
    assert _run_with_closed_pipes(["build", str(good), str(bad), "-o", str(tmp_path / "out"), "--to", "txt"],
                                  close) == 1
    good2 = tmp_path / "good2.txt"
    good2.write_text(document(), encoding="utf-8")
    out = tmp_path / "out2"
    assert _run_with_closed_pipes(["build", str(good), str(good2), "-o", str(out), "--to", "txt"], close) == 0
    for name in ("good.txt", "good2.txt"):  # and no message went into an output
        assert (out / name).read_text("utf-8").startswith(TITLE + "\n")


def test_sigterm_ends_a_batch_even_when_stderr_is_gone(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(300):
        (src / f"d{i:03}.txt").write_text(document(f"第{i}号文件的独有内容。"), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "build", str(src), "-o", str(out), "--to", "txt"],
                            env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    proc.stderr.close()  # nobody reads the messages any more
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.txt"))) < 5:
        time.sleep(0.05)
    proc.send_signal(15)
    at_signal = len(list(out.glob("*.txt")))
    assert proc.wait(timeout=30) == 128 + 15
    assert len(list(out.glob("*.txt"))) <= at_signal + 1, "the batch went on after SIGTERM"
    assert not [f for f in out.iterdir() if f.name.startswith(".tmp")]


# --------------------------------------------------------------------------- standard input


@pytest.mark.parametrize(("data", "words"), [
    (document().encode() * 5, ("over the limit", "raise it with --max-size")),
    (BAD["utf16_bom_garbage.txt"][0], ("utf-16-le",)),
    (b"\xef\xbb\xbf\xff\xfe\xfd", ("utf-8",)),
])
def test_stdin_messages_name_stdin_once_and_keep_their_words(data: bytes, words: tuple[str, ...]) -> None:
    p = cli("clean", "-", "--max-size", "0.001", stdin=data)
    refused(p, "<stdin>", *words)
    assert p.stderr.count("<stdin>") == 1, p.stderr


def test_build_from_stdin_writes_named_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    p = cli("build", "-", "-o", str(out), "--to", "txt,md", "--quiet", stdin=document().encode(), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert sorted(f.name for f in out.iterdir()) == sorted(["stdin.md", "stdin.report.json", "stdin.txt", *RECORDS])
    assert json.loads((out / "stdin.report.json").read_text("utf-8"))["source"] == "<stdin>"


def test_report_to_a_dash_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "doc.txt"
    src.write_text(document(), encoding="utf-8")
    p = cli("clean", str(src), "--report", "-", cwd=tmp_path)
    no_traceback(p)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.startswith("usage: cleaner clean") and "--report -" in p.stderr, p.stderr
    assert sorted(f.name for f in tmp_path.iterdir()) == ["doc.txt"]


@pytest.mark.parametrize("args", [
    ["clean", "{src}", "--quotes", "corner"],
    ["clean", "{src}", "--variant", "hk"],
    ["build", "{src}", "-o", "{out}", "--variant", "hk", "--no-traditional"],
    ["build", "{src}", "-o", "{out}", "--variant", "hk", "--to", "txt,md"],
    ["build", "{src}", "-o", "{out}", "--to", ","],
    ["build", "{src}", "-o", "{out}", "--to", ""],
])
def test_options_that_would_do_nothing_are_refused(tmp_path: Path, args: list[str]) -> None:
    src = tmp_path / "doc.txt"
    src.write_text(document(), encoding="utf-8")
    out = tmp_path / "out"
    p = cli(*(a.format(src=src, out=out) for a in args))
    no_traceback(p)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith(f"usage: cleaner {args[0]}"), p.stderr
    assert next(a for a in args if a.startswith("--") and a != "--no-traditional") in p.stderr
    assert not out.exists()


def test_build_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(document(), encoding="utf-8")
    out = tmp_path / "out"
    p = cli("build", str(good), str(tmp_path / "missing.txt"), "-o", str(out), "--to", "txt")
    refused(p, "missing.txt", "no such file")
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize("command", ["clean", "check", "build"])
def test_unknown_site_prints_the_subcommands_usage(tmp_path: Path, command: str) -> None:
    src = tmp_path / "doc.txt"
    src.write_text(document(), encoding="utf-8")
    extra = ["-o", str(tmp_path / "out")] if command == "build" else []
    p = cli(command, str(src), *extra, "--site", "nope")
    no_traceback(p)
    assert p.returncode == 2
    assert p.stderr.startswith(f"usage: cleaner {command}"), p.stderr
    assert "nope" in p.stderr


# --------------------------------------------------------------------------- links in input folders


SECRET = "机密内容绝不外泄"


@pytest.fixture
def linked_folder(tmp_path: Path) -> Path:
    """A folder with a document, a link to a file outside it, a link to a folder outside
    it, a link to a file inside it and a link to its own parent (a loop)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(document(SECRET), encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "own.txt").write_text(document("自己的内容。"), encoding="utf-8")
    os.symlink(outside / "secret.txt", folder / "leak.txt")
    os.symlink(outside, folder / "leakdir")
    os.symlink(folder / "own.txt", folder / "alias.txt")
    os.symlink(tmp_path, folder / "loop")
    return folder


def test_links_leaving_an_input_folder_are_skipped_with_a_message(tmp_path: Path, linked_folder: Path) -> None:
    out = tmp_path / "out"
    p = cli("build", str(linked_folder), "-o", str(out), "--to", "txt,md,pdf", "--no-traditional", "--quiet")
    no_traceback(p)
    assert p.returncode == 0, p.stderr
    for name in ("leak.txt", "leakdir", "loop"):
        lines = [ln for ln in p.stderr.splitlines() if name in ln]
        assert len(lines) == 1 and "skipped" in lines[0] and "--follow-links" in lines[0], p.stderr
    assert "2 of 2 input(s) built" in p.stderr and "3 skipped as said above" in p.stderr, p.stderr
    written = sorted(str(f.relative_to(out)) for f in out.rglob("*") if f.is_file())
    assert written == sorted([*(f"{s}.{e}" for s in ("own", "alias") for e in ("txt", "md", "pdf", "report.json")),
                              *RECORDS])
    for f in out.rglob("*"):
        if f.is_file():
            assert SECRET.encode() not in f.read_bytes() and "secret" not in f.name
    assert SECRET not in pdf_text(out / "own.pdf")


def test_follow_links_reads_them_and_survives_a_loop(tmp_path: Path, linked_folder: Path) -> None:
    out = tmp_path / "out"
    p = cli("build", str(linked_folder), "-o", str(out), "--to", "txt", "--follow-links", "--quiet")
    no_traceback(p)
    assert p.returncode == 0, p.stderr
    assert SECRET in (out / "leak.txt").read_text("utf-8")
    assert SECRET in (out / "leakdir" / "secret.txt").read_text("utf-8")
