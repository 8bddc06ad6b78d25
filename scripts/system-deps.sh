#!/usr/bin/env bash
# Install the Debian packages cleaner needs, skipping what is present.
#   scripts/system-deps.sh build   fonts and the HarfBuzz subsetter (for `make all`)
#   scripts/system-deps.sh test    the above plus poppler-utils, qpdf, LibreOffice, Chromium (for `make test`)
# Without root (and without passwordless sudo) it prints what is missing and how to install it.
set -euo pipefail

build_pkgs=(
  fonts-noto-cjk          # 黑体 (Noto Sans CJK), title (Noto Serif CJK), fallback body font
  fonts-arphic-ukai       # 楷体 (AR PL UKai) for （一） headings and editor's notes
  fonts-cwtex-fs          # 仿宋 for the Traditional edition (cwTeX 仿宋, covers Big5)
  texlive-lang-chinese    # FandolFang: 仿宋 covering all of GB2312 for the Simplified edition
  fonts-liberation2       # Latin face for digits and Latin letters (Times New Roman metrics)
  # Rare characters, the end of every font chain in style.css: without them the PDF draws
  # blank space (.notdef) for characters the faces above lack. cleaner/glyphs.py reads the
  # same chains and the report warns about whatever is still left.
  fonts-hanazono          # HanaMinA/B: CJK Extensions B-F nearly complete (rare name characters)
  fonts-babelstone-han    # BabelStone Han: CJK Extensions G and H (no other Debian font has them)
  fonts-symbola           # Symbola: symbols and emoji as monochrome outlines (PDF/A embeds them)
  fonts-unifont           # Unifont Upper: last resort for newer emoji and symbols outside the BMP
  fontconfig              # fc-list / fc-match: glyphs.py resolves the chains' families to files
  libharfbuzz-subset0     # fast font subsetting in WeasyPrint (~7 s -> ~0.2 s for 14 CJK pages)
)
test_pkgs=(
  poppler-utils           # pdffonts, pdftotext, pdfdetach, pdfinfo, pdftoppm
  qpdf                    # qpdf --check
  libreoffice-writer-nogui  # the DOCX must convert with LibreOffice headless
  chromium                # the review page in a real browser (tests/test_review_browser.py)
  chromium-driver         # chromedriver for Selenium: Debian's, so Selenium downloads nothing
)

mode=${1:-build}
pkgs=("${build_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "cleaner: missing system packages: ${missing[*]}" >&2
  echo "cleaner: install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "cleaner: missing system packages ${missing[*]} and no apt-get on this system; install the equivalents by hand" >&2
  exit 1
fi
echo "cleaner: installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
