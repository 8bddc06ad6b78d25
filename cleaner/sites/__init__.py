"""Site profiles: what each document-sharing site wraps around a document, as data.

Each ``*.toml`` file in this folder describes one site (``generic.toml`` applies to
every input). Teaching cleaner a new site means adding a file here; see README.md.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .. import rules
from ..rules import Rule
from ..textutil import line_key

LIST_KEYS = ("signatures", "lines", "contains", "patterns", "title_tags", "outline_headers",
             "notice_words", "nav_words", "continue_reading", "appendix_headers", "layout")
PATTERN_KEYS = {"name", "kind", "regex"}


class ProfileError(ValueError):
    """A site profile that cannot be used; the message names its file."""


@dataclass(frozen=True)
class Pattern:
    """A profile regex with the rule it removes lines under."""

    regex: re.Pattern[str]
    rule: Rule


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    signatures: tuple[str, ...] = ()
    lines: frozenset[str] = frozenset()
    contains: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    title_tags: tuple[str, ...] = ()
    outline_headers: tuple[str, ...] = ()
    notice_words: tuple[str, ...] = ()
    nav_words: tuple[str, ...] = ()
    continue_reading: tuple[str, ...] = ()
    appendix_headers: tuple[str, ...] = ()
    layout: tuple[str, ...] = ()
    source: str = field(default="", compare=False)

    @property
    def line_rule(self) -> Rule:
        return rules.rule(f"{self.name}/line", "site-chrome")

    def contains_rule(self, phrase: str) -> Rule:
        return rules.rule(f"{self.name}/contains {phrase!r}", "site-chrome")


def _pattern(profile: str, source: str, item: object) -> Pattern:
    """A ``patterns`` entry: a table ``{name, kind, regex}``, or a bare regex string (kind
    ``site-chrome``, named by the regex itself)."""
    if isinstance(item, str):
        name, kind, regex = repr(item), "site-chrome", item
    elif isinstance(item, dict):
        unknown = set(item) - PATTERN_KEYS
        missing = PATTERN_KEYS - set(item)
        if unknown or missing:
            raise ProfileError(f"site profile {source}: a pattern needs exactly name, kind and regex"
                             f" (unknown {sorted(unknown)}, missing {sorted(missing)}): {item!r}")
        name, kind, regex = str(item["name"]), str(item["kind"]), str(item["regex"])
    else:
        raise ProfileError(f"site profile {source}: a pattern is a regex string or a table, not {item!r}")
    try:
        compiled = re.compile(regex)
    except re.error as e:
        raise ProfileError(f"site profile {source}: pattern {name}: bad regex {regex!r}: {e}") from e
    try:
        rule = rules.rule(f"{profile}/pattern {name}", kind)
    except ValueError as e:
        raise ProfileError(f"site profile {source}: pattern {name}: {e}") from e
    return Pattern(compiled, rule)


def _load(name: str, text: str) -> Profile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"site profile {name}: {e}") from e
    unknown = set(data) - set(LIST_KEYS) - {"name", "label"}
    if unknown:
        raise ProfileError(f"site profile {name}: unknown keys {sorted(unknown)}")
    lists = {k: tuple(data.get(k, ())) for k in LIST_KEYS}
    profile = data.get("name", Path(name).stem)
    return Profile(
        name=profile,
        label=data.get("label", name),
        signatures=tuple(line_key(s) for s in lists["signatures"]),
        lines=frozenset(line_key(s) for s in lists["lines"]),
        contains=tuple(line_key(s) for s in lists["contains"]),
        patterns=tuple(_pattern(profile, name, p) for p in lists["patterns"]),
        title_tags=tuple(line_key(s) for s in lists["title_tags"]),
        outline_headers=tuple(line_key(s) for s in lists["outline_headers"]),
        notice_words=lists["notice_words"],
        nav_words=lists["nav_words"],
        continue_reading=tuple(line_key(s) for s in lists["continue_reading"]),
        appendix_headers=tuple(line_key(s) for s in lists["appendix_headers"]),
        layout=lists["layout"],
        source=name,
    )


#: Folders of the user's own site profiles (``*.toml``), separated like PATH.
SITES_ENV = "CLEANER_SITES"


def all_profiles() -> tuple[Profile, ...]:
    """Every site profile: those shipped in this folder and those in the folders named by
    ``$CLEANER_SITES``; generic first, then by name."""
    return _profiles(tuple(p for p in os.environ.get(SITES_ENV, "").split(os.pathsep) if p))


@functools.cache
def _profiles(extra_dirs: tuple[str, ...]) -> tuple[Profile, ...]:
    files = [(p.name, p.read_text(encoding="utf-8"))
             for p in resources.files(__package__).iterdir() if p.name.endswith(".toml")]
    for folder in extra_dirs:
        try:
            found = sorted(Path(folder).glob("*.toml"))
        except OSError as e:
            raise ProfileError(f"site profiles in {folder}: {e.strerror or e}") from e
        files += [(str(f), f.read_text(encoding="utf-8")) for f in found]
    profiles = [_load(name, text) for name, text in sorted(files)]
    seen: dict[str, str] = {}
    for p in profiles:
        if p.name in seen:
            raise ProfileError(f"site profile {p.name!r} is defined twice: in {seen[p.name]} and {p.source}")
        seen[p.name] = p.source
    profiles.sort(key=lambda p: (p.name != "generic", p.name))
    return tuple(profiles)


def title_tags(profiles: tuple[Profile, ...]) -> tuple[str, ...]:
    """The tags sites append to listing titles, of every profile that applies."""
    return tuple(dict.fromkeys(t for p in profiles for t in p.title_tags))


def notice_words(profiles: tuple[Profile, ...]) -> tuple[str, ...]:
    """Notice vocabulary of every profile that applies (a word listed twice weighs twice)."""
    return tuple(w for p in profiles for w in p.notice_words)


def nav_words(profiles: tuple[Profile, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for p in profiles for w in p.nav_words))


def applying(chosen: Profile) -> tuple[Profile, ...]:
    """The profiles that apply when ``chosen`` matched: it, then ``generic``."""
    generic = get("generic")
    return (generic,) if chosen is generic else (chosen, generic)


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
