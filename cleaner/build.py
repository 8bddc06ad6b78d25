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
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from .document import Document
from .read import ReadError, read_path

FORMATS = ("txt", "md", "html", "docx", "pdf")
MAX_STEM_BYTES = 120


def safe_stem(name: str) -> str:
    """A file-name stem that cannot leave the output folder or break a file system.

    >>> safe_stem("../../etc/passwd.txt")
    'passwd'
    >>> safe_stem("a\\nb\\x00c.txt")
    'a_b_c'
    >>> safe_stem("...")
    'document'
    """
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
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


def renderers(formats: set[str]) -> dict[str, Callable[..., bytes]]:
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
        table["docx"] = lambda doc, src, rep: docx_bytes(doc)
    if "pdf" in formats:
        from .render.pdf import pdf_bytes
        table["pdf"] = lambda doc, src, rep: pdf_bytes(doc, source_bytes=src,
                                                      source_name=doc.meta.get("source", "source.txt"),
                                                      report_json=rep)
    return table


def report_json(doc: Document) -> bytes:
    return (json.dumps(doc.report_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def build_one(path: str, outdir: Path, stem: str, formats: set[str], traditional: bool, variant: str,
              site: str = "auto", max_bytes: int = 50 * 1024 * 1024,
              learned_chrome: frozenset[str] = frozenset()) -> list[Path]:
    """Clean one input and write its editions; returns the files written."""
    from .pipeline import clean_bytes

    data, _ = read_path(path, max_bytes=max_bytes)
    doc = clean_bytes(data, path, site=site, max_bytes=max_bytes, learned_chrome=learned_chrome)
    rep = report_json(doc)
    written: list[Path] = []

    def put(name: str, payload: bytes) -> None:
        target = outdir / name
        write_atomic(target, payload)
        written.append(target)

    put(f"{stem}.report.json", rep)
    table = renderers(formats)
    for fmt in FORMATS:
        if fmt in table:
            put(f"{stem}.{fmt}", table[fmt](doc, data, rep))
    if traditional and formats & {"docx", "pdf", "html"}:
        from .traditional import document_to_traditional
        hant = document_to_traditional(doc, variant)
        for fmt in ("html", "docx", "pdf"):
            if fmt in table:
                put(f"{stem}.zh-Hant.{fmt}", table[fmt](hant, data, rep))
    return written


def build_many(args: argparse.Namespace) -> int:
    formats = {f.strip() for f in args.to.split(",") if f.strip()}
    unknown = formats - set(FORMATS)
    if unknown:
        print(f"cleaner build: unknown format(s) {', '.join(sorted(unknown))}; choose from {', '.join(FORMATS)}",
              file=sys.stderr)
        return 2
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = expand_inputs(args.inputs)
    if not paths:
        print("cleaner build: no input files (folders are searched for *.txt)", file=sys.stderr)
        return 2
    learned = _learn_from_folders(args.inputs, max_bytes=int(args.max_size * 1024 * 1024))
    stems: dict[str, int] = {}
    failures: list[tuple[str, str]] = []
    progress = _progress(paths, quiet=args.quiet)
    max_bytes = int(args.max_size * 1024 * 1024)
    for path in progress:
        stem = safe_stem(path)
        n = stems.get(stem.casefold(), 0) + 1
        stems[stem.casefold()] = n
        if n > 1:
            stem = f"{stem}-{n}"
        try:
            build_one(path, outdir, stem, formats, not args.no_traditional, args.variant,
                      site=args.site, max_bytes=max_bytes, learned_chrome=learned.get(path, frozenset()))
        except ReadError as e:
            failures.append((path, str(e)))
        except Exception as e:  # one bad input must not stop the batch
            failures.append((path, f"{path}: {type(e).__name__}: {e}"))
    for _, reason in failures:
        print(f"cleaner build: FAILED {reason}", file=sys.stderr)
    done = len(paths) - len(failures)
    print(f"cleaner build: {done} of {len(paths)} input(s) built into {outdir}", file=sys.stderr)
    return 1 if failures else 0


def _learn_from_folders(inputs: list[str], max_bytes: int) -> dict[str, frozenset[str]]:
    """For each folder given, the chrome lines its documents share (see
    ``boilerplate.learn_chrome``); unreadable files are left to the main loop to report."""
    from .read import decode
    from .stages.boilerplate import learn_chrome

    learned: dict[str, frozenset[str]] = {}
    for item in inputs:
        if not Path(item).is_dir():
            continue
        files = expand_inputs([item])
        texts = []
        for f in files:
            try:
                data, _ = read_path(f, max_bytes=max_bytes)
                texts.append(decode(data, f, max_bytes=max_bytes).text)
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
