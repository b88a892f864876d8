"""Benchmark: a lecture hall on one link. Many sessions change a control at once; how long does each wait?

Starts the app as the README does (`bash scripts/run.sh`), or the replicated setup
(`bash scripts/serve_hall.sh --replicas N`), on a free loopback port; opens N sessions that speak
Streamlit's own websocket protocol as a browser tab does (benchmarks/hall_client.py); then for
`--duration` seconds each session waits 0–T s (uniformly at random), changes a control and waits for its
script run to finish, again and again. It prints, per page:

- latency from the change to `script_finished`: p50, p95, max (what a student waits for);
- errors (a failed connection, a run that did not finish, an exception element on the page);
- server CPU per script run during the load (utime + stime of every server process, from /proc) and
  the servers' resident memory before and after;
- the quiet cost of one script run in the real server: a rerun at defaults and one change of the
  control, one session alone, CPU per run (the "≤ 30 ms of server CPU" budget of DESIGN.md).

`--tabs K` adds a check on the protocol client: K real Chromium tabs (Playwright) click the same control
(+ then −: Stride 1, 2, 1, … as the protocol sessions alternate) on the same schedule, timed from the
click until the tab's websocket receives the run's `script_finished`, beside K protocol sessions doing
the same against the same server. The server CPU per run of the tabs includes serving each tab's first
visit (about 2.7 MB of static files). Keep K small on a small machine: each tab's Chromium draws the
page's figures on the same cores as the server (10 tabs on 2 cores took 30 s to open).

    python benchmarks/bench_hall.py                                 # the budgets: the table of the note
    python benchmarks/bench_hall.py --sessions 150 --pages forward --duration 60
    python benchmarks/bench_hall.py --replicas 2 --sessions 300 --pages backward
    python benchmarks/bench_hall.py --sessions 10 --tabs 10 --pages forward

The client runs in this process on the same machine as the servers (2 cores here), so its own CPU is
printed too: on this machine a hall of 300 shares the cores with the 300 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import platform
import random
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from benchmarks.hall_client import HallError, HallSession  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
# The control a hall changes on each page (its label in English) and the values it cycles through.
CONTROLS = {"forward": ("Stride", [1, 2]), "backward": ("Stride", [1, 2])}
# Every page, for the one-session cost of a rerun at defaults ("" is the home page).
PAGES = [
    "",
    "forward",
    "backward",
    "transposed",
    "matrix",
    "pooling",
    "activations",
    "dense",
    "chain_rule",
    "normalization",
    "train",
]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# --- the servers ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Servers:
    """The app as started for the benchmark: its process group and its address."""

    process: subprocess.Popen
    base_url: str

    def pids(self) -> list[int]:
        """Every process of the group (the shell script, the replicas, the proxy)."""
        group = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == self.process.pid:
                        group.append(int(entry.name))
                except ProcessLookupError:
                    continue
        return group

    def cpu_seconds(self) -> float:
        """utime + stime of every process of the group, in seconds."""
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return total / CLOCK_TICKS

    def rss_mb(self) -> float:
        """Resident memory of every process of the group, in MB."""
        total = 0
        for pid in self.pids():
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            except FileNotFoundError:
                continue
        return total * PAGE_SIZE / 1e6

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_servers(replicas: int) -> Servers:
    """`bash scripts/run.sh` (replicas = 0) or `bash scripts/serve_hall.sh --replicas N` on a free port."""
    port = free_port()
    if replicas == 0:
        command = ["bash", "scripts/run.sh", "--server.port", str(port), "--server.address", "127.0.0.1"]
    else:
        command = ["bash", "scripts/serve_hall.sh", "--replicas", str(replicas), "--port", str(port)]
        command += ["--address", "127.0.0.1"]
    log = open(ROOT / f".bench_hall_{port}.log", "wb")  # noqa: SIM115 (kept open for the server's life)
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    servers = Servers(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the app did not start: see {log.name}")
        try:
            with urllib.request.urlopen(f"{servers.base_url}/_stcore/health", timeout=1) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        time.sleep(0.2)
    else:
        servers.stop()
        raise SystemExit("the app did not answer its health check within 180 s")
    if replicas:
        time.sleep(2)  # the proxy's health checks mark every replica up
    Path(log.name).unlink(missing_ok=True)
    return servers


# --- the hall -------------------------------------------------------------------------------------------


@dataclass
class HallResult:
    """What one load run measured."""

    latencies: list[float] = field(default_factory=list)
    open_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    runs: int = 0
    references: int = 0
    bytes: int = 0


def ws_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://") + "/_stcore/stream"


async def one_student(
    base_url: str,
    page: str,
    control: str,
    values: list,
    open_at: float,
    until: float,
    period: float,
    result: HallResult,
    rng: random.Random,
) -> None:
    """A student: opens the page at `open_at`, then changes `control` every 0–period s until `until`."""
    await asyncio.sleep(max(0.0, open_at - time.monotonic()))
    session = HallSession(ws_url(base_url), page)
    try:
        start = time.perf_counter()
        await session.open()
        result.open_seconds.append(time.perf_counter() - start)
        widget = session.widget(control)
        current = 0
        while True:
            await asyncio.sleep(rng.uniform(0, period))
            if time.monotonic() >= until:
                break
            current = (current + 1) % len(values)
            seconds, run = await session.change(widget, values[current])
            result.latencies.append(seconds)
            result.runs += 1
            result.references += run.references
            result.bytes += run.bytes
            if run.exceptions:
                result.errors.append(f"{run.exceptions} exception(s) on the page")
    except (HallError, OSError, TimeoutError, asyncio.TimeoutError) as error:
        result.errors.append(f"{type(error).__name__}: {error}")
    except Exception as error:  # a closed websocket and the like: counted
        result.errors.append(f"{type(error).__name__}: {error}")
    finally:
        await session.close()


async def hall(
    base_url: str, page: str, sessions: int, ramp: float, duration: float, period: float, seed: int
) -> HallResult:
    """N students open the page over `ramp` seconds, then change its control for `duration` seconds."""
    control, values = CONTROLS[page]
    rng = random.Random(seed)
    result = HallResult()
    now = time.monotonic()
    until = now + ramp + duration
    students = [
        one_student(
            base_url,
            page,
            control,
            values,
            now + ramp * k / sessions,
            until,
            period,
            result,
            random.Random(rng.random()),
        )
        for k in range(sessions)
    ]
    await asyncio.gather(*students)
    return result


async def quiet_cost(servers: Servers, page: str, runs: int) -> tuple[float, float]:
    """Server CPU ms of one script run, one session alone: a rerun at defaults, then a change (or nan)."""
    session = HallSession(ws_url(servers.base_url), page)
    await session.open()
    for _ in range(3):  # warm: caches filled, every module imported
        await session.rerun()
    before = servers.cpu_seconds()
    for _ in range(runs):
        await session.rerun()
    rerun_ms = (servers.cpu_seconds() - before) / runs * 1000
    if page not in CONTROLS:
        await session.close()
        return rerun_ms, float("nan")
    control, values = CONTROLS[page]
    widget = session.widget(control)
    for value in values:  # warm: each value's results cached
        await session.change(widget, value)
    before = servers.cpu_seconds()
    for k in range(runs):
        await session.change(widget, values[k % len(values)])
    change_ms = (servers.cpu_seconds() - before) / runs * 1000
    await session.close()
    return rerun_ms, change_ms


# --- real tabs ------------------------------------------------------------------------------------------

CLICK = """(label) => {
  const box = [...document.querySelectorAll('[data-testid="stNumberInput"]')]
    .find(el => el.innerText.trim().startsWith(label));
  // Between its two lowest values, as the protocol sessions do (CONTROLS): 1 → 2 → 1 …
  const up = Number(box.querySelector('input').value) <= 1;
  const button = up ? "stNumberInputStepUp" : "stNumberInputStepDown";
  box.querySelector(`[data-testid="${button}"]`).click();
}"""
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'


def finished_clock(tab) -> list[float]:
    """A list that gets `time.perf_counter()` of every `script_finished` the tab's websocket receives.

    Read off the wire rather than from the page's DOM: the page's "running" state can come and go within
    one React render, so a watcher of the DOM misses short runs (measured: about one click in five).
    """
    finished: list[float] = []

    def on_frame(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg()
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "script_finished":
                finished.append(time.perf_counter())

    tab.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return finished


async def one_tab(
    browser, base_url: str, page: str, until: float, period: float, result: HallResult, rng: random.Random
) -> None:
    control = CONTROLS[page][0]
    context = await browser.new_context(viewport={"width": 1600, "height": 900}, locale="en-US")
    tab = await context.new_page()
    finished = finished_clock(tab)
    try:
        start = time.perf_counter()
        await tab.goto(f"{base_url}/{page}", timeout=120_000)
        await tab.wait_for_selector(IDLE, timeout=120_000)
        await tab.wait_for_selector('[data-testid="stNumberInput"]', timeout=120_000)
        result.open_seconds.append(time.perf_counter() - start)
        while True:
            await asyncio.sleep(rng.uniform(0, period))
            if time.monotonic() >= until:
                break
            t0 = time.perf_counter()
            await tab.evaluate(CLICK, control)
            async with asyncio.timeout(120):
                while not finished or finished[-1] < t0:
                    await asyncio.sleep(0.01)
            result.latencies.append(min(t for t in finished if t > t0) - t0)
            result.runs += 1
            await tab.wait_for_selector(IDLE, timeout=120_000)  # the page has drawn it before the next click
        if await tab.locator('[data-testid="stException"]').count():
            result.errors.append("exception box on the page")
    except Exception as error:
        result.errors.append(f"{type(error).__name__}: {error}")
    finally:
        await context.close()


async def tabs(base_url: str, page: str, count: int, duration: float, period: float, seed: int) -> HallResult:
    from playwright.async_api import async_playwright

    result = HallResult()
    rng = random.Random(seed)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        until = time.monotonic() + duration + 20  # the tabs take longer to open: give them the time back
        await asyncio.gather(
            *(
                one_tab(browser, base_url, page, until, period, result, random.Random(rng.random()))
                for _ in range(count)
            )
        )
        await browser.close()
    return result


# --- the report -----------------------------------------------------------------------------------------

HEADER = (
    f"{'setup':<12}{'page':<10}{'client':<8}{'N':>5}{'changes':>9}{'p50 s':>8}{'p95 s':>8}{'max s':>8}"
    f"{'errors':>8}{'CPU ms/run':>12}{'RSS MB before→after':>22}"
)


def row(
    setup: str, page: str, client: str, n: int, result: HallResult, cpu_ms: float, rss: tuple[float, float]
) -> str:
    lat = np.array(result.latencies) if result.latencies else np.array([np.nan])
    p50, p95, worst = np.percentile(lat, 50), np.percentile(lat, 95), lat.max()
    return (
        f"{setup:<12}{page:<10}{client:<8}{n:>5}{result.runs:>9}{p50:>8.2f}{p95:>8.2f}{worst:>8.2f}"
        f"{len(result.errors):>8}{cpu_ms:>12.1f}{rss[0]:>10.0f} → {rss[1]:<9.0f}"
    )


def run_setup(args: argparse.Namespace, replicas: int) -> list[str]:
    setup = "run.sh" if replicas == 0 else f"{replicas} replicas"
    servers = start_servers(replicas)
    lines = []
    try:
        if args.every_page:
            for page in PAGES:
                rerun_ms, _ = asyncio.run(quiet_cost(servers, page, args.quiet_runs))
                lines.append(
                    f"[{setup}] /{page}: server CPU of a rerun at defaults {rerun_ms:.1f} ms (budget 30)"
                )
                print(lines[-1], flush=True)
            return lines
        for page in args.pages:
            if args.quiet_runs:
                rerun_ms, change_ms = asyncio.run(quiet_cost(servers, page, args.quiet_runs))
                lines.append(
                    f"[{setup}] {page}: one session alone, server CPU per run: rerun at defaults "
                    f"{rerun_ms:.1f} ms (budget 30), change of {CONTROLS[page][0]} {change_ms:.1f} ms"
                )
                print(lines[-1], flush=True)
            rss_before = servers.rss_mb()
            cpu_before = servers.cpu_seconds()
            client_before = resource.getrusage(resource.RUSAGE_SELF)
            result = asyncio.run(
                hall(servers.base_url, page, args.sessions, args.ramp, args.duration, args.period, args.seed)
            )
            cpu = servers.cpu_seconds() - cpu_before
            client_after = resource.getrusage(resource.RUSAGE_SELF)
            client_cpu = (
                client_after.ru_utime
                + client_after.ru_stime
                - client_before.ru_utime
                - client_before.ru_stime
            )
            runs = result.runs + len(result.open_seconds)
            lines.append(
                row(
                    setup,
                    page,
                    "ws",
                    args.sessions,
                    result,
                    cpu / max(runs, 1) * 1000,
                    (rss_before, servers.rss_mb()),
                )
            )
            opened = np.array(result.open_seconds or [np.nan])
            lines.append(
                f"    opened {len(result.open_seconds)}/{args.sessions} (first run p95 "
                f"{np.percentile(opened, 95):.2f} s); {result.references} messages sent as cache "
                f"references; {result.bytes / max(result.runs, 1) / 1e3:.0f} kB a change; server CPU "
                f"{cpu:.0f} s, this client's CPU {client_cpu:.0f} s over the load"
            )
            for error in sorted(set(result.errors))[:5]:
                lines.append(f"    error: {error}")
            print("\n".join(lines[-2:]), flush=True)
            if args.tabs:
                for client in ("tabs", "ws"):
                    cpu_before = servers.cpu_seconds()
                    if client == "tabs":
                        result = asyncio.run(
                            tabs(servers.base_url, page, args.tabs, args.duration, args.period, args.seed)
                        )
                    else:
                        result = asyncio.run(
                            hall(
                                servers.base_url, page, args.tabs, 1.0, args.duration, args.period, args.seed
                            )
                        )
                    cpu = servers.cpu_seconds() - cpu_before
                    runs = result.runs + len(result.open_seconds)
                    lines.append(
                        row(
                            setup,
                            page,
                            client,
                            args.tabs,
                            result,
                            cpu / max(runs, 1) * 1000,
                            (servers.rss_mb(), servers.rss_mb()),
                        )
                    )
                    for error in sorted(set(result.errors))[:5]:
                        lines.append(f"    error: {error}")
                    print(lines[-1], flush=True)
    finally:
        servers.stop()
    return lines


def event_loop() -> str:
    """The servers' event loop: Streamlit takes uvloop when it is installed (requirements.txt says why)."""
    return "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="+", default=["forward", "backward"], choices=sorted(CONTROLS))
    parser.add_argument("--sessions", type=int, default=150, help="students (default 150)")
    parser.add_argument(
        "--replicas",
        type=int,
        nargs="+",
        default=[0],
        help="0 = bash scripts/run.sh; N = scripts/serve_hall.sh --replicas N (several: one run each)",
    )
    parser.add_argument("--period", type=float, default=10.0, help="each change comes 0–T s after the last")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of changes")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which the sessions open")
    parser.add_argument("--quiet-runs", type=int, default=20, help="runs of the one-session cost (0: skip)")
    parser.add_argument("--tabs", type=int, default=0, help="also K real Chromium tabs against K sessions")
    parser.add_argument(
        "--every-page", action="store_true", help="only the one-session rerun cost, every page"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    print(
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"server event loop {event_loop()}; "
        f"each change 0–{args.period:g} s after the last, {args.duration:g} s of changes, "
        f"sessions opened over {args.ramp:g} s",
        flush=True,
    )
    lines = []
    for replicas in args.replicas:
        lines += run_setup(args, replicas)
    print()
    print(HEADER)
    print("\n".join(line for line in lines if not line.startswith(("    ", "["))))


if __name__ == "__main__":
    main()
