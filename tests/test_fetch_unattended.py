"""Fetching in unattended runs: offline means no socket, one fetcher per run, failures named for what they are,
pages robots.txt disallows skipped rather than failed, and no hop to a private address.

Every server here is started by the test on 127.0.0.1. Where a test needs another address (a name that resolves
to 10.0.0.5, a certificate a server would present), it is stubbed: name lookups are answered by the test and any
connection to an address other than 127.0.0.1 is refused and recorded, so nothing ever leaves the machine.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from notice_audit.app.cli import main
from notice_audit.demo import SITE
from notice_audit.demo.server import serve_site

# --------------------------------------------------------------------------- guards and servers


@dataclass
class Network:
    """What a test let through: name lookups and connection attempts it saw, by address."""

    lookups: list[str] = field(default_factory=list)
    connects: list[Any] = field(default_factory=list)
    transport: list[str] = field(default_factory=list)


def guard_network(monkeypatch: pytest.MonkeyPatch, *, names: dict[str, str] | None = None,
                  loopback: bool = True) -> Network:
    """Answer name lookups from ``names`` (anything else is "not found", never asked of a real resolver) and
    refuse every connection except to 127.0.0.1 (none at all when ``loopback`` is false); record them all.

    With ``loopback`` false, httpx's own transport refuses too: an offline run must not even build a request.
    """
    seen = Network()
    real_getaddrinfo = socket.getaddrinfo
    table = names or {}

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        seen.lookups.append(name)
        if not loopback:
            raise socket.gaierror(socket.EAI_NONAME, "lookups are blocked by the test")
        if name in table:
            return real_getaddrinfo(table[name], port, *args, **kwargs)
        if name == "127.0.0.1":
            return real_getaddrinfo(name, port, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def allowed(address: Any) -> bool:
        return loopback and isinstance(address, tuple) and address[0] == "127.0.0.1"

    def connect(self: socket.socket, address: Any) -> None:
        seen.connects.append(address)
        if not allowed(address):
            raise ConnectionRefusedError(111, f"connection to {address!r} blocked by the test")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        seen.connects.append(address)
        if not allowed(address):
            return 111
        return real_connect_ex(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        seen.connects.append(address)
        raise ConnectionRefusedError(111, f"connection to {address!r} blocked by the test")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    if not loopback:
        monkeypatch.setattr(socket, "create_connection", create_connection)
        real_handle = httpx.AsyncHTTPTransport.handle_async_request

        async def handle(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
            seen.transport.append(str(request.url))
            raise httpx.ConnectError("the network is blocked by the test", request=request)

        assert real_handle is not None
        monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle)
    return seen


@dataclass
class Hit:
    path: str
    at: float


class _Handler(BaseHTTPRequestHandler):
    """Answers from the server's ``routes``: path -> (status, headers, body); records every request."""

    def do_GET(self) -> None:
        server: Site = self.server  # type: ignore[assignment]
        import time

        server.hits.append(Hit(self.path, time.monotonic()))
        status, headers, body = server.routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"not here"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args: object) -> None:
        pass


class Site(ThreadingHTTPServer):
    routes: dict[str, tuple[int, dict[str, str], bytes]]
    hits: list[Hit]

    def count(self, path: str) -> int:
        return sum(1 for h in self.hits if h.path == path)


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site(("127.0.0.1", 0), _Handler)
    server.routes, server.hits = {}, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def base_of(server: Site) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def html(body: str, title: str = "Page") -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "text/html; charset=utf-8"}, (
        f"<!doctype html><html><head><title>{title}</title></head><body><main>{body}</main></body></html>"
    ).encode()


def text(body: str) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "text/plain"}, body.encode()


def redirect(to: str) -> tuple[int, dict[str, str], bytes]:
    return 302, {"Location": to}, b""


# --------------------------------------------------------------------------- item 4: offline opens no socket


def test_crawl_offline_opens_no_socket_and_asks_nothing_of_the_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    requests: list[str] = []
    snapshots = str(tmp_path / "snap")
    with serve_site(SITE, requests=requests) as base:
        online = tmp_path / "online.json"
        assert main(["crawl", base, "--snapshots", snapshots, "--allow-host", "127.0.0.1", "--fail-on", "none",
                     "--output", str(online)]) in (0, 1)
        assert "/robots.txt" in requests
        sources = sorted(n["source"] for n in json.loads(online.read_text())["notices"])
        requests.clear()
        network = guard_network(monkeypatch, loopback=False)  # from here on, any socket fails the run
        for extra in ([], ["--no-check-links"]):
            out = tmp_path / f"offline{len(extra)}.json"
            code = main(["crawl", base, "--offline", "--snapshots", snapshots, "--fail-on", "none",
                         "--output", str(out), *extra])
            data = json.loads(out.read_text())
            assert sorted(n["source"] for n in data["notices"]) == sources
            assert data["errors"] == [] and code == 0
    assert requests == [], "the server was asked for pages while offline"
    assert network.connects == [] and network.lookups == [] and network.transport == []


def test_audit_offline_opens_no_socket(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site.routes = {"/robots.txt": text("User-agent: *\nAllow: /\n"),
                   "/privacy": html("<h1>Privacy notice</h1><p>Lowmoor Borough Council is the data controller.</p>",
                                    "Privacy notice")}
    url = base_of(site) + "/privacy"
    snapshots = str(tmp_path / "snap")
    assert main(["audit", url, "--snapshots", snapshots, "--fail-on", "none", "--output",
                 str(tmp_path / "online.json")]) == 0
    site.hits.clear()
    network = guard_network(monkeypatch, loopback=False)
    out = tmp_path / "offline.json"
    assert main(["audit", url, "--offline", "--snapshots", snapshots, "--fail-on", "none", "--output", str(out)]) == 0
    assert [n["source"] for n in json.loads(out.read_text())["notices"]] == [url]
    assert site.hits == [] and network.connects == [] and network.lookups == [] and network.transport == []


# --------------------------------------------------------------------------- item 5: unreachable is not "disallowed"


def closed_port() -> int:
    """A port on 127.0.0.1 that was bound and closed: nothing listens there, so a connection is refused."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.mark.usefixtures("quick_retries")
def test_audit_of_a_host_that_refuses_connections_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{closed_port()}/privacy"
    assert main(["audit", url, "--no-snapshots", "--format", "json", "--output", "-"]) == 2
    err = capsys.readouterr().err
    assert f"{url}: host unreachable: connection refused (robots.txt could not be read" in err
    assert "disallowed" not in err


def _fetch_error(url: str, handler: Any, **config: Any) -> str:
    """The FetchError of one fetch through a stub transport (no socket is opened)."""
    import asyncio

    from notice_audit.fetch.config import FetchConfig
    from notice_audit.fetch.local import FetchError
    from notice_audit.sources.web import NoticeFetcher as Fetcher

    async def go() -> str:
        cfg = FetchConfig(retries=0, snapshot_dir=None, **config)
        async with Fetcher(cfg, transport=httpx.MockTransport(handler)) as fetcher:
            with pytest.raises(FetchError) as info:
                await fetcher.fetch(url)
            return str(info.value)

    return asyncio.run(go())


def _raising(cause: BaseException) -> Any:
    """A transport handler that fails as httpx does when connecting fails: ConnectError wrapping the cause."""

    def handler(request: httpx.Request) -> httpx.Response:
        try:
            raise cause
        except OSError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc

    return handler


def test_a_name_that_is_not_found_is_named_not_disallowed() -> None:
    handler = _raising(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    message = _fetch_error("https://nowhere.example/privacy", handler)
    assert message == ("host not found: nowhere.example (robots.txt could not be read, so no page of the site "
                       "is fetched)")
    assert _fetch_error("https://nowhere.example/privacy", handler, respect_robots=False) == (
        "host not found: nowhere.example")


def test_a_rejected_certificate_is_named_not_disallowed() -> None:
    import ssl

    bad = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                                          "self-signed certificate (_ssl.c:1000)")
    bad.verify_message = "self-signed certificate"  # set by the ssl module on a real failed handshake
    message = _fetch_error("https://self-signed.example/privacy", _raising(bad))
    assert message == ("certificate rejected: self-signed certificate (robots.txt could not be read, so no page "
                       "of the site is fetched)")
    assert _fetch_error("https://self-signed.example/privacy", _raising(bad), respect_robots=False) == (
        "certificate rejected: self-signed certificate")


# --------------------------------------------------------------------------- item 3: one fetcher for the whole run

NOTICE_BODY = "<h1>Privacy notice</h1><p>Lowmoor Borough Council is the data controller.</p>"
#: Server-side timestamps are taken in handler threads: allow for their scheduling, far below the delay, so a run
#: whose URLs each had a fetcher of their own (robots.txt asked again at once after a page: a gap near 0) fails.
SLACK = 0.1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_audit_of_several_urls_reads_robots_once_and_keeps_the_delay_across_them(
        site: Site, tmp_path: Path, jobs: str) -> None:
    site.routes = {"/robots.txt": text("User-agent: *\nAllow: /\n"),
                   **{f"/{name}": html(NOTICE_BODY, f"Privacy notice {name}") for name in "abc"}}
    urls = [f"{base_of(site)}/{name}" for name in "abc"]
    files = []
    if jobs != "1":  # local files too, so that the run uses its worker processes
        for name in ("one.txt", "two.txt"):
            (tmp_path / name).write_text("Privacy notice\n\nLowmoor Borough Council is the data controller.\n")
            files.append(str(tmp_path / name))
    out = tmp_path / "r.json"
    delay = 0.4
    code = main(["audit", urls[0], *files, *urls[1:], "--jobs", jobs, "--delay", str(delay), "--no-snapshots",
                 "--fail-on", "none", "--output", str(out)])
    assert code == 0
    assert sorted(n["source"] for n in json.loads(out.read_text())["notices"]) == sorted(urls + files)
    assert site.count("/robots.txt") == 1
    assert sorted(h.path for h in site.hits) == ["/a", "/b", "/c", "/robots.txt"]
    starts = sorted(h.at for h in site.hits)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= delay - SLACK, gaps


# ------------------------------------------------------------ item 12: robots.txt skips, it does not fail


def site_with_a_disallowed_notice(tmp_path: Path) -> Path:
    """The demo site with a link to a staff notice under /admin/, which its robots.txt disallows."""
    import shutil

    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    index = root / "index.html"
    index.write_text(index.read_text().replace(
        '<p><a href="privacy/index.html">Privacy notices</a></p>',
        '<p><a href="privacy/index.html">Privacy notices</a></p>\n'
        '      <p><a href="admin/staff-privacy-notice.html">Staff privacy notice</a></p>'))
    (root / "admin" / "staff-privacy-notice.html").write_text(
        "<html><head><title>Staff privacy notice</title></head><body><main><h1>Staff privacy notice</h1>"
        "<p>Lowmoor Borough Council is the data controller.</p></main></body></html>")
    assert "Disallow: /admin/" in (root / "robots.txt").read_text()
    return root


def test_a_crawl_skips_what_robots_txt_disallows_and_does_not_fail_for_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = site_with_a_disallowed_notice(tmp_path)
    config = tmp_path / "notice-audit.toml"
    config.write_text('outputs = [{format = "json", path = "r.json"}, {format = "markdown", path = "r.md"}, '
                      '{format = "table", path = "r.txt"}]\n')
    requests: list[str] = []
    with serve_site(root, requests=requests) as base:
        code = main(["crawl", base, "--config", str(config), "--no-snapshots", "--allow-host", "127.0.0.1",
                     "--fail-on", "none"])
    staff = base + "admin/staff-privacy-notice.html"
    assert "/admin/staff-privacy-notice.html" not in requests  # robots.txt honoured
    from notice_audit.formats.json import validation_errors

    data = json.loads((tmp_path / "r.json").read_text())
    assert validation_errors(data) == []
    assert data["errors"] == []
    assert data["skipped"] == [{"target": staff, "reason": "disallowed by robots.txt"}]
    assert data["summary"]["skipped"] == 1 and data["summary"]["errors"] == 0
    assert len(data["notices"]) >= 4
    assert code == 0  # every notice passes with --fail-on none: the skipped page fails nothing
    markdown = (tmp_path / "r.md").read_text()
    assert "## Pages skipped" in markdown and f"| {staff} | disallowed by robots.txt |" in markdown
    assert "**1** skipped" in markdown
    table = (tmp_path / "r.txt").read_text()
    assert f"skipped: {staff} — disallowed by robots.txt" in table and "1 skipped" in table
    assert f"notice-audit: {staff}: skipped: disallowed by robots.txt" in capsys.readouterr().err


def test_a_crawl_whose_start_page_is_disallowed_says_why_nothing_was_audited(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.routes = {"/robots.txt": text("User-agent: *\nDisallow: /\n"), "/": html(NOTICE_BODY)}
    assert main(["crawl", base_of(site) + "/", "--no-snapshots", "--no-check-links", "--format", "json",
                 "--output", "-"]) == 2
    err = capsys.readouterr().err
    assert f"nothing could be audited ({base_of(site)}/: skipped: disallowed by robots.txt)" in err


# --------------------------------------------------------------------------- item 13: no hop to a private address


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "a loopback address"), ("127.8.9.10", "a loopback address"), ("::1", "a loopback address"),
    ("::ffff:127.0.0.1", "a loopback address"), ("::ffff:10.0.0.5", "a private address"),
    ("10.0.0.5", "a private address"), ("172.16.0.1", "a private address"), ("172.31.255.254", "a private address"),
    ("192.168.1.1", "a private address"), ("fc00::1", "a private address"), ("fd12:3456::1", "a private address"),
    ("169.254.169.254", "the cloud metadata address (link-local)"), ("169.254.1.1", "a link-local address"),
    ("fe80::1", "a link-local address"), ("0.0.0.0", "an unspecified address"), ("::", "an unspecified address"),
    ("100.64.0.1", "a reserved address"), ("224.0.0.1", "a multicast address"),
    ("81.2.69.160", None), ("172.32.0.1", None), ("2a00:1450:4009:81f::200e", None),
])
def test_addresses_that_are_not_public_are_named(address: str, kind: str | None) -> None:
    from notice_audit.fetch.addresses import address_refusal

    assert address_refusal(address) == kind


#: What the stub resolver answers; a name not here is "not found". 81.2.69.160 stands for a public address.
NAMES = {"www.council.example": ["81.2.69.160"], "intranet.example": ["10.0.0.5"], "sneaky.example": ["127.0.0.1"],
         "mixed.example": ["81.2.69.160", "10.0.0.5"], "metadata.example": ["169.254.169.254"]}


async def stub_resolver(host: str, port: int) -> list[str]:
    from notice_audit.fetch.local import FetchError

    if host not in NAMES:
        raise FetchError(f"host not found: {host}")
    return NAMES[host]


class _Body(httpx.AsyncByteStream):
    """A body streamed as a network one is (``content=`` would be read at once, and could not be streamed raw)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    async def __aiter__(self) -> Any:
        yield self.data


def _through_stubs(url: str, *, check_link: bool = False, **config: Any) -> tuple[str, list[str]]:
    """Fetch (or check) ``url`` from www.council.example, which redirects /go?to=X to X, through a stub transport
    and resolver: the outcome ("page" or the FetchError) and the URLs the transport was asked for."""
    import asyncio

    from notice_audit.fetch.config import FetchConfig
    from notice_audit.fetch.local import FetchError
    from notice_audit.sources.web import NoticeFetcher as Fetcher

    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        target = request.url.params.get("to")
        if target:
            return httpx.Response(302, headers={"Location": target})
        return httpx.Response(200, headers={"Content-Type": "text/html"}, stream=_Body(b"<p>secret</p>"))

    async def go() -> str:
        cfg = FetchConfig(retries=0, snapshot_dir=None, respect_robots=False, **config)
        async with Fetcher(cfg, transport=httpx.MockTransport(handler), resolver=stub_resolver) as fetcher:
            try:
                if check_link:
                    await fetcher.check_link(url)
                else:
                    await fetcher.fetch(url)
            except FetchError as exc:
                return str(exc)
            return "page"

    return asyncio.run(go()), asked


@pytest.mark.parametrize(("target", "message"), [
    ("http://intranet.example/", "refused: 10.0.0.5 is a private address (intranet.example resolves to it)"),
    ("http://sneaky.example/", "refused: 127.0.0.1 is a loopback address (sneaky.example resolves to it)"),
    ("http://mixed.example/", "refused: 10.0.0.5 is a private address (mixed.example resolves to it)"),
    ("http://metadata.example/latest/", "refused: 169.254.169.254 is the cloud metadata address (link-local) "
                                        "(metadata.example resolves to it)"),
    ("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is the cloud metadata address (link-local)"),
    ("http://127.0.0.1:8080/", "refused: 127.0.0.1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "refused: ::ffff:127.0.0.1 is a loopback address"),
    ("http://[::1]/", "refused: ::1 is a loopback address"),
    ("http://0.0.0.0/", "refused: 0.0.0.0 is an unspecified address"),
    ("http://[::]/", "refused: :: is an unspecified address"),
    ("http://10.0.0.5/", "refused: 10.0.0.5 is a private address"),
    ("http://172.16.5.4/", "refused: 172.16.5.4 is a private address"),
    ("http://192.168.1.1/", "refused: 192.168.1.1 is a private address"),
    ("http://[fc00::1]/", "refused: fc00::1 is a private address"),
    ("http://[fe80::1]/", "refused: fe80::1 is a link-local address"),
])
def test_redirects_and_link_checks_to_private_addresses_are_refused(target: str, message: str) -> None:
    start = "http://www.council.example/go?to=" + target
    for check_link in (False, True):
        outcome, asked = _through_stubs(start, check_link=check_link)
        assert outcome == message
        assert asked == [start], "the refused hop was requested"
        outcome, asked = _through_stubs(target, check_link=check_link)  # a link found on a page: its first hop
        assert outcome == message and asked == []


def test_private_addresses_are_fetched_when_allowed_or_the_run_starts_there() -> None:
    start = "http://www.council.example/go?to=http://intranet.example/"
    outcome, asked = _through_stubs(start, allow_private=True)
    assert outcome == "page" and asked == [start, "http://intranet.example/"]
    # the run's own start host, or its address, may be private; other private hosts may not
    assert _through_stubs("http://intranet.example/", start_hosts={"intranet.example"})[0] == "page"
    assert _through_stubs("http://sneaky.example/", start_hosts={"127.0.0.1"})[0] == "page"
    assert _through_stubs("http://intranet.example/", start_hosts={"127.0.0.1"})[0].startswith("refused: 10.0.0.5")


def test_audit_refuses_a_redirect_to_a_private_address(site: Site, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    port = site.server_address[1]
    site.routes = {"/robots.txt": text("User-agent: *\nAllow: /\n"),
                   "/notice": html(NOTICE_BODY, "Privacy notice"),
                   "/to-intranet": redirect(f"http://intranet.example:{port}/notice"),
                   "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
                   "/to-mapped": redirect(f"http://[::ffff:10.0.0.5]:{port}/notice")}
    network = guard_network(monkeypatch, names={"intranet.example": "10.0.0.5"})
    base = base_of(site)
    code = main(["audit", base + "/notice", base + "/to-intranet", base + "/to-metadata", base + "/to-mapped",
                 "--no-snapshots", "--fail-on", "none", "--format", "json", "--output", "-"])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert [n["source"] for n in data["notices"]] == [base + "/notice"]
    assert {e["target"]: e["error"] for e in data["errors"]} == {
        base + "/to-intranet": "refused: 10.0.0.5 is a private address (intranet.example resolves to it)",
        base + "/to-metadata": "refused: 169.254.169.254 is the cloud metadata address (link-local)",
        base + "/to-mapped": "refused: ::ffff:10.0.0.5 is a private address",
    }
    assert code == 1 and "refused: 10.0.0.5 is a private address" in err
    assert {c[0] for c in network.connects} <= {"127.0.0.1"}, "a connection to another address was attempted"


def test_crawl_refuses_links_and_link_checks_to_private_addresses(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from notice_audit.crawl import CrawlOptions, crawl_async
    from notice_audit.fetch.config import FetchConfig

    port = site.server_address[1]
    notice = (f'{NOTICE_BODY}<p>Our <a href="http://10.0.0.5/records">records system</a> and '
              f'<a href="http://metadata.example:{port}/latest/">the metadata</a>.</p>')
    site.routes = {"/robots.txt": text("User-agent: *\nAllow: /\n"),
                   "/": html('<a href="/privacy-notice">Privacy notice</a> '
                             '<a href="/staff-privacy-notice">Staff privacy notice</a>'),
                   "/privacy-notice": html(notice, "Privacy notice"),
                   "/staff-privacy-notice": redirect(f"http://intranet.example:{port}/staff-privacy-notice")}
    network = guard_network(monkeypatch, names={"intranet.example": "10.0.0.5", "metadata.example": "169.254.169.254"})
    result = asyncio.run(crawl_async([base_of(site) + "/"], FetchConfig(snapshot_dir=None), CrawlOptions()))
    assert [p.source for g in result.notices for p in g.parts] == [base_of(site) + "/privacy-notice"]
    assert {e.target: e.error for e in result.errors} == {
        base_of(site) + "/staff-privacy-notice":
            "refused: 10.0.0.5 is a private address (intranet.example resolves to it)"}
    [group] = result.notices
    assert {b.url: b.reason for b in group.broken_links} == {
        "http://10.0.0.5/records": "refused: 10.0.0.5 is a private address",
        f"http://metadata.example:{port}/latest/":
            "refused: 169.254.169.254 is the cloud metadata address (link-local) (metadata.example resolves to it)"}
    assert {c[0] for c in network.connects} <= {"127.0.0.1"}


def test_allow_private_is_an_option_of_audit_and_crawl() -> None:
    from notice_audit.app.cli import build_parser
    from notice_audit.app.run import fetch_config

    for verb, target in (("audit", "x.html"), ("crawl", "http://127.0.0.1/")):
        assert fetch_config(build_parser().parse_args([verb, target, "--allow-private"])).allow_private
        assert not fetch_config(build_parser().parse_args([verb, target])).allow_private
