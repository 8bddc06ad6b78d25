"""The committed editions of the seed say exactly what the clean text says.

pdftotext of each PDF (whitespace and page numbers removed) equals the clean text
(whitespace removed): no character lost, changed or doubled, no U+FFFD, private-use
characters, Kangxi radicals or compatibility ideographs. The DOCX paragraphs are the
clean text's lines. The PDFs carry the title and every heading as bookmarks, and the
original input, byte for byte, as an attachment.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from cleaner.pipeline import clean
from cleaner.traditional import document_to_traditional

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_ae458432d04a05e1.txt"
OUT = ROOT / "outputs"
BAD_CHARS = re.compile("[\ufffd\ue000-\uf8ff\u2f00-\u2fdf\uf900-\ufaff]")
PAGE_NUMBER = re.compile(r"^\s*—\s*\d+\s*—\s*$", re.M)


@pytest.fixture(scope="module")
def texts() -> dict[str, list[str]]:
    doc = clean(SEED)
    return {"": doc.text_lines(), ".zh-Hant": document_to_traditional(doc).text_lines(),
            "_headings": [doc.title] + [b.text for b in doc.blocks if b.kind == "heading"]}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("edition", ["", ".zh-Hant"])
def test_pdf_text_is_the_clean_text(texts: dict[str, list[str]], edition: str) -> None:
    pdf = OUT / f"{SEED.stem}{edition}.pdf"
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    assert not BAD_CHARS.search(raw), BAD_CHARS.findall(raw)[:5]
    assert _squeeze(PAGE_NUMBER.sub("", raw)) == _squeeze("".join(texts[edition]))


@pytest.mark.parametrize("edition", ["", ".zh-Hant"])
def test_docx_text_is_the_clean_text(texts: dict[str, list[str]], edition: str) -> None:
    paragraphs = [p.text for p in docx.Document(str(OUT / f"{SEED.stem}{edition}.docx")).paragraphs]
    paragraphs = [p for p in paragraphs if p]  # the TOC field paragraph has no text
    assert paragraphs == texts[edition]


def test_pdf_outline_and_attachments(texts: dict[str, list[str]]) -> None:
    reader = PdfReader(OUT / f"{SEED.stem}.pdf")

    def titles(items) -> list[str]:
        out: list[str] = []
        for item in items:
            out.extend(titles(item) if isinstance(item, list) else [item.title])
        return out

    assert titles(reader.outline) == texts["_headings"]
    attachments = reader.attachments
    assert attachments[SEED.name] == [SEED.read_bytes()]
    assert f"{SEED.stem}.report.json" in attachments


def test_pdf_fonts_embedded_subset_with_unicode_maps() -> None:
    for edition in ("", ".zh-Hant"):
        listing = subprocess.run(["pdffonts", str(OUT / f"{SEED.stem}{edition}.pdf")], capture_output=True,
                                 text=True, check=True).stdout.splitlines()[2:]
        assert listing
        for row in listing:
            cols = row.split()
            emb, sub, uni = cols[-5], cols[-4], cols[-3]
            assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def test_pdf_passes_qpdf_check() -> None:
    for edition in ("", ".zh-Hant"):
        result = subprocess.run(["qpdf", "--check", str(OUT / f"{SEED.stem}{edition}.pdf")],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout
