#!/usr/bin/env bash
# make baselines: score cleaner, `cat` and trafilatura 2.3 on the project's corpus copy.
# trafilatura is no dependency of cleaner: it is installed in a venv of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BASELINES_VENV:-.venv-baselines}
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv"; "$venv/bin/pip" install -q "trafilatura==2.3.*" lxml_html_clean; }
for set in dev dev2; do
  echo "== $set"
  printf 'cleaner      '; python3 tests/corpus/score.py --cases tests/corpus/$set --cmd '.venv/bin/python -m cleaner clean {input} --report {report}' | tail -1
  printf 'cat          '; python3 tests/corpus/score.py --cases tests/corpus/$set --cmd 'cat {input}' | tail -1
  printf 'trafilatura  '; python3 tests/corpus/score.py --cases tests/corpus/$set --cmd "$venv/bin/python scripts/trafilatura_clean.py {input}" | tail -1
done
