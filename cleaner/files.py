"""Files: names that cannot escape a folder, atomic writes, the inputs of a folder.

Every output is written to a temporary file in its folder and renamed into place only
when complete, so an interrupted run never leaves a half-written file under its final
name, and an existing file is replaced only by a complete new one. The editions of one
document are written as a set (``write_set``): all of them in a temporary folder first,
then renamed together, so a full disk or an error leaves the old set or the new one,
never a mixture.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

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
    return _safe_name(base[:-4] if base.lower().endswith(".txt") else base, "document")


def safe_folder_name(name: str) -> str:
    """A folder name for the mirrored output tree, made safe as ``safe_stem`` makes stems.

    >>> safe_folder_name("sub dir"), safe_folder_name(".."), safe_folder_name("a\\nb")
    ('sub dir', 'folder', 'a_b')
    """
    return _safe_name(unicodedata.normalize("NFC", display_name(name)), "folder")


def _safe_name(stem: str, empty: str) -> str:
    stem = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", "_", stem).strip(" .")
    if not stem:
        return empty
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


def write_set(files: list[tuple[Path, bytes]]) -> None:
    """Write files of one folder so that they appear together or not at all.

    Every file is first written whole, and flushed to disk, in a temporary folder
    (``.tmp-…``) beside them: a full disk fails here, before any final name is touched.
    Then each is renamed into place (renames need no space); an existing file is
    hard-linked aside first, so that if a rename fails, or a signal or Ctrl-C arrives
    between renames, the ones already renamed are put back. An OSError names the final
    file it concerns (``e.filename``), never the temporary one.
    """
    if not files:
        return
    folder = files[0][0].parent
    assert all(t.parent == folder for t, _ in files), "one folder per set"
    with _signals_held():  # a signal arriving now is delivered once the set is whole or gone
        _write_set(files, folder)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGTERM, SIGHUP and SIGINT for the few milliseconds of writing a set, so that
    no handler interrupts the cleanup of the temporary folder; they arrive right after."""
    held = {getattr(signal, n) for n in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, n)}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _write_set(files: list[tuple[Path, bytes]], folder: Path) -> None:
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder))
    try:
        staged = []
        for target, data in files:
            tmp = staging / target.name
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
            except OSError as e:
                raise OSError(e.errno, e.strerror, display_name(str(target))) from None
            staged.append((tmp, target))
        _commit(staged, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _fsync_dir(folder)


def _commit(staged: list[tuple[Path, Path]], staging: Path) -> None:
    """Rename the staged files over their targets, all or none."""
    backups: dict[Path, Path] = {}
    for i, (_, target) in enumerate(staged):
        if target.is_file() and not target.is_symlink():
            backup = staging / f".old-{i}"
            try:
                os.link(target, backup)
                backups[target] = backup
            except OSError:
                pass  # no hard links here: a failed rename can then not be undone for this file
    done: list[Path] = []
    current = staged[0][1]
    try:
        for tmp, target in staged:
            current = target
            os.replace(tmp, target)
            done.append(target)
    except BaseException as e:
        for target in reversed(done):
            try:
                if target in backups:
                    os.replace(backups[target], target)
                else:
                    os.unlink(target)
            except OSError:
                pass
        if isinstance(e, OSError):
            raise OSError(e.errno, e.strerror, display_name(str(current))) from None
        raise


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


@dataclass(frozen=True)
class Input:
    """One input file of a batch.

    ``folder``: the folder argument it was found in (None for a file argument);
    ``parts``: its path below that folder, as names (``("sub", "a.txt")``), which the
    output tree mirrors and the report records.
    """

    path: str
    folder: str | None = None
    parts: tuple[str, ...] = ()

    @property
    def relative(self) -> str | None:
        """The path below the folder given, as the report records it (``sub/a.txt``)."""
        return "/".join(display_name(p) for p in self.parts) if self.folder is not None else None

    @property
    def subfolder(self) -> tuple[str, ...]:
        """The output subfolder (below OUTDIR) this input's editions go to."""
        return tuple(safe_folder_name(p) for p in self.parts[:-1])


@dataclass
class Inputs:
    files: list[Input] = field(default_factory=list)
    #: (path, reason) for links, special files and the output folder, each said
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: files in the folders that are not ``*.txt`` (counted, not listed)
    other_files: int = 0


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def find_inputs(items: Iterable[str], exclude: str | os.PathLike[str] | None = None,
                follow_links: bool = False) -> Inputs:
    """The input files of a batch: file arguments as given (and '-'); each folder argument
    searched recursively, in sorted order, for files named ``*.txt`` (any case).

    Never read: the folder ``exclude`` (the output folder, which may lie inside an input
    folder); special files (FIFOs, devices); links that lead outside the folder given
    (file or folder links), unless ``follow_links``. A folder reached twice (a link
    loop) is read once. Everything not read is counted, and all but plain non-``.txt``
    files are listed with the reason.
    """
    found = Inputs()
    excluded = os.path.realpath(exclude) if exclude is not None else None
    for item in items:
        if item != "-" and os.path.isdir(item):
            top = os.path.realpath(item)
            _walk(item, top, item, (), follow_links, {top}, excluded, found)
        else:
            found.files.append(Input(item))
    return found


def _walk(folder: str, top: str, where: str, parts: tuple[str, ...], follow: bool, visited: set[str],
          excluded: str | None, found: Inputs) -> None:
    with os.scandir(where) as it:
        entries = sorted(it, key=lambda e: e.name)
    for e in entries:
        path = os.path.join(where, e.name)
        name = display_name(path)
        real = os.path.realpath(path)
        is_link = e.is_symlink()
        if is_link and not os.path.exists(path):
            found.skipped.append((path, f"{name}: skipped: a broken link"))
            continue
        if is_link and not follow and not _within(real, top):
            what = "folder" if os.path.isdir(path) else "file"
            found.skipped.append((path, f"{name}: skipped: a link to a {what} outside {display_name(folder)} "
                                        f"({display_name(real)}); --follow-links reads it"))
            continue
        if os.path.isdir(path):
            if excluded is not None and real == excluded:
                found.skipped.append((path, f"{name}: skipped: the output folder is never read as input"))
            elif real in visited or (is_link and not follow):  # a loop, or a folder read under its own name
                why = ("a link to a folder inside, read under its own name; --follow-links reads links" if not follow
                       else "a link to a folder that is read already" if is_link
                       else "read already through a link")
                found.skipped.append((path, f"{name}: skipped: {why}"))
            else:
                visited.add(real)
                _walk(folder, top, path, parts + (e.name,), follow, visited, excluded, found)
            continue
        if not e.name.lower().endswith(".txt"):
            found.other_files += 1
        elif not os.path.isfile(path):
            found.skipped.append((path, f"{name}: skipped: not a regular file"))
        else:
            found.files.append(Input(path, folder, parts + (e.name,)))


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """The paths ``find_inputs`` gives (files as given; folders' ``*.txt`` files, recursively)."""
    return [i.path for i in find_inputs(inputs).files]


def file_id(path: str | Path) -> tuple[int, int] | None:
    """``(st_dev, st_ino)`` of the file ``path`` names, through links; '-' is standard
    input. None when there is no such file."""
    try:
        st = os.fstat(0) if os.fspath(path) == "-" else os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` are one file: the same path, another spelling of it, a
    symbolic or hard link to it ('-' is standard input, which may be a file too)."""
    ia = file_id(a)
    return ia is not None and ia == file_id(b)


def input_name(path: str) -> str:
    """How messages and reports name an input: '-' is ``<stdin>``."""
    return "<stdin>" if path == "-" else display_name(path)


def unique_stems(paths: list[str], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Each input's output stem: ``safe_stem``, made unique (case-insensitively, as file
    systems may be) with ``-2``, ``-3``… Names that differ only in Unicode normalisation
    (NFC vs NFD) or case get distinct stems, and a suffix never collides with another
    input's own stem ("a", "a", "a-2" → "a", "a-3", "a-2"). Standard input ('-') is "stdin".
    A ``reserved`` stem is no input's (the folder's own files use it).

    >>> unique_stems(["x/a.txt", "y/A.txt", "a-2.txt"])
    {'x/a.txt': 'a', 'y/A.txt': 'A-3', 'a-2.txt': 'a-2'}
    >>> unique_stems(["manifest-sha256.txt"], reserved=["manifest-sha256"])
    {'manifest-sha256.txt': 'manifest-sha256-2'}
    """
    wanted = {p: "stdin" if p == "-" else safe_stem(p) for p in paths}
    kept = {r.casefold() for r in reserved}
    taken: set[str] = set(kept)
    out: dict[str, str] = {}
    firsts: dict[str, str] = {}
    for p in paths:  # the first input with a stem keeps it
        k = wanted[p].casefold()
        if k not in firsts and k not in kept:
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
