"""`cleaner build`: every edition of each input, written safely into one folder.

One bad input never stops a batch: it is reported with its reason and the run exits 1.
Each output is written to a temporary file in the output folder and renamed into place
only when complete, so an interrupted run never leaves a half-written file under its
final name, and an existing output is replaced only by a complete new one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import signal
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from .document import Document
from .read import ReadError, read_path

FORMATS = ("txt", "md", "html", "docx", "pdf")


class BuildError(Exception):
    """An input that cannot be built for a reason other than its content."""
MAX_STEM_BYTES = 120


def safe_stem(name: str) -> str:
    """A file-name stem that cannot leave the output folder or break a file system.

    >>> safe_stem("../../etc/passwd.txt")
    'passwd'
    >>> safe_stem("a\\nb\\x00c.txt")
    'a_b_c'
    >>> safe_stem("...")
    'document'
    >>> safe_stem("\\udcff\\udcfe报告.txt") == "\\ufffd\\ufffd报告"  # bytes that are not UTF-8 (PEP 383)
    True
    """
    base = unicodedata.normalize("NFC", display_name(name).replace("\\", "/").rsplit("/", 1)[-1])
    stem = base[:-4] if base.lower().endswith(".txt") else base
    stem = re.sub(r"[\x00-\x1f\x7f/:*?\"<>|]+", "_", stem).strip(" .")
    if not stem:
        return "document"
    if len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        digest = hashlib.sha256(stem.encode("utf-8")).hexdigest()[:10]
        while len(stem.encode("utf-8")) > MAX_STEM_BYTES - 11:
            stem = stem[:-1]
        stem = f"{stem}-{digest}"
    return stem


def display_name(name: str) -> str:
    """A path as it can be printed and stored: bytes that are not UTF-8 (kept by Python as
    lone surrogates, PEP 383) become U+FFFD, and so does any other lone surrogate.

    >>> display_name("a\\udcffb") == "a\\ufffdb", display_name("a\\ud800b")
    (True, 'a?b')
    """
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; outputs are for sharing
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files as given; folders become their *.txt files in sorted order."""
    out: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(str(f) for f in sorted(p.rglob("*.txt")) if f.is_file())
        else:
            out.append(item)
    return out


def renderers(formats: set[str], toc: bool = False) -> dict[str, Callable[..., bytes]]:
    """Format → function(doc, source_bytes, report_json) -> bytes, imported only when asked for."""
    table: dict[str, Callable[..., bytes]] = {}
    if "txt" in formats:
        from .render.text import render_text
        table["txt"] = lambda doc, src, rep: render_text(doc).encode("utf-8")
    if "md" in formats:
        from .render.markdown import render_markdown
        table["md"] = lambda doc, src, rep: render_markdown(doc).encode("utf-8")
    if "html" in formats:
        from .render.html import render_html
        table["html"] = lambda doc, src, rep: render_html(doc).encode("utf-8")
    if "docx" in formats:
        from .render.docx import docx_bytes
        table["docx"] = lambda doc, src, rep: docx_bytes(doc, toc=toc)
    if "pdf" in formats:
        from .render.pdf import pdf_bytes
        table["pdf"] = lambda doc, src, rep: pdf_bytes(doc, source_bytes=src,
                                                      source_name=doc.meta.get("source", "source.txt"),
                                                      report_json=rep)
    return table


def report_json(doc: Document) -> bytes:
    return (json.dumps(doc.report_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _file_id(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def build_one(path: str, outdir: Path, stem: str, formats: set[str], traditional: bool, variant: str,
              site: str = "auto", max_bytes: int = 50 * 1024 * 1024,
              learned_chrome: frozenset[str] = frozenset(),
              protected: frozenset[tuple[int, int]] = frozenset(), toc: bool = False) -> list[Path]:
    """Clean one input and write its editions; returns the files written.

    Every edition is rendered before the first one is written, and none is written over
    the input itself or over any file in ``protected`` (the batch's other inputs, as
    ``(st_dev, st_ino)``): ``cleaner build out/a.txt -o out`` fails instead of replacing
    its own input with the clean text.
    """
    from .pipeline import clean_bytes

    name = display_name(path)
    data, decoded = read_path(path, max_bytes=max_bytes)
    doc = clean_bytes(data, name, site=site, max_bytes=max_bytes, learned_chrome=learned_chrome, decoded=decoded)
    rep = report_json(doc)
    inputs = set(protected) | {i for i in [_file_id(path)] if i}
    outputs: list[tuple[Path, bytes]] = []

    def put(name: str, payload: bytes) -> None:
        target = outdir / name
        if _file_id(target) in inputs:
            raise BuildError(f"{display_name(path)}: the output {display_name(str(target))} would replace an input;"
                             " choose another output folder")
        outputs.append((target, payload))

    put(f"{stem}.report.json", rep)
    table = renderers(formats, toc=toc)
    for fmt in FORMATS:
        if fmt in table:
            put(f"{stem}.{fmt}", table[fmt](doc, data, rep))
    if traditional and formats & {"docx", "pdf", "html"}:
        from .traditional import document_to_traditional
        hant = document_to_traditional(doc, variant)
        for fmt in ("html", "docx", "pdf"):
            if fmt in table:
                put(f"{stem}.zh-Hant.{fmt}", table[fmt](hant, data, rep))
    written: list[Path] = []
    for target, payload in outputs:
        write_atomic(target, payload)
        written.append(target)
    return written


def build_many(args: argparse.Namespace) -> int:
    formats = {f.strip() for f in args.to.split(",") if f.strip()}
    unknown = formats - set(FORMATS)
    if unknown:
        print(f"cleaner build: unknown format(s) {', '.join(sorted(unknown))}; choose from {', '.join(FORMATS)}",
              file=sys.stderr)
        return 2
    outdir = Path(args.outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"cleaner build: cannot create the output folder {display_name(str(outdir))}: {e.strerror or e}",
              file=sys.stderr)
        return 2
    try:
        paths = expand_inputs(args.inputs)
    except OSError as e:
        print(f"cleaner build: cannot list the inputs: {e}", file=sys.stderr)
        return 2
    if not paths:
        print("cleaner build: no input files (folders are searched for *.txt)", file=sys.stderr)
        return 2
    max_bytes = int(args.max_size * 1024 * 1024)
    with _terminate_cleanly():
        return _build_all(args, paths, outdir, formats, max_bytes)


def _build_all(args: argparse.Namespace, paths: list[str], outdir: Path, formats: set[str], max_bytes: int) -> int:
    learned = _learn_from_folders(args.inputs, max_bytes=max_bytes)
    protected = frozenset(i for i in map(_file_id, paths) if i)
    stems = unique_stems(paths)
    failures: list[tuple[str, str]] = []
    for path in _progress(paths, quiet=args.quiet):
        try:
            build_one(path, outdir, stems[path], formats, not args.no_traditional, args.variant,
                      site=args.site, max_bytes=max_bytes, learned_chrome=learned.get(path, frozenset()),
                      protected=protected, toc=getattr(args, "toc", False))
        except (ReadError, BuildError) as e:
            failures.append((path, str(e)))
        except OSError as e:  # the output folder: full, read-only, a folder where a file should go
            failures.append((path, f"{display_name(path)}: cannot write an output: {e.strerror or e}"
                                   + (f" ({display_name(e.filename)})" if isinstance(e.filename, str) else "")))
        except Exception as e:  # one bad input must not stop the batch
            failures.append((path, f"{display_name(path)}: internal error ({type(e).__name__}: {e})"))
    for _, reason in failures:
        print(f"cleaner build: FAILED {reason}", file=sys.stderr)
    done = len(paths) - len(failures)
    print(f"cleaner build: {done} of {len(paths)} input(s) built into {display_name(str(outdir))}", file=sys.stderr)
    return 1 if failures else 0


def unique_stems(paths: list[str]) -> dict[str, str]:
    """Each input's output stem: ``safe_stem``, made unique (case-insensitively, as file
    systems may be) with ``-2``, ``-3``… Names that differ only in Unicode normalisation
    (NFC vs NFD) or case get distinct stems, and a suffix never collides with another
    input's own stem ("a", "a", "a-2" → "a", "a-3", "a-2").

    >>> unique_stems(["x/a.txt", "y/A.txt", "a-2.txt"])
    {'x/a.txt': 'a', 'y/A.txt': 'A-3', 'a-2.txt': 'a-2'}
    """
    wanted = {p: safe_stem(p) for p in paths}
    taken: set[str] = set()
    out: dict[str, str] = {}
    firsts: dict[str, str] = {}
    for p in paths:  # the first input with a stem keeps it
        k = wanted[p].casefold()
        if k not in firsts:
            firsts[k] = p
            taken.add(k)
            out[p] = wanted[p]
    for p in paths:
        if p in out:
            continue
        n = 2
        while f"{wanted[p]}-{n}".casefold() in taken:
            n += 1
        out[p] = f"{wanted[p]}-{n}"
        taken.add(out[p].casefold())
    return {p: out[p] for p in paths}


class _terminate_cleanly:
    """While a batch runs, SIGTERM (and SIGHUP) end it like Ctrl-C does: the file being
    written is removed (``write_atomic``), the message says what happened, and the exit
    status is 128 + the signal number. Finished outputs are complete."""

    SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))

    def __enter__(self) -> None:
        self.saved: dict[int, object] = {}
        try:
            for sig in self.SIGNALS:
                self.saved[sig] = signal.signal(sig, self._handler)
        except ValueError:  # not the main thread: leave signals alone
            pass

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self.saved.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]

    @staticmethod
    def _handler(signum: int, frame: object) -> None:
        print(f"cleaner build: interrupted by {signal.Signals(signum).name}; the outputs already written"
              " are complete, the one being written was discarded", file=sys.stderr)
        raise SystemExit(128 + signum)


def _learn_from_folders(inputs: list[str], max_bytes: int) -> dict[str, frozenset[str]]:
    """For each folder given, the chrome lines its documents share (see
    ``boilerplate.learn_chrome``); unreadable files are left to the main loop to report."""
    from .stages.boilerplate import learn_chrome

    learned: dict[str, frozenset[str]] = {}
    for item in inputs:
        if not Path(item).is_dir():
            continue
        files = expand_inputs([item])
        texts = []
        for f in files:
            try:
                texts.append(read_path(f, max_bytes=max_bytes)[1].text)
            except ReadError:
                continue
        chrome = learn_chrome(texts)
        learned.update({f: chrome for f in files})
    return learned


def _progress(paths: list[str], quiet: bool) -> Iterable[str]:
    if quiet or len(paths) < 2 or not sys.stderr.isatty():
        return paths
    from tqdm import tqdm
    return tqdm(paths, unit="file", desc="cleaner build", file=sys.stderr)
