"""HTML links to local files: relative to the folder the report is written in, only to files that exist,
never when the report goes to standard output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notice_audit.formats import html
from notice_audit.formats.registry import emit
from notice_audit.model import AuditReport, Evidence, ItemResult, Locator, NoticeReport


def _report(source: str) -> AuditReport:
    item = ItemResult("purposes", "Purposes", "met", "required", 1, "found 1 statement",
                      (Evidence("We use it to run the library.", Locator(source, ("Why",), line=3, fragment="why")),))
    notice = NoticeReport(source, "Library", 100, True, (item,), {})
    return AuditReport("0.1.0", "uk-gdpr", "1", "2024-01-01", (notice,))


def test_local_source_links_relative_to_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notices").mkdir()
    (tmp_path / "notices" / "library notice.html").write_text("<p>x</p>")
    emit(_report("notices/library notice.html"), "html", "reports/audit.html")
    page = (tmp_path / "reports" / "audit.html").read_text()
    assert 'href="../notices/library%20notice.html"' in page
    assert 'href="../notices/library%20notice.html#why"' in page


def test_no_local_link_without_a_file_or_on_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.html").write_text("<p>x</p>")
    assert 'href="n.html' not in html.render(_report("n.html"))  # not written to a file: no folder to link from
    emit(_report("gone.html"), "html", "out.html")
    assert not re.search(r'href="[^"]*gone\.html', (tmp_path / "out.html").read_text())


def test_local_links_never_take_a_scheme(tmp_path: Path) -> None:
    token = html._WRITTEN_AT.set(tmp_path / "r.html")
    try:
        assert html.page_href("javascript:alert(1)") is None
        assert html.page_href("https://council.example/p") == "https://council.example/p"
    finally:
        html._WRITTEN_AT.reset(token)
