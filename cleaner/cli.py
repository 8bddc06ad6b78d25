"""Command line: argument parsing and exit codes only; the work is done elsewhere.

Exit status: 0 all inputs cleaned, 1 some inputs failed, 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from . import __version__, sites
from .files import display_name, input_name, same_file
from .read import DEFAULT_MAX_BYTES, ReadError

DEFAULT_TIMEOUT = 300.0  # seconds per document in `build`

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_MAX_MB = DEFAULT_MAX_BYTES // (1024 * 1024)

DESCRIPTION = """\
Clean Chinese official documents copied from document-sharing ("文库") sites: strip the
site's chrome, restore full-width punctuation, repair the outline, state truncation,
and write clean text, Markdown, DOCX and PDF editions (also in Traditional Chinese)."""

EPILOG = """\
examples:
  cleaner clean report.txt                 clean text on stdout
  cleaner clean report.txt --format md     Markdown on stdout
  cleaner clean - < report.txt             read stdin
  cleaner build seeds/*.txt -o outputs     every edition of each input
  cleaner build inbox -o out               a folder, with its subfolders, mirrored under out
  cleaner build inbox -o out               again later: only what changed or was not finished
  cleaner build inbox -o out --force       again, every document
  cleaner check report.txt                 what was removed, repaired, flagged
  cleaner sites                            the site profiles cleaner knows

exit status: 0 ok, 1 some inputs failed, 2 usage error or unreadable input"""


def _megabytes(value: str) -> float:
    """``--max-size``: a positive, finite number of megabytes."""
    try:
        mb = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not math.isfinite(mb) or mb <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of megabytes, not {value!r}")
    return mb


def _seconds(value: str) -> float:
    """``--timeout``: a finite number of seconds, 0 for no limit."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds (0 for no limit), not {value!r}")
    return seconds


def _jobs(value: str) -> int:
    """``--jobs``: a whole number of worker processes, at least 1."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value!r}")
    return jobs


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", default="auto", metavar="NAME|auto",
                   help="site profile to use (default: auto, chosen from the text; see `cleaner sites`)")
    p.add_argument("--max-size", type=_megabytes, default=DEFAULT_MAX_MB, metavar="MB",
                   help=f"refuse inputs larger than this many megabytes (default: {DEFAULT_MAX_MB})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cleaner", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("clean", help="print the clean text of one input",
                       description="Print the clean text of INPUT on stdout: title first, then one "
                                   "heading or paragraph per line, no blank lines.")
    p.add_argument("input", metavar="INPUT", help="input file, or - for stdin")
    p.add_argument("--format", choices=("txt", "md"), default="txt", help="txt (default) or md (Markdown)")
    p.add_argument("--report", metavar="FILE",
                   help="also write the cleaning report (JSON) to FILE; never the input itself (refused), "
                        "never - (stdout carries the text)")
    p.add_argument("--traditional", action="store_true", help="convert the result to Traditional Chinese")
    p.add_argument("--variant", choices=("tw", "hk", "t", "twp"),
                   help="OpenCC target, only with --traditional (default: tw; twp also swaps vocabulary)")
    p.add_argument("--quotes", choices=("keep", "corner"),
                   help="only with --traditional: corner 「 」 『 』 (default for tw, twp, hk) or keep “ ” ‘ ’"
                        " (default for t)")
    _add_common(p)

    p = sub.add_parser("build", help="write every edition of each input into a folder",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="""\
For each INPUT write <stem>.txt, <stem>.md, <stem>.report.json and the DOCX/PDF editions
into OUTDIR. A file named as INPUT (or - for stdin, written as stdin.*) lands in OUTDIR
itself. A folder is searched with all its subfolders for files named *.txt (any case),
and the subfolders are mirrored: DIR/sub/a.txt gives OUTDIR/sub/a.txt, a.md, ...; its
report records "source_path": "sub/a.txt". OUTDIR is never read as input, even inside a
folder given; links that lead out of a folder are skipped (see --follow-links); files
that are not *.txt are counted in the summary. A document's editions are written
together or not at all. By default OUTDIR also gets manifest.json, a record of each
document, so that a rerun builds only what changed (see --manifest, --no-manifest).""")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, or - for stdin")
    p.add_argument("-o", "--outdir", required=True, metavar="OUTDIR", help="the output folder (created if missing)")
    p.add_argument("--to", default="txt,md,docx,pdf", metavar="FORMATS",
                   help="comma-separated formats among txt,md,html,docx,pdf (default: txt,md,docx,pdf); "
                        "the report is always written")
    p.add_argument("--no-traditional", action="store_true", help="skip the Traditional-Chinese DOCX and PDF")
    p.add_argument("--variant", choices=("tw", "hk", "t", "twp"),
                   help="OpenCC target for the Traditional editions (default: tw); refused when no "
                        "Traditional edition is made (--no-traditional, or --to without html/docx/pdf)")
    p.add_argument("--follow-links", action="store_true",
                   help="also read symbolic links inside a folder INPUT that lead outside it (to a file "
                        "or folder); without it they are skipped with a message. A link loop is read once.")
    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="time limit for reading, cleaning and rendering one document (default: "
                        f"{DEFAULT_TIMEOUT:g}; 0: none); a document over it fails with a message naming "
                        "it, nothing is written for it, and the batch goes on (POSIX)")
    p.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                   help="documents cleaned and rendered at once, each in its own worker process (default: "
                        "the number of cores); the outputs are the same for any N, and only the main "
                        "process writes them. With --executor dask: the worker processes of the local "
                        "Dask cluster (not with --scheduler: a cluster has its own size)")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="where documents are cleaned and rendered: local (default), worker processes of "
                        "this machine; dask, the workers of a Dask cluster (pip install 'cleaner[dask]'), "
                        "which must read the inputs at the same paths (a shared file system). The outputs, "
                        "manifest and summaries are the same, and this process still writes them all")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --executor dask: the scheduler of a running cluster (tcp://HOST:8786); "
                        "without it a local cluster of --jobs worker processes is started for the run")
    p.add_argument("--manifest", action="store_true",
                   help="done by default, so never needed: keep OUTDIR/manifest.json, a record of each document "
                        "(input and output SHA-256, version, options), updated as documents finish; a rerun "
                        "skips the documents whose outputs are current and builds only what changed or was not "
                        "finished. With it come summary.json, summary.csv and manifest-sha256.txt (the SHA-256 "
                        "of every output)")
    p.add_argument("--no-manifest", action="store_true",
                   help="write no manifest.json, summaries or manifest-sha256.txt, and use none: every "
                        "document is built on every run")
    p.add_argument("--force", action="store_true",
                   help="build every document again, even those the manifest finds current")
    p.add_argument("--bag", action="store_true",
                   help="make OUTDIR a BagIt bag (RFC 8493): the editions, manifest.json and the summaries in "
                        "OUTDIR/data, with bagit.txt, bag-info.txt and the SHA-256 manifests beside it (not with "
                        "--no-manifest). Bagging-Date is SOURCE_DATE_EPOCH's date, else the latest document date")
    p.add_argument("--review", action="store_true",
                   help="also write review pages (the source beside the clean result, every removal and "
                        "repair marked) into OUTDIR/review, with an index; see `cleaner review`")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--toc", action="store_true", help="add a table of contents to the DOCX editions (a 公文 has none)")
    _add_common(p)

    p = sub.add_parser("check", help="show what cleaning removes, repairs and flags",
                       description="Print the cleaning report of INPUT as a readable table.")
    p.add_argument("input", metavar="INPUT", help="input file, or - for stdin")
    p.add_argument("--strict", action="store_true",
                   help="verify that every input line is in the output or listed as removed; exit 1 if not")
    _add_common(p)

    sub.add_parser("sites", help="list the site profiles", description="List the site profiles cleaner knows.")
    _add_review_parser(sub)
    parser.set_defaults(subparsers=sub.choices)
    return parser


def _usage_error(args: argparse.Namespace, message: str) -> None:
    """The subcommand's usage and ``message`` on stderr, exit status 2 (argparse's way)."""
    args.subparsers[args.command].error(message)


def _validate(args: argparse.Namespace) -> None:
    """Refuse options that would do nothing, and outputs that cannot be right."""
    if args.command == "clean":
        if not args.traditional:
            given = [o for o in ("variant", "quotes") if getattr(args, o) is not None]
            if given:
                _usage_error(args, f"--{given[0]} applies only with --traditional")
        args.variant = args.variant or "tw"
        # --quotes: by default corner 「」 for the Taiwan and Hong Kong editions, “ ” for t
        if args.report == "-":
            _usage_error(args, "--report -: standard output carries the clean text; name a file for the report")
    if args.command == "build":
        from .editions import FORMATS, TRADITIONAL_FORMATS

        formats = [f.strip() for f in args.to.split(",") if f.strip()]
        unknown = sorted(set(formats) - set(FORMATS))
        if unknown:
            _usage_error(args, f"--to: unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
        if not formats:
            _usage_error(args, f"--to {args.to!r} names no format; choose from {', '.join(FORMATS)}")
        args.formats = frozenset(formats)
        if args.variant is not None:
            if args.no_traditional:
                _usage_error(args, "--variant applies only to Traditional editions, and --no-traditional makes none")
            if not args.formats & set(TRADITIONAL_FORMATS):
                _usage_error(args, f"--variant applies only to Traditional editions; --to {args.to} makes none "
                                   f"(they are made for {', '.join(TRADITIONAL_FORMATS)})")
        args.variant = args.variant or "tw"
        if args.no_manifest:
            given = [o for o in ("manifest", "bag", "force") if getattr(args, o)]
            if given:
                why = {"manifest": "contradicts it", "bag": "keeps a manifest in the bag",
                       "force": "applies only with a manifest (without one every document is built anyway)"}
                _usage_error(args, f"--{given[0]} {why[given[0]]}: it cannot go with --no-manifest")
        args.manifest = not args.no_manifest
        if args.scheduler is not None and args.executor != "dask":
            _usage_error(args, "--scheduler applies only with --executor dask")
        if args.scheduler is not None and args.jobs is not None:
            _usage_error(args, "--jobs does not apply with --scheduler: the cluster's workers are its own")
        args.jobs = args.jobs or os.cpu_count() or 1
        if args.inputs.count("-") > 1:
            _usage_error(args, "- (standard input) is given more than once")
    if args.command != "sites" and args.site != "auto":
        try:
            sites.get(args.site)
        except KeyError as e:
            _usage_error(args, str(e.args[0]))


def main(argv: Sequence[str] | None = None) -> int:
    _hold_standard_fds()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # usage errors and --help: the status survives a vanished terminal
        _flush_streams()
        raise SystemExit(e.code) from None
    status = EXIT_USAGE
    try:
        if args.command == "sites":
            status = _sites()
        else:
            _validate(args)
            status = {"clean": _clean, "check": _check, "build": _build, "review": _review}[args.command](args)
    except SystemExit as e:  # _usage_error, a signal
        _flush_streams()
        raise SystemExit(e.code) from None
    except (ReadError, sites.ProfileError) as e:
        _say(f"cleaner: {e}")
        status = EXIT_USAGE
    except KeyboardInterrupt:
        _say("cleaner: interrupted")
        status = 128 + 2
    except Exception as e:  # a bug: say so in one line, never a traceback
        what = f"{input_name(args.input)}: " if getattr(args, "input", None) else ""
        _say(f"cleaner: {what}internal error ({type(e).__name__}: {e}); please report it")
        if os.environ.get("CLEANER_DEBUG"):
            raise
        status = EXIT_SOME_FAILED
    _flush_streams()
    return status


def _hold_standard_fds() -> None:
    """Started with stdin, stdout or stderr closed (`2>&-`), a process hands the free
    numbers 0-2 to the next files it opens: an output file could become fd 2 and receive
    whatever a library writes to stderr. /dev/null holds them instead."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)
            except OSError:
                pass


def _say(message: str) -> None:
    """A message on stderr. A terminal or pipe that has gone away never turns into an
    exception here (it would be caught as some other failure, or change the exit status):
    the message is dropped and stderr is pointed at /dev/null."""
    try:
        if sys.stderr is None:
            return
        print(message, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        _silence(sys.stderr)


def _write_stdout(data: bytes) -> None:
    """The result on stdout; a reader that went away (`cleaner clean x | head`) is not an
    error of cleaner's: the rest is dropped quietly."""
    try:
        if sys.stdout is None:
            return
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except (OSError, ValueError):
        _silence(sys.stdout)


def _print(text: str = "") -> None:
    _write_stdout((text + "\n").encode("utf-8"))


def _silence(stream: object) -> None:
    """Point a broken stream's file descriptor at /dev/null, so that flushing what it still
    buffers (now, or when Python exits) cannot fail and change the exit status."""
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _flush_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            _silence(stream)


def _max_bytes(args: argparse.Namespace) -> int:
    return int(args.max_size * 1024 * 1024)


def _load(args: argparse.Namespace):  # -> tuple[Source, Document]
    from .pipeline import load

    return load(args.input, site=args.site, max_bytes=_max_bytes(args), name=input_name(args.input))


def _clean(args: argparse.Namespace) -> int:
    from .render.markdown import render_markdown
    from .render.text import render_text

    if args.report and same_file(args.input, args.report):
        _say(f"cleaner: --report {display_name(args.report)} is the input {input_name(args.input)};"
             " name another file for the report")
        return EXIT_USAGE
    _, doc = _load(args)
    if args.traditional:
        from .traditional import document_to_traditional
        doc = document_to_traditional(doc, args.variant, quotes=args.quotes)
    out = render_markdown(doc) if args.format == "md" else render_text(doc)
    if args.report:
        from .editions import report_json
        from .files import write_atomic
        try:
            write_atomic(Path(args.report), report_json(doc))
        except OSError as e:
            _say(f"cleaner: cannot write the report {display_name(args.report)}: {e.strerror or e}")
            return EXIT_USAGE
    _write_stdout(out.encode("utf-8"))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .check import accounting, format_report

    _, doc = _load(args)
    _print(format_report(doc))
    if args.strict:
        missing = accounting(doc)
        if missing:
            _print(f"\nUNACCOUNTED: {len(missing)} input line(s) neither in the output nor in the report:")
            for n, text in missing:
                _print(f"  line {n}: {text[:60]}")
            return EXIT_SOME_FAILED
        _print("\naccounting: every non-blank input line is in the output or listed as removed")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .build import BatchError, BuildOptions, build_many

    missing = [i for i in args.inputs if i != "-" and not os.path.exists(i)]
    for name in missing:  # a typo, like `clean`'s: nothing is built
        _say(f"cleaner: {display_name(name)}: no such file")
    if missing:
        return EXIT_USAGE
    outdir = Path(args.outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        _say(f"cleaner build: cannot create the output folder {display_name(str(outdir))}: {e.strerror or e}")
        return EXIT_USAGE
    options = BuildOptions(formats=args.formats, traditional=not args.no_traditional, variant=args.variant,
                           site=args.site, max_bytes=_max_bytes(args), follow_links=args.follow_links,
                           timeout=args.timeout or None, toc=args.toc)
    payload = outdir / "data" if args.bag else outdir
    with _terminate_cleanly():
        try:
            payload.mkdir(exist_ok=True)
            result = build_many(args.inputs, payload, options, progress=lambda paths: _progress(paths, args.quiet),
                                jobs=args.jobs, manifest=args.manifest, force=args.force, bag=args.bag,
                                executor=args.executor, scheduler=args.scheduler)
        except BatchError as e:  # the executor cannot run, the output folder is someone else's
            _say(f"cleaner build: {e}")
            return EXIT_USAGE
        except OSError as e:
            _say(f"cleaner build: cannot list the inputs: {e}")
            return EXIT_USAGE
        if args.review and result.built:
            from .review import collect, write_review

            pages = write_review(collect(result.built, site=args.site, max_bytes=_max_bytes(args)),
                                 str(payload / "review"))
            _say(f"cleaner build: {len(pages)} review page(s) in {display_name(str(payload / 'review'))}")
        if args.bag and result.paths:
            from .batch import make_bag

            try:
                make_bag(outdir, result.documents, os.environ.get("SOURCE_DATE_EPOCH"))
            except Exception as e:  # bagit.BagError, OSError
                _say(f"cleaner build: cannot make the bag {display_name(str(outdir))}: {e}")
                return EXIT_SOME_FAILED
    for _, reason in result.skipped:
        _say(f"cleaner build: {reason}")
    others = ""
    if result.other_files:
        others += f"; {result.other_files} other file(s) skipped (not *.txt)"
    if result.skipped:
        others += f"; {len(result.skipped)} skipped as said above"
    if result.current:
        others += f"; {len(result.current)} up to date (manifest.json), not built again"
    if not result.paths:
        _say(f"cleaner build: no input files (folders are searched for *.txt){others}")
        return EXIT_USAGE
    for _, reason in result.failures:
        _say(f"cleaner build: FAILED {reason}")
    for line in result.unrecorded:  # the documents are built; a rerun may build them again
        _say(f"cleaner build: {line}")
    if len(result.paths) > 1:
        from .batch import summary_lines

        _say("cleaner build: summary" + (" (also in summary.json and summary.csv)" if args.manifest else ""))
        for line in summary_lines(result.documents):
            _say(line)
    _say(f"cleaner build: {len(result.built)} of {len(result.paths)} input(s) built into {display_name(str(outdir))}"
         + others)
    return EXIT_SOME_FAILED if result.failures or result.unrecorded else EXIT_OK


def _progress(paths: list, quiet: bool) -> Iterable:
    if quiet or len(paths) < 2 or sys.stderr is None:
        return paths
    if not sys.stderr.isatty():  # a log file: a plain line at every tenth of the batch
        return _progress_lines(paths)
    from tqdm import tqdm
    return tqdm(paths, unit="file", desc="cleaner build", file=sys.stderr)


PROGRESS_MIN = 20  # documents: smaller batches get no progress lines in a log


def _progress_lines(paths: list) -> Iterable:
    """Yield ``paths``, saying on stderr how far the batch is at each tenth of it (when it
    holds at least PROGRESS_MIN documents): ``cleaner build: 30 of 60 documents (50%), 12 s,
    150/min``."""
    import time

    total = len(paths)
    marks = {math.ceil(total * k / 10) for k in range(1, 10)} if total >= PROGRESS_MIN else set()
    started = time.monotonic()
    for n, item in enumerate(paths):
        if n in marks:
            elapsed = time.monotonic() - started
            rate = f", {n / elapsed * 60:.0f}/min" if elapsed > 0 else ""
            _say(f"cleaner build: {n} of {total} documents ({100 * n // total}%), {elapsed:.0f} s{rate}")
        yield item


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

    def _handler(self, signum: int, frame: object) -> None:
        for sig in self.saved:  # a second signal while this one unwinds ends the process at once
            signal.signal(sig, signal.SIG_DFL)
        # _say never raises: an OSError from a vanished stderr would be caught by the batch's
        # per-file `except OSError` and the batch would go on.
        _say(f"cleaner build: interrupted by {signal.Signals(signum).name}; the outputs already written"
             " are complete, the one being written was discarded")
        raise SystemExit(128 + signum)


def _sites() -> int:
    import unicodedata

    from .check import table

    rows = []
    for p in sites.all_profiles():
        # signatures are compared after NFKC with spaces removed: "文档之家 ›" is "文档之家›"
        unique = {"".join(unicodedata.normalize("NFKC", s).split()): s for s in reversed(p.signatures)}
        shown = list(reversed(unique.values()))[:3]
        rows.append([p.name, p.label, p.source, "signatures: " + (", ".join(shown) or "(always applies)")])
    for line in table(rows, sep="  "):
        _print(line)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def _add_review_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="write review pages: the source beside the clean result",
                       description="Write one self-contained HTML page per document into DIR: the source "
                                   "line by line beside the clean result, every removed line with its rule, "
                                   "every repair, the truncation verdict and the warnings; and index.html "
                                   "for several documents. INPUT is a *.report.json, a folder of them (an "
                                   "earlier output folder), or an input file to clean first. A report's "
                                   "source is looked for under --sources, then next to the report, and "
                                   "checked against the report's SHA-256.")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="reports, output folders, or input files; - reads one source text from stdin "
                        "(its page: DIR/stdin.html)")
    p.add_argument("-o", "--outdir", required=True, metavar="DIR", help="where the pages go (created if missing)")
    p.add_argument("--sources", metavar="DIR",
                   help="the folder of the inputs, when they are not next to the reports")
    _add_common(p)


def _review(args: argparse.Namespace) -> int:
    """Exit 0 when every page shows its source, 1 when a source was missing or changed."""
    from .review import collect, write_review

    if args.inputs.count("-") > 1:
        _usage_error(args, "- (standard input) is given more than once")
    for given in args.inputs:
        if given != "-" and not os.path.exists(given):
            _say(f"cleaner: {display_name(given)}: no such file or folder")
            return EXIT_USAGE
    entries = collect(args.inputs, sources=args.sources, site=args.site, max_bytes=_max_bytes(args))
    if not entries:
        _say("cleaner: no report or input found in " + ", ".join(map(display_name, args.inputs)))
        return EXIT_USAGE
    written = write_review(entries, args.outdir)
    status = EXIT_OK
    for e in entries:
        if e.source_problem:
            _say(f"cleaner: {e.report.get('source_path') or e.report.get('source')}: {e.source_problem}")
            status = EXIT_SOME_FAILED
    _say(f"cleaner: {len(written)} page(s) written to {display_name(args.outdir)}")
    return status
