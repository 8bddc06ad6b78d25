"""The shape of the code: stages speak through the Document, rules come from one registry,
site knowledge is data.

* no stage reads the report to decide anything, and no hidden ``meta["_…"]`` keys;
* no stage module imports another stage module;
* every removal and repair names a registered rule of a known kind;
* a site profile added as a TOML file alone (no code) teaches cleaner a new page marker,
  and a sentence cut by it is joined exactly as one cut by "— 3 —".
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import rules, sites
from cleaner.document import Report
from cleaner.pipeline import clean

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cleaner"
STAGES = PACKAGE / "stages"
SEED = ROOT / "seeds" / "000_ae458432d04a05e1.txt"


def test_no_stage_parses_the_report_or_hides_keys_in_meta() -> None:
    side_doors = re.compile(r"rule\.split|in r\.rule|meta\[\"_|meta\.get\(\"_")
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
             for p in PACKAGE.rglob("*.py") for n, line in enumerate(p.read_text().splitlines(), 1)
             if side_doors.search(line)]
    assert found == []


def _imported_modules(path: Path) -> set[str]:
    """Absolute names of the cleaner modules ``path`` imports."""
    package = "cleaner.stages"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            out.add(module)
            out.update(f"{module}.{a.name}" for a in node.names)  # "from . import layout"
    return out


def test_no_stage_module_imports_another_stage_module() -> None:
    stage_modules = {f"cleaner.stages.{p.stem}" for p in STAGES.glob("*.py") if p.stem != "__init__"}
    assert len(stage_modules) >= 6
    crossings = {p.stem: sorted(_imported_modules(p) & (stage_modules - {f"cleaner.stages.{p.stem}"}))
                 for p in STAGES.glob("*.py")}
    assert {k: v for k, v in crossings.items() if v} == {}


def test_the_import_walk_sees_a_stage_importing_a_stage(tmp_path: Path) -> None:
    """The check above can fail: each import form of a sibling stage is seen."""
    for source in ("from .layout import join_wrapped_lines", "from . import layout",
                   "from cleaner.stages.layout import x", "import cleaner.stages.layout"):
        f = tmp_path / "x.py"
        f.write_text(source + "\n")
        assert "cleaner.stages.layout" in _imported_modules(f), source


def test_every_rule_in_a_report_is_registered_with_a_known_kind() -> None:
    doc = clean(SEED)
    named = [r.rule for r in doc.report.removed] + [r.rule for r in doc.report.repairs]
    assert named
    for rule in named:
        assert rules.RULES[rule.name] is rule
        assert rule.kind in rules.KINDS


def test_a_report_refuses_a_rule_that_is_only_a_string() -> None:
    report = Report()
    with pytest.raises(TypeError):
        report.remove(1, "x", "some-rule")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        report.repair("some-rule", 1, "a", "b")  # type: ignore[arg-type]


def test_a_rule_has_one_kind() -> None:
    with pytest.raises(ValueError):
        rules.rule("listing-title", "site-chrome")
    with pytest.raises(ValueError):
        rules.rule("new-rule", "no-such-kind")


def test_every_shipped_pattern_has_a_name_and_a_kind() -> None:
    generic = sites.get("generic")
    names = [p.rule.name for p in generic.patterns]
    assert all(not n.startswith("generic/pattern '") for n in names), names
    assert len(set(names)) == len(names)
    page = {p.rule.name.split(" ", 1)[1] for p in generic.patterns if p.rule.kind == "page-marker"}
    assert {"page-marker", "page-dot", "page-of-pages", "page-fraction", "page-number"} <= page


# --------------------------------------------------------------------------- site profiles as data

INTRO = ["示例文库", "某市2023年政府工作报告", "各位代表：",
         "现在，我代表市人民政府向大会报告工作，请予审议，并请市政协各位委员和其他列席人员提出意见。"]
CUT_ABOVE = "过去一年，面对复杂严峻的外部环境，在市委的坚强领导下，全市各级政府，经济增"
CUT_BELOW = "长9.8%，城乡居民收入稳步提高，社会大局和谐稳定。"
OUTRO = ["今年是全面贯彻党的二十大精神的开局之年，做好政府工作意义重大。", "谢谢大家！"]
JOINED = CUT_ABOVE + CUT_BELOW

PROFILE = """\
name = "example"
label = "示例文库"
signatures = ["示例文库"]
lines = ["示例文库"]
patterns = [
  { name = "bracket-page", kind = "page-marker", regex = '^【第\\d{1,4}页】$' },
]
"""


def _page(marker: str) -> bytes:
    return ("\n".join(INTRO + [CUT_ABOVE, marker, CUT_BELOW] + OUTRO) + "\n").encode("utf-8")


@pytest.fixture()
def example_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "sites"
    folder.mkdir()
    (folder / "example.toml").write_text(PROFILE, encoding="utf-8")
    monkeypatch.setenv(sites.SITES_ENV, str(folder))
    return folder


def test_a_sentence_cut_by_an_unknown_page_marker_stays_cut() -> None:
    """Without the profile, 【第3页】 is no marker: the precondition of the next test."""
    text = clean(_page("【第3页】")).text()
    assert JOINED not in text


def test_a_new_site_profile_in_toml_alone_rejoins_a_sentence_cut_by_its_page_marker(example_site: Path) -> None:
    ours = clean(_page("【第3页】"))
    theirs = clean(_page("— 3 —"))
    assert ours.report.profile == "example"
    assert JOINED in ours.text()
    assert ours.text() == theirs.text()
    [marker] = [r for r in ours.report.removed if "第3页" in r.text]
    assert (marker.rule.name, marker.rule.kind) == ("example/pattern bracket-page", "page-marker")


def test_the_command_line_uses_a_profile_from_cleaner_sites(example_site: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(_page("【第3页】"))
    env = {**os.environ, sites.SITES_ENV: str(example_site)}
    out = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(page)], capture_output=True,
                         env=env, check=True).stdout.decode()
    assert JOINED in out
    listed = subprocess.run([sys.executable, "-m", "cleaner", "sites"], capture_output=True, env=env,
                            check=True).stdout.decode()
    assert "example" in listed


def test_the_generic_dot_page_marker_rejoins_a_sentence() -> None:
    """"经济增 / ·3· / 长9.8%": the pattern had no name, so its page break went unseen."""
    assert JOINED in clean(_page("·3·")).text()


@pytest.mark.parametrize("bad, message", [
    ('patterns = [{ name = "x", regex = "a" }]', "missing ['kind']"),
    ('patterns = [{ name = "x", kind = "page-marker", regex = "a", why = "b" }]', "unknown ['why']"),
    ('patterns = [{ name = "x", kind = "nonsense", regex = "a" }]', "unknown kind"),
    ('patterns = [{ name = "x", kind = "page-marker", regex = "(" }]', "bad regex"),
    ('colour = "red"', "unknown keys ['colour']"),
])
def test_a_bad_profile_is_a_clear_error_naming_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         bad: str, message: str) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "broken.toml").write_text(f'name = "broken"\n{bad}\n', encoding="utf-8")
    monkeypatch.setenv(sites.SITES_ENV, str(folder))
    with pytest.raises(sites.ProfileError, match=re.escape(message)):
        sites.all_profiles()
    page = tmp_path / "page.txt"
    page.write_bytes(_page("— 3 —"))
    run = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(page)], capture_output=True,
                         env={**os.environ, sites.SITES_ENV: str(folder)})
    assert run.returncode == 2
    assert "broken.toml" in run.stderr.decode() and "Traceback" not in run.stderr.decode()
