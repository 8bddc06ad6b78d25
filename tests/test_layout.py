"""Tests for cleaner.stages.layout: hard-wrapped PDF text rejoined, run-together lines
split, stray spaces removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.document import Block, Document
from cleaner.pipeline import Source, clean, new_document, run
from cleaner.read import decode
from cleaner.stages.layout import (
    front_pieces,
    join_wrapped_lines,
    remove_stray_spaces,
    split_merged_lines,
    split_units,
    wrap_width,
)
from cleaner.stages.site_chrome import strip_site_chrome
from cleaner.stages.unicode import repair_unicode

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_ae458432d04a05e1.txt"

WIDTH = 28  # the 公文 line length
PREFIX = "    "  # every line of the PDF preview
PARA_INDENT = "  "  # first line of a paragraph
LINES_PER_PAGE = 22


# --------------------------------------------------------------------------- wrapping helpers


def wrap_paragraph(text: str, width: int = WIDTH) -> list[str]:
    """Hard-wrap a paragraph the way a PDF viewer copies it: the indented first line holds
    ``width - 2`` characters, every other line ``width``."""
    out: list[str] = []
    first = True
    while text:
        n = width - len(PARA_INDENT) if first else width
        out.append((PARA_INDENT if first else "") + text[:n])
        text = text[n:]
        first = False
    return out


def paginate(lines: list[str]) -> list[str]:
    """Prefix every line and put a "— N —" page marker (between blank lines) after every 22 lines."""
    out: list[str] = []
    for i, line in enumerate(lines, start=1):
        out.append(PREFIX + line)
        if i % LINES_PER_PAGE == 0:
            out += ["", " " * 16 + f"— {i // LINES_PER_PAGE} —", ""]
    return out


def raw_doc(text: str) -> Document:
    data = text.encode("utf-8")
    return new_document(Source(data, "case.txt", decode(data, "case.txt")))


class WrappedSeed:
    """The seed's clean paragraphs, hard-wrapped, under the seed's own site shell."""

    def __init__(self) -> None:
        seed_lines = SEED.read_text(encoding="utf-8").split("\n")
        original = clean(SEED)
        self.original = original
        title_at = next(i for i, line in enumerate(seed_lines) if line.strip() == original.title)
        self.shell = seed_lines[:title_at]  # 电脑桌面 … listing title … 提纲 and its entries
        self.unwrapped = [original.title]
        physical = [" " * 10 + original.title]
        self.continuations = 0
        self.paragraphs = 0
        for b in original.blocks:
            if b.kind == "note":
                continue
            self.unwrapped.append(b.text)
            if b.kind == "heading":
                physical.extend(b.text.split(" "))  # the two-line heading as in the seed
            else:
                pieces = wrap_paragraph(b.text)
                physical.extend(pieces)
                self.continuations += len(pieces) - 1
                self.paragraphs += 1
        self.physical = paginate(physical)
        self.pages = len(physical) // LINES_PER_PAGE

    def wrapped_text(self, shell: list[str] | None = None) -> str:
        return "\n".join((self.shell if shell is None else shell) + self.physical) + "\n"

    def unwrapped_text(self, shell: list[str] | None = None) -> str:
        return "\n".join((self.shell if shell is None else shell) + self.unwrapped) + "\n"


@pytest.fixture(scope="module")
def wrapped() -> WrappedSeed:
    return WrappedSeed()


def test_wrapped_fixture_is_really_wrapped(wrapped: WrappedSeed) -> None:
    assert wrapped.continuations > 150 and wrapped.pages >= 10
    body = [line for line in wrapped.physical if line.strip() and "—" not in line.strip()[:1]]
    assert max(len(line.strip()) for line in body) <= WIDTH
    full = [line for line in body if len(line) - len(PREFIX) == WIDTH]
    assert len(full) > 0.6 * len(body)


def test_wrapped_seed_cleans_to_the_same_text_as_the_unwrapped_seed(wrapped: WrappedSeed) -> None:
    """Hard-wrapped at 28 with a 4-space prefix, 2-space paragraph indents and "— N —" page
    markers every 22 lines, under the seed's site shell: the clean text is unchanged."""
    expected = clean(wrapped.unwrapped_text()).text()
    got = clean(wrapped.wrapped_text()).text()
    if got != expected:
        import difflib

        diff = "\n".join(list(difflib.unified_diff(expected.splitlines(), got.splitlines(), "unwrapped", "wrapped",
                                                   lineterm="", n=0))[:12])
        pytest.fail(f"wrapped input cleans differently:\n{diff[:2000]}")


def test_unwrapped_seed_paragraphs_clean_to_the_seed_text(wrapped: WrappedSeed) -> None:
    # the reference side of the comparison above is the seed's own clean text
    assert clean(wrapped.unwrapped_text()).text() == wrapped.original.text()


def test_wrapped_seed_without_shell_rejoins(wrapped: WrappedSeed) -> None:
    expected = clean(wrapped.unwrapped_text(shell=[])).text()
    doc = clean(wrapped.wrapped_text(shell=[]))
    assert doc.text() == expected
    joins = [r for r in doc.report.repairs if r.rule.name == "join-wrapped-line"]
    assert len(joins) == wrapped.continuations
    markers = [r for r in doc.report.removed if r.rule.name == "generic/pattern page-marker"]
    assert len(markers) == wrapped.pages


def test_wrapped_seed_page_markers_removed_and_joins_reported(wrapped: WrappedSeed) -> None:
    doc = clean(wrapped.wrapped_text())
    markers = [r for r in doc.report.removed if r.rule.name == "generic/pattern page-marker"]
    assert len(markers) == wrapped.pages
    joins = [r for r in doc.report.repairs if r.rule.name == "join-wrapped-line"]
    assert len(joins) == wrapped.continuations


def test_wrap_width_is_measured(wrapped: WrappedSeed) -> None:
    doc = run(raw_doc("\n".join(wrapped.physical) + "\n"), [repair_unicode, strip_site_chrome])
    assert wrap_width(doc.blocks) == (WIDTH, len(PREFIX))


def test_unwrapped_text_has_no_wrap_width() -> None:
    doc = run(raw_doc(SEED.read_text(encoding="utf-8")), [repair_unicode, strip_site_chrome])
    assert wrap_width(doc.blocks) is None
    before = [b.text for b in doc.blocks]
    assert [b.text for b in join_wrapped_lines(doc).blocks] == before


# --------------------------------------------------------------------------- headings never joined

PARA_A = ("过去的一年，在市委、市政府和区委的坚强领导下，在区人大、政协的监督支持下，我们深入学习宣传贯彻党的十九大精神，"
          "牢牢把握稳中求进工作总基调，自觉践行新发展理念，精准发力，迎难而进，推动经济社会各项事业取得了新进展。")
PARA_B = ("过去的一年，面对经济下行压力，我们综合施策，打好组合拳，发展质效持续提高。牢牢掌握发展主动权，千方百计稳增长，"
          "有效化解宏观经济下行和内生动力不足双重难题，坚持去除落后产能与培育新动能双向发力，发展的基础更为扎实。")


def _exact(text: str, lines: int) -> str:
    """``text`` cut or padded so that it wraps into exactly ``lines`` full lines."""
    n = WIDTH - len(PARA_INDENT) + WIDTH * (lines - 1)
    return (text * 3)[:n - 1] + "。"


@pytest.mark.parametrize("heading", ["一、2017年工作回顾", "（一）经济发展稳中有进", "二、2018年工作安排", "1.加快产业转型升级",
                                     "（2）优化营商环境"])
def test_headings_after_a_full_line_are_never_joined(heading: str) -> None:
    a, b = _exact(PARA_A, 4), _exact(PARA_B, 5)
    physical = wrap_paragraph(a) + [heading] + wrap_paragraph(b) + [heading] + wrap_paragraph(a)
    assert all(len(line) == WIDTH for line in wrap_paragraph(a) + wrap_paragraph(b))  # ends on a full line
    doc = run(raw_doc("\n".join(PREFIX + line for line in physical) + "\n"),
              [repair_unicode, strip_site_chrome, join_wrapped_lines])
    assert [b.text.strip() for b in doc.blocks] == [a, heading, b, heading, a]


def test_continuation_starting_with_punctuation_is_joined() -> None:
    physical = (wrap_paragraph(PARA_A) + wrap_paragraph(PARA_B)) * 2
    # PDF copies move a mark that falls after the measure to the next line ("…千方百计稳增长" / "，有效化解…")
    assert any(line.startswith("，") for line in physical)
    doc = run(raw_doc("\n".join(PREFIX + line for line in physical) + "\n"),
              [repair_unicode, strip_site_chrome, join_wrapped_lines])
    assert [b.text.strip() for b in doc.blocks] == [PARA_A, PARA_B, PARA_A, PARA_B]


# --------------------------------------------------------------------------- splitting

RUN_TOGETHER = ("政 府 工 作 报 告--2015年2月5日在某区第十四届人民代表大会第四次会议上某区人民政府区长  张三"
                "各位代表:现在,我代表某区人民政府向大会报告工作,请予审议,并请区政协委员和列席会议的同志提出意见。")


def test_front_pieces_of_a_run_together_line() -> None:
    assert front_pieces(RUN_TOGETHER) == [
        "政 府 工 作 报 告",
        "--2015年2月5日在某区第十四届人民代表大会第四次会议上",
        "某区人民政府区长  张三",
        "各位代表:",
        "现在,我代表某区人民政府向大会报告工作,请予审议,并请区政协委员和列席会议的同志提出意见。",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "现在,我代表某区人民政府向大会报告工作,请予审议。",
        "各位代表:",
        "海拉尔区人民政府区长  杨国宏",
        "一、2017年工作回顾",
        "2022年政府工作回顾",
    ],
)
def test_front_pieces_leaves_single_units_alone(line: str) -> None:
    assert front_pieces(line) == [line]


def test_front_pieces_title_before_dash() -> None:
    assert front_pieces("海拉尔区政府工作报告——2018年3月7日在海拉尔区第十五届人民代表大会第二次会议上")[0] == "海拉尔区政府工作报告"


@pytest.mark.parametrize(
    ("line", "pieces"),
    [
        ("切实加以解决。二、2013年工作安排今年政府工作的总体要求是:深入贯彻",
         ["切实加以解决。", "二、2013年工作安排今年政府工作的总体要求是:深入贯彻"]),
        ("加以解决。(一)加强管理。各位代表,过去一年",
         ["加以解决。", "(一)加强管理。", "各位代表,过去一年"]),
        ("增长2.5%。一是加强管理,二是优化服务。", ["增长2.5%。一是加强管理,二是优化服务。"]),
        ("投资2.5亿元。三次产业的比重为12.89:56.87:30.24。", ["投资2.5亿元。三次产业的比重为12.89:56.87:30.24。"]),
        ("坚持“一、二、三产融合”发展。", ["坚持“一、二、三产融合”发展。"]),
    ],
)
def test_split_units(line: str, pieces: list[str]) -> None:
    assert split_units(line) == pieces


def test_split_merged_lines_splits_front_matter_and_keeps_line_numbers() -> None:
    doc = Document(blocks=[Block("line", RUN_TOGETHER, lines=(7,)), Block("line", "一、2017年工作回顾", lines=(9,))])
    doc = split_merged_lines(doc)
    assert [b.text for b in doc.blocks] == front_pieces(RUN_TOGETHER) + ["一、2017年工作回顾"]
    assert all(b.lines == (7,) for b in doc.blocks[:5])
    assert doc.blocks[5].lines == (9,)
    assert [r.rule.name for r in doc.report.repairs] == ["split-merged-line"]


def test_run_together_document_is_segmented_by_the_pipeline() -> None:
    text = RUN_TOGETHER + ("过去一年,全区经济保持平稳较快发展。一、2014年工作回顾2014年,全区地区生产总值完成100亿元,增长8%。"
                           "(一)县域经济实力稳步提升2014年,全区实现财政收入10亿元,增长9%。") + "\n"
    doc = clean(text)
    lines = doc.text().splitlines()
    assert lines[0] == "政府工作报告"
    assert lines[1].endswith("第十四届人民代表大会第四次会议上")
    assert lines[2] == "某区人民政府区长  张三"
    assert lines[3] == "各位代表："
    assert "一、2014年工作回顾" in lines
    assert "（一）县域经济实力稳步提升" in lines


# --------------------------------------------------------------------------- stray spaces


def _spaces(*texts: str) -> list[str]:
    doc = Document(blocks=[Block("paragraph", t, lines=(i + 1,)) for i, t in enumerate(texts)])
    return [b.text for b in remove_stray_spaces(doc).blocks]


def test_stray_spaces_between_chinese_characters_are_removed_in_running_text() -> None:
    text = "实施老旧小区 既有建筑节能改造，推进城市更新行动，完善基础设施，提升 城市品质和居民生活水平。"
    assert _spaces(text) == ["实施老旧小区既有建筑节能改造，推进城市更新行动，完善基础设施，提升城市品质和居民生活水平。"]
    assert _spaces("全面推进党风廉政建设　和反腐败斗争，认真贯彻执行中央八项规定精神，集中纠治形式主义、官僚主义。") == [
        "全面推进党风廉政建设和反腐败斗争，认真贯彻执行中央八项规定精神，集中纠治形式主义、官僚主义。"]


def test_latin_spaces_and_signature_spaces_are_kept() -> None:
    latin = "Hello world, this is a test of English text kept as is with spaces."
    mixed = "打响“T-MAX”科创品牌，引进 Hello world 项目，招引科技人才项目429个，新增领军人才91名。"
    signature = "海拉尔区人民政府区长  杜联合"
    title = "以党的二十大精神为指引 全面推进中国式现代化太仓新实践"
    out = _spaces(latin, mixed, signature, title)
    assert out[0] == latin
    assert "Hello world" in out[1]
    assert out[2] == signature
    assert out[3] == title


def test_stray_space_repairs_are_reported() -> None:
    doc = Document(blocks=[Block("paragraph", "实施老旧小区 既有建筑节能改造，推进城市更新行动，完善基础设施，提升城市品质。",
                                 lines=(3,))])
    doc = remove_stray_spaces(doc)
    assert [(r.rule.name, r.line) for r in doc.report.repairs] == [("stray-space", 3)]


def test_lines_are_trimmed() -> None:
    assert _spaces("　　现在，我代表区人民政府向大会报告工作。  ") == ["现在，我代表区人民政府向大会报告工作。"]


def test_a_line_starting_with_a_closing_mark_joins_the_line_above_without_a_measure() -> None:
    """Too few lines to measure a wrap, but no paragraph starts with "%" or "，"; and a
    number broken as "9." / "8%" is one number."""
    doc = clean("某市2023年工作总结\n全市，经济增长9.8\n%。全年，经济\n，民生。全市经济增长9.\n8%。\n")
    assert doc.text().splitlines()[1:] == ["全市，经济增长9.8%。全年，经济，民生。全市经济增长9.8%。"]


def test_an_ordinal_broken_by_a_wrap_is_joined_not_taken_for_a_heading() -> None:
    """"…增长第" / "一，经济。": "一，" after "第" is the rest of "第一", even with a page
    number between them (found by make fuzz)."""
    for between in ("", "3\n"):
        doc = clean(f"某市2023年工作总结\n全市，经济经济经济增长1,635，经济经济经济经济增长第\n{between}一，经济。\n")
        assert doc.text().splitlines()[1:] == ["全市，经济经济经济增长1,635，经济经济经济经济增长第一，经济。"]
        assert doc.headings() == []


@pytest.mark.parametrize("marker", ["— 3 —", "第2页/共29页", "- 12 -", "3"])
def test_a_page_marker_inside_a_clause_joins_its_pieces_without_a_measure(marker: str) -> None:
    """"…各级政府，经济增" / "— 3 —" / "长9": one paragraph broken by a page, even when
    there are too few wrapped lines to measure a width. Without the join the last piece
    stood alone after removed chrome and went as tail shell (found by make fuzz)."""
    doc = clean(f"某市2023年工作总结\n全市，经济。\n全市，经济经济增长9.8%。各级政府，经济增\n{marker}\n长9\n")
    assert doc.text().splitlines()[1:3] == ["全市，经济。", "全市，经济经济增长9.8%。各级政府，经济增长9"]
    assert [r.text for r in doc.report.removed] == [marker]


def test_a_page_marker_after_a_finished_sentence_or_before_a_heading_does_not_join() -> None:
    for above, below in [("全市，经济增长。", "各级政府，经济"), ("全市，经济增长", "二、工作安排")]:
        doc = clean(f"某市2023年工作总结\n{above}\n— 3 —\n{below}\n")
        assert len(doc.blocks) >= 2 and not any(b.text.endswith(above + below) for b in doc.blocks)
