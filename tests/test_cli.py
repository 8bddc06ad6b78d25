"""The command line: help, version, errors and exit codes, stdin, sites, check, build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_ae458432d04a05e1.txt"
# the build's own files in the output folder, written by default (--no-manifest: none)
RECORDS = ["manifest-sha256.txt", "manifest.json", "summary.csv", "summary.json"]
TITLE = "太仓市2023年政府工作报告"
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e["PYTHONIOENCODING"] = "utf-8"
    return e


def cli(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "cleaner", *args], cwd=cwd, env=env(), input=stdin,
                          capture_output=True, timeout=180, check=False)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


# --------------------------------------------------------------------------- help and version


def test_top_level_help_lists_commands_and_exit_status() -> None:
    p = cli("--help")
    assert p.returncode == 0
    for word in ("clean", "build", "check", "sites", "exit status"):
        assert word in p.stdout


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("clean", ["INPUT", "--format", "--report", "stdin", "--site", "--traditional"]),
        ("build", ["OUTDIR", "--to", "--no-traditional", "txt", "md"]),
        ("check", ["INPUT", "--strict", "report"]),
        ("sites", ["site profiles"]),
    ],
)
def test_subcommand_help(command: str, words: list[str]) -> None:
    p = cli(command, "--help")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith(f"usage: cleaner {command}")
    for w in words:
        assert w in p.stdout, (command, w)


def test_version() -> None:
    p = cli("--version")
    assert p.returncode == 0
    assert p.stdout.strip().startswith("cleaner ")
    assert p.stdout.strip().split()[-1][0].isdigit()


def test_no_command_is_a_usage_error() -> None:
    p = cli()
    assert p.returncode == 2
    assert "usage" in p.stderr


def test_unknown_site_is_a_usage_error() -> None:
    p = cli("clean", str(SEED), "--site", "nosuchsite")
    assert p.returncode == 2
    assert "nosuchsite" in p.stderr


# --------------------------------------------------------------------------- unreadable inputs


def _one_line_error(p: subprocess.CompletedProcess[str], name: str) -> str:
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert p.stdout == ""
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, p.stderr
    assert "Traceback" not in p.stderr
    assert name in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("command", ["clean", "check"])
def test_missing_file(tmp_path: Path, command: str) -> None:
    path = tmp_path / "nosuchfile.txt"
    line = _one_line_error(cli(command, str(path)), "nosuchfile.txt")
    assert "no such file" in line


@pytest.mark.parametrize("command", ["clean", "check"])
def test_empty_file(tmp_path: Path, command: str) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    line = _one_line_error(cli(command, str(path)), "empty.txt")
    assert "empty" in line


def test_blank_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\r\n\t\n\xe3\x80\x80\n")
    _one_line_error(cli("clean", str(path)), "blank.txt")


@pytest.mark.parametrize("command", ["clean", "check"])
def test_binary_file(tmp_path: Path, command: str) -> None:
    path = tmp_path / "picture.txt"
    path.write_bytes(BINARY)
    line = _one_line_error(cli(command, str(path)), "picture.txt")
    assert "binary" in line


def test_directory_given_as_file(tmp_path: Path) -> None:
    _one_line_error(cli("clean", str(tmp_path)), tmp_path.name)


# --------------------------------------------------------------------------- clean


def test_clean_reads_stdin() -> None:
    p = cli("clean", "-", stdin=SEED.read_bytes())
    assert p.returncode == 0, p.stderr
    from_file = cli("clean", str(SEED))
    assert p.stdout == from_file.stdout
    assert p.stdout.splitlines()[0] == TITLE


def test_clean_stdin_report_names_stdin(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    p = cli("clean", "-", "--report", str(report), stdin=SEED.read_bytes())
    assert p.returncode == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["source"] == "<stdin>"
    assert data["truncated"] is True


def test_clean_gb18030_input(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    p = cli("clean", str(path))
    assert p.returncode == 0
    assert p.stdout == cli("clean", str(SEED)).stdout


def test_clean_output_is_utf8_without_blank_lines() -> None:
    p = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(SEED)], cwd=ROOT, env=env(),
                       capture_output=True, timeout=120, check=False)
    text = p.stdout.decode("utf-8")  # strict
    assert not text.startswith("\ufeff")
    assert text.endswith("\n") and "\n\n" not in text
    assert "\r" not in text


# --------------------------------------------------------------------------- sites and check


def test_sites_lists_profiles() -> None:
    p = cli("sites")
    assert p.returncode == 0
    names = [line.split()[0] for line in p.stdout.splitlines() if line.strip()]
    assert names[0] == "generic"
    assert "gongxun" in names
    assert "公寻网" in p.stdout


def test_check_shows_profile_and_removed_lines_with_rules() -> None:
    p = cli("check", str(SEED))
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "gongxun" in out and "公寻网" in out
    assert TITLE in out
    assert "2023-01-05" in out
    assert "removed (" in out
    # removed lines with their line numbers and rules
    for rule, text in [("site-outline header", "提纲"), ("listing-title", "VIP免费"),
                       ("gongxun/contains '添加公寻网到电脑桌面'", "添加公寻网到电脑桌面")]:
        assert any(rule in line and text in line for line in out.splitlines()), (rule, text)
    assert "truncated  yes" in out


def test_check_strict_exits_0_on_the_seed() -> None:
    p = cli("check", "--strict", str(SEED))
    assert p.returncode == 0, p.stdout[-2000:]
    assert "UNACCOUNTED" not in p.stdout
    assert "accounting: every non-blank input line" in p.stdout


# --------------------------------------------------------------------------- build


def test_build_good_and_bad(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_bytes(SEED.read_bytes())
    (src / "bad.txt").write_bytes(BINARY)
    out = tmp_path / "out"
    p = cli("build", str(src), "-o", str(out), "--to", "txt,md", "--no-traditional", "--quiet")
    assert p.returncode == 1, p.stderr
    files = sorted(f.name for f in out.iterdir())
    assert files == sorted(["good.md", "good.report.json", "good.txt", *RECORDS])
    assert (out / "good.txt").read_text(encoding="utf-8").splitlines()[0] == TITLE
    assert (out / "good.md").read_text(encoding="utf-8").startswith(f"# {TITLE}")
    report = json.loads((out / "good.report.json").read_text(encoding="utf-8"))
    assert report["truncated"] is True and report["source"] == "good.txt"
    failed = [line for line in p.stderr.splitlines() if "FAILED" in line]
    assert len(failed) == 1
    assert "bad.txt" in failed[0] and "binary" in failed[0]
    assert "1 of 2" in p.stderr


def test_build_txt_equals_clean_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    p = cli("build", str(SEED), "-o", str(out), "--to", "txt", "--no-traditional", "--quiet")
    assert p.returncode == 0, p.stderr
    stem = SEED.stem
    assert (out / f"{stem}.txt").read_text(encoding="utf-8") == cli("clean", str(SEED)).stdout
    # nothing half-written is left behind
    assert sorted(f.name for f in out.iterdir()) == sorted([f"{stem}.report.json", f"{stem}.txt", *RECORDS])


def test_build_unknown_format(tmp_path: Path) -> None:
    p = cli("build", str(SEED), "-o", str(tmp_path / "out"), "--to", "txt,exe", "--quiet")
    assert p.returncode == 2
    assert "exe" in p.stderr


@pytest.mark.parametrize(
    "name",
    [
        "..\\..\\evil.txt",
        "a\nb.txt",
        "....txt",
        "..txt",
        " .txt",
        "tab\tand\rcr.txt",
        "semi;colon|pipe*star?.txt",
        "长" * 80 + ".txt",
    ],
)
def test_build_output_names_cannot_escape(tmp_path: Path, name: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / name).write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    p = cli("build", str(src / name), "-o", str(out), "--to", "txt,md", "--no-traditional", "--quiet")
    assert p.returncode == 0, p.stderr
    written = sorted(out.iterdir())
    assert len(written) == 3 + len(RECORDS) and set(RECORDS) <= {f.name for f in written}, [f.name for f in written]
    for f in written:
        assert f.resolve().parent == out.resolve()
        assert not any(c in f.name for c in "\n\r\t\\/")
        assert not f.name.startswith(".")
        assert len(f.name.encode("utf-8")) <= 255
    # nothing was written outside the output folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]
    assert sorted(p.name for p in src.iterdir()) == [name]


def test_build_same_stem_twice_gets_distinct_names(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "report.txt").write_bytes(SEED.read_bytes())
    (b / "report.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    p = cli("build", str(a / "report.txt"), str(b / "report.txt"), "-o", str(out), "--to", "txt",
            "--no-traditional", "--quiet")
    assert p.returncode == 0, p.stderr
    names = sorted(f.name for f in out.iterdir() if f.name not in RECORDS)
    assert len(names) == 4 and len(set(names)) == 4
    assert len(list(out.iterdir())) == 4 + len(RECORDS)


# --------------------------------------------------------------------------- tables


def _width(text: str) -> int:
    from wcwidth import wcswidth
    return wcswidth(text)


def test_sites_columns_line_up_with_chinese_labels() -> None:
    p = cli("sites")
    assert p.returncode == 0, p.stderr
    rows = [line for line in p.stdout.splitlines() if line.strip()]
    assert any(_width(r) != len(r) for r in rows), "some labels are Chinese"
    # the file-name column and the signatures start at the same display column in every row
    files = {_width(r[: r.index(next(w for w in r.split() if w.endswith(".toml")))]) for r in rows}
    signatures = {_width(r[: r.index("signatures:")]) for r in rows}
    assert len(files) == 1 and len(signatures) == 1, rows


def test_sites_lists_each_signature_once() -> None:
    import unicodedata

    for line in cli("sites").stdout.splitlines():
        sigs = line.split("signatures: ", 1)[1].split(", ")
        keys = ["".join(unicodedata.normalize("NFKC", s).split()) for s in sigs]
        assert len(keys) == len(set(keys)), line


def test_check_removed_table_lines_up_with_chinese_rules(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    assert cli("clean", str(SEED), "--report", str(report)).returncode == 0
    removed = json.loads(report.read_text("utf-8"))["removed"]
    out = cli("check", str(SEED)).stdout.splitlines()
    start = out.index(next(x for x in out if x.startswith("removed (")))
    rows = out[start + 2: start + 2 + len(removed)]
    assert len({_width(r[: r.rindex(x["text"].strip()[:10])]) for r, x in
                zip(rows, sorted(removed, key=lambda x: x["line"]), strict=True)}) == 1, rows


def test_check_prints_warnings_whole_and_names_the_line_once(tmp_path: Path) -> None:
    src = tmp_path / "damaged.txt"
    src.write_text(TITLE + "\n各位代表：\n过去一年，全市经济增长9.8%，" + "完成投资1,635亿元，" * 8
                   + "正文锟斤拷后文。\n", encoding="utf-8")
    out = cli("check", str(src)).stdout
    assert "line 3: line 3" not in out and "line 3, column" in out
    report = tmp_path / "r.json"
    assert cli("clean", str(SEED), "--report", str(report)).returncode == 0
    warnings = json.loads(report.read_text("utf-8"))["warnings"]
    assert any(len(w["message"]) > 90 for w in warnings)
    out = cli("check", str(SEED)).stdout
    for w in warnings:
        assert w["message"] in out, w["message"]
