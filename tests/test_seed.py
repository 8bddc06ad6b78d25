"""End to end on the seed (a 公寻网 page of 太仓市2023年政府工作报告), through the CLI and
through cleaner.pipeline.clean."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from cleaner.check import accounting
from cleaner.pipeline import clean

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_ae458432d04a05e1.txt"
TITLE = "太仓市2023年政府工作报告"
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

FORBIDDEN = [
    "电脑桌面", "公寻网", "快捷访问", "VIP免费", "提纲", "当您付费下载文档后", "本站所有内容", "违规举报", "客服微信",
    "22665800", "确认删除", "回到顶部", "搜索资料", "我的下载", "会员中心", "联系客服", "(20230105)", "（20230105）",
]
PART_ONE = [
    "一、坚定不移两手抓、两手胜，经济发展韧劲更强",
    "二、坚定不移稳存量、拓增量，转型升级势头更足",
    "三、坚定不移激活力、增动力，开放合作内涵更广",
    "四、坚定不移提质感、增美感，城乡融合风貌更优",
    "五、坚定不移重民生、解民忧，人民生活品质更高",
    "六、坚定不移转作风、强作为，政府建设成效更好",
]
MISSING = ["一、突出经济提质", "二、突出开放提级", "三、突出创新提速", "四、突出品质提档", "五、突出生态提优",
           "六、突出幸福提升", "七、突出安全提标", "八、突出作风提效"]


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e["PYTHONIOENCODING"] = "utf-8"
    return e


def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], cwd=ROOT, env=env(), capture_output=True,
                          timeout=120, check=False)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def key(text: str) -> str:
    """Letters and digits only (NFKC): what accounting compares."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    return SEED.read_bytes().decode("utf-8").split("\n")


@pytest.fixture(scope="module")
def run_cli(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict, bytes]:
    report = tmp_path_factory.mktemp("seed") / "seed.report.json"
    proc = cli("clean", str(SEED), "--report", str(report))
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout.decode("utf-8"), json.loads(report.read_text(encoding="utf-8")), proc.stdout


@pytest.fixture(scope="module")
def doc():
    return clean(SEED)


@pytest.fixture(scope="module", params=["cli", "api"])
def text(request: pytest.FixtureRequest, run_cli: tuple[str, dict, bytes], doc) -> str:
    return run_cli[0] if request.param == "cli" else doc.text()


@pytest.fixture(scope="module")
def report(run_cli: tuple[str, dict, bytes]) -> dict:
    return run_cli[1]


def body_range(seed_lines: list[str]) -> tuple[int, int]:
    """0-based indexes of the first (各位代表:) and last (——要以“战略格局”…) body line of the seed."""
    first = next(i for i, line in enumerate(seed_lines) if line.strip() == "各位代表:")
    last = next(i for i, line in enumerate(seed_lines) if line.startswith("——要以“战略格局”"))
    return first, last


# --------------------------------------------------------------------------- the text


def test_cli_and_api_agree(run_cli: tuple[str, dict, bytes], doc) -> None:
    assert run_cli[0] == doc.text()
    assert run_cli[1] == json.loads(json.dumps(doc.report_dict(), ensure_ascii=False))


def test_first_line_is_the_title(text: str) -> None:
    assert text.split("\n", 1)[0] == TITLE


@pytest.mark.parametrize("needle", FORBIDDEN)
def test_no_site_chrome_survives(text: str, needle: str) -> None:
    assert needle not in text
    assert norm(needle) not in norm(text)


def _restore_reported_insertions(out: str, report: dict) -> str:
    """The normalised output with every reported insertion taken back: lost marks put back
    (、 between two percentages, 。 at a paragraph end) and the closing 。 of run-in headings."""
    out = norm(out)
    for r in report["repairs"]:
        if r["rule"].startswith("lost-mark"):
            before, after = norm(r["before"]), norm(r["after"])
            assert after in out, r
            out = out.replace(after, before, 1)
        elif r["rule"] == "run-in-heading":
            before, after = norm(r["before"]), norm(r["after"])
            assert before.startswith(after), r
            out = out.replace(after, before, 1) if before not in out else out
    return out


def test_every_body_paragraph_is_present_unchanged(text: str, report: dict, seed_lines: list[str]) -> None:
    first, last = body_range(seed_lines)
    out = _restore_reported_insertions(text, report)
    paragraphs = [line for line in seed_lines[first:last + 1] if line.strip()]
    assert len(paragraphs) >= 19
    for p in paragraphs:
        assert norm(p) in out, f"body paragraph changed or lost: {p[:40]}…"


def test_only_reported_marks_were_inserted(report: dict) -> None:
    inserted = []
    for r in report["repairs"]:
        if r["rule"].startswith("lost-mark"):
            before, after = norm(r["before"]), norm(r["after"])
            assert len(after) == len(before) + 1, r
            i = next((k for k in range(len(before)) if before[k] != after[k]), len(before))
            assert after[:i] + after[i + 1:] == before, r
            inserted.append(after[i])
    assert set(inserted) <= {"、", "。", ",", ";"}
    assert sorted(inserted) == sorted(["、", "。"])  # 22.8%、17.7% and the final 。 after 8.65%


def test_no_ascii_punctuation_touches_a_chinese_character(text: str) -> None:
    bad = re.findall(rf"[{CJK}][,:;?!()]|[,:;?!()][{CJK}]", text)
    assert bad == []


@pytest.mark.parametrize("token", ["PM2.5", "“3+3”", "“5+1”", "“T-MAX”", "4A级", "“12345”“12315”", "5.0政策",
                                   "（QFLP）", "“太融e”APP", "劣V类", "22.8%", "17.7%", "8.65%", "1.96万亩"])
def test_tokens_intact(text: str, token: str) -> None:
    assert token in text


def test_quotes_and_dashes_intact(text: str, seed_lines: list[str]) -> None:
    first, last = body_range(seed_lines)
    body = "\n".join(seed_lines[first:last + 1])
    for mark in ("“", "”", "——", "《", "》"):
        assert text.count(mark) == body.count(mark), mark


def test_headings_are_lines_of_their_own(text: str) -> None:
    lines = text.splitlines()
    assert "2022年政府工作回顾" in lines
    for h in PART_ONE:
        assert h in lines or h + "。" in lines, h
    joined = [line for line in lines if line.startswith("以党的二十大精神为指引")]
    assert len(joined) == 1
    assert norm(joined[0]) == "以党的二十大精神为指引全面推进中国式现代化太仓新实践"
    assert "全面推进中国式现代化太仓新实践" not in lines


def test_headings_in_the_report_outline(report: dict) -> None:
    outline = [(h["level"], h["text"]) for h in report["outline"]]
    assert outline[0] == (1, "2022年政府工作回顾")
    assert [t for _, t in outline[1:7]] == PART_ONE
    assert {lvl for lvl, _ in outline[1:7]} == {1}  # 一、 is level 1 (GB/T 9704: 黑体), like the part lines
    assert outline[7][0] == 1 and norm(outline[7][1]) == "以党的二十大精神为指引全面推进中国式现代化太仓新实践"
    assert len(outline) == 8


def test_ends_with_a_note_naming_the_eight_missing_sections(text: str, report: dict) -> None:
    lines = text.splitlines()
    note = lines[-1]
    assert note.startswith("〔编者注") and note.endswith("〕")
    positions = [note.find(s) for s in MISSING]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), note
    assert report["notes"][-1] == note  # the editor's lines the cleaner added end with this note
    assert lines[-2].endswith("优化港口业态、提升港产能级、建")


# --------------------------------------------------------------------------- the report


def test_report_truncation_and_meta(report: dict) -> None:
    assert report["truncated"] is True
    assert report["missing_sections"] == MISSING
    assert report["meta"]["date"] == "2023-01-05"
    assert report["title"] == TITLE
    assert report["profile"] == "gongxun"
    assert len(report["site_outline"]) == 14


def test_every_removed_line_has_a_rule(report: dict, seed_lines: list[str]) -> None:
    assert report["removed"]
    for r in report["removed"]:
        assert isinstance(r["rule"], str) and r["rule"].strip(), r
        assert 1 <= r["line"] <= len(seed_lines), r
        assert norm(r["text"]) == norm(seed_lines[r["line"] - 1]) or norm(r["text"]) in norm(seed_lines[r["line"] - 1]), r


def test_no_body_line_is_reported_removed(report: dict, seed_lines: list[str]) -> None:
    first, last = body_range(seed_lines)
    removed = {r["line"] for r in report["removed"]}
    assert not removed & set(range(first + 1, last + 2)), sorted(removed & set(range(first + 1, last + 2)))


def test_four_lost_mark_warnings(report: dict) -> None:
    lost = [w for w in report["warnings"] if w["kind"] == "lost-mark"]
    assert len(lost) == 4, lost
    contexts = " ".join(w.get("context", "") for w in lost)
    for spot in ("9.8%176", "22.8%17.7%", "100%PM2.5", "8.65%"):
        assert spot in contexts, spot


def test_accounting_every_input_line(doc, report: dict, seed_lines: list[str]) -> None:
    assert accounting(doc) == []
    # independent check: each non-blank line is removed (by line number) or its letters and
    # digits occur in the output
    out = key("".join(doc.text_lines()))
    removed = {r["line"] for r in report["removed"]}
    missing = []
    for n, line in enumerate(seed_lines, start=1):
        if not line.strip():
            continue
        if n in removed:
            continue
        if key(line) not in out:
            missing.append((n, line[:40]))
    assert missing == []


def test_removed_lines_are_not_also_in_the_output(doc, report: dict) -> None:
    lines = set(doc.text_lines())
    for r in report["removed"]:
        if r["rule"] in ("duplicate-title",):
            continue
        assert r["text"].strip() not in lines, r


# --------------------------------------------------------------------------- stability


def test_idempotent(doc) -> None:
    once = doc.text()
    twice = clean(once)
    assert twice.text() == once
    assert twice.report.truncated
    assert twice.evidence.missing_sections == MISSING


def test_two_runs_byte_identical(run_cli: tuple[str, dict, bytes], tmp_path: Path) -> None:
    report = tmp_path / "again.report.json"
    proc = cli("clean", str(SEED), "--report", str(report))
    assert proc.returncode == 0
    assert proc.stdout == run_cli[2]
    assert json.loads(report.read_text(encoding="utf-8")) == run_cli[1]
    proc2 = cli("clean", str(SEED), "--report", str(tmp_path / "third.report.json"))
    assert report.read_bytes() == (tmp_path / "third.report.json").read_bytes()
    assert proc2.stdout == proc.stdout


def test_markdown() -> None:
    proc = cli("clean", str(SEED), "--format", "md")
    assert proc.returncode == 0, proc.stderr
    md = proc.stdout.decode("utf-8")
    assert md.startswith(f"# {TITLE}\n")
    lines = md.splitlines()
    assert "## 2022年政府工作回顾" in lines
    for h in PART_ONE:
        assert f"## {h}" in lines, h
    assert any(line.startswith("## 以党的二十大精神为指引") for line in lines)
    assert not any(line.startswith("#") and "突出经济提质" in line for line in lines)
    heads = [line for line in lines if line.startswith("#")]
    assert len(heads) == 1 + 8
    assert lines[-1].startswith("> 〔编者注")
