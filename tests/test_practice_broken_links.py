"""Broken links: checked by the crawl through the polite fetcher, never offline, recorded as findings."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from notice_audit.auditor import audit_crawl
from notice_audit.crawl import CrawlOptions, broken_reason, content_links, crawl_async
from notice_audit.demo.server import serve_site
from notice_audit.fetch.config import FetchConfig
from notice_audit.fetch.local import FetchError
from notice_audit.model import Page
from notice_audit.rules.checklist import load_checklist
from notice_audit.sources.web import NoticeFetcher as Fetcher

NOTICE = """<!doctype html><html><head><title>Privacy notice</title></head><body>
<header><a href="/">Lowmoor Borough Council</a></header>
<main><h1>Privacy notice: garden waste</h1>
<h2>Who we are</h2><p>Lowmoor Borough Council is the data controller for garden waste records.</p>
<h2>How we use your information</h2><p>We use your name and address to collect your garden waste bin.</p>
<h2>How long we keep it</h2>
<p>How long we keep it is in our <a href="/retention.html">retention schedule</a>.</p>
<p>Read our <a href="/old-cookies.html">cookie policy</a> for how we use cookies.</p>
<h2>Complaints</h2>
<p>You can complain to the <a href="https://ico.org.uk/make-a-complaint/">Information Commissioner's Office</a>.</p>
<p>Email us at <a href="mailto:dpo@lowmoor.example">dpo@lowmoor.example</a>.</p>
</main>
<footer><a href="/gone.html">Site map</a></footer>
</body></html>"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (root / "index.html").write_text('<html><body><main><a href="/privacy.html">Privacy notice</a></main></body>'
                                     "</html>")
    (root / "privacy.html").write_text(NOTICE)
    (root / "retention.html").write_text("<html><body><main><p>Retention schedule</p></main></body></html>")
    return root


def crawl(base: str, **config: object):  # type: ignore[no-untyped-def]
    cfg = FetchConfig(allowed_hosts=frozenset({"127.0.0.1"}), **config)  # type: ignore[arg-type]
    return asyncio.run(crawl_async([base], cfg, CrawlOptions(max_pages=20)))


def test_broken_links_are_found_and_reported_with_their_quote(site: Path) -> None:
    requests: list[str] = []
    with serve_site(site, requests=requests) as base:
        result = crawl(base)
    [group] = [g for g in result.notices if g.parts[0].source.endswith("privacy.html")]
    assert group.links_checked
    assert [(b.url.rsplit("/", 1)[-1], b.text, b.reason) for b in group.broken_links] == [
        ("old-cookies.html", "cookie policy", "HTTP 404")]
    assert requests.count("/old-cookies.html") == 1  # one HEAD, no body
    assert "/gone.html" not in requests  # a footer link is site furniture, not the notice's
    report = audit_crawl(result, load_checklist("uk-gdpr-good-practice"))
    [notice] = [n for n in report.notices if n.source.endswith("privacy.html")]
    item = next(i for i in notice.items if i.id == "broken_links")
    assert item.status == "failed"
    assert item.evidence[0].quote == "Read our cookie policy for how we use cookies."
    assert item.evidence[0].locator.source.endswith("privacy.html")
    assert "old-cookies.html (HTTP 404)" in item.message
    assert notice.extracted["practice"]["broken_links"][0]["status"] == "HTTP 404"


def test_links_are_not_checked_offline(site: Path, tmp_path: Path) -> None:
    with serve_site(site) as base:
        crawl(base, snapshot_dir=tmp_path / "snaps")
        offline = crawl(base, snapshot_dir=tmp_path / "snaps", offline=True)
    report = audit_crawl(offline, load_checklist("uk-gdpr-good-practice"))
    assert not any(g.links_checked for g in offline.notices)
    for notice in report.notices:
        item = next(i for i in notice.items if i.id == "broken_links")
        assert item.status == "not_applicable" and "links_checked" in item.message


def test_uk_gdpr_audits_are_unchanged_by_link_checks(site: Path) -> None:
    with serve_site(site) as base:
        report = audit_crawl(crawl(base), load_checklist("uk-gdpr"))
    assert all("broken_links" not in {i.id for i in n.items} for n in report.notices)


def test_content_links_skip_furniture_mail_and_the_page_itself() -> None:
    page = Page("https://lowmoor.example/privacy.html", "https://lowmoor.example/privacy.html", NOTICE.encode(),
                "text/html")
    urls = [u for u, _ in content_links(page)]
    assert urls == ["https://lowmoor.example/retention.html", "https://lowmoor.example/old-cookies.html",
                    "https://ico.org.uk/make-a-complaint/"]


@pytest.mark.parametrize(
    ("error", "reason"),
    [("HTTP 404 Not Found", "HTTP 404"), ("HTTP 410 Gone", "HTTP 410"), ("HTTP 403 Forbidden", ""),
     ("HTTP 503 Service Unavailable", ""), ("host not found: nowhere.example", "host not found: nowhere.example"),
     ("disallowed by robots.txt", ""), ("timed out (read)", ""), ("host not allowed: ico.org.uk", "")],
)
def test_which_failures_mean_a_broken_link(error: str, reason: str) -> None:
    assert broken_reason(error) == reason


def test_check_link_uses_head_falls_back_to_get_and_follows_redirects() -> None:
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path))
        if request.url.path == "/moved":
            return httpx.Response(301, headers={"Location": "/no-head"})
        if request.url.path == "/no-head" and request.method == "HEAD":
            return httpx.Response(405)
        if request.url.path == "/missing":
            return httpx.Response(404)
        return httpx.Response(200, content=b"x" * 1000)

    async def check(url: str) -> int:
        config = FetchConfig(respect_robots=False, retries=0)
        async with Fetcher(config, transport=httpx.MockTransport(handler)) as fetcher:
            return await fetcher.check_link(url)

    assert asyncio.run(check("https://lowmoor.example/moved")) == 200
    assert seen == [("HEAD", "/moved"), ("HEAD", "/no-head"), ("GET", "/no-head")]
    assert asyncio.run(check("https://lowmoor.example/missing")) == 404

    async def offline() -> int:
        async with Fetcher(FetchConfig(offline=True, snapshot_dir=None)) as fetcher:
            return await fetcher.check_link("https://lowmoor.example/")

    with pytest.raises(FetchError, match="offline"):
        asyncio.run(offline())


def test_crawl_command_can_skip_link_checks(site: Path, tmp_path: Path) -> None:
    import json

    from notice_audit.app.cli import main

    requests: list[str] = []
    out = tmp_path / "r.json"
    with serve_site(site, requests=requests) as base:
        main(["crawl", base, "--checklist", "uk-gdpr-good-practice", "--no-snapshots", "--allow-host", "127.0.0.1",
              "--no-check-links", "--format", "json", "--output", str(out)])
    assert "/old-cookies.html" not in requests
    notice = next(n for n in json.loads(out.read_text())["notices"] if n["source"].endswith("privacy.html"))
    assert next(i for i in notice["items"] if i["id"] == "broken_links")["status"] == "not_applicable"
