"""The committed editions in outputs/ are what a fresh build makes, and `make all`
rebuilds only what changed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cleaner.build import BuildOptions, build_many, build_one

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
EDITIONS = ("txt", "md", "report.json", "docx", "pdf", "zh-Hant.docx", "zh-Hant.pdf")
RECORDS = ("manifest.json", "summary.json", "summary.csv", "manifest-sha256.txt")  # the build's own, by default


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """outputs/ as `make all` builds it: `cleaner build seeds/NAME.txt -o outputs --force`
    from the top folder, seed by seed, into one folder (so manifest.json names the inputs
    as seeds/NAME.txt), without SOURCE_DATE_EPOCH."""
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    out = tmp_path_factory.mktemp("fresh")
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        for seed in SEEDS:
            build_many([str(seed.relative_to(ROOT))], out, BuildOptions(), manifest=True, force=True)
    finally:
        os.chdir(here)
    return out


def test_there_are_seeds() -> None:
    assert SEEDS, "seeds/ holds the documents make all builds"


@pytest.mark.parametrize("edition", EDITIONS)
def test_committed_editions_equal_a_fresh_build(fresh: Path, edition: str) -> None:
    for seed in SEEDS:
        name = f"{seed.stem}.{edition}"
        committed = ROOT / "outputs" / name
        assert committed.is_file(), f"outputs/{name} is missing: run make all and commit it"
        assert committed.read_bytes() == (fresh / name).read_bytes(), (
            f"outputs/{name} differs from a fresh build: run make all and commit it")


@pytest.mark.parametrize("record", RECORDS)
def test_committed_manifest_and_summaries_equal_a_fresh_build(fresh: Path, record: str) -> None:
    committed = ROOT / "outputs" / record
    assert committed.is_file(), f"outputs/{record} is missing: run make all and commit it"
    assert committed.read_bytes() == (fresh / record).read_bytes(), (
        f"outputs/{record} differs from a fresh build: run make all and commit it")
    assert str(ROOT) not in committed.read_text("utf-8")  # no absolute path: the same in every clone


def test_fresh_builds_are_byte_identical(fresh: Path, tmp_path: Path) -> None:
    seed = SEEDS[0]
    build_one(str(seed), tmp_path, seed.stem, BuildOptions())
    for edition in EDITIONS:
        name = f"{seed.stem}.{edition}"
        assert (tmp_path / name).read_bytes() == (fresh / name).read_bytes(), name


def _make_dry_run(tree: Path) -> str:
    env = {**os.environ, "MAKEFLAGS": ""}
    return subprocess.run(["make", "-n", "all"], cwd=tree, capture_output=True, text=True,
                          check=True, env=env).stdout


def test_make_all_rebuilds_only_what_changed(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.fail("make is needed to build the outputs")
    tree = tmp_path / "repo"
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, tree / name if tree.exists() else _mkdir(tree) / name)
    for folder in ("cleaner", "seeds", "outputs", "scripts"):
        shutil.copytree(ROOT / folder, tree / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (tree / ".venv").mkdir()
    (tree / ".venv" / ".installed").touch()
    (tree / ".stamp-sysdeps").touch()
    # everything built after the sources: nothing to do
    old, new = 1_000_000_000, 1_100_000_000
    for path in tree.rglob("*"):
        os.utime(path, (old, old))
    for path in (tree / "outputs").iterdir():
        os.utime(path, (new, new))
    assert "cleaner build" not in _make_dry_run(tree)
    # one seed changed: exactly that seed is rebuilt
    changed = tree / "seeds" / SEEDS[0].name
    os.utime(changed, (new + 10, new + 10))
    commands = [line for line in _make_dry_run(tree).splitlines() if "cleaner build" in line]
    # --force: make has decided that it is out of date (the manifest cannot tell a change of code)
    assert commands == [f"env -u SOURCE_DATE_EPOCH .venv/bin/cleaner build seeds/{SEEDS[0].name} -o outputs --quiet"
                        " --force"]


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path
