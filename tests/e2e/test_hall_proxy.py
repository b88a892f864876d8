"""The lecture hall (scripts/serve_hall.sh): two Streamlit replicas behind HAProxy, used through the proxy.

Every page loads through it, uploads reach the replica that holds the browser's session (the sticky cookie
CNNX), static files are gzipped, and the script refuses bad arguments. The argument tests need neither
HAProxy nor a browser; the others skip without HAProxy (and fail under CI=true).
"""

from __future__ import annotations

import gzip
import io
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.e2e.helpers import (
    APP_ROOT,
    MAIN,
    SIDEBAR,
    assert_no_exception,
    free_port,
    missing,
    new_page,
    open_app,
    run_follows,
    server_errors,
)
from ui.common.i18n import t

SCRIPT = APP_ROOT / "scripts" / "serve_hall.sh"
HAPROXY = Path("/usr/sbin/haproxy")
STARTUP_SECONDS = 150.0  # the script itself gives up after 120 s
PAGES = ("", "forward", "backward", "pooling", "activations", "dense", "chain_rule", "normalization", "train")


@dataclass
class Hall:
    base_url: str
    replica_ports: list[int]
    config_dir: Path


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def hall() -> Iterator[Hall]:
    """`serve_hall.sh --replicas 2` on a free loopback port; stopped with SIGTERM to its process group."""
    if not HAPROXY.is_file():
        missing(f"{HAPROXY} is missing (apt-get install haproxy)")
    port = free_port()
    handle, name = tempfile.mkstemp(prefix="cnn-explorer-hall-", suffix=".log")
    os.close(handle)
    log_path = Path(name)
    command = ["bash", str(SCRIPT), "--replicas", "2", "--port", str(port), "--address", "127.0.0.1"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=APP_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _healthy(base_url):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            pytest.fail(f"the hall did not start:\n{log_path.read_text(errors='replace')[-5000:]}")
        time.sleep(0.2)
    log = log_path.read_text(errors="replace")
    replica_ports = [int(p) for p in re.findall(r"replica r\d+ on 127\.0\.0\.1:(\d+)", log)]
    config_dir = Path(re.search(r"HAProxy config: (\S+)", log).group(1)).parent
    assert len(replica_ports) == 2, log
    try:
        yield Hall(base_url, replica_ports, config_dir)
    finally:
        returncode = _stop(process)
    log = log_path.read_text(errors="replace")
    errors = server_errors(log_path)
    log_path.unlink(missing_ok=True)
    assert returncode is not None, f"serve_hall.sh still runs after SIGTERM:\n{log[-3000:]}"
    assert not any(_listening(p) for p in replica_ports), f"a replica still listens:\n{log[-3000:]}"
    assert not _listening(port), "HAProxy still listens after SIGTERM"
    assert not config_dir.exists(), f"the temp dir {config_dir} was not removed"
    assert not errors, f"the replicas logged errors:\n{log[-5000:]}"


def _stop(process: subprocess.Popen) -> int | None:
    """SIGTERM to the script's process group (its trap stops HAProxy and the replicas); SIGKILL after 30 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return None
    return process.returncode


def _stripes_png() -> bytes:
    """A 90×60 picture of vertical stripes, 10 px wide."""
    pixels = np.zeros((60, 90), dtype=np.uint8)
    for x in range(0, 90, 20):
        pixels[:, x : x + 10] = 255
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.e2e
@pytest.mark.parametrize("url_path", PAGES)
def test_every_page_loads_through_the_proxy(browser: Any, hall: Hall, url_path: str) -> None:
    page = new_page(browser)
    try:
        open_app(page, hall.base_url, url_path)
        assert_no_exception(page)
        assert page.locator(f"{MAIN} h1").first.inner_text().strip()
        assert page.title().strip()
    finally:
        page.context.close()


@pytest.mark.e2e
def test_uploads_reach_the_replica_of_each_browser(browser: Any, hall: Hall) -> None:
    data = _stripes_png()
    using = t("conv.using_upload", name="stripes.png").replace("**", "")
    replicas = []
    for _ in range(4):  # a new browser context each time: no cookie, so round robin gives it the next replica
        page = new_page(browser)
        try:
            open_app(page, hall.base_url, "forward")
            with run_follows(page):  # the radio's run ends before the file is chosen (a late one redraws it)
                page.locator(SIDEBAR).get_by_text(t("conv.source.upload"), exact=True).click()
            uploader = page.locator('[data-testid="stFileUploader"]')
            # The file goes up over HTTP first; the rerun starts after the uploader lists it.
            with run_follows(page):
                uploader.locator("input[type=file]").set_input_files(
                    {"name": "stripes.png", "mimeType": "image/png", "buffer": data}
                )
            assert_no_exception(page)
            assert page.get_by_text(using).count() > 0, "the page does not use the uploaded image"
            cookies = {c["name"]: c["value"] for c in page.context.cookies()}
            replicas.append(cookies.get("CNNX"))
        finally:
            page.context.close()
    assert set(replicas) == {"r1", "r2"}, f"the browsers went to {replicas}"


@pytest.mark.e2e
def test_the_proxy_sets_its_cookie_and_gzips_javascript(hall: Hall) -> None:
    with urllib.request.urlopen(f"{hall.base_url}/", timeout=10) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
        html = response.read().decode()
    assert any(re.match(r"CNNX=r[12](;|$)", cookie) for cookie in cookies), cookies

    script = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', html)
    assert script, "no static/js script in the page"
    request = urllib.request.Request(
        f"{hall.base_url}/{script.group(1)}", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers.get("Content-Encoding") == "gzip"
        body = gzip.decompress(response.read())
    assert len(body) > 1000


@pytest.mark.parametrize(
    ("arguments", "word"),
    [
        (["--replicas", "0"], "--replicas"),
        (["--replicas", "two"], "--replicas"),
        (["--replicas", "17"], "--replicas"),
        (["--port", "99999"], "--port"),
        (["--bogus"], "--bogus"),
    ],
)
def test_bad_arguments_are_refused_with_a_sentence(arguments: list[str], word: str) -> None:
    result = subprocess.run(
        ["bash", str(SCRIPT), *arguments], cwd=APP_ROOT, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2, result
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and message.endswith("."), message
    assert word in message
    assert result.stdout == ""


def test_help_prints_the_usage() -> None:
    result = subprocess.run(
        ["bash", str(SCRIPT), "--help"], cwd=APP_ROOT, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0
    assert "--replicas" in result.stdout and "--port" in result.stdout and "--address" in result.stdout
