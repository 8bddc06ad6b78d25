"""Site profiles: what each document-sharing site wraps around a document, as data.

Each ``*.toml`` file in this folder describes one site (``generic.toml`` applies to
every input). Teaching cleaner a new site means adding a file here; see README.md.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from ..textutil import nfkc, squeeze

LIST_KEYS = ("signatures", "lines", "contains", "patterns", "title_tags", "outline_headers",
             "notice_words", "nav_words", "continue_reading", "layout")


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    signatures: tuple[str, ...] = ()
    lines: frozenset[str] = frozenset()
    contains: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    title_tags: tuple[str, ...] = ()
    outline_headers: tuple[str, ...] = ()
    notice_words: tuple[str, ...] = ()
    nav_words: tuple[str, ...] = ()
    continue_reading: tuple[str, ...] = ()
    layout: tuple[str, ...] = ()
    source: str = field(default="", compare=False)


def line_key(text: str) -> str:
    """How site phrases are compared: NFKC, no whitespace ("添加 公寻网," == "添加公寻网，")."""
    return squeeze(nfkc(text))


def _load(name: str, text: str) -> Profile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"site profile {name}: {e}") from e
    unknown = set(data) - set(LIST_KEYS) - {"name", "label"}
    if unknown:
        raise ValueError(f"site profile {name}: unknown keys {sorted(unknown)}")
    lists = {k: tuple(data.get(k, ())) for k in LIST_KEYS}
    return Profile(
        name=data.get("name", name),
        label=data.get("label", name),
        signatures=tuple(line_key(s) for s in lists["signatures"]),
        lines=frozenset(line_key(s) for s in lists["lines"]),
        contains=tuple(line_key(s) for s in lists["contains"]),
        patterns=tuple(re.compile(p) for p in lists["patterns"]),
        title_tags=tuple(line_key(s) for s in lists["title_tags"]),
        outline_headers=tuple(line_key(s) for s in lists["outline_headers"]),
        notice_words=lists["notice_words"],
        nav_words=lists["nav_words"],
        continue_reading=tuple(line_key(s) for s in lists["continue_reading"]),
        layout=lists["layout"],
        source=name,
    )


@functools.cache
def all_profiles() -> tuple[Profile, ...]:
    """Every site profile shipped in this folder, generic first, then by name."""
    files = sorted(p for p in resources.files(__package__).iterdir() if p.name.endswith(".toml"))
    profiles = [_load(p.name, p.read_text(encoding="utf-8")) for p in files]
    profiles.sort(key=lambda p: (p.name != "generic", p.name))
    return tuple(profiles)


def get(name: str) -> Profile:
    for p in all_profiles():
        if p.name == name:
            return p
    known = ", ".join(p.name for p in all_profiles())
    raise KeyError(f"unknown site profile {name!r} (known: {known})")


def choose(lines: list[str], requested: str = "auto") -> tuple[Profile, str]:
    """Pick the profile for a text: the named one, or the site whose signature phrases
    occur most often. Returns the profile and the reason, for the report.

    Signatures are searched in the whole text, since sites put their name in the
    header, the footer or both.
    """
    if requested != "auto":
        return get(requested), f"requested with --site {requested}"
    joined = "\n".join(line_key(s) for s in lines)
    best, best_hits, best_sig = get("generic"), 0, ""
    for p in all_profiles():
        hits = [(joined.count(s), s) for s in p.signatures if s in joined]
        total = sum(n for n, _ in hits)
        if total > best_hits:
            best, best_hits, best_sig = p, total, max(hits)[1]
    if best.name == "generic":
        return best, "no site signature found; generic rules only"
    return best, f"signature {best_sig!r} found {best_hits} time(s)"
