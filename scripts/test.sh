#!/usr/bin/env bash
# Run every test of CNN Explorer (engine, app, real browser) on a fresh Debian machine with Python 3.11.
# Sets up what is missing first: Chromium and HAProxy (apt-get, as root), axe-core from npm (Debian's npm
# first, if missing), a virtual environment in .venv with requirements-dev.txt. Extra arguments go to
# pytest, e.g. `bash scripts/test.sh -m "not e2e"`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
CHROMIUM=/usr/bin/chromium
HAPROXY=/usr/sbin/haproxy
# axe-core, the accessibility checker of tests/e2e/test_accessibility.py: a pinned version, installed from
# npm into a git-ignored folder (the test reads it from there).
AXE_VERSION=4.14.1
AXE_DIR=.cache/axe-core

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

axe_installed() {
    local manifest="$AXE_DIR/node_modules/axe-core/package.json"
    [ -f "$manifest" ] && grep -q "^  \"version\": \"$AXE_VERSION\"," "$manifest"
}

# 1. Chromium, for the browser tests (Playwright drives the system's Chromium; no browser download),
#    HAProxy, for the lecture-hall proxy's test (tests/e2e/test_hall_proxy.py), and npm when axe-core
#    must be installed: one apt-get call.
packages=()
if [ ! -x "$CHROMIUM" ]; then
    echo "scripts/test.sh: $CHROMIUM is missing; installing it." >&2
    packages+=(chromium)
fi
if [ ! -x "$HAPROXY" ]; then
    echo "scripts/test.sh: $HAPROXY is missing; installing it." >&2
    packages+=(haproxy)
fi
if ! axe_installed && ! command -v npm >/dev/null 2>&1; then
    echo "scripts/test.sh: npm is missing (to install axe-core); installing nodejs and npm." >&2
    packages+=(nodejs npm)
fi
if [ "${#packages[@]}" -gt 0 ]; then
    as_root_apt_install "${packages[@]}" ||
        echo "scripts/test.sh: tests that need ${packages[*]} will be skipped (and fail under CI=true)." >&2
fi

# 2. axe-core $AXE_VERSION from npm, when that version is not there yet.
if ! axe_installed && command -v npm >/dev/null 2>&1; then
    echo "scripts/test.sh: installing axe-core $AXE_VERSION into $AXE_DIR." >&2
    npm install --prefix "$AXE_DIR" --no-save --no-audit --no-fund --loglevel=error "axe-core@$AXE_VERSION" >&2 ||
        echo "scripts/test.sh: npm could not install axe-core." >&2
fi
if ! axe_installed; then
    echo "scripts/test.sh: axe-core is missing: the accessibility test will be skipped (and fail under CI=true)." >&2
fi

# 3. The Python environment: .venv with the test requirements (torch is only for benchmarks: not here).
if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv; then
        # Debian's own Python keeps venv in a separate package.
        rm -rf .venv
        as_root_apt_install python3-venv
        "$PYTHON" -m venv .venv
    fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# 4. The tests. pytest exits with 5 when it collected nothing: that is a failure, not a pass.
status=0
.venv/bin/python -m pytest -q "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "scripts/test.sh: pytest collected no tests." >&2
    exit 1
fi
exit "$status"
