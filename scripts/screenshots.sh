#!/usr/bin/env bash
# make screenshots: the first page of each seed's Simplified and Traditional PDF as PNG,
# for the README (docs/).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs
for pdf in outputs/*.pdf; do
  name=$(basename "$pdf" .pdf)
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$pdf" "docs/$name.page1"
done
ls docs/*.png

# The DOCX editions as LibreOffice renders them (page 1), beside the PDFs: a private
# LibreOffice profile, so a running LibreOffice or another build does not interfere.
if command -v soffice >/dev/null 2>&1 && compgen -G "outputs/*.docx" >/dev/null; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  soffice "-env:UserInstallation=file://$tmp/profile" --headless --convert-to pdf \
    --outdir "$tmp" outputs/*.docx >/dev/null 2>&1
  for docx in outputs/*.docx; do
    name=$(basename "$docx" .docx)
    pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$tmp/$name.pdf" "docs/$name.docx.page1"
  done
  ls docs/*.docx.page1.png
fi
