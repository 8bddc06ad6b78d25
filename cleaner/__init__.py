"""cleaner: turn text scraped from Chinese document-sharing sites into the document itself.

Public API::

    clean(text_or_path) -> Document       run the cleaning pipeline
    build(path, outdir, ...)              write every edition of one input
    to_traditional(text, variant="tw")    OpenCC conversion with the project's overrides
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document

__all__ = ["clean", "build", "to_traditional", "__version__"]


def clean(source: Any, site: str = "auto") -> Document:
    """Clean a file (``pathlib.Path`` or path string), raw bytes, or a str of text."""
    from .pipeline import clean as _clean

    return _clean(source, site=site)


def build(path: str | Path, outdir: str | Path, formats: str = "txt,md,docx,pdf",
          traditional: bool = True, variant: str = "tw", site: str = "auto") -> list[Path]:
    """Write every edition of one input into ``outdir``; returns the files written."""
    from .build import BuildOptions, build_one
    from .files import safe_stem

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    wanted = frozenset(f.strip() for f in formats.split(",") if f.strip())
    options = BuildOptions(formats=wanted, traditional=traditional, variant=variant, site=site)
    return build_one(str(path), out, safe_stem(str(path)), options)


def to_traditional(text: str, variant: str = "tw") -> str:
    """Plain OpenCC conversion (no cleaning) with the project's override dictionary."""
    from .traditional import to_traditional as _convert

    return _convert(text, variant)
