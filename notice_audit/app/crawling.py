"""``notice-audit crawl``: discover a site's notices, then audit them as ``audit`` does (``app/run.py``). A module
of its own so that an audit of files imports neither the crawler's progress line (rich) nor its options."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys

from notice_audit.app.progress import crawl_progress
from notice_audit.app.run import _auditor, _finish, _Run, _within_run
from notice_audit.auditor import Crawl
from notice_audit.crawl import CrawlOptions, crawl_async
from notice_audit.errors import UsageError
from notice_audit.fetch import is_url


def cmd_crawl(args: argparse.Namespace) -> int:
    return _within_run(args, _crawl)


def _crawl(run: _Run, args: argparse.Namespace) -> int:
    urls = list(args.urls) or list(run.settings.targets)
    if not urls:
        raise UsageError("no URLs: name where to start, or list 'targets' in the config file")
    for url in (*urls, *args.sitemap):
        if not is_url(url):
            raise UsageError(f"{url}: crawl takes http(s) URLs (use 'audit' for files and folders)")
    for pattern in (*args.include, *args.exclude):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise UsageError(f"--include/--exclude '{pattern}': not a regular expression: {exc}") from None
    options = CrawlOptions(max_pages=args.max_pages, max_depth=args.max_depth, include=tuple(args.include),
                           exclude=tuple(args.exclude), sitemaps=tuple(args.sitemap), check_links=args.check_links)
    auditor = _auditor(run, args)
    with crawl_progress(sys.stderr) as progress:  # the crawl under its progress line, the audit after it
        result = asyncio.run(crawl_async(urls, auditor.fetch, options, progress=progress))
    return _finish(run, auditor.report(Crawl(result=result)), args, command="crawl")


