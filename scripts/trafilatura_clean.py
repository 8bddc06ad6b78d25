"""Baseline for the corpus scores: trafilatura reading a scraped text, one paragraph a line.

Usage: python scripts/trafilatura_clean.py INPUT  (in an environment with trafilatura)
The input is decoded as the corpus files are (UTF-8 with or without BOM, UTF-16 with
BOM, else GB18030); every non-blank line becomes a <p>, and trafilatura's main-text
extraction (default settings) prints what it keeps.
"""

import html
import sys

import trafilatura

data = open(sys.argv[1], "rb").read()
if data.startswith((b"\xff\xfe", b"\xfe\xff")):
    text = data.decode("utf-16")
else:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", "replace")
paragraphs = "".join(f"<p>{html.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip())
page = f"<html><head><meta charset='utf-8'></head><body><article>{paragraphs}</article></body></html>"
print(trafilatura.extract(page, favor_recall=False) or "")
