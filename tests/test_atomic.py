"""Outputs are written atomically: a build that fails or is killed midway never leaves a
half-written file under its final name, and an existing output is replaced only by a
complete new one.

(a) In process: a renderer that raises, and a write that fails after it started (disk
    full halfway through the PDF, a rename that fails).
(b) In a subprocess: ``cleaner build`` on several inputs, made slow between writing a
    temporary file and renaming it, is killed with SIGKILL or SIGTERM while it writes.
"""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pypdf
import pytest

from cleaner import cli

ROOT = Path(__file__).resolve().parents[1]
DOC = ("某市2023年政府工作报告\n各位代表：\n一、过去一年工作回顾\n"
       "过去一年，全市经济增长9.8%，完成固定资产投资1,635亿元，各项事业迈出坚实步伐。\n"
       "二、今年工作安排\n坚持稳中求进工作总基调，推动高质量发展。\n")
EDITIONS = ("report.json", "txt", "md", "docx", "pdf", "zh-Hant.docx", "zh-Hant.pdf")
RECORDS = ("manifest.json", "summary.json", "summary.csv", "manifest-sha256.txt")  # the build's own, by default


def complete(path: Path) -> bool:
    """Whether ``path`` is a whole file of its kind (it parses)."""
    data = path.read_bytes()
    name = path.name
    try:
        if name.endswith(".pdf"):
            return data.rstrip().endswith(b"%%EOF") and len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 1
        if name.endswith(".docx"):
            docx.Document(io.BytesIO(data))
            return True
        if name.endswith(".json"):
            json.loads(data)
            return True
        return data.decode("utf-8").endswith("\n")
    except Exception:
        return False


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".tmp"))


def editions(out: Path) -> dict[str, bytes]:
    """The files of ``out`` that are the documents' (every one but the build's own
    records, which must all be there: a build keeps them by default)."""
    names = {p.name for p in out.iterdir()}
    assert set(RECORDS) <= names, sorted(names)
    return {p.name: p.read_bytes() for p in out.iterdir() if p.name not in RECORDS and p.is_file()}


def recorded(out: Path) -> dict[str, str]:
    """Each document's status in the build's manifest."""
    return {r["output"]: r["status"] for r in json.loads((out / "manifest.json").read_text("utf-8"))["documents"]}


@pytest.fixture
def src(tmp_path: Path) -> Path:
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    return path


@pytest.fixture
def old_outputs(tmp_path: Path) -> dict[str, bytes]:
    """A previous build's outputs (placeholders, recognisable) in the output folder."""
    out = tmp_path / "out"
    out.mkdir()
    old = {f"doc.{ed}": f"OLD {ed}\n".encode() for ed in EDITIONS}
    for name, data in old.items():
        (out / name).write_bytes(data)
    return old


# =========================================================================== (a) in process


def test_renderer_failure_leaves_every_previous_output_intact(tmp_path, src, old_outputs, monkeypatch,
                                                              capsys) -> None:
    import cleaner.render.pdf as pdf_module

    def broken_pdf(*args, **kwargs):
        raise RuntimeError("the PDF writer fell over")

    monkeypatch.setattr(pdf_module, "pdf_bytes", broken_pdf)
    out = tmp_path / "out"
    assert cli.main(["build", str(src), "-o", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "FAILED" in err and "doc.txt" in err and "the PDF writer fell over" in err
    # Every edition is rendered before the first is written: nothing of the failed build.
    assert editions(out) == old_outputs
    assert recorded(out) == {"doc": "failed"}  # and the manifest does not take the old set for the new
    assert temp_files(out) == []


def _fail_halfway(monkeypatch, suffix: str, seen: list[str]) -> None:
    """``os.fdopen`` for temporary ``*suffix`` files returns a file that writes half the data
    and then fails as a full disk does."""
    real_fdopen = os.fdopen

    class HalfWriter(io.FileIO):
        def write(self, data):  # type: ignore[override]
            super().write(bytes(data)[: len(data) // 2])
            super().flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd, mode="r", *args, **kwargs):
        path = os.readlink(f"/proc/self/fd/{fd}")
        if "w" in mode and "/.tmp" in path and path.endswith(suffix):
            seen.append(path)
            return HalfWriter(fd, "wb")
        return real_fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen)


def test_disk_full_while_writing_the_pdf(tmp_path, src, old_outputs, monkeypatch, capsys) -> None:
    """A simulation, where no tiny file system can be mounted (see (c) for the real one)."""
    seen: list[str] = []
    _fail_halfway(monkeypatch, ".pdf", seen)
    out = tmp_path / "out"
    assert cli.main(["build", str(src), "-o", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "doc.txt" in err and "No space left on device" in err and "Traceback" not in err
    assert "doc.pdf" in err and ".tmp" not in err  # the output it could not write, not a temporary name
    assert seen, "the PDF's temporary file was written"
    assert not any(os.path.exists(p) for p in seen), "the half-written temporary file was removed"
    assert temp_files(out) == []
    # The editions are a set: the ones written before the PDF did not replace the old ones.
    assert editions(out) == old_outputs
    assert recorded(out) == {"doc": "failed"}


def test_failed_rename_removes_the_temporary_file(tmp_path, src, old_outputs, monkeypatch, capsys) -> None:
    real_replace = os.replace

    def replace(a, b, *args, **kwargs):
        if str(b).endswith(".docx"):
            raise PermissionError(errno.EACCES, "Permission denied", str(b))
        return real_replace(a, b, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    out = tmp_path / "out"
    assert cli.main(["build", str(src), "-o", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "Permission denied" in err and "doc.docx" in err
    assert temp_files(out) == []
    assert editions(out) == old_outputs  # the whole set, not only the DOCX
    assert recorded(out) == {"doc": "failed"}


def test_a_failed_rename_puts_the_old_set_back(tmp_path, src, old_outputs, capsys) -> None:
    """A real failure halfway through the renames: doc.docx is a folder, so the report,
    text and Markdown are renamed first, then the DOCX fails. The three are put back."""
    out = tmp_path / "out"
    (out / "doc.docx").unlink()
    (out / "doc.docx").mkdir()
    (out / "doc.docx" / "keep").write_text("x")
    assert cli.main(["build", str(src), "-o", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "doc.docx" in err and ".tmp" not in err, err
    assert temp_files(out) == []
    assert editions(out) == {k: v for k, v in old_outputs.items() if k != "doc.docx"}
    assert recorded(out) == {"doc": "failed"}
    assert (out / "doc.docx" / "keep").read_text() == "x"


def test_interrupt_during_a_write_removes_the_temporary_file(tmp_path, src, old_outputs, monkeypatch,
                                                              capsys) -> None:
    """Ctrl-C (KeyboardInterrupt) between writing and renaming: exit 130, no temporary file."""
    real_replace = os.replace

    def replace(a, b, *args, **kwargs):
        if str(b).endswith(".md"):
            raise KeyboardInterrupt
        return real_replace(a, b, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    out = tmp_path / "out"
    assert cli.main(["build", str(src), "-o", str(out), "--quiet"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert temp_files(out) == []
    assert (out / "doc.md").read_bytes() == old_outputs["doc.md"]


def test_write_atomic_keeps_the_permissions_of_ordinary_files(tmp_path) -> None:
    from cleaner.files import write_atomic

    target = tmp_path / "x.txt"
    write_atomic(target, b"new\n")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert temp_files(tmp_path) == []


# =========================================================================== (b) killed


SLOW_BUILD = r"""
import os, sys, time
import cleaner.build

real_replace = os.replace

def slow_replace(src, dst, *args, **kwargs):
    # the temporary file is complete here; the rename is what makes it an output
    print("WRITTEN", src, flush=True)
    time.sleep(float(os.environ["SLOW_RENAME"]))
    real_replace(src, dst, *args, **kwargs)
    print("RENAMED", dst, flush=True)

os.replace = slow_replace
from cleaner.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e["PYTHONIOENCODING"] = "utf-8"
    e["SLOW_RENAME"] = "0.4"
    return e


@pytest.fixture
def inputs(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    paths = []
    for i in range(3):
        p = folder / f"doc{i}.txt"
        p.write_text(DOC.replace("各项事业", f"第{i}项事业"), encoding="utf-8")
        paths.append(p)
    return paths


def _kill_while_writing(tmp_path: Path, inputs: list[Path], sig: int, after_renames: int,
                        out: Path, *options: str) -> tuple[int, str, list[str]]:
    """Start a slow build, wait until ``after_renames`` outputs are in place and the next
    one is written to its temporary file, then send ``sig``."""
    script = tmp_path / "slow_build.py"
    script.write_text(SLOW_BUILD, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), "build", *map(str, inputs), "-o", str(out), "--quiet",
                             *options],
                            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    renamed = 0
    events: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        events.append(line.strip())
        renamed += line.startswith("RENAMED")
        if renamed >= after_renames and line.startswith("WRITTEN"):
            proc.send_signal(sig)  # during the sleep between the write and the rename
            break
    else:
        proc.kill()
        pytest.fail("the slow build did not reach the point to interrupt")
    rest, err = proc.communicate(timeout=60)
    events += rest.splitlines()
    return proc.returncode, err, events


def _assert_final_names_complete(out: Path) -> list[str]:
    finals = sorted(p.name for p in out.iterdir() if not p.name.startswith(".tmp"))
    assert finals, "some outputs were written before the kill"
    for name in finals:
        assert complete(out / name), f"{name} is not complete"
    return finals


@pytest.mark.slow
@pytest.mark.parametrize("after_renames", [2, 9])
def test_sigkill_while_writing_leaves_only_complete_files(tmp_path, inputs, after_renames) -> None:
    out = tmp_path / "out"
    status, err, events = _kill_while_writing(tmp_path, inputs, signal.SIGKILL, after_renames, out)
    assert status == -signal.SIGKILL
    finals = _assert_final_names_complete(out)
    renamed = [Path(e.split(" ", 1)[1]).name for e in events if e.startswith("RENAMED")]
    assert sorted(renamed) == finals  # exactly the renamed files exist under final names
    # The one being renamed when the process died is left only in the temporary folder
    # (SIGKILL cannot be handled), never under its final name. This is the one case in
    # which a set can be left in part: nothing can run after SIGKILL to put it back.
    pending = [Path(e.split(" ", 1)[1]) for e in events if e.startswith("WRITTEN")][-1]
    assert temp_files(out) == [pending.parent.name]
    assert pending.is_file() and complete(pending)


@pytest.mark.slow
def test_sigterm_while_writing_exits_cleanly(tmp_path, inputs) -> None:
    """SIGTERM in the middle of renaming the second document's set: the signal is held
    until that set is whole (writing a set takes milliseconds), then the batch ends: the
    sets on disk are whole, the third document is never begun, nothing temporary is left."""
    out = tmp_path / "out"
    status, err, events = _kill_while_writing(tmp_path, inputs, signal.SIGTERM, len(EDITIONS) + 2, out)
    assert status == 128 + signal.SIGTERM, err
    assert "interrupted by SIGTERM" in err and "Traceback" not in err
    # the two whole sets, and the manifest that records them (saved on the way out)
    assert _assert_final_names_complete(out) == sorted([*(f"doc{i}.{ed}" for i in (0, 1) for ed in EDITIONS),
                                                        "manifest.json"])
    assert recorded(out) == {"doc0": "built", "doc1": "built"}
    assert temp_files(out) == []  # write_set removed its temporary folder before the signal


@pytest.mark.slow
def test_killed_rebuild_never_damages_previous_outputs(tmp_path, inputs) -> None:
    """A complete earlier build, then a rebuild killed midway: every output is still whole."""
    out = tmp_path / "out"
    p = subprocess.run([sys.executable, "-m", "cleaner", "build", *map(str, inputs), "-o", str(out), "--quiet"],
                       env=_env(), capture_output=True, text=True, timeout=300, check=False)
    assert p.returncode == 0, p.stderr
    before = sorted(p.name for p in out.iterdir())
    assert len(before) == len(inputs) * len(EDITIONS) + len(RECORDS) and set(RECORDS) <= set(before)
    # --force: the manifest finds every document current, and nothing would be rebuilt
    status, _, _ = _kill_while_writing(tmp_path, inputs, signal.SIGKILL, 5, out, "--force")
    assert status == -signal.SIGKILL
    finals = _assert_final_names_complete(out)
    assert finals == before


# =========================================================================== (c) a full disk, for real


@pytest.fixture
def tiny_fs(tmp_path: Path, request):
    """A real tmpfs of the size given by ``request.param`` (kB), mounted in tmp_path
    (needs root, or CAP_SYS_ADMIN; skipped otherwise)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={request.param}k", "tmpfs", str(mnt)],
                       capture_output=True, text=True, check=False)
    if p.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {p.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def _sets(out: Path) -> dict[str, set[str]]:
    """stem -> the editions of it in ``out``."""
    sets: dict[str, set[str]] = {}
    for f in out.iterdir():
        if not f.name.startswith(".tmp") and f.name not in RECORDS:
            stem, ed = f.name.split(".", 1)
            sets.setdefault(stem, set()).add(ed)
    return sets


@pytest.mark.parametrize(("tiny_fs", "complete_sets"), [(128, 0), (600, 1)], indirect=["tiny_fs"])
def test_a_full_disk_leaves_whole_edition_sets_or_none(tiny_fs: Path, inputs, complete_sets: int) -> None:
    """128 kB hold a document's text, Markdown, report and DOCX but not its PDF; 600 kB hold
    one whole set and part of the next. Either way no document is left half-written."""
    out = tiny_fs / "out"
    p = subprocess.run([sys.executable, "-m", "cleaner", "build", *map(str, inputs), "-o", str(out), "--quiet"],
                       env=_env(), capture_output=True, text=True, timeout=300, check=False)
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    assert f"{complete_sets} of {len(inputs)} input(s) built" in p.stderr, p.stderr
    sets = _sets(out)
    assert len(sets) == complete_sets and all(eds == set(EDITIONS) for eds in sets.values()), sets
    assert temp_files(out) == []
    failed = [ln for ln in p.stderr.splitlines() if "FAILED" in ln]
    assert len(failed) == len(inputs) - complete_sets
    for line in failed:
        assert "No space left on device" in line and ".tmp" not in line, line
        source, rest = line.split("FAILED ", 1)[1].split(": ", 1)
        assert f"cannot write {out / Path(source).stem}." in rest, line  # the output it could not write


@pytest.mark.parametrize("tiny_fs", [600], indirect=True)
def test_a_full_disk_never_mixes_new_editions_with_old_ones(tiny_fs: Path, inputs) -> None:
    out = tiny_fs / "out"
    out.mkdir()
    old = {f"doc{i}.{ed}": f"OLD {ed}\n".encode() for i in range(len(inputs)) for ed in EDITIONS}
    for name, data in old.items():
        (out / name).write_bytes(data)
    p = subprocess.run([sys.executable, "-m", "cleaner", "build", *map(str, inputs), "-o", str(out), "--quiet"],
                       env=_env(), capture_output=True, text=True, timeout=300, check=False)
    assert p.returncode == 1, p.stderr
    assert temp_files(out) == []
    for i in range(len(inputs)):
        now = {ed: (out / f"doc{i}.{ed}").read_bytes() for ed in EDITIONS}
        fresh = [now[ed] != old[f"doc{i}.{ed}"] for ed in EDITIONS]
        assert all(fresh) or not any(fresh), (i, fresh)  # all new or all old
