"""The one registry of rules: every removal and every repair names one.

A ``Rule`` has a readable ``name`` (what the report shows, e.g. ``generic/pattern
page-marker``) and a ``kind`` that says which principle it applies (``page-marker``,
``site-chrome``, ``running-head`` …). Stages, ``check`` and the tests match on kinds,
never on the wording of a name.

Rules of the code are the module constants below. Rules of site profiles (their lines,
phrases and named patterns) are made when a profile is loaded, through :func:`rule`,
which registers them here too, so ``RULES`` lists every rule the cleaner can report.

>>> PAGE_NUMBER_INSIDE_PARAGRAPH.kind
'page-marker'
>>> rule("example/pattern page-marker", "page-marker") is rule("example/pattern page-marker", "page-marker")
True
"""

from __future__ import annotations

from dataclasses import dataclass

#: What each kind of rule means; a rule's kind must be one of these.
KINDS: dict[str, str] = {
    "site-chrome": "a line of the site (menu, notice, button, caption, contact, file name)",
    "page-marker": "a page header or footer that counts pages (— 3 —, 第2页/共9页, a bare 3)",
    "running-head": "a line repeated on every page (running header or footer)",
    "site-outline": "the outline (提纲/目录) the site made from the document",
    "listing-title": "the site's listing title of the document, or the title repeated",
    "shell": "site shell before the document's start or after its end",
    "related-document": "another document the page appends after this one",
    "summary": "a site summary that repeats the document's beginning",
    "filler": "text outside the document's frame (an article the site inserted)",
    "jammer": "anti-scraping noise",
    "batch": "a line a batch found in many of its documents",
    "cleaner-note": "a note an earlier cleaner run added",
    "invalid-char": "a character no XML document may hold",
    "repair": "a change to the text that keeps its content",
}


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"rule {self.name!r}: unknown kind {self.kind!r} (known: {', '.join(KINDS)})")


RULES: dict[str, Rule] = {}


def rule(name: str, kind: str) -> Rule:
    """The registered rule ``name``; registered now if new. A name has one kind."""
    found = RULES.get(name)
    if found is None:
        found = RULES[name] = Rule(name, kind)
    elif found.kind != kind:
        raise ValueError(f"rule {name!r} is registered as {found.kind!r}, not {kind!r}")
    return found


def _repair(name: str) -> Rule:
    return rule(name, "repair")


# --- removals made by the code (site profiles add their own) --------------------------
PAGE_NUMBER_INSIDE_PARAGRAPH = rule("page-number-inside-paragraph", "page-marker")
REPEATED_LINE = rule("repeated-line", "running-head")
BATCH_REPEATED = rule("batch-repeated", "batch")
SITE_OUTLINE_HEADER = rule("site-outline header", "site-outline")
SITE_OUTLINE_ENTRY = rule("site-outline entry", "site-outline")
CLEANER_NOTE = rule("cleaner-note", "cleaner-note")
LISTING_TITLE = rule("listing-title", "listing-title")
DUPLICATE_TITLE = rule("duplicate-title", "listing-title")
RELATED_DOCUMENT = rule("related-document", "related-document")
HEAD_SHELL = rule("head-shell", "shell")
TAIL_SHELL = rule("tail-shell", "shell")
INLINE_NOTICE = rule("inline-notice", "site-chrome")
BEFORE_FRAME = rule("before-document", "filler")
AFTER_FRAME = rule("after-document", "filler")
# why a line near the document's start or end is shell (chrome.shell_rule)
BREADCRUMB = rule("breadcrumb", "shell")
NAVIGATION = rule("navigation", "shell")
NOTICE_VOCABULARY = rule("notice-vocabulary", "shell")
NO_CHINESE_TEXT = rule("no-chinese-text", "shell")
MENU_ITEM = rule("menu-item", "shell")
INVALID_XML_CHAR = rule("invalid-xml-char", "invalid-char")
# cut out of a line (the rest of the line stays): recorded with what was cut
JAMMER = rule("jammer", "jammer")
INVISIBLE_JOINER = rule("invisible-joiner", "jammer")
WATERMARK = rule("watermark", "site-chrome")
INLINE_PAGE_MARKER = rule("inline-page-marker", "page-marker")
CHUNK_NUMBER = rule("chunk-number", "page-marker")
RUNNING_HEAD = rule("running-head", "running-head")
SUMMARY = rule("summary", "summary")

# --- repairs ----------------------------------------------------------------------------
CONTROL_CHAR = _repair("control-char")
MOJIBAKE_GBK = _repair("mojibake-gbk")
FTFY = _repair("ftfy")
JOIN_WRAPPED_LINE = _repair("join-wrapped-line")
SPLIT_MERGED_LINE = _repair("split-merged-line")
SPLIT_TEXT_LAYER = _repair("split-text-layer")
TABLE_ROW = _repair("table-row")
STRAY_SPACE = _repair("stray-space")
TITLE_CLOSED_UP = _repair("title-closed-up")
JOIN_TITLE_LINES = _repair("join-title-lines")
TITLE_FROM_LISTING = _repair("title-from-listing")
DATE_FROM_LISTING = _repair("date-from-listing")
RUN_IN_HEADING = _repair("run-in-heading")
JOIN_HEADING_LINES = _repair("join-heading-lines")
PUNCT_FULLWIDTH = _repair("punct-fullwidth")
PUNCT_QUOTES = _repair("punct-quotes")
PUNCT_ELLIPSIS = _repair("punct-ellipsis")
LOST_MARK_ENUMERATION = _repair("lost-mark-enumeration")
LOST_MARK_FINAL_STOP = _repair("lost-mark-final-stop")
