#!/usr/bin/env bash
# One command for the benchmark: installs wrk (Debian) and the project into bench/.venv, then runs bench/run.py.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null || ! command -v taskset >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk util-linux >/dev/null
fi
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
fi
bench/.venv/bin/pip install --quiet --disable-pip-version-check -e .
# An installed package has its bytecode compiled; an editable one under PYTHONDONTWRITEBYTECODE would recompile
# every module at every start and the ready time would measure the compiler.
bench/.venv/bin/python -m compileall -q sandbox
exec bench/.venv/bin/python bench/run.py "$@"
