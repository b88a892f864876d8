#!/usr/bin/env bash
# Run every test of CNN Explorer (engine, app, real browser) on a fresh Debian machine with Python 3.11.
# Sets up what is missing first: Chromium and HAProxy (apt-get, as root), a virtual environment in .venv
# with requirements-dev.txt. Extra arguments go to pytest, e.g. `bash scripts/test.sh -m "not e2e"`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
CHROMIUM=/usr/bin/chromium
HAPROXY=/usr/sbin/haproxy

as_root_apt_install() {
    # Installs Debian packages when we are root; otherwise says what to run and returns 1.
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
    else
        echo "scripts/test.sh: please run 'sudo apt-get install $*' (not root here)." >&2
        return 1
    fi
}

# 1. Chromium, for the browser tests (Playwright drives the system's Chromium; no browser download),
#    and HAProxy, for the lecture-hall proxy's test (tests/e2e/test_hall_proxy.py): one apt-get call.
packages=()
if [ ! -x "$CHROMIUM" ]; then
    echo "scripts/test.sh: $CHROMIUM is missing; installing it." >&2
    packages+=(chromium)
fi
if [ ! -x "$HAPROXY" ]; then
    echo "scripts/test.sh: $HAPROXY is missing; installing it." >&2
    packages+=(haproxy)
fi
if [ "${#packages[@]}" -gt 0 ]; then
    as_root_apt_install "${packages[@]}" ||
        echo "scripts/test.sh: tests that need ${packages[*]} will be skipped (and fail under CI=true)." >&2
fi

# 2. The Python environment: .venv with the test requirements (torch is only for benchmarks: not here).
if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv; then
        # Debian's own Python keeps venv in a separate package.
        rm -rf .venv
        as_root_apt_install python3-venv
        "$PYTHON" -m venv .venv
    fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# 3. The tests. pytest exits with 5 when it collected nothing: that is a failure, not a pass.
status=0
.venv/bin/python -m pytest -q "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "scripts/test.sh: pytest collected no tests." >&2
    exit 1
fi
exit "$status"
