"""``cleaner build --toc``: a table of contents in the DOCX editions only when asked for."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from cleaner.cli import main

TEXT = "示例市政府工作报告\n\n各位代表：\n\n一、过去一年的工作\n\n全年经济运行总体平稳。\n\n二、今年的主要任务\n\n坚持稳中求进。\n"


def _has_toc(path: Path) -> bool:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        return b" TOC " in z.read("word/document.xml")


@pytest.mark.parametrize("toc", [False, True])
def test_build_writes_a_toc_only_with_the_option(toc: bool, tmp_path: Path) -> None:
    src = tmp_path / "report.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", str(src), "-o", str(out), "--to", "docx", "--quiet", *(["--toc"] if toc else [])]
    assert main(args) == 0
    assert _has_toc(out / "report.docx") is toc
    assert _has_toc(out / "report.zh-Hant.docx") is toc
