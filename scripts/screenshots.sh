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
