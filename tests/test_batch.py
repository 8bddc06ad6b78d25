"""`cleaner build` over a folder: bad files are reported (each with its reason) and the
good ones are still built; lines that a batch's documents share are learned as chrome."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# A line the site put on every page it served; it is in no site profile.
SHARED_CHROME = "本资料由城市文档网整理发布"
PLACES = ["太仓市", "昆山市", "常熟市", "张家港市"]
# the build's own files at the top of the output folder, written by default (--no-manifest: none)
RECORDS = ["manifest-sha256.txt", "manifest.json", "summary.csv", "summary.json"]


def doc(place: str) -> str:
    return "\n".join([
        f"{place}2023年政府工作报告",
        SHARED_CHROME,
        "各位代表：",
        f"现在，我代表{place}人民政府，向大会报告工作，请予审议。",
        "一、2022年工作回顾",
        f"过去一年，{place}经济增长{len(place) + 3}.8%，完成投资1,635亿元。",
        "二、2023年工作安排",
        f"今年，{place}将坚持稳中求进工作总基调，推动高质量发展。",
        "谢谢大家！",
    ]) + "\n"


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e["PYTHONIOENCODING"] = "utf-8"
    return e


def build(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", "build", *args, "--quiet"], env=env(),
                          capture_output=True, text=True, timeout=timeout, check=False)


def good_folder(root: Path) -> Path:
    folder = root / "batch"
    folder.mkdir()
    for i, place in enumerate(PLACES):
        (folder / f"{i}_{place}.txt").write_text(doc(place), encoding="utf-8")
    return folder


BAD = {
    "binary.txt": (random.Random(7).randbytes(600), "binary"),
    "empty.txt": (b"", "empty"),
    "undecodable.txt": ("".join(chr(0xD800 + i) for i in range(200)).encode("utf-8", "surrogatepass"),
                        "cannot be decoded"),
    "toobig.txt": (("过去一年，全市经济增长9.8%，完成投资1,635亿元。\n" * 40).encode(), "over the limit"),
}


def test_all_good_exits_0(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    p = build(str(folder), "-o", str(tmp_path / "out"), "--to", "txt,md,docx", "--no-traditional")
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr and "FAILED" not in p.stderr
    assert f"{len(PLACES)} of {len(PLACES)} input(s) built" in p.stderr
    for i, place in enumerate(PLACES):
        for ed in ("txt", "md", "report.json", "docx"):
            assert (tmp_path / "out" / f"{i}_{place}.{ed}").is_file()


def test_bad_files_are_reported_and_good_ones_still_built(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    for name, (data, _) in BAD.items():
        (folder / name).write_bytes(data)
    assert all(len((folder / f"{i}_{p}.txt").read_bytes()) < 1024 for i, p in enumerate(PLACES))
    assert len(BAD["toobig.txt"][0]) > 0.001 * 1024 * 1024
    out = tmp_path / "out"
    p = build(str(folder), "-o", str(out), "--to", "txt,md", "--max-size", "0.001")
    assert "Traceback" not in p.stderr, p.stderr
    assert p.returncode == 1, p.stderr
    failed = [line for line in p.stderr.splitlines() if line.startswith("cleaner build: FAILED")]
    assert len(failed) == len(BAD), p.stderr
    for name, (_, reason) in BAD.items():
        lines = [line for line in failed if name in line]
        assert len(lines) == 1 and reason in lines[0], (name, reason, p.stderr)
    assert f"{len(PLACES)} of {len(PLACES) + len(BAD)} input(s) built" in p.stderr
    for i, place in enumerate(PLACES):
        assert (out / f"{i}_{place}.txt").read_text("utf-8").startswith(f"{place}2023年政府工作报告\n")
    assert not any((out / f"{name[:-4]}.txt").exists() for name in BAD)
    assert not [f for f in out.iterdir() if f.name.startswith(".tmp")]


def test_folder_learning_removes_shared_chrome_only(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    (folder / "binary.txt").write_bytes(BAD["binary.txt"][0])  # an unreadable file does not stop learning
    out = tmp_path / "out"
    p = build(str(folder), "-o", str(out), "--to", "txt")
    assert p.returncode == 1 and "binary.txt" in p.stderr
    for i, place in enumerate(PLACES):
        text = (out / f"{i}_{place}.txt").read_text("utf-8").splitlines()
        assert SHARED_CHROME not in text
        # shared by every document too, but the documents' own: salutation, headings, closing
        for kept in ("各位代表：", "一、2022年工作回顾", "二、2023年工作安排", "谢谢大家！"):
            assert kept in text, (place, kept, text)
        report = json.loads((out / f"{i}_{place}.report.json").read_text("utf-8"))
        assert {"line": 2, "text": SHARED_CHROME, "rule": "batch-repeated", "kind": "batch"} in report["removed"]
        assert not [r for r in report["removed"] if r["rule"] == "batch-repeated" and r["line"] != 2]
        outline = [h["text"] for h in report["outline"]]
        assert outline == ["一、2022年工作回顾", "二、2023年工作安排"]


def test_no_learning_from_files_named_one_by_one(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    out = tmp_path / "out"
    p = build(*sorted(str(f) for f in folder.iterdir()), "-o", str(out), "--to", "txt")
    assert p.returncode == 0, p.stderr
    for i, place in enumerate(PLACES):
        assert SHARED_CHROME in (out / f"{i}_{place}.txt").read_text("utf-8").splitlines()


def test_fewer_than_three_documents_teach_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    for place in PLACES[:2]:
        (folder / f"{place}.txt").write_text(doc(place), encoding="utf-8")
    out = tmp_path / "out"
    assert build(str(folder), "-o", str(out), "--to", "txt").returncode == 0
    for place in PLACES[:2]:
        assert SHARED_CHROME in (out / f"{place}.txt").read_text("utf-8").splitlines()


def test_same_names_in_subfolders_get_distinct_outputs(tmp_path: Path) -> None:
    """Each in the output subfolder that mirrors its own, under its own name."""
    folder = tmp_path / "nested"
    for sub, place in zip(("a", "b", "c"), PLACES, strict=False):
        (folder / sub).mkdir(parents=True)
        (folder / sub / "report.txt").write_text(doc(place), encoding="utf-8")
    (folder / "report-2.txt").write_text(doc(PLACES[3]), encoding="utf-8")
    out = tmp_path / "out"
    p = build(str(folder), "-o", str(out), "--to", "txt")
    assert p.returncode == 0, p.stderr
    texts = {str(f.relative_to(out)): f.read_text("utf-8") for f in out.rglob("*.txt")}
    assert texts.pop("manifest-sha256.txt")  # the build's fixity list, not a document
    assert sorted(texts) == ["a/report.txt", "b/report.txt", "c/report.txt", "report-2.txt"]
    for name, place in zip(("a/report.txt", "b/report.txt", "c/report.txt", "report-2.txt"), PLACES, strict=True):
        assert texts[name].startswith(place)


def test_same_names_from_two_folders_get_distinct_outputs(tmp_path: Path) -> None:
    for sub, place in (("x", PLACES[0]), ("y", PLACES[1])):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "report.txt").write_text(doc(place), encoding="utf-8")
    out = tmp_path / "out"
    p = build(str(tmp_path / "x"), str(tmp_path / "y"), "-o", str(out), "--to", "txt")
    assert p.returncode == 0, p.stderr
    assert (out / "report.txt").read_text("utf-8").startswith(PLACES[0])
    assert (out / "report-2.txt").read_text("utf-8").startswith(PLACES[1])


@pytest.mark.parametrize("bad", sorted(BAD))
def test_one_bad_file_alone_exits_1(tmp_path: Path, bad: str) -> None:
    data, reason = BAD[bad]
    src = tmp_path / bad
    src.write_bytes(data)
    p = build(str(src), "-o", str(tmp_path / "out"), "--to", "txt", "--max-size", "0.001")
    assert p.returncode == 1 and reason in p.stderr and bad in p.stderr and "Traceback" not in p.stderr


def test_no_inputs_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty_folder").mkdir()
    p = build(str(tmp_path / "empty_folder"), "-o", str(tmp_path / "out"))
    assert p.returncode == 2 and "no input files" in p.stderr


# --------------------------------------------------------------------------- folders


def test_folders_are_mirrored_under_the_output_folder(tmp_path: Path) -> None:
    folder = tmp_path / "nest"
    (folder / "sub" / "deeper").mkdir(parents=True)
    (folder / "a.txt").write_text(doc(PLACES[0]), encoding="utf-8")
    (folder / "sub" / "with space.txt").write_text(doc(PLACES[1]), encoding="utf-8")
    (folder / "sub" / "deeper" / "with space.txt").write_text(doc(PLACES[2]), encoding="utf-8")
    out = tmp_path / "out"
    p = build(str(folder), "-o", str(out), "--to", "txt")
    assert p.returncode == 0, p.stderr
    assert sorted(str(f.relative_to(out)) for f in out.rglob("*") if f.is_file()) == sorted([
        "a.report.json", "a.txt", "sub/deeper/with space.report.json", "sub/deeper/with space.txt",
        "sub/with space.report.json", "sub/with space.txt", *RECORDS])
    assert (out / "sub" / "with space.txt").read_text("utf-8").startswith(PLACES[1])
    assert (out / "sub" / "deeper" / "with space.txt").read_text("utf-8").startswith(PLACES[2])
    for rel in ("a", "sub/with space", "sub/deeper/with space"):
        report = json.loads((out / f"{rel}.report.json").read_text("utf-8"))
        assert report["source"] == rel.rsplit("/", 1)[-1] + ".txt"
        assert report["source_path"] == rel + ".txt"
        assert list(report)[:3] == ["schema", "source", "source_path"]


def test_file_arguments_land_flat_and_their_report_is_unchanged(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    (folder / "sub").mkdir()
    (folder / "sub" / "x.txt").write_text(doc(PLACES[0]), encoding="utf-8")
    out = tmp_path / "out"
    p = build(str(folder / "sub" / "x.txt"), "-o", str(out), "--to", "txt")
    assert p.returncode == 0, p.stderr
    assert sorted(f.name for f in out.iterdir()) == sorted(["x.report.json", "x.txt", *RECORDS])
    assert "source_path" not in json.loads((out / "x.report.json").read_text("utf-8"))


def test_the_output_folder_is_never_read_as_input(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    out = folder / "out"
    for built in (len(PLACES), 0):  # the second time all are current (manifest.json): still 4 inputs, not 8
        p = build(str(folder), "-o", str(out), "--to", "txt")
        assert p.returncode == 0, p.stderr
        assert f"{built} of {len(PLACES)} input(s) built" in p.stderr, p.stderr
    assert f"{len(PLACES)} up to date" in p.stderr, p.stderr
    assert not (out / "out").exists()
    assert sorted(f.name for f in out.glob("*.txt")) == sorted([*(f"{i}_{p}.txt" for i, p in enumerate(PLACES)),
                                                                "manifest-sha256.txt"])


def test_extensions_match_case_insensitively_and_skipped_files_are_counted(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    (folder / "UPPER.TXT").write_text(doc(PLACES[0]), encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "readme.md").write_text("# x\n", encoding="utf-8")
    out = tmp_path / "out"
    p = build(str(folder), "-o", str(out), "--to", "txt")
    assert p.returncode == 0, p.stderr
    assert (out / "UPPER.txt").read_text("utf-8").startswith(PLACES[0])
    n = len(PLACES) + 1
    assert f"{n} of {n} input(s) built" in p.stderr and "2 other file(s) skipped" in p.stderr, p.stderr


def test_build_help_says_folders_are_searched_recursively() -> None:
    p = subprocess.run([sys.executable, "-m", "cleaner", "build", "--help"], env=env(), capture_output=True,
                       text=True, timeout=60, check=False)
    assert "subfolders" in p.stdout and "--follow-links" in p.stdout and "--timeout" in p.stdout


# --------------------------------------------------------------------------- time limit


@pytest.mark.parametrize(("formats", "limit"), [
    ("txt", "0.5"),  # stopped while cleaning
    pytest.param("txt,pdf", "4", marks=pytest.mark.slow),  # stopped while typesetting (the first PDF warms up)
])
def test_a_document_over_the_time_limit_fails_alone(tmp_path: Path, formats: str, limit: str) -> None:
    """A document that takes longer than --timeout fails with one line naming it; the
    batch goes on, and the documents after it come out byte-identical to a build of
    their own (the interrupted one leaves nothing behind, in the output or in the process)."""
    small = [tmp_path / "a.txt", tmp_path / "z.txt"]
    for path, place in zip(small, PLACES, strict=False):
        path.write_text(doc(place), encoding="utf-8")
    big = tmp_path / "big.txt"  # seconds to clean, minutes to typeset
    big.write_text(doc(PLACES[2]) + "".join(f"第{i}项工作已经完成，成效明显。\n" for i in range(20000)),
                   encoding="utf-8")
    out = tmp_path / "out"
    p = build(str(small[0]), str(big), str(small[1]), "-o", str(out), "--to", formats, "--no-traditional",
              "--timeout", limit)
    assert p.returncode == 1, p.stderr
    failed = [ln for ln in p.stderr.splitlines() if "FAILED" in ln]
    assert len(failed) == 1 and "big.txt" in failed[0] and "--timeout" in failed[0], p.stderr
    assert "2 of 3 input(s) built" in p.stderr
    editions = [*formats.split(","), "report.json"]
    assert sorted(f.name for f in out.iterdir()) == sorted([*(f"{s}.{e}" for s in "az" for e in editions), *RECORDS])
    alone = tmp_path / "alone"
    assert build(str(small[1]), "-o", str(alone), "--to", formats, "--no-traditional").returncode == 0
    assert sorted(f.name for f in alone.iterdir()) == sorted([*(f"z.{e}" for e in editions), *RECORDS])
    for f in alone.iterdir():
        if f.name not in RECORDS:  # the records tell each run, not the document
            assert (out / f.name).read_bytes() == f.read_bytes(), f.name


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf"])
def test_timeout_must_be_a_number_of_seconds(tmp_path: Path, value: str) -> None:
    (tmp_path / "a.txt").write_text(doc(PLACES[0]), encoding="utf-8")
    p = build(str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--timeout", value)
    assert p.returncode == 2 and "argument --timeout" in p.stderr and "Traceback" not in p.stderr


# --------------------------------------------------------------------------- learning never deletes text


CORPUS = Path(__file__).resolve().parent / "corpus"
SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_ae458432d04a05e1.txt"


def _clean_text(path: Path) -> str:
    from cleaner.pipeline import clean

    return clean(path).text()


def _build_folder_texts(folder: Path, out: Path) -> dict[str, str]:
    p = build(str(folder), "-o", str(out), "--to", "txt", "--quiet")
    assert p.returncode == 0, p.stderr
    texts = {f.name: f.read_text("utf-8") for f in sorted(out.rglob("*.txt"))}
    assert texts.pop("manifest-sha256.txt")  # the build's fixity list, not a document
    return texts


@pytest.mark.parametrize("source", [
    CORPUS / "dev" / "dev_03_31ppt_hailaer2018_pdfwrap.txt",  # three copies of one report
    SEED,
])
def test_copies_of_one_document_in_a_folder_clean_as_each_alone(tmp_path: Path, source: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in (1, 2, 3):
        (folder / f"c{i}.txt").write_bytes(source.read_bytes())
    alone = _clean_text(source)
    built = _build_folder_texts(folder, tmp_path / "out")
    assert built == {f"c{i}.txt": alone for i in (1, 2, 3)}


def test_three_years_of_one_bulletin_keep_their_tables_and_signatures(tmp_path: Path) -> None:
    """Three documents that share much of their wording (one county's bulletin, three
    years): what they share inside the document is theirs, not the site's."""
    source = (CORPUS / "dev" / "dev_02_doczj_wanzai2015_complete.txt").read_text("utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    for year in ("2015", "2016", "2017"):
        (folder / f"wanzai{year}.txt").write_text(source.replace("2015", year), encoding="utf-8")
    built = _build_folder_texts(folder, tmp_path / "out")
    for year in ("2015", "2016", "2017"):
        alone = _clean_text(folder / f"wanzai{year}.txt")
        assert built[f"wanzai{year}.txt"] == alone
        assert "（万载县统计局）" in alone
