"""Reading targets: local files and folders, and single URLs from a server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from notice_audit.auditor import audit_targets
from notice_audit.fetch import FetchError
from notice_audit.fetch.config import FetchConfig
from notice_audit.rules.checklist import load_checklist
from notice_audit.sources import read_local
from notice_audit.sources.web import fetch_page

PAGE = (
    b"<html><head><title>Privacy</title></head><body><main><h1>Privacy</h1>"
    b"<p>Lowmoor Borough Council is the data controller.</p></main></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        routes = {
            "/notice": (200, "text/html; charset=utf-8", PAGE),
            "/plain": (200, "text/plain", b"Privacy notice\n\nWe use your data to run services.\n"),
            "/image": (200, "image/png", b"\x89PNG"),
            "/big": (200, "text/html", b"<p>" + b"x" * 300_000 + b"</p>"),
        }
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/notice")
            self.end_headers()
            return
        status, ctype, body = routes.get(self.path, (404, "text/html", b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_html_and_text_and_redirect(server: str) -> None:
    page = fetch_page(server + "/notice")
    assert page.status == 200 and page.media_type == "text/html" and page.content == PAGE
    assert page.encoding == "utf-8" and page.content_hash.startswith("sha256:")
    assert fetch_page(server + "/plain").media_type == "text/plain"
    moved = fetch_page(server + "/moved")
    assert moved.url.endswith("/notice") and moved.source.endswith("/moved")


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/missing", "HTTP 404"), ("/image", "unsupported content type 'image/png'")],
)
def test_fetch_failures_say_why(server: str, path: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason):
        fetch_page(server + path)


def test_size_cap_applies_while_streaming(server: str) -> None:
    with pytest.raises(FetchError, match="larger than 100000 bytes"):
        fetch_page(server + "/big", FetchConfig(max_bytes=100_000, retries=0))


@pytest.mark.usefixtures("quick_retries")
def test_unreachable_url_is_an_error_and_the_run_goes_on(server: str) -> None:
    closed = "http://127.0.0.1:9/notice"  # discard port: nothing listens
    report = audit_targets([closed, server + "/notice"], load_checklist("uk-gdpr"))
    assert [n.source for n in report.notices] == [server + "/notice"]
    assert report.errors[0].target == closed and "connection refused" in report.errors[0].error
    locators = [str(e.locator) for i in report.notices[0].items for e in i.evidence]
    assert any(loc.startswith(server + "/notice") for loc in locators)


def test_local_folder_is_sorted_and_skips_other_files(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("# B\n\nText.\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.html").write_text("<p>A</p>")
    (tmp_path / "img.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text("secret")
    pages = read_local(str(tmp_path))
    assert [Path(p.source).name for p in pages] == ["b.md", "a.html"]
    assert [p.media_type for p in pages] == ["text/markdown", "text/html"]


def test_local_errors(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="no such file"):
        read_local(str(tmp_path / "x.html"))
    (tmp_path / "x.pdfx").write_text("?")  # named explicitly: read, to be parsed as text with a warning
    assert [p.media_type for p in read_local(str(tmp_path / "x.pdfx"))] == ["application/octet-stream"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FetchError, match="holds no notice files"):
        read_local(str(empty))
