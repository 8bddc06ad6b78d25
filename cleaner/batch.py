"""A batch's own records in OUTDIR: the manifest that makes reruns incremental.

``OUTDIR/manifest.json`` holds one record per document, keyed by its output stem below
OUTDIR (``sub/a``): the input as named, its SHA-256, the cleaner version, the options
that change outputs, the chrome learned from its folder, the status (``built`` or
``failed`` with the reason), and every output with its SHA-256, plus what the summary
shows (title, date, site profile, truncation, warnings by kind). A document is skipped
when its record is current: the same input bytes, version, options and learned chrome,
and every recorded output present with the recorded hash. The file is deterministic
(sorted, no clock) and written atomically.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .files import write_atomic

MANIFEST = "manifest.json"
SUMMARY_JSON = "summary.json"
SUMMARY_CSV = "summary.csv"
FIXITY = "manifest-sha256.txt"
#: the batch's own files at the top of OUTDIR, next to the documents' editions
RECORDS = (MANIFEST, SUMMARY_JSON, SUMMARY_CSV, FIXITY)
#: stems no document gets at the top of OUTDIR: NAME.txt would be the fixity list
RESERVED_STEMS = ("manifest-sha256",)
SCHEMA = "cleaner.manifest/1"


def sha256_file(path: str | Path) -> str | None:
    """The file's SHA-256 in hex, or None when it cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def options_key(options: Any) -> dict[str, Any]:
    """The build options that change what is written (not --jobs, --timeout, --quiet)."""
    return {"formats": sorted(options.formats), "traditional": options.traditional, "variant": options.variant,
            "site": options.site, "max_bytes": options.max_bytes, "toc": options.toc}


def chrome_key(lines: frozenset[str]) -> str:
    """A short stable name of the chrome lines learned from a document's folder."""
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()[:16] if lines else ""


def report_facts(report: bytes) -> dict[str, Any]:
    """What the summary shows of a document, from its report.json."""
    r = json.loads(report)
    kinds = Counter(w.get("kind", "?") for w in r.get("warnings", []))
    return {"title": r.get("title", ""), "date": r.get("meta", {}).get("date", ""),
            "profile": r.get("profile", ""), "truncated": bool(r.get("truncated")),
            "counts": {k: v for k, v in r.get("counts", {}).items() if isinstance(v, int)},
            "warnings": dict(sorted(kinds.items()))}


@dataclass
class Manifest:
    outdir: Path
    records: dict[str, dict[str, Any]] = field(default_factory=dict)

    @staticmethod
    def ours(outdir: Path) -> bool:
        """Whether ``outdir`` holds no manifest.json, or one of cleaner's: any other file of
        that name (a web app's, a package's) is someone else's, never to be replaced."""
        path = outdir / MANIFEST
        if not os.path.lexists(path):
            return True
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return False
        return isinstance(data, dict) and str(data.get("schema", "")).startswith("cleaner.manifest/")

    @classmethod
    def load(cls, outdir: Path) -> Manifest:
        """The manifest of ``outdir``; empty when there is none or it cannot be read (then
        everything is built again, which is always safe)."""
        try:
            data = json.loads((outdir / MANIFEST).read_text("utf-8"))
            records = {r["output"]: r for r in data["documents"] if isinstance(r, dict) and "output" in r}
        except (OSError, ValueError, KeyError, TypeError):
            records = {}
        return cls(outdir, records)

    def current(self, key: str, expected: dict[str, Any]) -> bool:
        """Whether the record ``key`` was built from what ``expected`` says (input hash,
        version, options, chrome, source path) and its outputs are all there, unchanged."""
        r = self.records.get(key)
        if not r or r.get("status") != "built" or not expected.get("sha256"):
            return False
        if any(r.get(k) != v for k, v in expected.items()):
            return False
        outputs = r.get("outputs") or {}
        return bool(outputs) and all(sha256_file(self.outdir / name) == sha for name, sha in outputs.items())

    def put(self, key: str, record: dict[str, Any]) -> None:
        self.records[key] = {"output": key, **record}

    def data(self) -> bytes:
        docs = [dict(sorted(self.records[k].items())) for k in sorted(self.records)]
        body = {"schema": SCHEMA, "cleaner": __version__, "documents": docs}
        return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    def save(self) -> None:
        write_atomic(self.outdir / MANIFEST, self.data())


def expected_record(sha: str | None, options: Any, chrome: frozenset[str], source_path: str | None) -> dict[str, Any]:
    return {"sha256": sha, "cleaner": __version__, "options": options_key(options), "chrome": chrome_key(chrome),
            "source_path": source_path}


def document_row(output: str, record: dict[str, Any], status: str | None = None) -> dict[str, Any]:
    """One input's row of the summary, from its record: ``status`` is ``built``,
    ``current`` (not built again: its outputs were up to date) or ``failed``."""
    return {"input": record.get("input", ""), "output": output, "status": status or record.get("status", "failed"),
            "reason": record.get("reason", ""), "title": record.get("title", ""), "date": record.get("date", ""),
            "profile": record.get("profile", ""), "truncated": bool(record.get("truncated")),
            "counts": record.get("counts", {}), "warnings": record.get("warnings", {}),
            "outputs": sorted(record.get("outputs") or {})}


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    kinds: Counter[str] = Counter()
    for r in rows:
        kinds.update(r["warnings"])
    status = Counter(r["status"] for r in rows)
    return {"inputs": len(rows), "built": status["built"], "current": status["current"], "failed": status["failed"],
            "truncated": sum(r["truncated"] for r in rows), "warnings": dict(sorted(kinds.items()))}


CSV_COLUMNS = ["input", "output", "status", "reason", "title", "date", "profile", "truncated", "removed_lines",
               "warnings", "warning_kinds", "outputs"]


def summary_csv(rows: list[dict[str, Any]]) -> bytes:
    """One row per input; warnings by kind as ``kind=n; kind=n``, outputs separated by spaces."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in rows:
        w.writerow([r["input"], r["output"], r["status"], r["reason"], r["title"], r["date"], r["profile"],
                    "yes" if r["truncated"] else "", r["counts"].get("removed_lines", ""),
                    sum(r["warnings"].values()), "; ".join(f"{k}={n}" for k, n in r["warnings"].items()),
                    " ".join(r["outputs"])])
    return buf.getvalue().encode("utf-8")


def summary_json(rows: list[dict[str, Any]]) -> bytes:
    body = {"schema": "cleaner.summary/1", "cleaner": __version__, "totals": totals(rows), "documents": rows}
    return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_summary(outdir: Path, rows: list[dict[str, Any]], name: str) -> None:
    """``OUTDIR/summary.json`` or ``OUTDIR/summary.csv`` (``name``)."""
    write_atomic(outdir / name, summary_json(rows) if name == SUMMARY_JSON else summary_csv(rows))


def summary_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The end-of-batch table for stderr: how many were built, up to date, failed (their
    reasons are said above), how many are truncated, and the warnings by kind."""
    t = totals(rows)
    lines = [f"  built       {t['built']}", f"  up to date  {t['current']}",
             f"  failed      {t['failed']}" + ("  (reasons above)" if t["failed"] else "")]
    lines.append(f"  truncated   {t['truncated']}")  # which ones: summary.csv, not here (a name here reads as a failure)
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(t["warnings"].items(), key=lambda kv: (-kv[1], kv[0])))
    lines.append(f"  warnings    {sum(t['warnings'].values())}" + (f"  ({kinds})" if kinds else ""))
    return lines


def write_fixity(outdir: Path, book: Manifest) -> None:
    """``OUTDIR/manifest-sha256.txt``: ``sha256  relative/path`` (BagIt's manifest lines)
    for every output on record that is on disk, and the batch's own manifest and summary;
    sorted by path."""
    lines: dict[str, str] = {}
    for record in book.records.values():
        if record.get("status") == "built":
            lines.update({name: sha for name, sha in (record.get("outputs") or {}).items()
                          if (outdir / name).is_file()})
    for name in (MANIFEST, SUMMARY_JSON, SUMMARY_CSV):
        sha = sha256_file(outdir / name)
        if sha:
            lines[name] = sha
    write_atomic(outdir / FIXITY, "".join(f"{lines[n]}  {n}\n" for n in sorted(lines)).encode("utf-8"))


def bagging_date(rows: list[dict[str, Any]], epoch: str | None) -> str:
    """The Bagging-Date of a bag, never the clock: SOURCE_DATE_EPOCH when set, else the
    latest date of the documents (``2018`` counts as 2018-01-01), else 1970-01-01."""
    import datetime as dt
    import re

    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%d")
    dates = []
    for r in rows:
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(r.get("date", "")))
        if m:
            dates.append(f"{m[1]}-{m[2] or '01'}-{m[3] or '01'}")
    return max(dates, default="1970-01-01")


def make_bag(bag: Path, rows: list[dict[str, Any]], epoch: str | None) -> None:
    """Turn ``bag`` (whose payload, the build, is already in ``bag/data``) into a BagIt bag
    (RFC 8493) with the ``bagit`` library: bagit.txt, bag-info.txt, manifest-sha256.txt over
    data/, tagmanifest-sha256.txt. Deterministic: bag-info names cleaner, not the date of
    the day nor bagit's version."""
    import bagit

    (bag / "bagit.txt").write_text("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8")
    (bag / FIXITY).write_text("", encoding="utf-8")  # the algorithm bagit will use: sha256 only
    for stale in ("tagmanifest-sha256.txt", "bag-info.txt"):
        (bag / stale).unlink(missing_ok=True)
    b = bagit.Bag(str(bag))
    t = totals(rows)
    b.info.clear()
    b.info.update({
        "Source-Organization": "cleaner (clean editions of Chinese official documents)",
        "External-Description": f"Editions made by cleaner {__version__} of {t['inputs']} input(s):"
                                f" {t['built'] + t['current']} built, {t['failed']} failed; see data/summary.csv",
        "Bagging-Date": bagging_date(rows, epoch),
        "Bag-Software-Agent": f"cleaner {__version__}",
    })
    b.save(manifests=True)
