"""Batches at scale: many documents in worker processes (``--jobs``), with the same
outputs as one job, the per-document time limit, and clean ends on SIGINT and SIGTERM."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "tests" / "corpus").glob("dev*/*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))
NAMES = ["{n:03}_{stem}.txt", "报告 {n}.txt", "{n}-Notice.TXT", "关于印发{n}号文件的通知.txt"]


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e["PYTHONIOENCODING"] = "utf-8"
    e.pop("SOURCE_DATE_EPOCH", None)
    return e


def build(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", "build", *args, "--quiet"], env=env(),
                          capture_output=True, text=True, timeout=timeout, check=False)


def make_batch(root: Path, count: int) -> Path:
    """``count`` inputs from the corpus cases and the seed under ``root/inbox``: varied
    names (Chinese, spaces, upper-case .TXT), nested folders, two files of one name in
    two folders, and one unreadable file (binary)."""
    inbox = root / "inbox"
    for n in range(count - 3):
        src = SOURCES[n % len(SOURCES)]
        sub = inbox.joinpath(*[f"{n % 3}区", "深层"][: 1 + (n % 5 == 0)])
        sub.mkdir(parents=True, exist_ok=True)
        name = NAMES[n % len(NAMES)].format(n=n, stem=src.stem[:20])
        # one line of its own, so that no two inputs are the same document
        (sub / name).write_bytes(src.read_bytes().rstrip() + f"\n\n本文件编号：第{n}号。\n".encode())
    for folder in ("甲", "乙"):  # the same file name twice
        (inbox / folder).mkdir(parents=True, exist_ok=True)
        (inbox / folder / "同名.txt").write_bytes(SOURCES[0].read_bytes() + folder.encode())
    (inbox / "坏文件.txt").write_bytes(bytes(range(256)) * 8)  # unreadable: binary
    return inbox


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def reports(out: Path) -> list[Path]:
    """The report of each document written so far (not one staged in a ``.tmp-`` folder)."""
    found = []
    for top, dirs, names in os.walk(out):  # while the batch runs: folders come and go, os.walk shrugs
        dirs[:] = [d for d in dirs if not d.startswith(".tmp")]
        found += [Path(top, n) for n in names if n.endswith(".report.json")]
    return found


def temp_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.startswith(".tmp")]


# --------------------------------------------------------------------------- --jobs


def learning_inputs(tmp_path: Path) -> tuple[list, Path]:
    """Inputs for folder learning: a folder of four documents that share a line of a site's
    (returned too), a batch of the corpus and the seed (nested, one unreadable), one
    document three times (one document: nothing learned), and a file named alone."""
    from cleaner.files import find_inputs
    from tests.test_batch import good_folder

    shared = good_folder(tmp_path)
    batch = make_batch(tmp_path, 30)
    copies = tmp_path / "copies"
    copies.mkdir()
    for i in range(3):
        (copies / f"c{i}.txt").write_bytes(SOURCES[0].read_bytes())
    return find_inputs([str(shared), str(batch), str(copies), str(SOURCES[1])]).files, shared


def check_learned(files: list, shared: Path, learned: dict[str, frozenset[str]]) -> None:
    from tests.test_batch import SHARED_CHROME

    assert {f for f, lines in learned.items() if SHARED_CHROME in lines} == {i.path for i in files
                                                                         if i.folder == str(shared)}
    assert all(not learned[i.path] for i in files if i.folder and i.folder.endswith("copies"))
    assert str(SOURCES[1]) not in learned  # a file named alone learns nothing


def test_folder_learning_in_the_worker_processes_gives_the_same_set(tmp_path: Path) -> None:
    """With --jobs 2 the folders' chrome is learned by the batch's worker processes (each
    file read and keyed there, the counts summed here): the same sets as in one process."""
    from cleaner.build import Executor, _learn_from_folders, _local_pool
    from cleaner.read import DEFAULT_MAX_BYTES

    files, shared = learning_inputs(tmp_path)
    alone = _learn_from_folders(files, DEFAULT_MAX_BYTES)
    with _local_pool(Executor("local", 2), files) as pool:
        assert pool is not None
        in_workers = _learn_from_folders(files, DEFAULT_MAX_BYTES, Executor("local", 2, pool=pool))
        workers = {p.pid for p in pool._processes.values()}
    assert workers and os.getpid() not in workers, "the map ran in worker processes"
    assert in_workers == alone
    check_learned(files, shared, alone)


def test_two_jobs_give_the_outputs_of_one(tmp_path: Path) -> None:
    inbox = make_batch(tmp_path, 24)
    one, two = tmp_path / "one", tmp_path / "two"
    p1 = build(str(inbox), "-o", str(one), "--to", "txt,md", "--jobs", "1")
    p2 = build(str(inbox), "-o", str(two), "--to", "txt,md", "--jobs", "2")
    assert p1.returncode == p2.returncode == 1, p1.stderr + p2.stderr  # the binary file
    assert p1.stderr.replace(str(one), "OUT") == p2.stderr.replace(str(two), "OUT")  # in the order of the inputs
    assert "23 of 24 input(s) built" in p2.stderr and "坏文件.txt" in p2.stderr
    first, second = outputs(one), outputs(two)
    assert len([n for n in first if n.endswith(".report.json")]) == 23
    assert first.keys() == second.keys()
    assert [n for n in first if first[n] != second[n]] == []


@pytest.mark.slow
def test_two_jobs_give_the_outputs_of_one_with_every_edition(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    for src in SOURCES[:5]:
        (inbox / src.name).write_bytes(src.read_bytes())
    one, two = tmp_path / "one", tmp_path / "two"
    assert build(str(inbox), "-o", str(one), "--jobs", "1").returncode == 0
    assert build(str(inbox), "-o", str(two), "--jobs", "2").returncode == 0
    first, second = outputs(one), outputs(two)
    assert any(n.endswith(".zh-Hant.pdf") for n in first)
    assert first.keys() == second.keys() and [n for n in first if first[n] != second[n]] == []


def test_jobs_must_be_a_positive_whole_number(tmp_path: Path) -> None:
    for value in ("0", "-2", "two"):
        p = build(str(SOURCES[0]), "-o", str(tmp_path / "out"), "--jobs", value)
        assert p.returncode == 2 and "argument -j/--jobs" in p.stderr and "Traceback" not in p.stderr


def check_time_limit(tmp_path: Path, *options: str) -> None:
    """A batch of three documents and one that takes far longer than ``--timeout 0.5``,
    built with ``options``: the slow document fails alone, with its name, the others are
    built, and nothing of it is written."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    for src in SOURCES[:3]:
        (inbox / src.name).write_bytes(src.read_bytes())
    (inbox / "big.txt").write_bytes(SOURCES[0].read_bytes()
                                    + "".join(f"第{i}项工作已经完成，成效明显。\n" for i in range(20000)).encode())
    out = tmp_path / "out"
    started = time.monotonic()
    p = build(str(inbox), "-o", str(out), "--to", "txt", "--timeout", "0.5", "--jobs", "2", *options)
    assert p.returncode == 1, p.stderr
    failed = [ln for ln in p.stderr.splitlines() if "FAILED" in ln]
    assert len(failed) == 1 and "big.txt" in failed[0] and "--timeout" in failed[0], p.stderr
    assert "3 of 4 input(s) built" in p.stderr
    assert not (out / "big.txt").exists() and not temp_files(out)
    assert time.monotonic() - started < 30


def test_the_time_limit_holds_in_a_worker(tmp_path: Path) -> None:
    """--timeout is the worker's own SIGALRM: the slow document fails alone, with its name."""
    check_time_limit(tmp_path)


def interrupt_batch(inbox: Path, out: Path, sig: int, after: int,
                    *options: str) -> tuple[subprocess.Popen[str], str]:
    """Start a two-job build of ``inbox`` into ``out`` (``--to txt,md`` and ``options``) in
    a session of its own, send ``sig`` once ``after`` documents are written (SIGINT to the
    whole process group, as Ctrl-C does; SIGTERM to the parent only), and wait for its
    end: the process and what it printed on stderr."""
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "build", str(inbox), "-o", str(out), "--to", "txt,md",
                             "--jobs", "2", "--quiet", *options], env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(reports(out)) < after:
        time.sleep(0.02)
    os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    return proc, err


def signal_a_batch(tmp_path: Path, sig: int, *options: str, settle: int = 50) -> None:
    """Send ``sig`` to a two-job batch of 80 inputs (``options`` added to its command) once
    10 documents are written, and check its end: exit 128 + N, no traceback, no temporary
    or partial file, every document that has outputs has all of them, and no process of
    its session left running after ``settle`` tenths of a second."""
    inbox = make_batch(tmp_path, 80)
    out = tmp_path / "out"
    proc, err = interrupt_batch(inbox, out, sig, 10, *options)
    assert proc.returncode == 128 + sig, err
    assert "Traceback" not in err, err
    assert temp_files(out) == []
    written = reports(out)
    assert 10 <= len(written) < 79, "the batch ended before its end"
    for report in written:
        stem = report.name.removesuffix(".report.json")
        assert (report.parent / f"{stem}.txt").stat().st_size > 0 and (report.parent / f"{stem}.md").exists()
    assert len(list(out.rglob("*.txt"))) == len(written)
    alive = ["?"]
    for _ in range(settle):  # workers end when they see the parent gone
        alive = subprocess.run(["pgrep", "-a", "-s", str(proc.pid)], capture_output=True, text=True).stdout.split("\n")
        alive = [a for a in alive if a]
        if not alive:
            break
        time.sleep(0.1)
    assert alive == [], "worker processes outlived the batch"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_ends_a_parallel_batch_cleanly(tmp_path: Path, sig: int) -> None:
    """SIGINT (Ctrl-C reaches the whole process group) or SIGTERM (the parent only) in the
    middle of a two-job batch ends it cleanly (``signal_a_batch``)."""
    signal_a_batch(tmp_path, sig)


# --------------------------------------------------------------------------- the manifest (by default): incremental, resumable


RECORDS = {"manifest.json", "summary.json", "summary.csv", "manifest-sha256.txt"}  # the batch's, not a document's


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """Each output's inode and modification time: a rewrite (write_set renames) changes both."""
    return {str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(out.rglob("*"))
            if p.is_file() and str(p.relative_to(out)) not in RECORDS}


def built_count(stderr: str) -> tuple[int, int]:
    line = next(ln for ln in stderr.splitlines() if "input(s) built into" in ln)
    n, _, total = line.split(": ", 1)[1].split(" ")[:3]
    return int(n), int(total)


def test_the_manifest_is_kept_by_default_and_no_manifest_turns_it_off(tmp_path: Path) -> None:
    inbox = make_batch(tmp_path, 12)
    out, plain = tmp_path / "out", tmp_path / "plain"
    first = build(str(inbox), "-o", str(out), "--to", "txt")
    assert built_count(first.stderr) == (11, 12) and "(also in summary.json and summary.csv)" in first.stderr
    kept = outputs(out)
    assert RECORDS <= kept.keys()
    second = build(str(inbox), "-o", str(out), "--to", "txt")
    assert built_count(second.stderr) == (0, 12) and "11 up to date" in second.stderr, second.stderr
    assert build(str(inbox), "-o", str(out), "--to", "txt", "--manifest").stderr == second.stderr  # the default

    off = build(str(inbox), "-o", str(plain), "--to", "txt", "--no-manifest")
    assert built_count(off.stderr) == (11, 12) and "summary.json" not in off.stderr
    assert outputs(plain) == {n: data for n, data in kept.items() if n not in RECORDS}  # the same, less the records
    assert built_count(build(str(inbox), "-o", str(plain), "--to", "txt", "--no-manifest").stderr) == (11, 12)
    assert not RECORDS & outputs(plain).keys()


def test_a_single_file_keeps_its_manifest_too(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(str(SOURCES[0]), "-o", str(out), "--to", "txt")
    assert first.returncode == 0 and built_count(first.stderr) == (1, 1), first.stderr
    stem = SOURCES[0].stem
    assert sorted(outputs(out)) == sorted([*RECORDS, f"{stem}.txt", f"{stem}.report.json"])
    again = build(str(SOURCES[0]), "-o", str(out), "--to", "txt")
    assert built_count(again.stderr) == (0, 1) and "1 up to date" in again.stderr, again.stderr


@pytest.mark.parametrize("args", [["--no-manifest", "--force"], ["--no-manifest", "--bag"],
                                  ["--no-manifest", "--manifest"]])
def test_no_manifest_refuses_what_needs_one(tmp_path: Path, args: list[str]) -> None:
    p = build(str(SOURCES[0]), "-o", str(tmp_path / "out"), "--to", "txt", *args)
    assert p.returncode == 2 and "--no-manifest" in p.stderr and "Traceback" not in p.stderr, p.stderr


def test_build_help_says_the_manifest_is_the_default() -> None:
    p = subprocess.run([sys.executable, "-m", "cleaner", "build", "--help"], env=env(), capture_output=True,
                       text=True, timeout=60, check=False)
    text = " ".join(p.stdout.split())
    assert "--no-manifest" in text and "by default" in text and "manifest.json" in text, p.stdout


def test_a_document_named_like_a_record_gets_another_name(tmp_path: Path) -> None:
    """An input manifest-sha256.txt would give the clean text manifest-sha256.txt at the
    top of OUTDIR, where the fixity list goes: it gets another stem."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "manifest-sha256.txt").write_bytes(SOURCES[0].read_bytes())
    (inbox / "sub").mkdir()
    (inbox / "sub" / "manifest-sha256.txt").write_bytes(SOURCES[1].read_bytes())  # below the top: no clash
    out = tmp_path / "out"
    p = build(str(inbox), "-o", str(out), "--to", "txt")
    assert p.returncode == 0, p.stderr
    assert sorted(outputs(out)) == sorted([*RECORDS, "manifest-sha256-2.txt", "manifest-sha256-2.report.json",
                                           "sub/manifest-sha256.txt", "sub/manifest-sha256.report.json"])
    lines = (out / "manifest-sha256.txt").read_text("utf-8").splitlines()
    assert all(re.fullmatch(r"[0-9a-f]{64}  \S.*", ln) for ln in lines), lines  # the fixity list, whole
    assert "manifest-sha256-2.txt" in {ln.split("  ", 1)[1] for ln in lines}
    report = json.loads((out / "manifest-sha256-2.report.json").read_text("utf-8"))
    assert report["source"] == "manifest-sha256.txt" and report["source_path"] == "manifest-sha256.txt"
    off = build(str(inbox), "-o", str(tmp_path / "plain"), "--to", "txt", "--no-manifest")
    assert off.returncode == 0 and (tmp_path / "plain" / "manifest-sha256.txt").is_file()  # no records: its name


def test_a_manifest_json_that_is_not_cleaners_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    theirs = b'{"name": "an app of someone else", "icons": []}\n'
    (out / "manifest.json").write_bytes(theirs)
    p = build(str(SOURCES[0]), "-o", str(out), "--to", "txt")
    assert p.returncode == 2, p.stderr
    assert p.stderr.count("\n") == 1 and "manifest.json" in p.stderr and "--no-manifest" in p.stderr, p.stderr
    assert (out / "manifest.json").read_bytes() == theirs and sorted(outputs(out)) == ["manifest.json"]
    assert build(str(SOURCES[0]), "-o", str(out), "--to", "txt", "--no-manifest").returncode == 0
    assert (out / "manifest.json").read_bytes() == theirs


def test_a_manifest_that_cannot_be_written_fails_the_run_not_the_documents(tmp_path: Path) -> None:
    """The manifest's own write fails (here: a folder where the file goes): every document
    is still built and said to be, the run says which record it could not write, exit 1."""
    inbox = make_batch(tmp_path, 6)
    out = tmp_path / "out"
    (out / "summary.csv").mkdir(parents=True)
    p = build(str(inbox), "-o", str(out), "--to", "txt")
    assert p.returncode == 1, p.stderr
    assert built_count(p.stderr) == (5, 6) and "Traceback" not in p.stderr
    failed = [ln for ln in p.stderr.splitlines() if "FAILED" in ln]
    assert len(failed) == 1 and "坏文件.txt" in failed[0], p.stderr  # the binary file alone
    assert [ln for ln in p.stderr.splitlines() if "summary.csv" in ln and "cannot write" in ln], p.stderr
    assert len([n for n in outputs(out) if n.endswith(".report.json")]) == 5
    assert (out / "manifest.json").is_file()


def test_a_second_run_skips_every_current_document(tmp_path: Path) -> None:
    inbox = make_batch(tmp_path, 30)
    out = tmp_path / "out"
    first = build(str(inbox), "-o", str(out), "--to", "txt,md", "--jobs", "2")
    assert first.returncode == 1 and built_count(first.stderr) == (29, 30), first.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    records = {r["output"]: r for r in manifest["documents"]}
    assert len(records) == 30 and sum(r["status"] == "built" for r in records.values()) == 29
    bad = records["坏文件"]
    assert bad["status"] == "failed" and "binary" in bad["reason"] and "outputs" not in bad
    good = records["甲/同名"]
    assert good["input"] == "甲/同名.txt" and good["options"]["formats"] == ["md", "txt"]
    assert sorted(good["outputs"]) == ["甲/同名.md", "甲/同名.report.json", "甲/同名.txt"]
    assert good["outputs"]["甲/同名.txt"] == hashlib.sha256((out / "甲/同名.txt").read_bytes()).hexdigest()
    assert good["sha256"] == hashlib.sha256((inbox / "甲/同名.txt").read_bytes()).hexdigest()
    before = stamps(out)

    second = build(str(inbox), "-o", str(out), "--to", "txt,md", "--jobs", "2")
    assert built_count(second.stderr) == (0, 30) and "29 up to date" in second.stderr, second.stderr
    assert second.returncode == 1 and "坏文件.txt" in second.stderr  # a failure is tried again
    assert stamps(out) == before


def test_changing_one_input_rebuilds_exactly_that_one(tmp_path: Path) -> None:
    inbox = make_batch(tmp_path, 30)
    out = tmp_path / "out"
    build(str(inbox), "-o", str(out), "--to", "txt,md")
    before = stamps(out)
    changed = next(inbox.rglob("000_*.txt"))
    changed.write_bytes(changed.read_bytes().replace("本文件编号".encode(), "本文件修订编号".encode()))
    gone = next(out.rglob("报告 1.md"))  # an output deleted by hand is built again too
    gone.unlink()
    again = build(str(inbox), "-o", str(out), "--to", "txt,md")
    assert built_count(again.stderr) == (2, 30), again.stderr
    after = stamps(out)
    rewritten = sorted(Path(n).name for n in after if after[n] != before.get(n))
    stem = changed.name.removesuffix(".txt")
    assert rewritten == sorted([f"{stem}.md", f"{stem}.report.json", f"{stem}.txt",
                                "报告 1.md", "报告 1.report.json", "报告 1.txt"])
    report = json.loads((out / changed.relative_to(inbox)).with_suffix(".report.json").read_text("utf-8"))
    assert report["sha256"] == hashlib.sha256(changed.read_bytes()).hexdigest()


def test_other_options_or_force_build_everything_again(tmp_path: Path) -> None:
    inbox = make_batch(tmp_path, 12)
    out = tmp_path / "out"
    build(str(inbox), "-o", str(out), "--to", "txt")
    assert built_count(build(str(inbox), "-o", str(out), "--to", "txt").stderr) == (0, 12)
    assert built_count(build(str(inbox), "-o", str(out), "--to", "txt,md").stderr) == (11, 12)
    assert built_count(build(str(inbox), "-o", str(out), "--to", "txt,md", "--force").stderr) == (11, 12)
    assert build(str(inbox), "-o", str(out), "--force", "--no-manifest").returncode == 2  # --force needs a manifest


def test_the_manifest_is_deterministic(tmp_path: Path) -> None:
    inbox = make_batch(tmp_path, 20)
    one, two = tmp_path / "one", tmp_path / "two"
    build(str(inbox), "-o", str(one), "--to", "txt,md", "--jobs", "1")
    build(str(inbox), "-o", str(two), "--to", "txt,md", "--jobs", "2")
    assert (one / "manifest.json").read_bytes() == (two / "manifest.json").read_bytes()
    assert outputs(one) == outputs(two)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_batch_resumes_without_building_a_document_twice(tmp_path: Path, sig: int) -> None:
    inbox = make_batch(tmp_path, 120)
    out = tmp_path / "out"
    proc, err = interrupt_batch(inbox, out, sig, 20)
    assert proc.returncode == 128 + sig, err
    assert temp_files(out) == []
    finished = stamps(out)
    done = len([n for n in finished if n.endswith(".report.json")])
    assert 20 <= done < 119
    recorded = json.loads((out / "manifest.json").read_text("utf-8"))["documents"]
    assert len([r for r in recorded if r["status"] == "built"]) == done  # every finished document is on record

    rerun = build(str(inbox), "-o", str(out), "--to", "txt,md", "--jobs", "2")
    assert built_count(rerun.stderr) == (119 - done, 120), rerun.stderr
    after = stamps(out)
    assert {n: after[n] for n in finished} == finished, "a finished document was built again"
    whole = tmp_path / "whole"
    build(str(inbox), "-o", str(whole), "--to", "txt,md", "--jobs", "2")
    # the outputs and the manifest of an uninterrupted run (the summary, and so the fixity
    # list that covers it, tell this run: some documents were current)
    resumed, fresh = outputs(out), outputs(whole)
    told = ("summary.json", "summary.csv", "manifest-sha256.txt")
    assert {n: resumed.pop(n) for n in told} != {n: fresh.pop(n) for n in told}
    assert resumed == fresh


# --------------------------------------------------------------------------- summary


def test_the_summary_says_what_was_built_skipped_and_failed(tmp_path: Path) -> None:
    inbox = make_batch(tmp_path, 30)
    out = tmp_path / "out"
    first = build(str(inbox), "-o", str(out), "--to", "txt,md", "--jobs", "2")
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert {k: summary["totals"][k] for k in ("inputs", "built", "current", "failed")} == {
        "inputs": 30, "built": 29, "current": 0, "failed": 1}
    rows = summary["documents"]
    assert rows[0]["output"] == "0区/012_dev_13_bingdoc_nongj"  # the order of the inputs: sorted, folder by folder
    bad = next(r for r in rows if r["status"] == "failed")
    assert bad["input"] == "坏文件.txt" and "binary" in bad["reason"] and bad["outputs"] == []
    seed = next(r for r in rows if r["input"] == "2区/14-Notice.TXT")  # the seed
    assert seed["title"] == "太仓市2023年政府工作报告" and seed["date"] == "2023-01-05"
    assert seed["profile"] == "gongxun" and seed["truncated"] is True and seed["warnings"]["lost-mark"] >= 1
    truncated = sum(r["truncated"] for r in rows)
    assert summary["totals"]["truncated"] == truncated > 0
    assert summary["totals"]["warnings"]["lost-mark"] == sum(r["warnings"].get("lost-mark", 0) for r in rows)
    table = first.stderr[first.stderr.index("cleaner build: summary"):]
    assert "built       29" in table and "failed      1  (reasons above)" in table
    assert f"truncated   {truncated}" in table and "lost-mark" in table

    with (out / "summary.csv").open(encoding="utf-8", newline="") as f:
        csv_rows = list(csv.DictReader(f))
    assert len(csv_rows) == 30 and csv_rows[0].keys() >= {"input", "status", "title", "date", "profile", "outputs"}
    assert [r["output"] for r in csv_rows] == [r["output"] for r in rows]
    assert next(r for r in csv_rows if r["input"] == "坏文件.txt")["status"] == "failed"

    build(str(inbox), "-o", str(out), "--to", "txt,md", "--jobs", "2")
    again = json.loads((out / "summary.json").read_text("utf-8"))
    assert {k: again["totals"][k] for k in ("built", "current", "failed")} == {"built": 0, "current": 29, "failed": 1}
    assert [r["title"] for r in again["documents"]] == [r["title"] for r in rows]  # from the manifest


def test_a_log_gets_plain_progress_lines(tmp_path: Path) -> None:
    inbox = make_batch(tmp_path, 30)
    p = subprocess.run([sys.executable, "-m", "cleaner", "build", str(inbox), "-o", str(tmp_path / "out"), "--to",
                        "txt", "--jobs", "2"], env=env(), capture_output=True, text=True, timeout=300, check=False)
    progress = [ln for ln in p.stderr.splitlines() if " documents (" in ln]
    assert [ln.split(" documents")[0] for ln in progress] == [f"cleaner build: {n} of 30" for n in
                                                              (3, 6, 9, 12, 15, 18, 21, 24, 27)], p.stderr
    assert "\r" not in p.stderr  # no progress bar in a log


# --------------------------------------------------------------------------- fixity, BagIt


def test_manifest_sha256_covers_every_output(tmp_path: Path) -> None:
    inbox = make_batch(tmp_path, 12)
    out = tmp_path / "out"
    build(str(inbox), "-o", str(out), "--to", "txt,md")
    lines = (out / "manifest-sha256.txt").read_text("utf-8").splitlines()
    listed = dict(reversed(ln.split("  ", 1)) for ln in lines)
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} - {"manifest-sha256.txt"}
    assert set(listed) == on_disk and len(on_disk) == 11 * 3 + 3
    assert [ln.split("  ", 1)[1] for ln in lines] == sorted(listed)
    for name, sha in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha, name


def test_bag_is_a_valid_deterministic_bagit_bag(tmp_path: Path) -> None:
    bagit = pytest.importorskip("bagit")
    inbox = make_batch(tmp_path, 12)
    one, two = tmp_path / "one", tmp_path / "two"
    assert build(str(inbox), "-o", str(one), "--to", "txt", "--bag", "--jobs", "1").returncode == 1  # the binary
    build(str(inbox), "-o", str(two), "--to", "txt", "--bag", "--jobs", "2")
    bag = bagit.Bag(str(one))
    bag.validate()
    assert sorted(p.name for p in one.iterdir()) == ["bag-info.txt", "bagit.txt", "data", "manifest-sha256.txt",
                                                     "tagmanifest-sha256.txt"]
    assert (one / "data" / "summary.csv").is_file() and (one / "data" / "manifest.json").is_file()
    assert "cleaner" in bag.info["Source-Organization"] and "cleaner" in bag.info["External-Description"]
    dates = [r["date"] for r in json.loads((one / "data" / "summary.json").read_text("utf-8"))["documents"]]
    assert bag.info["Bagging-Date"] == max(d for d in dates if len(d) == 10)  # the documents', not today's
    assert outputs(one) == outputs(two)

    again = build(str(inbox), "-o", str(one), "--to", "txt", "--bag")
    assert built_count(again.stderr) == (0, 12)  # a bag is incremental too
    bagit.Bag(str(one)).validate()
    e = env() | {"SOURCE_DATE_EPOCH": "1700000000"}
    subprocess.run([sys.executable, "-m", "cleaner", "build", str(inbox), "-o", str(one), "--to", "txt", "--bag",
                    "--quiet"], env=e, capture_output=True, check=False)
    assert bagit.Bag(str(one)).info["Bagging-Date"] == "2023-11-14"

    victim = next((one / "data").rglob("*.txt"))
    victim.write_bytes(victim.read_bytes() + b"x")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(one)).validate()


def test_workers_end_with_a_parent_killed_by_sigkill(tmp_path: Path) -> None:
    """SIGKILL leaves no handler to stop the workers: they must not live on (holding the
    parent's stdout and stderr open, waiting for work that never comes)."""
    inbox = make_batch(tmp_path, 60)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "build", str(inbox), "-o", str(out), "--to", "txt",
                             "--jobs", "2", "--quiet"], env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(reports(out)) < 5:
        time.sleep(0.02)
    proc.kill()
    proc.communicate(timeout=30)  # would hang while a worker holds the pipes
    alive = ["?"]
    for _ in range(50):
        alive = [a for a in subprocess.run(["pgrep", "-a", "-s", str(proc.pid)], capture_output=True,
                                           text=True).stdout.split("\n") if a]
        if not alive:
            break
        time.sleep(0.1)
    assert alive == [], "worker processes outlived a killed batch"
