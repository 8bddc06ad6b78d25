"""LibreOffice sets the DOCX in the faces of the PDF, from the fonts embedded in the DOCX.

LibreOffice runs with a fontconfig that knows only DejaVu, so any face it uses besides
DejaVu can only have come from the DOCX itself; ``pdffonts`` on its PDF names the faces.
The reference is ``pdffonts`` on the committed PDF of the same seed and edition."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_render_docx import embedded_fonts, font_of

ROOT = Path(__file__).resolve().parents[1]
SEED = "000_ae458432d04a05e1"
# style.css names Liberation Serif "GB Latin" (an @font-face alias for digits and letters).
PDF_ALIASES = {"gblatin": "Liberation Serif"}


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _pdffonts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:] if line.strip()]


def _identifiers(data: bytes) -> dict[str, tuple[str, str]]:
    """Names a PDF producer may give each embedded face -> (family, embedRegular|embedBold).

    WeasyPrint writes family and style ("Noto-Serif-CJK-SC-Bold", "FandolFang-R" for a
    regular face), LibreOffice the PostScript or CFF name ("NotoSerifCJKjp-Bold-…")."""
    ids: dict[str, tuple[str, str]] = {}
    for (family, kind), blob in embedded_fonts(data).items():
        font = font_of(blob)
        names = font["name"]
        idents = [names.getDebugName(6), f"{names.getDebugName(1)} {names.getDebugName(2)}"]
        if kind == "embedRegular":
            idents.append(names.getDebugName(1))
        if "CFF " in font:
            idents.extend(font["CFF "].cff.fontNames)
        for ident in filter(None, idents):
            ids[_norm(ident)] = (family, kind)
    return ids


def _faces(names: list[str], ids: dict[str, tuple[str, str]]) -> set[tuple[str, str]]:
    out = set()
    for name in names:
        n = _norm(name)
        if n in PDF_ALIASES:
            out.add((PDF_ALIASES[n], "embedRegular"))
            continue
        match = max((i for i in ids if n.startswith(i)), key=len, default=None)
        out.add(ids[match] if match else (name, "not embedded"))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["", ".zh-Hant"])
def test_libreoffice_uses_the_embedded_faces_of_the_pdf(edition: str, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing (scripts/system-deps.sh test installs it)"
    assert shutil.which("pdffonts"), "pdffonts is missing (poppler-utils)"
    dejavu = next(Path("/usr/share/fonts").rglob("DejaVuSans.ttf"), None)
    assert dejavu, "fonts-dejavu-core is missing"
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{dejavu.parent}</dir><cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>
""")
    docx_path = ROOT / "outputs" / f"{SEED}{edition}.docx"
    src = tmp_path / docx_path.name
    shutil.copy(docx_path, src)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   capture_output=True, timeout=300, check=True,
                   env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FONTCONFIG_FILE": str(conf)})
    ids = _identifiers(docx_path.read_bytes())
    lo = _faces(_pdffonts(tmp_path / f"{SEED}{edition}.pdf"), ids)
    pdf = _faces(_pdffonts(ROOT / "outputs" / f"{SEED}{edition}.pdf"), ids)
    assert lo == pdf
    assert lo <= set(ids.values())  # nothing from DejaVu: every face came from the DOCX
    assert len(lo) == 6  # body, title (bold), 黑体, 楷体, folio, Latin
