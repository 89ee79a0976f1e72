"""robots.txt through the Fetcher: rules (protego), failure policy, Crawl-delay and sitemaps, on 127.0.0.1."""

from __future__ import annotations

import asyncio

from notice_audit.fetch.config import DEFAULT_USER_AGENT, FetchConfig, robots_token
from notice_audit.fetch.robots import RobotsPolicy, RobotsResponse, rules_from
from notice_audit.sources.web import NoticeFetcher as Fetcher
from tests.test_fetch_client import TOLERANCE, Reply, Seen, cfg, expect_error, gaps, run, serve

ROBOTS = b"""\
User-agent: *
Disallow: /private/
Allow: /private/notice
Disallow: /*.pdf$
Disallow: /tmp*/cache

User-agent: notice-audit
Disallow: /not-for-auditors
Allow: /private/
Sitemap: /relative-is-kept-as-given.xml
"""


def robots(body: bytes, **extra: Reply) -> dict[str, Reply]:
    return {"/robots.txt": Reply(body=body, content_type="text/plain"), **extra}


def polite(**changes: object) -> FetchConfig:
    return cfg(respect_robots=True, **changes)


def test_rules_longest_match_wildcards_and_groups() -> None:
    async def main() -> None:
        async with serve(robots(ROBOTS)) as srv:
            async with Fetcher(polite(user_agent="otherbot/2.0 (+https://example.org/bot)")) as other:
                p = other.robots
                assert not await p.allowed(srv.url + "/private/minutes")
                assert await p.allowed(srv.url + "/private/notice")  # the longer Allow wins
                assert not await p.allowed(srv.url + "/docs/notice.pdf")
                assert await p.allowed(srv.url + "/docs/notice.pdf?download=1")  # "$" anchors the end
                assert not await p.allowed(srv.url + "/tmp-2024/cache")
                assert await p.allowed(srv.url + "/not-for-auditors")
                assert await p.allowed(srv.url + "/privacy")
            async with Fetcher(polite()) as ours:  # our own group replaces "*"
                p = ours.robots
                assert not await p.allowed(srv.url + "/not-for-auditors")
                assert await p.allowed(srv.url + "/private/minutes")
                assert await p.allowed(srv.url + "/docs/notice.pdf")

    run(main())


def test_disallowed_page_is_not_requested_and_counted() -> None:
    async def main() -> None:
        body = b"User-agent: *\nDisallow: /private/\n"
        async with serve(robots(body, **{"/private/x": Reply(), "/ok": Reply()})) as srv, Fetcher(polite()) as f:
            assert await expect_error(f, srv.url + "/private/x") == "disallowed by robots.txt"
            assert (await f.fetch(srv.url + "/ok")).status == 200
            assert srv.hits("/private/x") == 0 and srv.hits("/robots.txt") == 1
            assert f.stats.robots_blocked == 1 and f.stats.failed == 1

    run(main())


def test_redirect_into_a_disallowed_path_is_stopped() -> None:
    async def main() -> None:
        body = b"User-agent: *\nDisallow: /private/\n"
        hop = Reply(302, b"", headers=[("Location", "/private/notice")])
        async with serve(robots(body, **{"/go": hop, "/private/notice": Reply()})) as srv, Fetcher(polite()) as f:
            assert await expect_error(f, srv.url + "/go") == "disallowed by robots.txt"
            assert srv.hits("/go") == 1 and srv.hits("/private/notice") == 0

    run(main())


def test_robots_txt_is_fetched_once_per_origin() -> None:
    async def main() -> None:
        async def app(seen: Seen) -> Reply:
            if seen.path == "/robots.txt":
                await asyncio.sleep(0.1)  # slow, so the concurrent fetches all wait on it
                return Reply(body=b"User-agent: *\nDisallow:\n", content_type="text/plain")
            return Reply()

        async with serve(app) as srv, Fetcher(polite(per_host=4)) as f:
            await asyncio.gather(*(f.fetch(f"{srv.url}/p{i}") for i in range(8)))
            assert srv.hits("/robots.txt") == 1 and f.stats.fetched == 8

    run(main())


def test_missing_robots_txt_allows_everything() -> None:
    async def main() -> None:
        gone = {"/page": Reply(), "/robots.txt": Reply(410, b"gone", "text/plain")}
        async with serve(gone) as srv, Fetcher(polite()) as f:
            assert (await f.fetch(srv.url + "/page")).status == 200
            assert f.robots.records[srv.url].mode == "allow_all"
        async with serve({"/page": Reply()}) as srv, Fetcher(polite()) as f:  # 404
            assert (await f.fetch(srv.url + "/page")).status == 200

    run(main())


def test_forbidden_robots_txt_disallows_everything() -> None:
    async def main() -> None:
        for status in (401, 403):
            table = {"/page": Reply(), "/robots.txt": Reply(status, b"no", "text/plain")}
            async with serve(table) as srv, Fetcher(polite()) as f:
                message = await expect_error(f, srv.url + "/page")
                assert message == f"disallowed by robots.txt (robots.txt answered HTTP {status})"
                assert srv.hits("/page") == 0

    run(main())


def test_unreachable_robots_txt_disallows_after_retries() -> None:
    async def main() -> None:
        down = {"/page": Reply(), "/robots.txt": Reply(503, b"down", "text/plain")}
        async with serve(down) as srv, Fetcher(polite(retries=2)) as f:
            message = await expect_error(f, srv.url + "/page")
            assert message == ("robots.txt answered HTTP 503 (robots.txt could not be read, so no page of the site "
                               "is fetched)")
            assert srv.hits("/robots.txt") == 3 and srv.hits("/page") == 0
        resets = {"/page": Reply(), "/robots.txt": Reply(reset=True)}
        async with serve(resets) as srv, Fetcher(polite(retries=1)) as f:
            message = await expect_error(f, srv.url + "/page")
            assert message == "connection reset (robots.txt could not be read, so no page of the site is fetched)"

    run(main())


def test_robots_txt_redirect_is_followed() -> None:
    async def main() -> None:
        table = {
            "/robots.txt": Reply(301, b"", headers=[("Location", "/real-robots.txt")]),
            "/real-robots.txt": Reply(body=b"User-agent: *\nDisallow: /x\n", content_type="text/plain"),
        }
        async with serve(table) as srv, Fetcher(polite()) as f:
            assert not await f.robots.allowed(srv.url + "/x/y")
            assert await f.robots.allowed(srv.url + "/y")

    run(main())


def test_crawl_delay_spaces_requests() -> None:
    async def main() -> None:
        body = b"User-agent: notice-audit\nCrawl-delay: 0.25\n"
        async with serve(robots(body, **{f"/p{i}": Reply() for i in range(4)})) as srv:
            async with Fetcher(polite(per_host=4, delay=0.0)) as f:
                assert await f.robots.crawl_delay(srv.url + "/") == 0.25
                await asyncio.gather(*(f.fetch(f"{srv.url}/p{i}") for i in range(4)))
            spacing = gaps(srv.times())  # robots.txt and the four pages, as the server saw them arrive
            assert len(spacing) == 4 and min(spacing) >= 0.25 - TOLERANCE

    run(main())


def test_crawl_delay_beyond_the_limit_is_an_error() -> None:
    async def main() -> None:
        slow = robots(b"User-agent: *\nCrawl-delay: 3600\n", **{"/page": Reply()})
        async with serve(slow) as srv, Fetcher(polite()) as f:
            assert await expect_error(f, srv.url + "/page") == "robots.txt Crawl-delay 3600 s exceeds 60 s"
            assert srv.hits("/page") == 0

    run(main())


def test_sitemaps_and_robots_off() -> None:
    async def main() -> None:
        body = b"User-agent: *\nDisallow: /\nSitemap: http://127.0.0.1/sitemap.xml\nSitemap: /s2.xml\n"
        async with serve(robots(body, **{"/page": Reply()})) as srv:
            async with Fetcher(polite()) as f:
                assert await f.robots.sitemaps(srv.url + "/anything") == ["http://127.0.0.1/sitemap.xml", "/s2.xml"]
            async with Fetcher(cfg(respect_robots=False)) as f:
                assert (await f.fetch(srv.url + "/page")).status == 200
            assert srv.hits("/robots.txt") == 1  # only the polite fetcher asked

    run(main())


def test_policy_units() -> None:
    assert robots_token(DEFAULT_USER_AGENT) == "notice-audit"
    rate = rules_from("http://x", RobotsResponse(200, b"User-agent: *\nRequest-rate: 2/1s\n"))
    assert rate.mode == "rules"

    async def load(url: str) -> RobotsResponse:
        assert url == "http://example.org/robots.txt"
        return RobotsResponse(200, b"User-agent: *\nRequest-rate: 1/4s\nCrawl-delay: 1\n")

    async def main() -> None:
        policy = RobotsPolicy(load, DEFAULT_USER_AGENT)
        assert await policy.crawl_delay("http://example.org/a") == 4.0  # the stricter of the two
        assert rules_from("http://x", RobotsResponse(None, error="timed out (connect)")).mode == "disallow_all"
        assert rules_from("http://x", RobotsResponse(429)).mode == "disallow_all"
        assert rules_from("http://x", RobotsResponse(400)).mode == "allow_all"

    run(main())
