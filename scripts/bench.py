"""make bench: speed and memory figures, measured in one run (machines here are shared
and noisy, so compare ratios taken in the same run, not absolute seconds).

1. All editions of each seed (clean, txt, md, report, DOCX + PDF, Simplified and
   Traditional) against a bare WeasyPrint render+write of the same two PDFs' HTML,
   in CPU seconds, minimum of interleaved runs. Target: at most 1.3x.
2. Peak memory (RSS) cleaning a 10 MB input, in a child process.
3. Scaling: cleaning time per input line for 20,000 and 200,000 short lines, and for 8
   and 64 copies of the seed. Linear code keeps the ratio near 1; a quadratic stage
   (one was found: 200,000 lines took 60 s) makes it grow with the size. Target: at
   most 2x.
4. Worst shapes: cleaning time per MB at 1 MB and at 20 MB (``--large MB`` to change it)
   of the input shapes that once made a stage quadratic: the seed repeated; a site
   outline (提纲) of N entries with N headings in the body, half of them run into their
   paragraph; one line repeated (a running head between prose lines that join into
   one wrapped paragraph); page markers between the halves of wrapped lines; one huge
   line (the seed's text with its line breaks removed); a short body followed by many
   listing titles between short lines. Target: at most 2x.

``--shapes-only`` runs only 4 (the editing loop for speed work).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cleaner.build import BuildOptions, build_one  # noqa: E402
from cleaner.files import safe_stem  # noqa: E402
from cleaner.pipeline import clean, clean_bytes  # noqa: E402
from cleaner.render.html import render_html  # noqa: E402
from cleaner.traditional import document_to_traditional  # noqa: E402

RUNS = 7  # the minimum of several interleaved runs is the least noisy figure on a shared machine


def bare_weasyprint(html_sc: str, html_tc: str) -> None:
    import weasyprint

    for html in (html_sc, html_tc):
        weasyprint.HTML(string=html).write_pdf()


def timed(fn, runs: int = RUNS) -> float:
    """CPU seconds of this process (both sides are single-threaded and CPU-bound; CPU
    time is far less disturbed than wall time by other work on a shared machine)."""
    times = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def editions_vs_bare(seed: Path) -> tuple[float, float]:
    doc = clean(seed)
    html_sc, html_tc = render_html(doc), render_html(document_to_traditional(doc))
    out = Path(tempfile.mkdtemp(prefix="bench-"))
    stem = safe_stem(seed.name)
    formats = {"txt", "md", "docx", "pdf"}
    build_one(str(seed), out, stem, BuildOptions(formats=frozenset(formats)))  # warm caches (fonts, OpenCC)
    bare_weasyprint(html_sc, html_tc)
    ours, bare = [], []
    for _ in range(RUNS):  # interleave, so both see the same machine load
        ours.append(timed(lambda: build_one(str(seed), out, stem, BuildOptions(formats=frozenset(formats))), 1))
        bare.append(timed(lambda: bare_weasyprint(html_sc, html_tc), 1))
    return min(ours), min(bare)


# VmHWM (peak RSS of this process image): ru_maxrss would carry over the parent's peak
# across fork+exec.
PEAK = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])"
MEMORY_CHILD = (
    "import sys\n"
    "sys.path.insert(0, {root!r})\n"
    "from cleaner.pipeline import clean_bytes\n"
    "data = open({path!r}, 'rb').read()\n"
    "doc = clean_bytes(data, 'big.txt')\n"
    "print(" + PEAK + ", len(doc.blocks))\n"
)


def memory_on_10mb() -> tuple[int, int, int]:
    seed = (ROOT / "seeds" / "000_ae458432d04a05e1.txt").read_bytes()
    big = (seed * (10 * 1024 * 1024 // len(seed) + 1))[: 10 * 1024 * 1024]
    path = Path(tempfile.mkdtemp(prefix="bench-")) / "big.txt"
    path.write_bytes(big)
    baseline = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
                               f"import cleaner.pipeline; print({PEAK})"], capture_output=True, text=True, check=True)
    t = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", MEMORY_CHILD.format(root=str(ROOT), path=str(path))],
                         capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - t
    peak_kb, _ = run.stdout.split()
    return int(peak_kb) // 1024, int(baseline.stdout) // 1024, round(seconds)


def _clean_seconds(data: bytes) -> float:
    from cleaner.pipeline import clean_bytes

    return timed(lambda: clean_bytes(data, "scale.txt"), 1)


def scaling() -> list[tuple[str, float, float, float]]:
    """(what, seconds small, seconds large, per-unit ratio large/small)."""
    seed = (ROOT / "seeds" / "000_ae458432d04a05e1.txt").read_bytes()
    short = "全市经济发展，稳中有进。\n"
    out = []
    for what, small, large, factor in [
        ("short lines 20,000 -> 200,000", (short * 20_000).encode(), (short * 200_000).encode(), 10),
        ("seed copies 8 -> 64", seed * 8, seed * 64, 8),
    ]:
        a, b = _clean_seconds(small), _clean_seconds(large)
        out.append((what, a, b, b / (a * factor)))
    return out


MB = 1_000_000
PARA = "全市经济发展稳中有进，地区生产总值增长百分之五，一般公共预算收入完成年度目标，城乡居民收入稳步提高。"
CN_DIGITS = "一二三四五六七八九"


def _repeat(unit: str, size: int, head: str = "") -> bytes:
    """``head`` then ``unit`` as many times as fit in ``size`` bytes (UTF-8)."""
    n = max(1, (size - len(head.encode())) // len(unit.encode()))
    return (head + unit * n).encode()


def _cn(n: int) -> str:
    """1..99 as a Chinese numeral (一, 十二, 四十)."""
    tens, ones = divmod(n, 10)
    return ((CN_DIGITS[tens - 1] if tens > 1 else "") + "十" if tens else "") + (CN_DIGITS[ones - 1] if ones else "")


def shape_seed(size: int) -> bytes:
    seed = (ROOT / "seeds" / "000_ae458432d04a05e1.txt").read_bytes()
    data = (seed * (size // len(seed) + 1))[:size]
    return data[: data.rfind(b"\n") + 1]


def shape_outline(size: int) -> bytes:
    """提纲: then N numbered entries; the title; N headings, every other one run into its paragraph."""
    per = len(("一、推进第100000项重点工作\n" * 2 + PARA + "\n").encode())
    entries = [f"{_cn(k % 99 + 1)}、推进第{k}项重点工作" for k in range(size // per)]
    body = "".join(f"{e}\n{PARA}\n" if k % 2 else f"{e}。{PARA}\n" for k, e in enumerate(entries))
    return ("提纲:\n" + "\n".join(entries) + "\n\n某市2023年政府工作报告\n各位代表：\n" + body).encode()


def shape_repeated(size: int) -> bytes:
    """A running head repeated between prose lines of one width (they join into one paragraph)."""
    return _repeat("某某市人民政府办公室文件\n" + PARA + "\n", size, "某市2023年政府工作报告\n")


def shape_page_markers(size: int) -> bytes:
    """A page marker between the two halves of every wrapped sentence."""
    unit = "全市经济发展稳中有进，地区生产总值增长百分之五，一般公共预算收\n— 3 —\n入完成年度目标，城乡居民收入稳步提高。\n"
    return _repeat(unit, size, "某市2023年政府工作报告\n")


def shape_one_line(size: int) -> bytes:
    """The seed's text with its line breaks removed, repeated: one huge line."""
    seed = (ROOT / "seeds" / "000_ae458432d04a05e1.txt").read_text(encoding="utf-8")
    return _repeat(seed.replace("\n", ""), size)


def shape_listing_tail(size: int) -> bytes:
    """A short body, then a tail of the site's listing titles ("….doc") between short lines."""
    body = "某市2023年政府工作报告\n各位代表：\n" + (PARA + "\n") * 20
    per = len("第100000区政府工作报告.doc\n城市建设第100000项\n".encode())
    return (body + "".join(f"第{k}区政府工作报告.doc\n城市建设第{k}项\n" for k in range(size // per))).encode()


SHAPES = {
    "seed repeated": shape_seed,
    "outline + headings": shape_outline,
    "repeated lines": shape_repeated,
    "page markers": shape_page_markers,
    "one huge line": shape_one_line,
    "listing titles in the tail": shape_listing_tail,
}


def worst_shapes(large_mb: int) -> list[tuple[str, float, float, float]]:
    """(shape, seconds per MB at 1 MB, at ``large_mb`` MB, ratio) for each shape in SHAPES.
    1 MB: the least of 3 runs (short runs are noisy); the large size: one run."""
    out = []
    for name, make in SHAPES.items():
        small, large = make(MB), make(large_mb * MB)
        a = min(_clean_seconds(small) for _ in range(3)) / (len(small) / MB)
        b = _clean_seconds(large) / (len(large) / MB)
        del large
        out.append((name, a, b, b / a))
    return out


def corpus_throughput() -> tuple[int, float]:
    """Cleaning (text path only) of the 14 corpus inputs: bytes, and the best CPU seconds
    of a few runs (the inputs are small: the figure is per-document overhead as much as speed)."""
    datas = [p.read_bytes() for p in sorted((ROOT / "tests" / "corpus").glob("dev*/*.txt"))]
    for data in datas:
        clean_bytes(data, "corpus.txt")  # warm: profiles, regexes, glyph coverage
    return sum(map(len, datas)), timed(lambda: [clean_bytes(d, "corpus.txt") for d in datas])


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--large", type=int, default=20, help="the large size of the worst shapes, in MB")
    parser.add_argument("--shapes-only", action="store_true", help="only the worst shapes (4)")
    args = parser.parse_args()
    status = 0
    for name, a, b, ratio in worst_shapes(args.large):
        verdict = "ok" if ratio <= 2 else "OVER TARGET"
        print(f"worst shape, {name}: {a:.2f} s/MB at 1 MB, {b:.2f} s/MB at {args.large} MB, "
              f"time per MB x{ratio:.2f} (target <= 2) {verdict}", flush=True)
        status |= ratio > 2
    if args.shapes_only:
        return int(status)
    size, seconds = corpus_throughput()
    print(f"corpus (14 inputs, {size / 1e6:.2f} MB): cleaning {size / 1e6 / seconds:.2f} MB/s")
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        ours, bare = editions_vs_bare(seed)
        ratio = ours / bare
        verdict = "ok" if ratio <= 1.3 else "OVER TARGET"
        print(f"{seed.name}: all editions {ours:.2f} s, bare WeasyPrint (2 PDFs) {bare:.2f} s, "
              f"ratio {ratio:.2f} (target <= 1.30) {verdict}")
        status |= ratio > 1.3
    for what, a, b, ratio in scaling():
        verdict = "ok" if ratio <= 2 else "OVER TARGET"
        print(f"scaling, {what}: {a:.2f} s -> {b:.2f} s, time per unit x{ratio:.2f} (target <= 2) {verdict}")
        status |= ratio > 2
    peak, base, seconds = memory_on_10mb()
    print(f"10 MB input: peak RSS {peak} MiB (python baseline {base} MiB), {seconds} s")
    print(f"bench: max RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB")
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
