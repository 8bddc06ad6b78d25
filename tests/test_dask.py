"""`cleaner build --executor dask`: the same per-document work on dask.distributed, on a
real LocalCluster (never a mock), with the outputs, manifest and summaries of the local
executor byte for byte. Dask is a test dependency (the Makefile installs the extra): when
it is missing these tests fail, they are not skipped."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cleaner.build import DocumentTimeout, deadline
from tests.test_batch_scale import (
    SOURCES,
    check_learned,
    check_time_limit,
    env,
    learning_inputs,
    make_batch,
    outputs,
    signal_a_batch,
)

# --------------------------------------------------------------------------- the time limit in a thread


def _spin(seconds: float) -> None:
    """Pure-Python work for ``seconds`` (never a C call that a timer cannot interrupt)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sum(range(100))


def _in_thread(work) -> list[str]:
    seen: list[str] = []

    def run() -> None:
        try:
            work()
            seen.append("done")
        except DocumentTimeout:
            seen.append("timeout")

    t = threading.Thread(target=run, daemon=True)  # a Dask worker runs its tasks in a thread like this one
    t.start()
    t.join(30)
    return seen


def test_the_time_limit_holds_in_a_thread_that_is_not_the_main_one() -> None:
    started = time.monotonic()

    def slow() -> None:
        with deadline(0.3):
            _spin(10)

    assert _in_thread(slow) == ["timeout"]
    assert time.monotonic() - started < 5


def test_a_block_that_ends_in_time_in_a_thread_is_never_interrupted_later() -> None:
    def quick() -> None:
        for _ in range(20):
            with deadline(0.05):
                _spin(0.01)
        _spin(0.5)  # well past every limit: a timer left running would strike here

    assert _in_thread(quick) == ["done"]


def test_the_time_limit_in_the_main_thread_is_still_sigalrm() -> None:
    with pytest.raises(DocumentTimeout):
        with deadline(0.2):
            _spin(10)
    _spin(0.4)


# --------------------------------------------------------------------------- learning: map-reduce on the cluster


@pytest.fixture(scope="module")
def cluster():
    """A real LocalCluster: two worker processes, one thread each."""
    from distributed import LocalCluster

    from cleaner.dask_executor import LOCAL_ONLY

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, **LOCAL_ONLY) as c:
        yield c


def test_folder_learning_on_dask_gives_the_local_set(tmp_path: Path, cluster) -> None:
    from distributed import Client

    from cleaner.build import Executor, _learn_from_folders
    from cleaner.read import DEFAULT_MAX_BYTES

    files, shared = learning_inputs(tmp_path)
    local = _learn_from_folders(files, DEFAULT_MAX_BYTES)
    with Client(cluster, set_as_default=False) as client:
        remote = _learn_from_folders(files, DEFAULT_MAX_BYTES, Executor("dask", 2, client))
    assert remote == local
    check_learned(files, shared, local)


# --------------------------------------------------------------------------- the command line


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], env=env(), capture_output=True, text=True,
                          timeout=timeout, check=False)


def same_stderr(local: subprocess.CompletedProcess[str], local_out: Path,
                dask: subprocess.CompletedProcess[str], dask_out: Path) -> None:
    assert local.stderr.replace(str(local_out), "OUT") == dask.stderr.replace(str(dask_out), "OUT")


def test_a_batch_on_dask_gives_the_outputs_manifest_and_summaries_of_the_local_executor(tmp_path: Path) -> None:
    inbox = make_batch(tmp_path, 30)  # varied names, nested folders, one name twice, one unreadable
    local, dask = tmp_path / "local", tmp_path / "dask"
    p1 = cli("build", str(inbox), "-o", str(local), "--to", "txt,md", "--jobs", "2", "--quiet")
    p2 = cli("build", str(inbox), "-o", str(dask), "--to", "txt,md", "--jobs", "2", "--quiet",
             "--executor", "dask")
    assert p1.returncode == p2.returncode == 1, p1.stderr + p2.stderr  # the binary file
    assert "29 of 30 input(s) built" in p2.stderr and "坏文件.txt" in p2.stderr
    same_stderr(p1, local, p2, dask)
    first, second = outputs(local), outputs(dask)
    assert {"manifest.json", "summary.json", "summary.csv", "manifest-sha256.txt"} <= first.keys()
    assert len([n for n in first if n.endswith(".report.json")]) == 29
    assert first.keys() == second.keys()
    assert [n for n in first if first[n] != second[n]] == []  # every file, the manifest and summaries too

    # the manifest names no executor: the local one finds the documents Dask built current
    again = cli("build", str(inbox), "-o", str(dask), "--to", "txt,md", "--quiet", "--jobs", "2")
    assert "0 of 30 input(s) built" in again.stderr and "29 up to date" in again.stderr, again.stderr


@pytest.mark.slow
def test_every_edition_on_dask_is_byte_identical_to_the_local_one(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    for src in SOURCES[:3]:
        (inbox / src.name).write_bytes(src.read_bytes())
    local, dask = tmp_path / "local", tmp_path / "dask"
    p1 = cli("build", str(inbox), "-o", str(local), "--jobs", "2", "--quiet")
    p2 = cli("build", str(inbox), "-o", str(dask), "--jobs", "2", "--quiet", "--executor", "dask")
    assert p1.returncode == p2.returncode == 0, p1.stderr + p2.stderr
    first, second = outputs(local), outputs(dask)
    assert len([n for n in first if n.endswith(".zh-Hant.pdf")]) == 3
    assert first.keys() == second.keys() and [n for n in first if first[n] != second[n]] == []


def test_standard_input_stays_in_this_process(tmp_path: Path) -> None:
    data = SOURCES[0].read_bytes()
    built = {}
    for executor in ("local", "dask"):
        out = tmp_path / executor
        p = subprocess.run([sys.executable, "-m", "cleaner", "build", "-", str(SOURCES[1]), "-o", str(out), "--to",
                            "txt", "--quiet", "--executor", executor, "--jobs", "2"], input=data, env=env(),
                           capture_output=True, timeout=300, check=False)
        assert p.returncode == 0, p.stderr
        built[executor] = outputs(out)
    assert "stdin.txt" in built["local"] and built["dask"] == built["local"]


def test_the_time_limit_holds_on_a_dask_worker(tmp_path: Path) -> None:
    """A Dask worker runs the document in a thread, where SIGALRM cannot reach: the slow
    document still fails alone, with its name, and the worker goes on with the others."""
    check_time_limit(tmp_path, "--executor", "dask")


def test_a_running_scheduler_is_used(tmp_path: Path, cluster) -> None:
    """--scheduler: the cluster started here (loopback) does the work; the outputs are the
    local executor's."""
    inbox = make_batch(tmp_path, 12)
    local, dask = tmp_path / "local", tmp_path / "dask"
    address = cluster.scheduler_address
    assert address.startswith("tcp://127.0.0.1:")
    p1 = cli("build", str(inbox), "-o", str(local), "--to", "txt,md", "--quiet")
    before = _render_tasks(cluster)
    p2 = cli("build", str(inbox), "-o", str(dask), "--to", "txt,md", "--quiet", "--executor", "dask",
             "--scheduler", address)
    assert p1.returncode == p2.returncode == 1, p2.stderr
    same_stderr(p1, local, p2, dask)
    assert outputs(local) == outputs(dask)
    assert _render_tasks(cluster) - before == 12  # every document was rendered by the cluster's workers


def _render_tasks(cluster) -> int:
    """How many ``build._render_task`` tasks the scheduler has seen finish (the prefix of a
    task's key is its function's name without the leading underscore)."""
    prefix = cluster.scheduler.task_prefixes.get("render_task")
    return prefix.state_counts["memory"] if prefix is not None else 0


@pytest.mark.slow  # the connection is tried for CONNECT_TIMEOUT (10 s)
def test_a_scheduler_that_cannot_be_reached_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as s:  # a loopback port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    started = time.monotonic()
    p = cli("build", str(SOURCES[0]), "-o", str(tmp_path / "out"), "--executor", "dask", "--scheduler", address)
    assert p.returncode == 2, p.stderr
    assert p.stderr.count("\n") == 1 and address in p.stderr and "Traceback" not in p.stderr, p.stderr
    assert time.monotonic() - started < 30
    assert not list((tmp_path / "out").iterdir())


def test_workers_with_another_version_of_cleaner_are_refused(tmp_path: Path) -> None:
    from distributed import LocalCluster

    from cleaner.dask_executor import LOCAL_ONLY

    other = tmp_path / "other_version.py"  # a preload: the workers' cleaner says it is another version
    other.write_text("import cleaner\ncleaner.__version__ = '0.0.1'\n", encoding="utf-8")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, preload=[str(other)], **LOCAL_ONLY) as c:
        p = cli("build", str(SOURCES[0]), "-o", str(tmp_path / "out"), "--executor", "dask", "--scheduler",
                c.scheduler_address)
    assert p.returncode == 2, p.stderr
    assert p.stderr.count("\n") == 1 and "runs cleaner 0.0.1" in p.stderr, p.stderr
    assert not list((tmp_path / "out").iterdir())


@pytest.mark.slow  # the first worker is waited for CONNECT_TIMEOUT (10 s)
def test_a_scheduler_without_workers_is_one_line_and_exit_2(tmp_path: Path) -> None:
    from distributed import LocalCluster

    from cleaner.dask_executor import LOCAL_ONLY

    with LocalCluster(n_workers=0, processes=True, **LOCAL_ONLY) as c:
        p = cli("build", str(SOURCES[0]), "-o", str(tmp_path / "out"), "--executor", "dask", "--scheduler",
                c.scheduler_address)
    assert p.returncode == 2, p.stderr
    assert p.stderr.count("\n") == 1 and "has no worker" in p.stderr, p.stderr


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:port", "foo://127.0.0.1:8786"])
def test_a_scheduler_address_that_is_none_is_one_line_and_exit_2(tmp_path: Path, address: str) -> None:
    p = cli("build", str(SOURCES[0]), "-o", str(tmp_path / "out"), "--executor", "dask", "--scheduler", address)
    assert p.returncode == 2, p.stderr
    assert p.stderr.count("\n") == 1 and f"--scheduler {address}: not the address" in p.stderr, p.stderr


def test_without_dask_installed_the_error_says_what_to_install(tmp_path: Path) -> None:
    """Dask hidden from the import system, as when the extra is not installed."""
    code = ("import sys; sys.modules['distributed'] = None; from cleaner.cli import main; "
            f"sys.exit(main(['build', {str(SOURCES[0])!r}, '-o', {str(tmp_path / 'out')!r}, '--executor', 'dask']))")
    p = subprocess.run([sys.executable, "-c", code], env=env(), capture_output=True, text=True, timeout=120,
                       check=False)
    assert p.returncode == 2, p.stderr
    assert p.stderr.count("\n") == 1 and "pip install 'cleaner[dask]'" in p.stderr, p.stderr
    # and the local executor does not need Dask at all
    q = subprocess.run([sys.executable, "-c", "import sys; sys.modules['distributed'] = None; sys.modules['dask'] = "
                        "None; from cleaner.cli import main; sys.exit(main(['build', " + repr(str(SOURCES[0]))
                        + ", '-o', " + repr(str(tmp_path / "plain")) + ", '--to', 'txt', '--quiet']))"],
                       env=env(), capture_output=True, text=True, timeout=120, check=False)
    assert q.returncode == 0, q.stderr


@pytest.mark.parametrize("args", [["--scheduler", "tcp://127.0.0.1:8786"],
                                  ["--executor", "local", "--scheduler", "tcp://127.0.0.1:8786"],
                                  ["--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--jobs", "2"],
                                  ["--executor", "spark"]])
def test_options_that_do_not_fit_are_refused(tmp_path: Path, args: list[str]) -> None:
    p = cli("build", str(SOURCES[0]), "-o", str(tmp_path / "out"), *args)
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_ends_a_dask_batch_cleanly(tmp_path: Path, sig: int) -> None:
    """As with local workers (``signal_a_batch``): exit 128 + N, no temporary or partial
    file, and no process of the local cluster left running."""
    signal_a_batch(tmp_path, sig, "--executor", "dask", settle=100)
