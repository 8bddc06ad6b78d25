"""The shared dev corpus (../shared/corpus/dev), scored with the corpus's own scorer.

The corpus lives next to the project (``Path(__file__).parents[2] / "shared" / "corpus"``).
If it is missing, these tests fail: a missing corpus must not pass silently.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEV = CORPUS / "dev"
SCORER = CORPUS / "score.py"
MISSING = "<dev corpus missing>"

MIN_RECALL_CASE = 0.99
MIN_RECALL = 0.995
MIN_PRECISION = 0.99
MIN_HEADINGS = 0.95
MIN_PUNCT = 0.98


def case_names() -> list[str]:
    if not DEV.is_dir():
        return [MISSING]
    names = sorted(p.name[: -len(".truth.json")] for p in DEV.glob("*.truth.json") if p.with_name(
        p.name[: -len(".truth.json")] + ".txt").is_file())
    return names or [MISSING]


CASES = case_names()


def _require_corpus() -> None:
    if not DEV.is_dir():
        pytest.fail(f"dev corpus not found at {DEV} (expected ../shared/corpus/dev next to the project root)")
    if not SCORER.is_file():
        pytest.fail(f"corpus scorer not found at {SCORER}")
    if CASES == [MISSING]:
        pytest.fail(f"no cases (NAME.txt + NAME.truth.json) in {DEV}")


def load_scorer() -> ModuleType:
    _require_corpus()
    spec = importlib.util.spec_from_file_location("corpus_score", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Result:
    def __init__(self, name: str, output: str, report: dict, truth: dict) -> None:
        self.name, self.output, self.report, self.truth = name, output, report, truth


_results: dict[str, Result] = {}


def result(name: str) -> Result:
    """Run ``python -m cleaner clean CASE --report FILE`` once per case, as the scorer does."""
    _require_corpus()
    if name == MISSING:
        pytest.fail(f"dev corpus not found at {DEV}")
    if name not in _results:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        with tempfile.TemporaryDirectory() as tmp:
            report_path = Path(tmp) / "report.json"
            proc = subprocess.run(
                [sys.executable, "-m", "cleaner", "clean", str(DEV / f"{name}.txt"), "--report", str(report_path)],
                cwd=ROOT, env=env, capture_output=True, timeout=60, check=False)
            assert proc.returncode == 0, f"{name}: exit {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')}"
            report = json.loads(report_path.read_text(encoding="utf-8"))
        truth = json.loads((DEV / f"{name}.truth.json").read_text(encoding="utf-8"))
        _results[name] = Result(name, proc.stdout.decode("utf-8"), report, truth)
    return _results[name]


def scored_output(scorer: ModuleType, r: Result) -> str:
    """The output as the scorer sees it: lines equal to one of the report's notes dropped."""
    notes = {scorer.norm(n) for n in r.report.get("notes", []) if isinstance(n, str)}
    return "\n".join(line for line in r.output.splitlines() if scorer.norm(line) not in notes)


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    return load_scorer()


def test_dev_corpus_is_present() -> None:
    _require_corpus()
    assert len(CASES) >= 6, CASES


@pytest.mark.parametrize("name", CASES)
def test_no_boilerplate_leaks(scorer: ModuleType, name: str) -> None:
    r = result(name)
    out = scorer.norm(scored_output(scorer, r))
    leaked = [b for b in r.truth.get("boilerplate", []) if len(scorer.norm(b)) >= 2 and scorer.norm(b) in out]
    assert leaked == []


@pytest.mark.parametrize("name", CASES)
def test_truth_headings_are_lines(scorer: ModuleType, name: str) -> None:
    r = result(name)
    lines = {scorer.norm(line).lstrip("#") for line in r.output.splitlines()}
    missing = [h["text"] for h in r.truth.get("headings", []) if scorer.norm(h["text"]) not in lines]
    assert missing == []


@pytest.mark.parametrize("name", CASES)
def test_truncation_verdict(name: str) -> None:
    r = result(name)
    assert r.report.get("truncated") is bool(r.truth.get("truncated")), r.report.get("truncation_reasons")
    if r.truth.get("truncated"):
        assert r.report.get("notes"), "a truncated document must carry the editor's note"
        assert r.output.splitlines()[-1] in r.report["notes"]


@pytest.mark.parametrize("name", CASES)
def test_body_recall_and_precision(scorer: ModuleType, name: str) -> None:
    r = result(name)
    out = scored_output(scorer, r)
    recall = scorer.body_recall(r.truth, scorer.norm(out))
    precision = scorer.precision(r.truth, out)
    assert recall >= MIN_RECALL_CASE, f"{name}: recall {recall:.4f}"
    assert precision >= MIN_PRECISION, f"{name}: precision {precision:.4f}"


@pytest.mark.parametrize("name", CASES)
def test_title(scorer: ModuleType, name: str) -> None:
    r = result(name)
    titles = [r.truth["title"]] + list(r.truth.get("title_alternatives", []))
    assert scorer.norm(r.output.splitlines()[0]) in {scorer.norm(t) for t in titles}


def test_macro_scores(scorer: ModuleType) -> None:
    _require_corpus()
    recalls, precisions, headings, puncts, truncation = [], [], [], [], []
    for name in CASES:
        r = result(name)
        out = scored_output(scorer, r)
        recalls.append(scorer.body_recall(r.truth, scorer.norm(out)))
        precisions.append(scorer.precision(r.truth, out))
        h, _ = scorer.heading_recall(r.truth, out)
        if h is not None:
            headings.append(h)
        u = scorer.punct_restored(r.truth, out)
        if u is not None:
            puncts.append(u)
        truncation.append(r.report.get("truncated") is bool(r.truth.get("truncated")))

    def mean(xs: list[float]) -> float:
        return sum(xs) / len(xs) if xs else 0.0

    summary = (f"recall={mean(recalls):.4f} precision={mean(precisions):.4f} headings={mean(headings):.4f} "
               f"punct={mean(puncts):.4f} truncation={sum(truncation)}/{len(truncation)}")
    assert mean(recalls) >= MIN_RECALL, summary
    assert mean(precisions) >= MIN_PRECISION, summary
    assert mean(headings) >= MIN_HEADINGS, summary
    assert mean(puncts) >= MIN_PUNCT, summary
    assert all(truncation), summary


def test_scorer_command_line(tmp_path: Path) -> None:
    """The project's scoring command, exactly as the corpus README gives it."""
    _require_corpus()
    js = tmp_path / "score.json"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    cmd = f"{sys.executable} -m cleaner clean {{input}} --report {{report}}"
    proc = subprocess.run([sys.executable, str(SCORER), "--cases", str(DEV), "--cmd", cmd, "--json", str(js)],
                          cwd=ROOT, env=env, capture_output=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    data = json.loads(js.read_text(encoding="utf-8"))
    summary = proc.stdout.decode("utf-8", "replace").strip().splitlines()[-1]
    assert data["failed"] == 0, summary
    assert data["leaked"] == 0, summary
    assert data["recall"] >= MIN_RECALL, summary
    assert data["precision"] >= MIN_PRECISION, summary
    assert data["headings"] >= MIN_HEADINGS, summary
    assert data["punct"] >= MIN_PUNCT, summary
    assert data["truncation"] == 1.0, summary
