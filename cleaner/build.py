"""`cleaner build`: every edition of each input, written safely into one folder.

One bad input never stops a batch: it is reported with its reason and the run goes
on. Every edition of a document is rendered in memory before the first one is written,
and they are written as a set (``files.write_set``): all or none, never a mixture with
an earlier build's. Messages and exit codes are the command line's; this module returns
what happened.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import sites
from .batch import (
    FIXITY,
    MANIFEST,
    RESERVED_STEMS,
    SUMMARY_CSV,
    SUMMARY_JSON,
    Manifest,
    document_row,
    expected_record,
    report_facts,
    sha256_file,
    write_fixity,
    write_summary,
)
from .chrome import chrome_from_keys, document_keys, learn_chrome
from .editions import render_editions
from .files import Input, display_name, file_id, find_inputs, input_name, unique_stems, write_set
from .pipeline import load, read_source
from .read import DEFAULT_MAX_BYTES, ReadError

#: seconds between two writes of the manifest during a batch (and once at its end)
MANIFEST_EVERY = 1.0


class BuildError(Exception):
    """An input that cannot be built for a reason other than its content."""


class DocumentTimeout(BaseException):
    """A document took longer than ``BuildOptions.timeout``. A BaseException, like
    KeyboardInterrupt, so that no ``except Exception`` on the way (in cleaner or in a
    library) can swallow it."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout in the block once ``seconds`` have passed (wall clock); with
    ``seconds`` None or 0 there is no limit. Whatever the block was doing when the limit
    passed is abandoned; the limit is cleared on leaving the block.

    In the main thread (a worker process of the local executor) a SIGALRM timer (POSIX);
    in any other thread (a Dask worker runs its tasks in a thread, where no signal handler
    can run) a timer thread raises the exception in this one (``_thread_deadline``).
    Either way the exception arrives between two Python instructions: a long call into C
    code ends before it is seen.
    """
    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _thread_deadline(seconds):
            yield
        return
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _thread_deadline(seconds: float) -> Iterator[None]:
    """``deadline`` outside the main thread: a timer thread that, once ``seconds`` have
    passed, sets DocumentTimeout as this thread's asynchronous exception
    (``PyThreadState_SetAsyncExc``, what a signal handler does for the main thread). A
    lock makes the timer and the end of the block exclusive: the timer strikes only while
    the block runs, and an exception it set that was not yet raised when the block ends
    is withdrawn, so nothing strikes after it."""
    import ctypes

    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"running": True, "struck": False}

    def expire() -> None:
        with lock:
            if state["running"]:
                state["struck"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(DocumentTimeout))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["running"] = False
            timer.cancel()
            if state["struck"]:  # set, and perhaps not raised yet: withdrawn
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP that arrive in the block act when it ends: their handlers
    (KeyboardInterrupt, ``cli._terminate_cleanly``) run then, not between a document's
    writing and its record. Python handlers, not a signal mask: a signal whose handler is
    still pending when the block starts is caught too. Main thread only; elsewhere nothing
    is deferred."""
    got: list[int] = []
    saved: dict[int, object] = {}
    try:
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                sig = getattr(signal, name)
                saved[sig] = signal.signal(sig, lambda signum, frame: got.append(signum))
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)  # type: ignore[arg-type]
        for sig in dict.fromkeys(got):
            signal.raise_signal(sig)


@dataclass(frozen=True)
class BuildOptions:
    formats: frozenset[str] = frozenset({"txt", "md", "docx", "pdf"})
    traditional: bool = True
    variant: str = "tw"
    site: str = "auto"
    max_bytes: int = DEFAULT_MAX_BYTES
    toc: bool = False  # a table of contents in the DOCX editions
    #: read links in input folders that lead outside them
    follow_links: bool = False
    #: seconds one document may take to read, clean and render (None: no limit; the
    #: command line's default is 300); see ``deadline``.
    timeout: float | None = None


class BatchError(Exception):
    """The batch cannot run at all (the output folder's manifest.json is someone else's).
    Nothing was built."""


class ExecutorError(BatchError):
    """The executor cannot run the batch: Dask is not installed, its scheduler cannot be
    reached, its workers cannot run cleaner. Nothing was built."""


#: the executors of ``--executor``
EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class Executor:
    """Where the documents are read, cleaned and rendered: ``local``, in ``jobs`` worker
    processes of this machine (``_run_local``); ``dask``, on the workers of a Dask
    cluster, through ``client`` (a ``distributed.Client``; ``_run_dask``). Either way this
    process alone writes."""

    name: str = "local"
    jobs: int = 1
    client: Any = None
    #: local, ``jobs`` > 1: the worker processes of the batch (``_local_pool``), which
    #: learn the folders' chrome and then render
    pool: ProcessPoolExecutor | None = None


@contextmanager
def open_executor(name: str = "local", jobs: int = 1, scheduler: str | None = None) -> Iterator[Executor]:
    """The executor called ``name`` for the length of a batch. ``dask``: a client of the
    cluster whose scheduler is at ``scheduler``, else of a LocalCluster of ``jobs`` worker
    processes started here and stopped after (``dask_executor.connect``, which raises
    ExecutorError when Dask is missing or the cluster cannot be used)."""
    if name == "dask":
        from . import dask_executor  # Dask is optional: imported only when asked for

        with dask_executor.connect(jobs, scheduler) as client:
            yield Executor("dask", jobs, client)
    elif name == "local":
        yield Executor("local", jobs)
    else:
        raise ExecutorError(f"unknown executor {name!r}; choose from {', '.join(EXECUTORS)}")


@dataclass
class BatchResult:
    paths: list[str]
    built: list[str] = field(default_factory=list)
    #: (input, one-line reason naming it)
    failures: list[tuple[str, str]] = field(default_factory=list)
    #: (path, one-line reason) for what the folders held but was not read (links, the output folder)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: files in the folders that are not *.txt
    other_files: int = 0
    #: inputs not built again: their outputs are current (``batch.Manifest.current``)
    current: list[str] = field(default_factory=list)
    #: one row per input, in input order (``batch.document_row``): what the summary shows
    documents: list[dict[str, object]] = field(default_factory=list)
    #: one line for each of the batch's own files (manifest, summaries) that could not be
    #: written: the documents are built, but a rerun may build them again
    unrecorded: list[str] = field(default_factory=list)


def render_one(path: str, options: BuildOptions = BuildOptions(), learned_chrome: frozenset[str] = frozenset(),
               source_path: str | None = None, name: str | None = None) -> list[tuple[str, bytes]]:
    """Read, clean and render one input within ``options.timeout`` (``deadline``): its
    editions as ``(suffix, payload)``, in memory; nothing is written. The report and the
    messages name the input ``name`` (default: as ``path`` names it). Raises ReadError,
    DocumentTimeout, or whatever a renderer raises."""
    with deadline(options.timeout):
        source, doc = load(path, site=options.site, max_bytes=options.max_bytes, name=name or input_name(path),
                           learned_chrome=learned_chrome)
        return render_editions(doc, source.data, set(options.formats), options.traditional, options.variant,
                               source_path=source_path, toc=options.toc)


def write_editions(path: str, outdir: Path, stem: str, editions: list[tuple[str, bytes]],
                   protected: frozenset[tuple[int, int]] = frozenset()) -> list[Path]:
    """Write the rendered ``editions`` of ``path`` as ``outdir/stem.suffix``, all or none
    (``files.write_set``); refused (BuildError) when one would replace an input."""
    inputs = set(protected) | {i for i in [file_id(path)] if i}
    targets = [(outdir / f"{stem}.{suffix}", payload) for suffix, payload in editions]
    for target, _ in targets:
        if file_id(target) in inputs:
            raise BuildError(f"{input_name(path)}: the output {display_name(str(target))} would replace an input;"
                             " choose another output folder")
    write_set(targets)  # all of them or none
    return [t for t, _ in targets]


def build_one(path: str, outdir: Path, stem: str, options: BuildOptions = BuildOptions(),
              learned_chrome: frozenset[str] = frozenset(),
              protected: frozenset[tuple[int, int]] = frozenset(), source_path: str | None = None) -> list[Path]:
    """Clean one input and write its editions; returns the files written.

    None is written over the input itself or over any file in ``protected`` (the batch's
    other inputs, as ``(st_dev, st_ino)``): ``cleaner build out/a.txt -o out`` fails
    instead of replacing its own input with the clean text. Reading, cleaning and
    rendering must end within ``options.timeout`` seconds (``deadline``), else
    DocumentTimeout; the editions are then not written.
    """
    editions = render_one(path, options, learned_chrome, source_path)  # never the writing under the deadline
    return write_editions(path, outdir, stem, editions, protected)


def _failure(path: str, e: BaseException, options: BuildOptions) -> str:
    """The one-line reason, naming the input, why ``path`` was not built."""
    if isinstance(e, ReadError | BuildError):
        return str(e)
    if isinstance(e, DocumentTimeout):
        return (f"{input_name(path)}: took longer than {options.timeout:g} s to clean and render (--timeout);"
                " nothing written for it")
    if isinstance(e, OSError):  # the output folder: full, read-only, a folder where a file should go
        what = display_name(e.filename) if isinstance(e.filename, str) else "an output"
        return f"{input_name(path)}: cannot write {what}: {e.strerror or e}"
    return f"{input_name(path)}: internal error ({type(e).__name__}: {e})"


def _render_task(path: str, options: BuildOptions, learned_chrome: frozenset[str],
                 source_path: str | None, cwd: str | None = None) -> tuple[list[tuple[str, bytes]] | None, str | None]:
    """What a worker does for one document, on any executor: ``(editions, None)``, or
    ``(None, reason)``. A relative ``path`` is read in ``cwd`` when given (a Dask worker's
    working folder is its own), and named as given either way. The deadline is the
    worker's own: a SIGALRM in a local worker process (tasks run in its main thread), a
    timer thread in a Dask worker (tasks run in a thread)."""
    try:
        where = os.path.join(cwd, path) if cwd else path
        return render_one(where, options, learned_chrome, source_path, name=input_name(path)), None
    except (Exception, DocumentTimeout) as e:  # one bad input must not stop the batch
        return None, _failure(path, e, options)


def _worker_init(parent: int) -> None:
    """A worker ends with its parent: on Linux the kernel kills it when the parent dies,
    even by SIGKILL (PR_SET_PDEATHSIG), instead of waiting forever for work and holding
    the parent's stdout and stderr open. Ctrl-C reaches the whole process group: only the parent acts on it (it stops the
    workers itself), so no worker prints a KeyboardInterrupt traceback. A forked worker
    would inherit the parent's SIGTERM handler (``cli._terminate_cleanly``, with its
    message): the default is put back, so that stopping a worker is silent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        if os.getppid() != parent:  # the parent died before that
            os._exit(1)


def _pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes forked on Linux, spawned elsewhere. Fork is safe here: the pool
    forks all its workers at the first submit, before it starts its own thread, and the
    batch has started none (nor loaded WeasyPrint or OpenCC, which only the workers use);
    and unlike a fork server or spawn it never imports the caller's main module again, so
    a script that calls ``cli.main()`` without ``if __name__ == "__main__"`` still works
    (test_atomic's slow_build.py does)."""
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                               initializer=_worker_init, initargs=(os.getpid(),))


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers at once (a signal or an exception in the parent): what they were
    rendering is discarded, as nothing of it was written. ``terminate_workers`` comes with
    Python 3.14; before it, the pool's own process table."""
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.terminate()
        except (OSError, AttributeError):
            pass


def build_many(inputs: list[str], outdir: Path, options: BuildOptions = BuildOptions(),
               progress: Callable[[list[Input]], Iterable[Input]] = lambda files: files,
               jobs: int = 1, manifest: bool = False, force: bool = False, bag: bool = False,
               executor: str = "local", scheduler: str | None = None) -> BatchResult:
    """Build every input into ``outdir``: files named one by one land in ``outdir`` itself;
    a folder's ``*.txt`` files (any case, found recursively, see ``files.find_inputs``) land
    in the same subfolders under ``outdir`` as under the folder, and their reports record
    that relative path (``source_path``). ``outdir`` is never read as input.

    With ``jobs`` > 1 documents are read, cleaned and rendered in that many worker
    processes; this process alone writes, in the order the documents finish, so outputs,
    signals and the atomic writes are as with one job. With ``executor`` "dask" they are
    rendered on a Dask cluster instead (``open_executor``: ``scheduler``'s, or a
    LocalCluster of ``jobs`` processes), and this process still writes everything: the
    outputs, manifest and summaries are those of the local executor, byte for byte.

    With ``manifest``, ``OUTDIR/manifest.json`` (``batch.Manifest``) records each document
    as soon as its set is written, and documents whose record is current are not built
    again (``result.current``) unless ``force``: a rerun builds only what changed, or what
    an interrupted run had not finished. It also writes ``summary.json``, ``summary.csv``
    and ``manifest-sha256.txt`` (the fixity of every output), except with ``bag``, where
    the caller makes ``outdir`` the payload of a bag that has its own.

    Raises OSError when the inputs cannot be listed, ExecutorError when the executor
    cannot run; a failure of one input is recorded in the result and the batch goes on.
    ``progress`` wraps the iteration (a progress bar).
    """
    found = find_inputs(inputs, exclude=outdir, follow_links=options.follow_links)
    paths = [i.path for i in found.files]
    result = BatchResult(paths, skipped=found.skipped, other_files=found.other_files)
    if not found.files:
        return result
    if manifest and not Manifest.ours(outdir):
        raise BatchError(f"{display_name(str(outdir / MANIFEST))} is not cleaner's manifest and would be replaced;"
                         " choose another output folder, or build with --no-manifest")
    with open_executor(executor, jobs, scheduler) as engine:
        _build_found(found.files, outdir, options, progress, engine, manifest, force, bag, result)
    # the order of the inputs, whatever order the workers finished in
    rank = {path: n for n, path in reversed(list(enumerate(paths)))}
    result.built.sort(key=rank.__getitem__)
    result.failures.sort(key=lambda f: rank[f[0]])
    return result


def _build_found(files: list[Input], outdir: Path, options: BuildOptions,
                 progress: Callable[[list[Input]], Iterable[Input]], engine: Executor, manifest: bool, force: bool,
                 bag: bool, result: BatchResult) -> None:
    """``build_many`` once the inputs are found and the executor is up."""
    with _local_pool(engine, files) as pool:
        engine = replace(engine, pool=pool)
        _build_with(files, outdir, options, progress, engine, manifest, force, bag, result)


@contextmanager
def _local_pool(engine: Executor, files: list[Input]) -> Iterator[ProcessPoolExecutor | None]:
    """The worker processes of a local batch of ``engine.jobs`` > 1, for its length (they
    start at the first task); None when there is nothing to share out. On an exception
    (SIGINT, SIGTERM, a bug) the workers go at once."""
    count = sum(1 for i in files if i.path != "-")
    if engine.name != "local" or engine.jobs < 2 or count < 2:
        yield None
        return
    pool = _pool(min(engine.jobs, count))
    try:
        yield pool
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)


def _build_with(files: list[Input], outdir: Path, options: BuildOptions,
                progress: Callable[[list[Input]], Iterable[Input]], engine: Executor, manifest: bool, force: bool,
                bag: bool, result: BatchResult) -> None:
    learned = _learn_from_folders(files, options.max_bytes, engine)
    protected = frozenset(i for i in (file_id(f.path) for f in files) if i)
    places = _output_places(files, outdir, reserved=RESERVED_STEMS if manifest else ())
    book = Manifest.load(outdir) if manifest else None
    expected: dict[int, dict[str, object]] = {}
    saved = [time.monotonic()]

    def key(item: Input) -> str:
        folder, stem = places[id(item)]
        return (folder / stem).relative_to(outdir).as_posix()

    records: dict[int, dict[str, object]] = {}

    def record(item: Input, status: str, **fields: object) -> None:
        records[id(item)] = {**expected.get(id(item), {}), "input": item.relative or item.path, "status": status,
                             **fields}
        if book is not None:
            book.put(key(item), records[id(item)])

    def keep(name: str, action: Callable[[], None]) -> None:
        """Write one of the batch's own files; a failure is said once, never a document's."""
        try:
            action()
        except OSError as e:
            what = f"cannot write {display_name(str(outdir / name))}: "
            if not any(u.startswith(what) for u in result.unrecorded):
                then = "; a rerun builds again the documents it does not record" if name == MANIFEST else ""
                result.unrecorded.append(f"{what}{e.strerror or e}{then}")

    def save(final: bool = False) -> None:
        if book is not None and (final or time.monotonic() - saved[0] >= MANIFEST_EVERY):
            keep(MANIFEST, book.save)
            saved[0] = time.monotonic()

    def write(item: Input, editions: list[tuple[str, bytes]] | None, reason: str | None) -> None:
        path = item.path
        if editions is not None:
            try:
                folder, stem = places[id(item)]
                folder.mkdir(parents=True, exist_ok=True)
                with _signals_deferred():  # the set and its record: a signal waits until both are there
                    written = write_editions(path, folder, stem, editions, protected)
                    record(item, "built", outputs={t.relative_to(outdir).as_posix(): hashlib.sha256(data).hexdigest()
                                                   for t, (_, data) in zip(written, editions, strict=True)},
                           **report_facts(editions[0][1]))
            except Exception as e:  # one bad input must not stop the batch
                reason = _failure(path, e, options)
            else:
                result.built.append(path)
                save()
                return
        reason = reason or f"{input_name(path)}: not built"
        result.failures.append((path, reason))
        record(item, "failed", reason=reason)
        save()

    todo = files
    if book is not None:
        for item in files:
            sha = sha256_file(item.path) if item.path != "-" else None
            expected[id(item)] = expected_record(sha, options, learned.get(item.path, frozenset()), item.relative)
        if not force:
            fresh = {id(i) for i in files if book.current(key(i), expected[id(i)])}
            result.current = [i.path for i in files if id(i) in fresh]
            todo = [i for i in files if id(i) not in fresh]
            records.update({id(i): book.records[key(i)] for i in files if id(i) in fresh})
    try:
        _run(todo, options, learned, progress, write, engine)
    finally:
        save(final=True)
    current = {id(i) for i in files if i.path in set(result.current)}
    result.documents = [document_row(key(i), records.get(id(i), {"input": i.relative or i.path}),
                                     "current" if id(i) in current else None) for i in files]
    if book is not None:
        for name in (SUMMARY_JSON, SUMMARY_CSV):
            keep(name, lambda: write_summary(outdir, result.documents, name))  # noqa: B023 (called at once)
        if not bag:  # a bag has its own manifest-sha256.txt, over data/
            keep(FIXITY, lambda: write_fixity(outdir, book))


Writer = Callable[[Input, list[tuple[str, bytes]] | None, str | None], None]


def _run(files: list[Input], options: BuildOptions, learned: dict[str, frozenset[str]],
         progress: Callable[[list[Input]], Iterable[Input]], write: Writer, engine: Executor) -> None:
    """Render each of ``files`` on the executor ``engine`` and hand each outcome to
    ``write``, in this process, in the order the documents finish."""
    runners = {"local": _run_local, "dask": _run_dask}
    runners[engine.name](files, options, learned, progress, write, engine)


def _run_local(files: list[Input], options: BuildOptions, learned: dict[str, frozenset[str]],
               progress: Callable[[list[Input]], Iterable[Input]], write: Writer, engine: Executor) -> None:
    """In the batch's worker processes (``engine.pool``) when it has them, else here."""
    pool = engine.pool
    # standard input cannot be handed to another process; a single document is not worth one
    parallel = [i for i in files if i.path != "-"] if pool is not None and len(files) > 1 else []
    inline = [i for i in files if i.path == "-"] if parallel else files
    for item in progress(inline) if not parallel else inline:
        write(item, *_render_task(item.path, options, learned.get(item.path, frozenset()), item.relative))
    if parallel:
        try:
            futures = {pool.submit(_render_task, i.path, options, learned.get(i.path, frozenset()), i.relative): i
                       for i in parallel}
            done = as_completed(futures)
            # the progress bar counts documents as they finish, in whatever order
            for _, future in zip(progress(parallel), done, strict=True):
                write(futures[future], *future.result())
        except BaseException:  # SIGINT, SIGTERM (SystemExit), a bug: the workers go at once, before
            _stop_workers(pool)  # the batch saves its manifest on the way out
            raise


def _run_dask(files: list[Input], options: BuildOptions, learned: dict[str, frozenset[str]],
              progress: Callable[[list[Input]], Iterable[Input]], write: Writer, engine: Executor) -> None:
    """Standard input here (it cannot be handed to another machine), every other document
    on the Dask cluster (``dask_executor.render``)."""
    from . import dask_executor

    for item in [i for i in files if i.path == "-"]:
        write(item, *_render_task(item.path, options, learned.get(item.path, frozenset()), item.relative))
    dask_executor.render(engine.client, [i for i in files if i.path != "-"], options, learned, progress, write)


def _output_places(files: list[Input], outdir: Path, reserved: Iterable[str] = ()) -> dict[int, tuple[Path, str]]:
    """Each input's output folder and stem (by ``id`` of the Input): stems are made unique
    within each output folder (``files.unique_stems``), and none at the top of ``outdir``
    is one of ``reserved`` (the batch's own files are there)."""
    groups: dict[tuple[str, ...], list[Input]] = {}
    for item in files:
        groups.setdefault(item.subfolder, []).append(item)
    places: dict[int, tuple[Path, str]] = {}
    for sub, items in groups.items():
        stems = unique_stems([i.path for i in items], reserved if not sub else ())
        for item in items:
            places[id(item)] = (outdir.joinpath(*sub), stems[item.path])
    return places


def _learn_from_folders(inputs: list[Input], max_bytes: int,
                        engine: Executor = Executor()) -> dict[str, frozenset[str]]:
    """For each folder given, the chrome lines its documents share (see
    ``chrome.learn_chrome``); unreadable files are left to the main loop to report.

    Local: here, streamed (one text in memory at a time). Dask: the same map-reduce on
    the cluster (``dask_executor.learn``: each file's line keys where it is read, then
    ``chrome.chrome_from_keys`` per folder), which gives the same set."""
    tags = sites.title_tags(sites.applying(sites.get("generic")))
    folders: dict[str, list[str]] = {}
    for item in inputs:
        if item.folder is not None:
            folders.setdefault(item.folder, []).append(item.path)
    if engine.name == "dask" and folders:
        from . import dask_executor

        chromes = dask_executor.learn(engine.client, list(folders.values()), max_bytes, tags)
    elif engine.pool is not None and sum(map(len, folders.values())) > 1:
        # the map in the worker processes (reading and decoding is most of it), the reduce here
        paths = [f for files in folders.values() for f in files]
        keys = dict(zip(paths, engine.pool.map(_file_keys, paths, itertools.repeat(max_bytes),
                                               chunksize=max(1, len(paths) // (8 * engine.jobs))), strict=True))
        chromes = [chrome_from_keys((keys[f] for f in files if keys[f] is not None), tags)
                   for files in folders.values()]
    else:
        chromes = [learn_chrome(_texts(files, max_bytes), tags) for files in folders.values()]
    return {f: chrome for files, chrome in zip(folders.values(), chromes, strict=True) for f in files}


def _file_keys(path: str, max_bytes: int, cwd: str | None = None) -> tuple[bytes, frozenset[str]] | None:
    """The map of folder learning, on a worker: one file's ``chrome.document_keys``, None
    when it cannot be read (the batch reports it when it builds it)."""
    return next((document_keys(text) for text in _texts([path], max_bytes, cwd)), None)


def _texts(files: list[str], max_bytes: int, cwd: str | None = None) -> Iterator[str]:
    """The text of each of ``files`` that can be read (relative paths in ``cwd`` when given)."""
    for f in files:
        try:
            yield read_source(os.path.join(cwd, f) if cwd else f, max_bytes=max_bytes, name=input_name(f)).decoded.text
        except ReadError:
            continue
