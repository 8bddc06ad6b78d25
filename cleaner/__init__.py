"""cleaner: turn text scraped from Chinese document-sharing sites into the document itself.

Public API::

    clean(text_or_path) -> Document       run the cleaning pipeline
    build(path, outdir, ...)              write every edition of one input
    to_traditional(text, variant="tw")    OpenCC conversion with the project's overrides
"""

__version__ = "0.1.0"
