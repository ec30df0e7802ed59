"""`claimtrack serve` in a real browser: Debian's headless Chromium, driven by Playwright.

Starts `claimtrack serve` on a free loopback port, opens the demo's pages and a claim argued in
Arabic, Russian and English, and checks what a reader sees: the content is there, the sides
and the verdict cells are in order (DOM order, `dir`, and where they are drawn), every link
answers, and nothing is fetched from elsewhere. Screenshots at 390 px (a phone) and 1400 px (a
laptop) go to tests/artifacts/ (git-ignored); docs/reports.md shows two of them.

Never `playwright install`: the test launches /usr/bin/chromium (`.ci/run` installs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_html import ARABIC_CLAIM, ARABIC_LABEL, ARABIC_SPEAKER, CYRILLIC_SPEAKER, seed_mixed

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DEMO = Path(__file__).resolve().parent.parent / "claimtrack" / "data" / "demo.jsonl"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium not installed (apt-get install -y chromium chromium-driver; .ci/run does it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is in the [test] extra")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(backend: str, db_url: str) -> Iterator[Any]:
    """A function that starts `claimtrack serve` on the test database and returns its base URL."""
    if backend != "sqlite":
        pytest.skip("the browser reads the same pages on either backend; tests/test_serve.py covers PostgreSQL")
    processes: list[subprocess.Popen[bytes]] = []

    def start() -> str:
        port = _free_port()
        process = subprocess.Popen([sys.executable, "-m", "claimtrack", "--db", db_url, "serve", "--port", str(port)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/", timeout=1).close()
                return base
            except OSError:
                if process.poll() is not None:
                    raise AssertionError(f"serve exited: {process.stderr.read().decode() if process.stderr else ''}")
                time.sleep(0.1)
        raise AssertionError("serve did not answer within 15 s")

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def _shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (390, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        # nothing is off-screen sideways, on a phone either
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (name, width)


def _check_links(page: Any, base: str) -> int:
    hrefs = page.eval_on_selector_all("a[href^='/']", "els => [...new Set(els.map(e => e.getAttribute('href')))]")
    for href in hrefs:
        response = page.request.get(base + href)
        assert response.status == 200, f"{page.url}: link {href} answers {response.status}"
    return len(hrefs)


def _no_remote_requests(page: Any, base: str) -> list[str]:
    remote: list[str] = []
    page.on("request", lambda request: remote.append(request.url) if not request.url.startswith(base) else None)
    return remote


def test_demo_pages_in_a_browser(browser, served, cli):
    cli.ok("import", str(DEMO))
    base = served()
    page = browser.new_page()
    remote = _no_remote_requests(page, base)
    links = 0
    for path, expect in (("/", "Claims"), ("/claims/1", "Statements by stance"), ("/conflicts", "Conflicts"),
                         ("/documents/1", "attribution chain"), ("/statements/7", "carried by"),
                         ("/actors/1", "Statements by stance"), ("/audit", "Problems per rule"),
                         ("/search?q=police", "Search")):
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert expect in page.inner_text("main"), path
        links += _check_links(page, base)
        if path in ("/claims/1", "/conflicts"):
            _shoot(page, "demo" + path.replace("/", "-").rstrip("-"))
    assert links > 20
    assert remote == [], f"pages fetched from elsewhere: {remote}"
    page.close()


def test_arabic_cyrillic_latin_claim_reads_right(browser, served, database):
    claim_id = seed_mixed(database)
    base = served()
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{base}/claims/{claim_id}")
    assert ARABIC_CLAIM in page.inner_text("h1")
    assert page.eval_on_selector("h1 bdi", "e => getComputedStyle(e).direction") == "rtl"
    # the sides: headings and cells in DOM order, supports left of opposes on a wide screen
    heads = page.eval_on_selector_all("table.sides th", "els => els.map(e => e.innerText)")
    assert [h.split(" (")[0] for h in heads] == ["Supports", "Opposes", "No side"]
    cells = page.eval_on_selector_all("table.sides td", "els => els.map(e => [e.innerText, e.getBoundingClientRect().x])")
    assert ARABIC_SPEAKER in cells[0][0] and CYRILLIC_SPEAKER in cells[1][0] and cells[0][1] < cells[1][1]
    # a verdict row: reviewer | label | 0–1 | date, drawn left to right, the Arabic label isolated
    row = page.eval_on_selector_all(
        "table.rows tbody tr:first-child td",
        "els => els.map(e => [e.innerText, e.getBoundingClientRect().x, e.querySelector('bdi')?.dir || ''])")
    texts = [r[0] for r in row]
    label_index = next(i for i, t in enumerate(texts) if t.startswith(ARABIC_LABEL))
    date_index = texts.index("2024-07-11")
    assert label_index < date_index and row[label_index][1] < row[date_index][1]
    assert row[label_index][2] == "auto"
    # a quote with <script> is text, and no script ran
    assert "<script>alert(1)</script>" in page.inner_text("table.sides")
    assert page.evaluate("document.scripts.length") == 0
    # javascript: is not a link
    assert page.evaluate("[...document.links].every(a => /^(https?:|\\/)/.test(a.getAttribute('href')))")
    _check_links(page, base)
    _shoot(page, "mixed-claim")
    # on a phone the sides stack, in the same order, each with its heading
    page.set_viewport_size({"width": 390, "height": 900})
    stacked = page.eval_on_selector_all("table.sides td", "els => els.map(e => e.getBoundingClientRect().y)")
    assert stacked == sorted(stacked) and stacked[0] < stacked[1]
    page.close()
