"""The crawl end to end, against the bundled example site served on 127.0.0.1 by the test."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from notice_audit.app.cli import main
from notice_audit.auditor import audit_crawl
from notice_audit.crawl import CrawlOptions, crawl_async
from notice_audit.demo import SITE
from notice_audit.demo.server import serve_site
from notice_audit.fetch.config import FetchConfig
from notice_audit.fetch.store import SnapshotStore, crawl_key
from notice_audit.formats.json import validation_errors
from notice_audit.rules.checklist import load_checklist


@pytest.fixture
def site() -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []
    with serve_site(SITE, requests=requests) as base:
        yield base, requests


def crawl(base: str, tmp: Path | None = None, **config: object):  # type: ignore[no-untyped-def]
    cfg = FetchConfig(snapshot_dir=tmp, allowed_hosts=frozenset({"127.0.0.1"}), **config)  # type: ignore[arg-type]
    return asyncio.run(crawl_async([base], cfg, CrawlOptions(max_pages=50)))


def names(report) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {n.source.split("/privacy/", 1)[-1]: n for n in report.notices}


def test_discovers_the_notices_and_only_the_notices(site: tuple[str, list[str]]) -> None:
    base, requests = site
    report = audit_crawl(crawl(base), load_checklist("uk-gdpr"))
    found = set(names(report))
    assert {"corporate-privacy-notice.html", "council-tax.html", "garden-waste.html",
            "childrens-services/index.html"} <= found
    assert "what-a-privacy-notice-is.html" not in found and "index.html" not in found
    assert not [p for p in requests if p.startswith("/admin")]  # robots.txt: Disallow: /admin/
    assert validation_errors(json.loads(json.dumps(report.to_json()))) == []


def test_multi_page_notice_is_one_notice_with_part_locators(site: tuple[str, list[str]]) -> None:
    base, _ = site
    notice = names(audit_crawl(crawl(base), load_checklist("uk-gdpr")))["childrens-services/index.html"]
    assert [p.rsplit("/", 1)[-1] for p in notice.parts] == ["index.html", "2.html", "3.html"]
    locators = {str(e.locator).split("#")[0].rsplit("/", 1)[-1] for i in notice.items for e in i.evidence}
    assert {"index.html", "2.html", "3.html"} <= locators
    status = {i.id: i.status for i in notice.items}
    assert status["retention"] == "met" and status["recipients"] == "met"  # from parts 3 and 2


def test_layered_notice_records_what_its_parent_covers(site: tuple[str, list[str]]) -> None:
    base, _ = site
    notice = names(audit_crawl(crawl(base), load_checklist("uk-gdpr")))["council-tax.html"]
    assert notice.parent is not None and notice.parent.source.endswith("corporate-privacy-notice.html")
    assert {"rights", "complaint_to_ico", "dpo_contact"} <= set(notice.parent.covers)


def test_each_page_fetched_once(site: tuple[str, list[str]]) -> None:
    base, requests = site
    crawl(base)
    counts = Counter(p for p in requests if p != "/robots.txt")
    assert counts and max(counts.values()) == 1, counts.most_common(3)


def test_offline_reaudit_from_snapshots(tmp_path: Path) -> None:
    with serve_site(SITE) as base:
        online = audit_crawl(crawl(base, tmp_path), load_checklist("uk-gdpr"))
    # the server is gone: everything must come from the snapshots
    offline = audit_crawl(crawl(base, tmp_path, offline=True), load_checklist("uk-gdpr"))
    assert [(n.source, n.score) for n in offline.notices] == [(n.source, n.score) for n in online.notices]
    assert not offline.errors


class _GatedLog(list[str]):
    """The server's request log (``serve_site`` appends each path before answering) that, once ``open_for``
    pages have been asked for, holds every further page request (logged first) until ``gate`` is set: the
    crawl gets exactly that many pages, however fast or slow the machine is."""

    def __init__(self, open_for: int) -> None:
        super().__init__()
        self.open_for, self.gate = open_for, threading.Event()

    def append(self, path: str) -> None:
        super().append(path)
        if path not in ("/robots.txt", "/sitemap.xml"):
            self.open_for -= 1
            if self.open_for < 0:
                self.gate.wait(30)


def test_interrupted_crawl_resumes_without_refetching(tmp_path: Path) -> None:
    requests = _GatedLog(open_for=3)
    with serve_site(SITE, requests=requests) as base:
        cfg = FetchConfig(snapshot_dir=tmp_path, allowed_hosts=frozenset({"127.0.0.1"}))

        class Interrupted(Exception):
            """Stands for the crawl being killed part-way."""

        def stop_after_three(found: int, fetched: int, failed: int) -> None:
            if fetched >= 3:
                raise Interrupted

        try:
            with pytest.raises(Interrupted):
                asyncio.run(crawl_async([base], cfg, CrawlOptions(max_pages=50), progress=stop_after_three))
        finally:
            requests.gate.set()  # the requests held are answered (to a crawl that is gone)
        first = [p for p in requests if p not in ("/robots.txt", "/sitemap.xml")]
        assert len(first) >= 3
        # what the interrupted crawl had finished fetching (requests still in flight were held, so are not)
        store = SnapshotStore(tmp_path)
        crawl_id = store.begin_crawl(crawl_key([base], dataclasses.asdict(CrawlOptions(max_pages=50))))
        done = {urlsplit(u).path for u in store.fetched_in(crawl_id)}
        assert len(done) == 3 and done <= set(first)
        requests.clear()
        result = asyncio.run(crawl_async([base], cfg, CrawlOptions(max_pages=50)))
        again = [p for p in requests if p not in ("/robots.txt", "/sitemap.xml")]
    assert again, "the resumed crawl had nothing left to fetch: the first one was not interrupted part-way"
    assert not done & set(again), "pages fetched before the interruption were fetched again"
    assert len(result.notices) >= 4


@pytest.mark.usefixtures("quick_retries")
def test_unreachable_start_is_an_error_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["crawl", "http://127.0.0.1:9/", "--no-snapshots", "--format", "json"])
    assert code == 2 and "nothing could be audited" in capsys.readouterr().err


def test_crawl_command_writes_a_valid_report(site: tuple[str, list[str]], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = site
    out = tmp_path / "crawl.json"
    # --allow-host keeps every request on the test's server: the demo's links to ico.org.uk are not checked
    code = main(["crawl", base, "--snapshots", str(tmp_path / "snap"), "--exclude", "garden",
                 "--allow-host", "127.0.0.1", "--output", str(out)])
    data = json.loads(out.read_text())
    assert validation_errors(data) == []
    assert not [n for n in data["notices"] if "garden" in n["source"]]
    assert code == (0 if all(n["passed"] for n in data["notices"]) else 1)
    assert "crawl: done:" in capsys.readouterr().err  # quiet progress lines when not on a terminal
    strict = main(["crawl", base, "--snapshots", str(tmp_path / "snap"), "--fail-under", "99",
                   "--allow-host", "127.0.0.1", "--output", str(tmp_path / "strict.json")])
    assert strict == 1  # the council tax notice scores under 99
    assert main(["crawl", "notices/"]) == 2


def test_a_broken_sitemap_is_an_error_and_the_crawl_goes_on(site: tuple[str, list[str]]) -> None:
    base, _ = site
    cfg = FetchConfig(allowed_hosts=frozenset({"127.0.0.1"}))
    options = CrawlOptions(max_pages=50, sitemaps=(base + "privacy/index.html",))  # HTML, not a sitemap
    result = asyncio.run(crawl_async([base], cfg, options))
    assert any("bad sitemap" in e.error for e in result.errors)
    assert len(result.notices) >= 4


def test_crawl_takes_targets_overrides_and_waivers_from_the_config_file(
        site: tuple[str, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    base, _ = site
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notice-audit.toml").write_text(
        f'targets = ["{base}"]\n'
        '[[overrides]]\ntarget = "*garden*"\nfacts = {public_authority = false}\n'
        '[[waivers]]\nitem = "*"\ntarget = "*garden*"\nreason = "being rewritten"\nowner = "waste team"\n'
        'expires = 2099-01-01\n')
    code = main(["crawl", "--snapshots", str(tmp_path / "snap"), "--allow-host", "127.0.0.1",
                 "--output", "crawl.json"])  # every request stays on the test's server
    data = json.loads((tmp_path / "crawl.json").read_text())
    assert validation_errors(data) == []
    garden = next(n for n in data["notices"] if "garden" in n["source"])
    items = {i["id"]: i for i in garden["items"]}
    assert items["dpo_contact"]["status"] == "not_applicable"  # public_authority=false: no DPO required
    gaps = [i for i in garden["items"] if i["status"] in ("missing", "failed")]
    assert gaps and all(i["waiver"]["owner"] == "waste team" for i in gaps)
    assert garden["passed"] or any(f["item"] is None for f in garden["failures"])
    assert code in (0, 1) and "crawl: done:" in capsys.readouterr().err
