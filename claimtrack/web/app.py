"""`claimtrack serve`: a read-only web view of the record, for the desk.

Starlette (a small, well-kept ASGI toolkit: routing, requests, responses, test client, no ORM
or template opinions of its own) served by uvicorn. Every page comes from the same queries and
view models as the terminal reports and `--json`, through the same Jinja2 templates as the
HTML exports (claimtrack.reports.html) with `web=True`, so every object links to its page.

Stable addresses: `/claims/ID`, `/statements/ID` (its chain), `/actors/ID` (speaker or outlet
page), `/documents/ID` (its chain), `/hops/ID` and `/verdicts/ID` (redirects), `/conflicts`,
`/timeline`, `/audit`, `/search?q=`. Each answers JSON for `Accept: application/json` or
`?format=json`. Each request is one read-only transaction (SQLite `query_only`, PostgreSQL
`READ ONLY`); there is no route that writes.
"""

from __future__ import annotations

import dataclasses
import hmac
from datetime import date, datetime
from enum import Enum
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from claimtrack.errors import ClaimtrackError, NotFound

#: problems shown on the audit page (the JSON and `claimtrack audit` list them all)
AUDIT_PAGE_LIMIT = 500
TOKEN_COOKIE = "claimtrack_token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
CSP = (b"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
       b"frame-ancestors 'none'")


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)


class ExactJSON(JSONResponse):
    """The documented JSON form: the stored text exactly (UTF-8), dates in ISO form, partial dates
    with their precision (claimtrack.viewjson)."""

    def render(self, content: Any) -> bytes:
        from claimtrack.viewjson import dumps

        return dumps(content, default=_default).encode("utf-8")


def wants_json(request: Request) -> bool:
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


class TokenGate:
    """Every request must carry the token: `Authorization: Bearer T`, `?token=T` (which also
    sets a same-site cookie, so the page's own links work), or that cookie."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    def _given(self, request: Request) -> tuple[str | None, bool]:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            return header[7:].strip(), False
        if "token" in request.query_params:
            return request.query_params["token"], True
        return request.cookies.get(TOKEN_COOKIE), False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        given, from_query = self._given(request)
        if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
            response: Response = Response("claimtrack serve: this address needs the token given to --token\n",
                                          status_code=401, media_type="text/plain",
                                          headers={"WWW-Authenticate": "Bearer"})
            await response(scope, receive, send)
            return
        if not from_query:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Any) -> None:
            if message["type"] == "http.response.start":
                cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class SecurityHeaders:
    """No remote resources, no framing, no sniffing: the pages are text from the record."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      (b"x-content-type-options", b"nosniff"),
                                      (b"x-frame-options", b"DENY"),
                                      (b"referrer-policy", b"no-referrer"),
                                      (b"content-security-policy", CSP)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(database: Any, *, token: str | None = None, allowed_hosts: list[str] | None = None) -> Starlette:
    """The web app over `database` (a claimtrack.db.Database); read-only by construction."""
    from claimtrack.reports import html as pages

    def ctx(request: Request) -> dict[str, Any]:
        return {"web": True, "query": request.query_params.get("q")}

    def respond(request: Request, data: Any, render: Any) -> Response:
        if wants_json(request):
            return ExactJSON(data() if callable(data) else data)
        return HTMLResponse(render())

    def home(request: Request) -> Response:
        from claimtrack.queries.objects import list_actors, list_claims
        from claimtrack.queries.stats import count_objects

        with database.read() as session:
            counts = count_objects(session)
            claims = list_claims(session, limit=200)
            actors = list_actors(session, limit=200)
        return respond(request, {"counts": counts, "claims": claims, "actors": actors},
                       lambda: pages.page("home.html.j2", title="claimtrack", counts=counts, claims=claims,
                                          actors=actors, database=database.display_url, **ctx(request)))

    def claim(request: Request) -> Response:
        from claimtrack.queries.lookup import get_claim
        from claimtrack.queries.reports import claim_report

        with database.read() as session:
            report = claim_report(session, get_claim(session, request.path_params["id"]))
        return respond(request, report.to_dict, lambda: pages.claim_html(report, **ctx(request)))

    def actor(request: Request) -> Response:
        from claimtrack.queries.lookup import get_actor
        from claimtrack.queries.outlet import outlet_report
        from claimtrack.queries.reports import speaker_report

        view = request.query_params.get("view")
        with database.read() as session:
            obj = get_actor(session, request.path_params["id"])
            if view not in ("speaker", "outlet"):
                view = "outlet" if obj.kind == "outlet" else "speaker"
            report: Any = outlet_report(session, obj) if view == "outlet" else speaker_report(session, obj)
        render = pages.outlet_html if view == "outlet" else pages.speaker_html
        return respond(request, report.to_dict, lambda: render(report, **ctx(request)))

    def document(request: Request) -> Response:
        from claimtrack.queries.chains import document_chain
        from claimtrack.queries.lookup import get_document

        with database.read() as session:
            chain = document_chain(session, get_document(session, request.path_params["id"]).id)
        return respond(request, lambda: {"kind": "document", **dataclasses.asdict(chain)},
                       lambda: pages.chain_html("document", chain, **ctx(request)))

    def statement(request: Request) -> Response:
        from claimtrack.queries.chains import statement_chain
        from claimtrack.queries.lookup import get_statement

        with database.read() as session:
            chain = statement_chain(session, get_statement(session, request.path_params["id"]).id)
        return respond(request, lambda: {"kind": "statement", **dataclasses.asdict(chain)},
                       lambda: pages.chain_html("statement", chain, **ctx(request)))

    def hop(request: Request) -> Response:
        from claimtrack.models import Hop
        from claimtrack.queries.lookup import get_by_ref

        with database.read() as session:
            document_id = get_by_ref(session, Hop, request.path_params["id"]).document_id
        return RedirectResponse(f"/documents/{document_id}", status_code=303)

    def verdict(request: Request) -> Response:
        from claimtrack.models import Verdict
        from claimtrack.queries.lookup import get_by_ref

        with database.read() as session:
            claim_id = get_by_ref(session, Verdict, request.path_params["id"]).claim_id
        return RedirectResponse(f"/claims/{claim_id}", status_code=303)

    def conflicts(request: Request) -> Response:
        from claimtrack.queries.conflicts import KINDS, find_conflicts

        kind = request.query_params.get("kind") or None
        if kind is not None and kind not in KINDS:
            raise HTTPException(400, f"unknown conflict kind {kind!r}; expected one of: {', '.join(KINDS)}")
        with database.read() as session:
            result = find_conflicts(session, kinds=[kind] if kind else None, limit=100)
        return respond(request, lambda: [c.to_dict() for c in result.conflicts],
                       lambda: pages.conflicts_html(result, kind=kind, kinds=list(KINDS), **ctx(request)))

    def timeline(request: Request) -> Response:
        from claimtrack.queries.lookup import get_claim
        from claimtrack.queries.reports import timeline as build_timeline

        claim_ref = request.query_params.get("claim")
        with database.read() as session:
            claim_id = get_claim(session, claim_ref).id if claim_ref else None
            report = build_timeline(session, claim_id, None, 500)
        return respond(request, report.to_dict, lambda: pages.timeline_html(report, **ctx(request)))

    def audit(request: Request) -> Response:
        from claimtrack.checks import Scope, run_audit

        show_all = request.query_params.get("all") in ("1", "true", "yes")
        with database.read() as session:
            problems = run_audit(session, Scope())
            if wants_json(request):
                return ExactJSON([p.as_dict() for p in problems if show_all or not p.acknowledged])
            body = pages.audit_html(problems, show_all=show_all, limit=AUDIT_PAGE_LIMIT, **ctx(request))
        return HTMLResponse(body)

    def search(request: Request) -> Response:
        from claimtrack.queries.search import search as run_search

        query = request.query_params.get("q", "").strip()
        hits: list[Any] = []
        if query:
            with database.read() as session:
                hits = run_search(session, query, limit=50)
        return respond(request, hits, lambda: pages.page("search.html.j2", title=f"claimtrack · search: {query}",
                                                         hits=hits, **ctx(request)))

    def error_page(request: Request, status: int, message: str) -> Response:
        if wants_json(request):
            return ExactJSON({"error": message, "status": status}, status_code=status)
        return HTMLResponse(pages.page("error.html.j2", title=f"claimtrack · {status}", status_code=status,
                                       message=message, web=True, query=None), status_code=status)

    async def on_claimtrack_error(request: Request, exc: Exception) -> Response:
        return error_page(request, 404 if isinstance(exc, NotFound) else 400, str(exc))

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return error_page(request, exc.status_code, message)

    routes = [
        Route("/", home), Route("/search", search), Route("/claims/{id:int}", claim),
        Route("/statements/{id:int}", statement), Route("/actors/{id:int}", actor),
        Route("/documents/{id:int}", document), Route("/hops/{id:int}", hop), Route("/verdicts/{id:int}", verdict),
        Route("/conflicts", conflicts), Route("/timeline", timeline), Route("/audit", audit),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if token:
        middleware.append(Middleware(TokenGate, token=token))
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    return Starlette(routes=routes, middleware=middleware,
                     exception_handlers={ClaimtrackError: on_claimtrack_error, HTTPException: on_http_error})


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, "localhost")."""
    import ipaddress

    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
