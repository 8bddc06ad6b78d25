"""The review page (cleaner/review.py) without a browser: what it shows, escaping, the
sources it finds and checks, determinism. tests/test_review_browser.py drives Chromium."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cleaner import cli
from cleaner.pipeline import load
from cleaner.review import Entry, collect, index_html, page_html, write_review

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ae458432d04a05e1.txt"
CORPUS = sorted((ROOT / "tests" / "corpus").glob("dev*/*.txt"))


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside elements with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag not in ("meta", "col", "br", "img", "input", "link"):
            self._open.append(a.get("id"))

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        for i in self._open:
            if i:
                self.text_by_id[i] = self.text_by_id.get(i, "") + data

    def with_class(self, cls: str) -> list[dict[str, str]]:
        return [a for _, a in self.tags if cls in a.get("class", "").split()]


def parse(page: str) -> Elements:
    p = Elements()
    p.feed(page)
    return p


@pytest.fixture(scope="module")
def seed():
    _, doc = load(SEED)
    report = doc.report_dict()
    return report, doc.source_lines, page_html(report, doc.source_lines)


def test_seed_page_shows_every_removed_line_struck(seed):
    report, _, page = seed
    rows = {a["id"]: a for t, a in parse(page).tags if t == "p" and a.get("id", "").startswith("L")}
    assert len(report["removed"]) == 32
    for r in report["removed"]:
        assert "x" in rows[f"L{r['line']}"]["class"].split()


def test_seed_page_marks_every_repair_where_it_changed_the_text(seed):
    report, _, page = seed
    punct = [r for r in report["repairs"] if r["rule"] == "punct-fullwidth"]
    assert len(punct) == 293
    # each a comma, colon or bracket made full-width, struck and put in beside it (a context
    # may hold two commas, the next repair's too: each change is marked once)
    marked = re.findall(r"<del(?: class=\"r\d+\")?>([,:;?!()])</del><ins(?: class=\"r\d+\")?>([，：；？！（）])</ins>", page)
    assert len(marked) == len(punct)
    assert all(old.translate(str.maketrans(",:;?!()", "，：；？！（）")) == new for old, new in marked)
    # the lost mark inserted on line 51 shows as an insertion in the result column
    assert re.search(r"<ins(?: class=\"r\d+\")?>、</ins>", row(page, 51))
    assert 'class="nt"' not in page.split("<main")[1]  # every repair tied to a line is marked in it


def test_seed_page_counts_verdict_and_warnings_equal_the_report(seed):
    report, _, page = seed
    p = parse(page)
    assert p.text_by_id["count-removed"] == str(len(report["removed"]))
    assert p.text_by_id["count-repairs"] == str(len(report["repairs"]))
    assert p.text_by_id["count-warnings"] == str(len(report["warnings"]))
    shown = {a["data-kind"] for a in p.with_class("count-kind")}
    assert shown == set(report["counts"]["removed_by_kind"])
    assert [a for t, a in p.tags if a.get("id") == "verdict"][0]["data-truncated"] == "true"
    for section in report["missing_sections"]:
        assert f"<li>{section}</li>" in page
    links = [a["href"] for t, a in p.tags if t == "a" and a.get("href", "").startswith("#L")]
    for w in report["warnings"]:
        if w.get("line"):
            assert f"#L{w['line']}" in links
            assert "w" in [a for t, a in p.tags if a.get("id") == f"L{w['line']}"][0]["class"].split()


def test_text_cut_out_of_a_line_is_struck_inside_it():
    path = next(p for p in CORPUS if "jammer" in p.name)
    _, doc = load(path)
    report = doc.report_dict()
    cuts = [r for r in report["repairs"] if r["kind"] != "repair" and not r["after"]]
    assert cuts
    page = page_html(report, doc.source_lines)
    for r in cuts:
        assert re.search(f'<del class="x[^"]*">{re.escape(__import__("html").escape(r["before"]))}</del>', page)


HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    '"><svg onload=window.__pwned=3>',
    "</td></tr></table><iframe src=http://127.0.0.1:9/></iframe>",
    "正文&amp;<!-- -->",
]


def test_source_text_never_becomes_markup():
    report = {"title": "<script>t</script>", "source": "<b>.txt", "removed": [
        {"line": 1, "text": HOSTILE[0], "rule": "<blink>rule</blink>", "kind": "site-chrome"}],
        "repairs": [{"line": 2, "rule": "r", "kind": "repair", "before": HOSTILE[1], "after": "<marquee>"}],
        "warnings": [{"kind": "<w>", "message": "<m>", "line": 3, "context": "<c>"}]}
    page = page_html(report, HOSTILE)
    tags = [t for t, _ in parse(page).tags]
    assert tags.count("script") == 1  # the page's own
    for bad in ("img", "svg", "iframe", "blink", "marquee", "w", "m", "c"):
        assert bad not in tags
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page


def test_pages_are_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        write_review(collect([str(SEED), str(CORPUS[0])]), out)
    names = sorted(p.name for p in a.iterdir())
    assert names == ["000_ae458432d04a05e1.html", "dev_01_360docs_hailaer2015.html", "index.html"]
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes()


def test_index_lists_every_corpus_case_with_its_status():
    entries = collect([str(p) for p in CORPUS])
    page = index_html(entries)
    rows = [a for t, a in parse(page).tags if t == "tr" and "data-status" in a]
    assert len(rows) == len(CORPUS) == 14
    expected = ["truncated" if e.report["truncated"] else "complete" for e in entries]
    assert [r["data-status"] for r in rows] == expected
    truths = [json.loads(p.with_suffix("").with_suffix(".truth.json").read_text(encoding="utf-8")) for p in CORPUS]
    assert expected == ["truncated" if t["truncated"] else "complete" for t in truths]  # the corpus's truth
    shown = re.findall(r'<span class="status">(\w+)</span>', page)
    assert shown == expected
    for e in entries:
        assert f'href="{e.page}"' in page


@pytest.fixture
def built(tmp_path):
    out = tmp_path / "out"
    assert cli.main(["build", str(SEED), "-o", str(out), "--to", "txt", "--no-traditional", "--quiet"]) == 0
    return out


def test_review_of_an_output_folder_finds_sources_with_sources_option(built, tmp_path, capsys):
    pages = tmp_path / "pages"
    assert cli.main(["review", str(built), "--sources", str(SEED.parent), "-o", str(pages)]) == 0
    page = (pages / "000_ae458432d04a05e1.html").read_text(encoding="utf-8")
    assert 'id="source-problem"' not in page
    report = json.loads((built / "000_ae458432d04a05e1.report.json").read_text(encoding="utf-8"))
    _, doc = load(SEED)
    assert page == page_html(report, doc.source_lines)  # the same page as from the input itself


def test_review_says_when_the_source_is_changed_or_missing(built, tmp_path, capsys):
    # next to the report lies the clean text, under the input's name: not the input
    assert cli.main(["review", str(built), "-o", str(tmp_path / "p1")]) == 1
    err = capsys.readouterr().err
    assert "source changed" in err and "--sources" in err
    (built / "000_ae458432d04a05e1.txt").unlink()
    assert cli.main(["review", str(built / "000_ae458432d04a05e1.report.json"), "-o", str(tmp_path / "p2")]) == 1
    assert "source missing" in capsys.readouterr().err
    page = (tmp_path / "p2" / "000_ae458432d04a05e1.html").read_text(encoding="utf-8")
    assert 'id="source-problem"' in page
    assert len(ledger(page)[0]) == 32  # the report alone still shows every removal
    # a source edited after the build is refused as changed
    edited = tmp_path / "src"
    edited.mkdir()
    shutil.copy(SEED, edited / SEED.name)
    with open(edited / SEED.name, "a", encoding="utf-8") as f:
        f.write("多一行\n")
    assert cli.main(["review", str(built), "--sources", str(edited), "-o", str(tmp_path / "p3")]) == 1
    assert "source changed" in capsys.readouterr().err


def test_review_of_a_missing_input_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["review", str(tmp_path / "nope.report.json"), "-o", str(tmp_path / "p")]) == 2
    assert "nope.report.json" in capsys.readouterr().err


def test_report_only_entry_without_source_lines():
    report = {"removed": [{"line": 4, "text": "x", "rule": "r", "kind": "jammer"}], "repairs": [], "warnings": []}
    page = page_html(report, None, "source missing")
    assert 'id="L4"' in page and 'id="L1"' not in page
    assert Entry(report, None, "a.html").page == "a.html"


OWN_TAGS = {"html", "head", "meta", "title", "style", "body", "script", "header", "h1", "h2", "div", "p", "ul", "ol",
            "li", "b", "i", "a", "code", "span", "del", "ins", "details", "summary", "q", "section", "main"}


@pytest.mark.parametrize("name", sorted(__import__("test_hostile").GOOD))
def test_hostile_inputs_render_literally(name, tmp_path):
    from test_hostile import GOOD, MARKUP

    src = tmp_path / name
    src.write_bytes(GOOD[name])
    _, doc = load(src)
    page = page_html(doc.report_dict(), doc.source_lines)
    p = parse(page)
    assert {t for t, _ in p.tags} <= OWN_TAGS
    assert [t for t, _ in p.tags].count("script") == 1
    if name == "markup.txt":
        text = __import__("html").unescape(re.sub(r"<ins[^>]*>.*?</ins>|<[^>]+>", "", page))  # the source column
        for m in MARKUP:
            assert f"正文中出现{m}这样的文字。" in text


def test_review_of_a_mirrored_folder_finds_sources_by_source_path(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    shutil.copy(SEED, inbox / "sub" / SEED.name)
    shutil.copy(CORPUS[0], inbox / CORPUS[0].name)
    out = tmp_path / "out"
    assert cli.main(["build", str(inbox), "-o", str(out), "--to", "txt", "--no-traditional", "--quiet"]) == 0
    pages = tmp_path / "pages"
    assert cli.main(["review", str(out), "--sources", str(inbox), "-o", str(pages)]) == 0
    err = capsys.readouterr().err
    assert "source missing" not in err and "source changed" not in err
    page = (pages / "sub" / "000_ae458432d04a05e1.html").read_text(encoding="utf-8")
    assert 'id="source-problem"' not in page and "sub/000_ae458432d04a05e1.txt" in page
    index = (pages / "index.html").read_text(encoding="utf-8")
    assert 'href="sub/000_ae458432d04a05e1.html"' in index and f'href="{CORPUS[0].stem}.html"' in index


def test_a_broken_report_is_a_one_line_error(tmp_path, capsys):
    bad = tmp_path / "x.report.json"
    bad.write_text("{not json", encoding="utf-8")
    assert cli.main(["review", str(bad), "-o", str(tmp_path / "p")]) == 2
    assert "x.report.json" in capsys.readouterr().err
    bad.write_text('{"title": "no schema"}', encoding="utf-8")
    assert cli.main(["review", str(bad), "-o", str(tmp_path / "p")]) == 2
    assert "not a cleaning report" in capsys.readouterr().err


def test_a_long_line_is_diffed_in_linear_time():
    import time

    line = "一、" * 200_000 + ",结束"
    report = {"repairs": [{"line": 1, "rule": "punct-fullwidth", "kind": "repair", "before": ",结束", "after": "，结束"}]}
    t0 = time.perf_counter()
    page = page_html(report, [line])
    assert time.perf_counter() - t0 < 5
    assert "<del>,</del><ins>，</ins>" in page


def test_a_removal_of_part_of_a_line_strikes_that_part_and_shows_the_rest():
    path = next(p for p in CORPUS if "oneline" in p.name)
    _, doc = load(path)
    report = doc.report_dict()
    layer = max(range(len(doc.source_lines)), key=lambda i: len(doc.source_lines[i])) + 1
    assert any(r["line"] == layer for r in report["removed"])  # the title split off the layer
    page = page_html(report, doc.source_lines)
    attrs = [a for t, a in parse(page).tags if a.get("id") == f"L{layer}"][0]
    assert "x" not in attrs["class"].split()
    assert row(page, layer).count("<ins>，</ins>") >= 100  # the layer's punctuation repairs shown in it
    title = next(r["text"] for r in report["removed"] if r["line"] == layer)
    assert re.search(f'<del class="x[^"]*">{title}</del>', row(page, layer))


def test_repairs_are_marked_inside_the_lines_they_change(seed):
    """A repair names its block's first line and a context that may run over wrapped lines
    or overlap another repair's; the page still marks each change where it is."""
    report, _, page = seed
    assert "not found in the source" not in page
    assert "date-from-listing" in page.split('id="loose"')[1].split("</ul>")[0]  # line 0: the listing title
    # in the corpus, a repair whose context runs over wrapped lines, across a line removed
    # between them (a page marker) or around a jammer string cut out of its line is found
    found, total = 0, 0
    for path in CORPUS:
        _, doc = load(path)
        report = doc.report_dict()
        page = page_html(report, doc.source_lines)
        total += len(report["repairs"])
        found += page.count("(not found in the source)")
        if "pdfwrap" in path.name or "jammer" in path.name:
            assert "(not found in the source)" not in page, path.name
    assert total > 1800 and found <= 6


def test_inputs_with_the_same_name_get_distinct_pages(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        shutil.copy(SEED, tmp_path / d / "doc.txt")
    entries = collect([str(tmp_path / "a" / "doc.txt"), str(tmp_path / "b" / "doc.txt")])
    assert [e.page for e in entries] == ["doc.html", "doc-2.html"]
    written = write_review(entries, tmp_path / "pages")
    assert sorted(p.name for p in written) == ["doc-2.html", "doc.html", "index.html"]


def test_index_links_survive_odd_file_names(tmp_path):
    odd = tmp_path / "报告 #1?.txt"
    shutil.copy(SEED, odd)
    entries = collect([str(odd), str(SEED)])
    page = index_html(entries)
    assert 'href="%E6%8A%A5%E5%91%8A%20%231%3F.html"' in page


def test_build_review_writes_a_page_per_built_document_and_an_index(tmp_path: Path) -> None:
    """`cleaner build --review`: the pages of what was just built, in OUTDIR/review."""
    from cleaner.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    corpus = Path(__file__).resolve().parent / "corpus" / "dev"
    for case in sorted(corpus.glob("dev_0[12]*.txt")):
        (folder / case.name).write_bytes(case.read_bytes())
    out = tmp_path / "out"
    assert main(["build", str(folder), "-o", str(out), "--to", "txt", "--review", "--quiet", "--jobs", "1"]) == 0
    pages = sorted(p.name for p in (out / "review").glob("*.html"))
    assert "index.html" in pages and len(pages) == 3
    index = (out / "review" / "index.html").read_text("utf-8")
    assert "dev_01" in index and "dev_02" in index


# --- what the page records, read back from its markup ------------------------------------
# A row is <p id="L<n>"> with data-x (the codes of its removals) and data-f (the codes of the
# repairs noted under it, "code*count"); #legend names each code's rule and kind. Changes
# are <del>/<ins> in the line, a split or join is a <span class="split"> / <span class="join">
# where it happened.


def legend(page: str) -> dict[str, tuple[str, str]]:
    return {a["id"][1:]: (a["data-kind"], a["data-rule"]) for t, a in parse(page).tags
            if t == "li" and a.get("id", "").startswith("r") and "data-rule" in a}


def ledger(page: str) -> tuple[list[tuple[int, str, str]], Counter]:
    """The removals the page shows, ``(line, kind, rule)``, and its repairs by rule."""
    codes = legend(page)
    removed, repairs = [], Counter()
    for _, a in parse(page).tags:
        n = a.get("data-n") or (a["id"][1:] if a.get("id", "").startswith("L") else None)
        for code in a.get("data-x", "").split():
            removed.append((int(n), *codes[code]))
        for item in a.get("data-f", "").split():
            code, _, count = item.partition("*")
            repairs[codes[code][1]] += int(count or 1)
    return sorted(removed), repairs


def row(page: str, n: int) -> str:
    """The markup of line ``n``'s row."""
    return re.search(rf'<p id="L{n}"[^>]*>(.*?)</p>', page).group(1)


def result_pieces(markup: str) -> list[str]:
    """The clean text of a row (what was struck left out, what was put in kept), in pieces
    cut at its split and join marks."""
    import html

    markup = re.sub(r"<del[^>]*>.*?</del>|<span class=\"(?:nt|wn)[^\"]*\"[^>]*>.*?</span>", "", markup)
    return [html.unescape(re.sub(r"<[^>]+>", "", p))
            for p in re.split(r"<span class=\"(?:split|join)[^\"]*\"[^>]*>.*?</span>", markup)]


def test_seed_page_accounts_for_every_removal_and_repair(seed):
    """Issue 15: the page for the seed shows all of its removed lines with their rules and
    all repairs."""
    report, _, page = seed
    removed, repairs = ledger(page)
    assert removed == sorted((r["line"], r["kind"], r["rule"]) for r in report["removed"])
    assert repairs == Counter(r["rule"] for r in report["repairs"])
    assert sum(repairs.values()) == len(report["repairs"]) == 303


def test_seed_heading_splits_show_as_splits(seed):
    report, lines, page = seed
    _, doc = load(SEED)
    headings = {b.text for b in doc.headings()}
    splits = [r for r in report["repairs"] if r["rule"] == "run-in-heading"]
    assert len(splits) == 6
    code = next(c for c, (_, rule) in legend(page).items() if rule == "run-in-heading")
    for r in splits:
        markup = row(page, r["line"])
        assert markup.count('<span class="split') == 1
        heading, paragraph = result_pieces(markup)
        assert heading in headings and heading.startswith(r["after"][:2])  # the heading alone, its 。 struck
        assert re.search(r'<del[^>]*>。</del><span class="split', markup)
        assert len(paragraph) > 20 and not paragraph.startswith("。")
        # the marker names its rule, or the row names it first
        marker = re.search(r'<span class="split([^"]*)"', markup).group(1).split()
        first = re.search(rf'<p id="L{r["line"]}"[^>]*data-f="(\d+)', page)
        assert f"r{code}" in marker or (not marker and first and first.group(1) == code)
    # the heading line joined to the one above: marked joined, the line above not put in again
    join = next(r for r in report["repairs"] if r["rule"] == "join-heading-lines")
    markup = row(page, join["line"])
    assert markup.count('<span class="join') == 1 and "<ins" not in markup
    assert "".join(result_pieces(markup)) == lines[join["line"] - 1].strip()


def case(word: str) -> tuple[dict, list[str], str]:
    _, doc = load(next(p for p in CORPUS if word in p.name))
    report = doc.report_dict()
    return report, doc.source_lines, page_html(report, doc.source_lines)


def test_wrapped_lines_show_as_joined_not_deleted():
    for word in ("pdfwrap", "golddoc", "_wrap"):
        report, lines, page = case(word)
        joins = [r for r in report["repairs"] if r["rule"] == "join-wrapped-line"]
        assert joins
        removed = {r["line"] for r in report["removed"]}
        for r in joins:
            if r["line"] in removed:
                continue
            markup = row(page, r["line"])
            assert markup.count('<span class="join') == 1, markup
            assert "".join(result_pieces(markup)).strip(), markup  # its text stays
            assert not markup.startswith("<del")


def test_merged_lines_show_their_split_points():
    report, lines, page = case("hailaer2015")
    r = next(r for r in report["repairs"] if r["rule"] == "split-merged-line")
    pieces = r["after"].split(" | ")
    markup = row(page, r["line"])
    assert markup.count('<span class="split') == len(pieces) - 1
    assert " | " not in "".join(result_pieces(markup))
    shown = result_pieces(markup)
    for piece, text in zip(pieces[1:], shown[1:], strict=True):
        assert text.replace("，", ",").replace("：", ":").startswith(piece), (piece, text)


def test_table_rows_and_text_layers_show_what_happened():
    report, lines, page = case("wanzai")
    rows = [r for r in report["repairs"] if r["rule"] == "table-row"]
    assert rows
    for r in rows:
        markup = row(page, r["line"])
        assert '<span class="join' in markup and "not found in the source" not in markup
    report, lines, page = case("oneline")
    layer = next(r for r in report["repairs"] if r["rule"] == "split-text-layer")
    markup = row(page, layer["line"])
    assert f"split into {layer['after']}" in markup
    assert "paragraphs and headings</ins>" not in markup and "paragraphs" not in "".join(result_pieces(markup))


def test_no_structural_repair_is_shown_as_a_text_change():
    """Splits and joins record a piece of text as before and a summary as after: the page
    shows them as splits and joins, never as text put in or taken out."""
    for path in CORPUS:
        _, doc = load(path)
        page = page_html(doc.report_dict(), doc.source_lines)
        assert " | </ins>" not in page and "paragraphs and headings</ins>" not in page, path.name


def seed_lines(n: int) -> list[str]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    return (lines * (n // len(lines) + 1))[:n]


def test_a_ten_thousand_line_page_spends_few_bytes_beyond_the_text(tmp_path):
    """Issue 15: a 10,000-line input still opens; its page was 17.6 MB (a note per repair,
    1.5 KB a line beyond the text). The text itself is 2.25 MB; on top of it the page spends
    about 150 bytes a line, half of them on the 32,000 changes marked (<del>,</del><ins>，</ins>)."""
    src = tmp_path / "big.txt"
    src.write_text("\n".join(seed_lines(10_000)), encoding="utf-8")
    written = write_review(collect([str(src)]), tmp_path / "pages")
    size, text = written[0].stat().st_size, src.stat().st_size
    print(f"\n10,000-line page: {size / 1e6:.2f} MB for {text / 1e6:.2f} MB of text, "
          f"{(size - text) / 10_000:.0f} bytes a line beyond it")
    assert size < 3_900_000
    assert (size - text) / 10_000 < 160


def test_review_of_standard_input(tmp_path):
    """`cleaner review - -o DIR`: the source on stdin, cleaned, its page DIR/stdin.html (as
    `build -` names what it writes from stdin)."""
    import subprocess
    import sys

    from test_cli import env

    out = tmp_path / "pages"
    p = subprocess.run([sys.executable, "-m", "cleaner", "review", "-", "-o", str(out)], input=SEED.read_bytes(),
                       capture_output=True, env=env(), cwd=ROOT, timeout=180, check=False)
    assert p.returncode == 0, p.stderr.decode()
    assert sorted(x.name for x in out.iterdir()) == ["stdin.html"]
    page = (out / "stdin.html").read_text(encoding="utf-8")
    _, doc = load(SEED)
    report = doc.report_dict()
    shown = parse(page).text_by_id
    assert shown["count-removed"] == str(len(report["removed"])) and shown["count-repairs"] == str(len(report["repairs"]))
    assert "&lt;stdin&gt;" in page
    # given twice, stdin is a usage error
    p = subprocess.run([sys.executable, "-m", "cleaner", "review", "-", "-", "-o", str(out)], input=b"x",
                       capture_output=True, env=env(), cwd=ROOT, timeout=180, check=False)
    assert p.returncode == 2 and b"more than once" in p.stderr
