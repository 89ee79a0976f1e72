"""``notice-audit demo``: the main job on bundled defaults, nothing to set up.

Serves the website of a fictional council (``demo/site``, written for this
project) on 127.0.0.1, crawls it like a real site (discovery, a three-part
notice assembled into one, a layered notice and its parent), audits what it
finds and writes the reports in every format to a folder.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from notice_audit.app.progress import crawl_progress
from notice_audit.auditor import audit_crawl
from notice_audit.crawl import CrawlOptions, crawl_async
from notice_audit.demo.server import serve_site
from notice_audit.fetch.config import FetchConfig
from notice_audit.formats import table
from notice_audit.formats.output import check_writable, write_text
from notice_audit.formats.registry import FORMATS
from notice_audit.model import AuditReport
from notice_audit.rules.checklist import load_checklist

SITE = Path(__file__).parent / "site"


def demo_report(*, snapshot_dir: Path | None = None,
                progress: Callable[[int, int, int], None] | None = None) -> AuditReport:
    """Serve the example site, crawl it and audit every notice found."""
    checklist = load_checklist("uk-gdpr")
    with serve_site(SITE) as base:
        config = FetchConfig(snapshot_dir=snapshot_dir, allowed_hosts=frozenset({"127.0.0.1"}))
        result = asyncio.run(crawl_async([base], config, CrawlOptions(max_pages=50), progress=progress))
    return audit_crawl(result, checklist)


def run_demo(output_dir: Path, *, out: TextIO, log: TextIO) -> AuditReport:
    """Crawl and audit the demo site, write report.<ext> for every format, show the table. Every report's
    path is checked first, so that an unwritable folder is named before the crawl, not after it."""
    paths = {fmt: output_dir / f"report.{fmt.extension}" for fmt in FORMATS.values()}
    for path in paths.values():
        check_writable(path)
    with crawl_progress(log) as progress:
        report = demo_report(snapshot_dir=output_dir / "snapshots", progress=progress)
    written = []
    for fmt, path in paths.items():
        write_text(path, fmt.render(report))
        written.append(path)
    table.print_report(report, out)
    out.write("\nReports written:\n" + "".join(f"  {p}\n" for p in written))
    out.write(f"Snapshots of every page fetched: {output_dir / 'snapshots'}\n")
    return report
