"""Hang guards for the shapes that once made a stage quadratic.

Each test feeds one stage the worst shape for it at a size where comparing all pairs
(or rebuilding a growing string per line) takes minutes, while linear code takes well
under a second. The guards are generous (the machine is shared): they catch a return
to quadratic time, not a slow run. Time per input byte is measured by ``make bench``
(scripts/bench.py), not here. Next to each guard, a check that the fast code gives
exactly what the all-pairs code gave.
"""

from __future__ import annotations

import contextlib
import random
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaner.document import Block, Document
from cleaner.fullwidth import restore_text
from cleaner.pipeline import clean_bytes
from cleaner.read import decode
from cleaner.shapes import CN_NUM
from cleaner.stages.layout import join_wrapped_lines, layer_pieces
from cleaner.stages.noise import strip_noise
from cleaner.stages.outline import find_title, mark_headings, reconcile_site_outline, run_in_split
from cleaner.stages.punctuation import find_lost_marks
from cleaner.textutil import key

GUARD = 20.0  # seconds; each case below takes well under 1 s when linear, minutes when quadratic
PARA = "全市经济发展稳中有进，地区生产总值增长百分之五，一般公共预算收入完成年度目标，城乡居民收入稳步提高。"


@contextlib.contextmanager
def hang_guard(seconds: float = GUARD) -> Iterator[None]:
    def fire(*_: object) -> None:
        raise TimeoutError(f"over {seconds:.0f} s: a stage went quadratic on this shape")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def cn(n: int) -> str:
    """1..99 as a Chinese numeral: 1 → 一, 12 → 十二, 40 → 四十."""
    digits = CN_NUM[:9]
    tens, ones = divmod(n, 10)
    return ((digits[tens - 1] if tens > 1 else "") + "十" if tens else "") + (digits[ones - 1] if ones else "")


def _entry(k: int) -> str:
    return f"{cn(k % 99 + 1)}、推进第{k}项重点工作"


# --------------------------------------------------------------------------- the site outline


def test_reconcile_a_long_site_outline_in_linear_time() -> None:
    n = 30_000
    entries = [_entry(k) for k in range(n)]
    blocks = [Block("heading", e, level=1, lines=(k + 1,)) for k, e in enumerate(entries[: n - 2])]
    doc = Document(blocks=blocks)
    doc.evidence.site_outline = entries
    with hang_guard():
        doc = reconcile_site_outline(doc)
    assert doc.evidence.missing_sections == entries[n - 2:]


def _all_pairs_found(entries: list[str], heads: list[str]) -> list[bool]:
    """What reconcile_site_outline decided before it used an index: every pair compared."""
    keys = [key(h) for h in heads]
    return [any(h.startswith(key(e)) or key(e).startswith(h) and len(h) >= 4 for h in keys) for e in entries]


def test_reconcile_finds_what_comparing_all_pairs_found() -> None:
    rng = random.Random(7)
    alphabet = "一二三四工作回顾、，"
    for _ in range(400):
        words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9))) for _ in range(12)]
        entries, heads = rng.sample(words, rng.randint(1, 6)), rng.sample(words, rng.randint(0, 6))
        heads += [e + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3))) for e in rng.sample(entries, 1)]
        heads += [e[: rng.randint(0, len(e))] for e in rng.sample(entries, 1)]
        doc = Document(blocks=[Block("heading", h, level=1, lines=(i + 1,)) for i, h in enumerate(heads)])
        doc.evidence.site_outline = list(entries)
        doc = reconcile_site_outline(doc)
        found = _all_pairs_found(entries, heads)
        last = max((i for i, f in enumerate(found) if f), default=-1)
        assert doc.evidence.missing_sections == [e for i, e in enumerate(entries) if i > last and not found[i]]
        missing_inside = [e for i, e in enumerate(entries) if i < last and not found[i]]
        assert [w.message for w in doc.report.warnings] == [
            f"the site outline lists {e!r}, the body has no such heading" for e in missing_inside]


# --------------------------------------------------------------------------- run-in headings


def test_run_in_headings_under_a_long_outline_in_linear_time() -> None:
    n = 40_000
    entries = [_entry(k) for k in range(n)]
    blocks = [Block("line", f"{e}。{PARA}", lines=(k + 1,)) for k, e in enumerate(entries)]
    doc = Document(blocks=[Block("line", "各位代表：", lines=(0,)), *blocks])
    doc.evidence.site_outline = entries
    with hang_guard():
        doc = mark_headings(doc)
    assert [b.text.rstrip("。") for b in doc.blocks if b.kind == "heading"] == entries


def _first_entry_split(body: str, outline: list[str]) -> str | None:
    return next((e for e in outline if e and body.startswith(e)), None)


def test_run_in_split_takes_the_first_outline_entry_that_starts_the_body() -> None:
    # the outline is searched in its order: with "回顾" listed before "回顾工作", "回顾" names the heading
    body = "回顾工作过去一年成绩显著，经济运行稳中向好。"
    assert body[:run_in_split(body, ["回顾", "回顾工作"], False)] == "回顾"
    assert body[:run_in_split(body, ["回顾工作", "回顾"], False)] == "回顾工作"
    rng = random.Random(11)
    for _ in range(300):
        outline = ["".join(rng.choice("回顾工作成绩") for _ in range(rng.randint(0, 5))) for _ in range(6)]
        body = "".join(rng.choice("回顾工作成绩") for _ in range(rng.randint(1, 8))) + "，经济运行稳中向好。"
        first = _first_entry_split(body, outline)
        expected = run_in_split(body, [first] if first else [], False)
        assert run_in_split(body, outline, False) == expected, (body, outline)


# --------------------------------------------------------------------------- bulletin headings


def test_many_two_digit_headings_in_linear_time() -> None:
    n = 20_000
    blocks = [Block("line", "各位代表：", lines=(1,))]
    for k in range(n):
        blocks += [Block("line", f"{k % 90 + 10}综合", lines=(2 * k + 2,)), Block("line", PARA, lines=(2 * k + 3,))]
    with hang_guard():
        doc = mark_headings(Document(blocks=blocks))
    assert sum(b.kind == "heading" for b in doc.blocks) == n


# --------------------------------------------------------------------------- the title


def test_many_site_titles_in_linear_time() -> None:
    n = 60_000
    doc = Document(blocks=[Block("line", "政府工作报告", lines=(1,)), Block("line", PARA, lines=(2,))])
    doc.evidence.site_titles.extend(f"第{k}区政府工作报告" for k in range(n))
    with hang_guard():
        doc = find_title(doc)
    assert doc.title == "第0区政府工作报告"  # each name once: the first listed


# --------------------------------------------------------------------------- hard wraps


@pytest.mark.parametrize("lines", [100_000])
def test_one_long_wrapped_paragraph_in_linear_time(lines: int) -> None:
    line = "全市经济发展稳中有进，地区生产总值增长百分之五，一般公"  # 28 characters: the measure
    doc = Document(blocks=[Block("line", line, lines=(i + 1,)) for i in range(lines)])
    with hang_guard():
        doc = join_wrapped_lines(doc)
    assert [b.text for b in doc.blocks] == [line * lines]
    assert doc.blocks[0].lines == tuple(range(1, lines + 1))


# --------------------------------------------------------------------------- one long line


def test_restore_punctuation_on_a_long_run_of_letters_in_linear_time() -> None:
    # a base64 blob in a line: the English and e-mail patterns were tried from every letter
    n = 200_000
    text = "附件：" + "QUJD" * (n // 4) + ",见附件。联系邮箱office@hlr.gov.cn,电话12345。"
    with hang_guard():
        new, _ = restore_text(text)
    assert new.endswith("，见附件。联系邮箱office@hlr.gov.cn，电话12345。")


def test_restore_punctuation_on_a_long_line_chinese_only_at_its_end_in_linear_time() -> None:
    # each mark looked for the line's first ideograph again
    n = 100_000
    with hang_guard():
        new, changes = restore_text("a, " * n + "中")
    assert new == "a，" * n + "中" and len(changes) == n


def test_lost_marks_on_one_long_line_in_linear_time() -> None:
    # each percent run looked for its clause start, and each spot for its run, from the line's start
    n = 16_000
    text = "各项指标" + "分别增长1.5%2.5%，增长3%4%，" * n + "完成。"
    doc = Document(blocks=[Block("paragraph", text, lines=(1,)), Block("paragraph", "结束。", lines=(2,))])
    with hang_guard():
        doc = find_lost_marks(doc)
    assert doc.blocks[0].text == "各项指标" + "分别增长1.5%、2.5%，增长3%4%，" * n + "完成。"
    assert sum(r.rule.name == "lost-mark-enumeration" for r in doc.report.repairs) == n
    assert sum(w.kind == "lost-mark" for w in doc.report.warnings) == 2 * n


def test_decoding_one_long_line_in_linear_time() -> None:
    # mojibake repair counted character boundaries from its last repair, again for each
    # chance UTF-8 run it rejected: 4 MB on one line took 4 s, 12 MB most of a minute
    seed = (Path(__file__).parents[1] / "seeds" / "000_ae458432d04a05e1.txt").read_text(encoding="utf-8")
    line = seed.replace("\n", "")
    data = (line * (12_000_000 // len(line.encode()) + 1)).encode()
    with hang_guard():
        decoded = decode(data, "one-line.txt")
    assert decoded.text == data.decode() and decoded.events == []


# --------------------------------------------------------------------------- the shell


def test_long_tail_after_many_listing_titles_in_linear_time() -> None:
    # each line after the body was compared with every listing title the site repeated
    n = 10_000
    body = "某市2023年政府工作报告\n各位代表：\n" + (PARA + "\n") * 20
    tail = "".join(f"第{k}区政府工作报告.doc\n城市建设第{k}项\n" for k in range(n))
    with hang_guard():
        doc = clean_bytes((body + tail).encode(), "tail.txt")
    assert len(doc.evidence.site_titles) == n
    assert doc.text().count(PARA) == 20 and f"城市建设第{n - 1}项" not in doc.text()


def test_text_layer_with_a_long_unsplit_piece_in_linear_time() -> None:
    # a piece that never ends at a gap ("甲。乙 城市 城市 …") was copied again at each gap
    n = 800_000
    text = "全市经济平稳。 今年增长。 甲。乙 " + "城市 " * n + "完成。"
    with hang_guard():
        pieces = layer_pieces(text)
    assert pieces == ["全市经济平稳。", "今年增长。", "甲。乙 " + "城市 " * n + "完成。"]


def test_watermark_search_on_a_long_run_of_letters_in_linear_time() -> None:
    # the web-address pattern was tried from every letter of a base64 blob
    text = "附件：" + "QUJD" * 250_000 + "。来源：example.cn"
    with hang_guard():
        doc = strip_noise(Document(blocks=[Block("line", text, lines=(1,))]))
    assert doc.blocks[0].text == "附件：" + "QUJD" * 250_000 + "。"
