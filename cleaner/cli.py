"""Command line: argument parsing and exit codes only; the work is done elsewhere.

Exit status: 0 all inputs cleaned, 1 some inputs failed, 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence

from . import __version__, sites
from .build import display_name
from .read import ReadError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_MAX_MB = 50

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
    p.add_argument("--report", metavar="FILE", help="also write the cleaning report (JSON) to FILE")
    p.add_argument("--traditional", action="store_true", help="convert the result to Traditional Chinese")
    p.add_argument("--variant", default="tw", choices=("tw", "hk", "t", "twp"),
                   help="OpenCC target with --traditional (default: tw; twp also swaps vocabulary)")
    p.add_argument("--quotes", choices=("keep", "corner"), default=None,
                   help="corner: turn “ ” ‘ ’ into 「 」 『 』 (with --traditional)")
    _add_common(p)

    p = sub.add_parser("build", help="write every edition of each input into a folder",
                       description="For each INPUT (files or folders of .txt files) write <stem>.txt, "
                                   "<stem>.md, <stem>.report.json and the DOCX/PDF editions into OUTDIR.")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--outdir", required=True, metavar="OUTDIR")
    p.add_argument("--to", default="txt,md,docx,pdf", metavar="FORMATS",
                   help="comma-separated formats among txt,md,html,docx,pdf (default: txt,md,docx,pdf)")
    p.add_argument("--no-traditional", action="store_true", help="skip the Traditional-Chinese DOCX and PDF")
    p.add_argument("--variant", default="tw", choices=("tw", "hk", "t", "twp"),
                   help="OpenCC target for the Traditional editions (default: tw)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_common(p)

    p = sub.add_parser("check", help="show what cleaning removes, repairs and flags",
                       description="Print the cleaning report of INPUT as a readable table.")
    p.add_argument("input", metavar="INPUT", help="input file, or - for stdin")
    p.add_argument("--strict", action="store_true",
                   help="verify that every input line is in the output or listed as removed; exit 1 if not")
    _add_common(p)

    sub.add_parser("sites", help="list the site profiles", description="List the site profiles cleaner knows.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "sites":
            return _sites()
        if args.site != "auto":
            try:
                sites.get(args.site)
            except KeyError as e:
                parser.error(str(e.args[0]))
        if args.command == "clean":
            return _clean(args)
        if args.command == "check":
            return _check(args)
        if args.command == "build":
            from .build import build_many
            return build_many(args)
    except ReadError as e:
        print(f"cleaner: {e}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `cleaner clean x | head`
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        print("cleaner: interrupted", file=sys.stderr)
        return 128 + 2
    except Exception as e:  # a bug: say so in one line, never a traceback
        what = f"{display_name(args.input)}: " if getattr(args, "input", None) else ""
        print(f"cleaner: {what}internal error ({type(e).__name__}: {e}); please report it", file=sys.stderr)
        if os.environ.get("CLEANER_DEBUG"):
            raise
        return EXIT_SOME_FAILED
    return EXIT_USAGE


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so that flushing at exit cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _load(args: argparse.Namespace):  # -> tuple[bytes, Document]
    from .pipeline import clean_bytes
    from .read import read_path

    max_bytes = int(args.max_size * 1024 * 1024)
    name = "<stdin>" if args.input == "-" else display_name(args.input)
    try:
        data, decoded = read_path(args.input, max_bytes=max_bytes)
    except ReadError as e:  # name the file printably
        raise ReadError(str(e).replace(args.input, name, 1)) from None
    return data, clean_bytes(data, name, site=args.site, max_bytes=max_bytes, decoded=decoded)


def _clean(args: argparse.Namespace) -> int:
    from .render.markdown import render_markdown
    from .render.text import render_text

    _, doc = _load(args)
    if args.traditional:
        from .traditional import document_to_traditional
        doc = document_to_traditional(doc, args.variant, quotes=args.quotes)
    out = render_markdown(doc) if args.format == "md" else render_text(doc)
    if args.report:
        from pathlib import Path

        from .build import write_atomic
        payload = (json.dumps(doc.report_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        try:
            write_atomic(Path(args.report), payload)
        except OSError as e:
            print(f"cleaner: cannot write the report {display_name(args.report)}: {e.strerror or e}",
                  file=sys.stderr)
            return EXIT_USAGE
    sys.stdout.buffer.write(out.encode("utf-8"))
    sys.stdout.flush()
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .check import accounting, format_report

    data, doc = _load(args)
    print(format_report(doc))
    if args.strict:
        missing = accounting(data, doc)
        if missing:
            print(f"\nUNACCOUNTED: {len(missing)} input line(s) neither in the output nor in the report:")
            for n, text in missing:
                print(f"  line {n}: {text[:60]}")
            return EXIT_SOME_FAILED
        print("\naccounting: every non-blank input line is in the output or listed as removed")
    return EXIT_OK


def _sites() -> int:
    for p in sites.all_profiles():
        sig = ", ".join(p.signatures[:3]) or "(always applies)"
        print(f"{p.name:<12} {p.label:<28} {p.source:<16} signatures: {sig}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
