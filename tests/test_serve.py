"""`claimtrack serve`: every page and its JSON, working links, read-only, loopback or a token."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("httpx2", reason="Starlette's test client needs httpx2 (in the [test] extra)")

DEMO = Path(__file__).resolve().parent.parent / "claimtrack" / "data" / "demo.jsonl"


@pytest.fixture
def demo_db(cli, database) -> Any:
    cli.ok("import", str(DEMO))
    return database


def client(database: Any, **kwargs: Any) -> Any:
    from starlette.testclient import TestClient

    from claimtrack.web.app import create_app

    return TestClient(create_app(database, **kwargs), base_url="http://127.0.0.1")


PAGES = ["/", "/claims/1", "/statements/1", "/actors/1", "/actors/1?view=outlet", "/documents/1", "/conflicts",
         "/conflicts?kind=quantity", "/timeline", "/timeline?claim=1", "/audit", "/audit?all=1", "/search?q=police"]


def test_every_page_renders_and_every_link_resolves(demo_db, snapshot):
    before = snapshot()
    web = client(demo_db)
    seen: set[str] = set()
    queue = list(PAGES)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = web.get(url, follow_redirects=True)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        assert response.headers["content-type"].startswith("text/html")
        assert "<title>" in response.text and "<script" not in response.text
        if len(seen) < 150:  # crawl the links of the pages (the demo is small)
            queue += [h for h in re.findall(r'href="(/[^"]*)"', response.text) if h not in seen]
    assert len(seen) > 30
    assert snapshot() == before  # nothing was written


def test_json_by_accept_header_or_format(demo_db):
    web = client(demo_db)
    claim = web.get("/claims/1", headers={"Accept": "application/json"}).json()
    assert claim["claim"]["id"] == 1 and "groups" in claim
    assert web.get("/claims/1?format=json").json() == claim
    assert web.get("/documents/1?format=json").json()["kind"] == "document"
    assert web.get("/statements/1?format=json").json()["kind"] == "statement"
    assert isinstance(web.get("/conflicts?format=json").json(), list)
    assert isinstance(web.get("/audit?format=json").json(), list)
    assert web.get("/search?q=police&format=json").json()
    assert "statements_total" in web.get("/actors/1?format=json").json()


def test_errors_are_pages_and_nothing_writes(demo_db):
    web = client(demo_db)
    missing = web.get("/claims/99999")
    assert missing.status_code == 404 and "99999" in missing.text and "not found" in missing.text
    assert web.get("/nowhere").status_code == 404
    assert web.get("/conflicts?kind=nope").status_code == 400
    assert web.get("/claims/99999?format=json").json()["status"] == 404
    for method in ("post", "put", "delete", "patch"):
        assert getattr(web, method)("/claims/1").status_code == 405
    assert web.get("/hops/1", follow_redirects=False).headers["location"].startswith("/documents/")


def test_headers_keep_pages_local(demo_db):
    response = client(demo_db).get("/claims/1")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_token_is_required_on_every_request(demo_db):
    token = "s3cret-token-for-tests"
    web = client(demo_db, token=token)
    assert web.get("/").status_code == 401
    assert web.get("/claims/1", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert web.get("/claims/1", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    first = web.get(f"/claims/1?token={token}")  # a browser: the cookie makes the page's links work
    assert first.status_code == 200 and "claimtrack_token" in first.headers["set-cookie"]
    assert web.get("/actors/1").status_code == 200


def test_loopback_only_refuses_other_host_headers(demo_db):
    from claimtrack.web.app import LOOPBACK_NAMES

    web = client(demo_db, allowed_hosts=list(LOOPBACK_NAMES))
    assert web.get("/").status_code == 200
    assert web.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_serve_refuses_a_public_address_without_a_token(cli):
    result = cli("serve", "--host", "0.0.0.0")
    assert result.exit_code == 2 and "--token" in result.stderr and "Traceback" not in result.stderr
    short = cli("serve", "--host", "0.0.0.0", "--token", "abc")
    assert short.exit_code == 2 and "16 characters" in short.stderr


def test_loopback_detection():
    from claimtrack.web.app import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.2", "::", "example.org"))


def test_hostile_text_in_every_page_is_text(database):
    import html

    from claimtrack.display import unshown
    from tests.test_hostile_render import check_literals, check_no_raw_controls, seed

    ids = seed(database)
    web = client(database)
    pages = ["/", f"/claims/{ids['claim']}", f"/claims/{ids['rival']}", f"/actors/{ids['speaker']}",
             f"/actors/{ids['outlet']}", f"/documents/{ids['document']}", f"/documents/{ids['wire']}",
             f"/statements/{ids['statement']}", "/conflicts", "/timeline", "/audit?all=1", "/search?q=president"]
    for url in pages:
        response = web.get(url)
        assert response.status_code == 200, url
        body = response.text
        check_no_raw_controls(body, url)
        assert "<script>" not in body and not re.search(r'href="\s*javascript:', body, re.IGNORECASE), url
        text = html.unescape(re.sub(r"<[^>]+>", "", body))
        assert check_literals(unshown(text), url) > 0, url
        data = web.get(url + ("&" if "?" in url else "?") + "format=json").json()
        assert data is not None
