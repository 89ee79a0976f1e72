"""The input-format registry: one declaration per format feeds the folder walk, the parser and the fetcher.

A toy format (``.toy`` files, served as ``text/x-toy``, read as lines of text) is one module's worth of
code registered in one place, and is then audited from a folder and from a server on 127.0.0.1.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from notice_audit import parse
from notice_audit.auditor import audit_targets
from notice_audit.model import Document, Page
from notice_audit.parse import InputFormat, accept_header, register, served_types
from notice_audit.parse.builder import DocumentBuilder
from notice_audit.parse.decode import decode
from notice_audit.rules.checklist import load_checklist

TOY_NOTICE = (
    "Lowmoor Borough Council is the data controller for the information we hold about you.\n"
    "You have the right to access your personal data and to ask us to correct it.\n"
)


def parse_toy(page: Page) -> Document:
    """Each non-blank line of a toy file is a paragraph."""
    builder = DocumentBuilder(page.source)
    for number, line in enumerate(decode(page).splitlines(), start=1):
        if line.strip():
            builder.block("paragraph", line, line=number)
    return builder.document(page)


TOY = InputFormat("toy", ("text/x-toy",), parse_toy, (".toy",), served_as=(("text/x-toy", 0.5),))


@pytest.fixture
def toy_registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The toy format registered for one test; the registry is as it was afterwards."""
    monkeypatch.setattr(parse, "FORMATS", list(parse.FORMATS))
    register(TOY)
    yield


class ToyHandler(BaseHTTPRequestHandler):
    accepts: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        ToyHandler.accepts.append(self.headers.get("Accept", ""))
        body = TOY_NOTICE.encode()
        self.send_response(200 if self.path == "/notice.toy" else 404)
        self.send_header("Content-Type", "text/x-toy; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def toy_server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ToyHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    ToyHandler.accepts = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _toy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "privacy.toy").write_text(TOY_NOTICE, "utf-8")
    return folder


def test_an_unregistered_format_is_neither_walked_nor_fetched(tmp_path: Path, toy_server: str) -> None:
    report = audit_targets([str(_toy_folder(tmp_path)), toy_server + "/notice.toy"], load_checklist("uk-gdpr"))
    assert report.notices == ()
    assert "folder holds no notice files" in report.errors[0].error
    assert "unsupported content type 'text/x-toy'" in report.errors[1].error


@pytest.mark.usefixtures("toy_registered")
def test_a_registered_format_is_audited_from_a_folder_and_a_url(tmp_path: Path, toy_server: str) -> None:
    folder = _toy_folder(tmp_path)
    report = audit_targets([str(folder), toy_server + "/notice.toy"], load_checklist("uk-gdpr"))
    assert report.errors == ()
    assert [n.source for n in report.notices] == [str(folder / "privacy.toy"), toy_server + "/notice.toy"]
    for notice in report.notices:
        met = {i.id for i in notice.items if i.status == "met"}
        assert "controller_identity" in met
        evidence = [e for i in notice.items if i.id == "controller_identity" for e in i.evidence]
        assert evidence[0].locator.source == notice.source and evidence[0].locator.line == 1
    assert any("text/x-toy;q=0.5" in accept for accept in ToyHandler.accepts)


@pytest.mark.usefixtures("toy_registered")
def test_registering_feeds_every_table() -> None:
    assert parse.media_type_for("Privacy.TOY") == "text/x-toy"
    assert parse.in_folder_walk("notices/privacy.toy")
    assert served_types()["text/x-toy"] == "text/x-toy"
    assert accept_header().split(",")[-2:] == ["text/x-toy;q=0.5", "*/*;q=0.1"]


def test_a_media_type_or_extension_is_registered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "FORMATS", list(parse.FORMATS))
    with pytest.raises(ValueError, match=r"already registered: \.html"):
        register(InputFormat("my-html", ("text/x-mine",), parse_toy, (".html",)))
    with pytest.raises(ValueError, match="already registered: text/plain"):
        register(InputFormat("my-text", ("text/plain",), parse_toy))


def test_the_built_in_tables_are_what_the_fetcher_and_folder_walk_used_before() -> None:
    """The registry reproduces the fetcher's former content-type table and Accept header exactly."""
    assert served_types() == {
        "text/html": "text/html", "application/xhtml+xml": "text/html", "text/plain": "text/plain",
        "text/markdown": "text/markdown", "text/x-markdown": "text/markdown", "application/pdf": "application/pdf",
        "application/x-pdf": "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    assert accept_header() == (
        "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1"
    )


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_fetch_stage_imports_neither_parse_nor_extract() -> None:
    fetch = Path(parse.__file__).parent.parent / "fetch"
    for module in sorted(fetch.glob("*.py")):
        later = sorted(n for n in _imports(module) if n.startswith(("notice_audit.parse", "notice_audit.extract",
                                                                   "notice_audit.sources", "notice_audit.crawl")))
        assert later == [], f"{module.name} imports {later}"
