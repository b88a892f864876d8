#!/usr/bin/env bash
# Start CNN Explorer: creates .venv with requirements.txt if needed, then `streamlit run app.py`.
# Open the address it prints (http://localhost:8501). Extra arguments go to streamlit,
# e.g. `bash scripts/run.sh --server.port 8080`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec .venv/bin/python -m streamlit run app.py "$@"
