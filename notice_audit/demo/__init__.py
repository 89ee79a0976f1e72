"""``notice-audit demo``: the main job on bundled defaults, nothing to set up.

Serves the website of a fictional council (``demo/site``, written for this
project) on 127.0.0.1, crawls it like a real site (discovery, a three-part
notice assembled into one, a layered notice and its parent), audits what it
finds and writes the reports in every format to a folder, with a copy of the
site beside them: the loopback server is gone once the demo ends, so the
reports name and link the copied files instead of its URLs.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from notice_audit.app.progress import crawl_progress
from notice_audit.auditor import audit_crawl
from notice_audit.crawl import CrawlOptions, crawl_async
from notice_audit.demo.server import serve_site
from notice_audit.errors import UsageError
from notice_audit.fetch.config import FetchConfig
from notice_audit.formats import json as json_format
from notice_audit.formats.load import report_from_json
from notice_audit.formats.output import check_writable, write_text
from notice_audit.formats.registry import FORMATS
from notice_audit.formats.words import plural
from notice_audit.model import AuditReport
from notice_audit.rules.checklist import load_checklist

SITE = Path(__file__).parent / "site"
#: The copy of the site written beside the reports, which their links open.
SITE_COPY = "site"


def demo_report(*, snapshot_dir: Path | None = None, progress: Callable[[int, int, int], None] | None = None,
                site_copy: Path | None = None) -> AuditReport:
    """Serve the example site, crawl it and audit every notice found; with ``site_copy``, every address on
    the served site is rewritten to the same file under that folder."""
    checklist = load_checklist("uk-gdpr")
    with serve_site(SITE) as base:
        config = FetchConfig(snapshot_dir=snapshot_dir, allowed_hosts=frozenset({"127.0.0.1"}))
        result = asyncio.run(crawl_async([base], config, CrawlOptions(max_pages=50), progress=progress))
    report = audit_crawl(result, checklist)
    return report if site_copy is None else relocate(report, base, site_copy)


def relocate(report: AuditReport, base: str, folder: Path) -> AuditReport:
    """``report`` with every URL under ``base`` made the path of the same file under ``folder`` (a folder's
    URL its ``index.html``), in sources, parts, quotes' locators and errors alike."""
    prefix = folder.as_posix().rstrip("/") + "/"

    def local(match: re.Match[str]) -> str:
        path = match.group(1)
        return prefix + (path + "index.html" if path == "" or path.endswith("/") else path)

    text = re.sub(re.escape(base) + r"([^\s\"#?]*)", local, json_format.render(report))
    return report_from_json(json.loads(text))


def _check_site(folder: Path) -> None:
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise UsageError(f"{folder}: not a folder: the demo copies the example site there")


def copy_site(folder: Path) -> None:
    """The example site copied to ``folder`` (its own files refreshed; anything else there kept)."""
    _check_site(folder)
    shutil.copytree(SITE, folder, dirs_exist_ok=True)


def run_demo(output_dir: Path, *, out: TextIO, log: TextIO) -> AuditReport:
    """Crawl and audit the demo site, write report.<ext> for every format and a copy of the site, then say
    what was found and where the reports are. Every path is checked first, so that an unwritable folder is
    named before the crawl, not after it."""
    paths = {fmt: output_dir / f"report.{fmt.extension}" for fmt in FORMATS.values()}
    for path in paths.values():
        check_writable(path)
    site = output_dir / SITE_COPY
    _check_site(site)
    with crawl_progress(log) as progress:
        report = demo_report(snapshot_dir=output_dir / "snapshots", progress=progress, site_copy=site)
    copy_site(site)
    for fmt, path in paths.items():
        write_text(path, fmt.render_at(report, path))
    out.write(summary(report, paths.values(), site, output_dir / "snapshots"))
    return report


def summary(report: AuditReport, paths: Iterable[Path], site: Path, snapshots: Path) -> str:
    """What the demo found, one line a notice, then where to look: the HTML report first."""
    lines = [f"Audited the example council site: {plural(len(report.notices), 'privacy notice')} found.", ""]
    for notice in report.notices:
        verdict = "PASS" if notice.passed else "FAIL"
        lines.append(f"  {notice.score:5.1f}  {verdict}  {notice.title or notice.source}")
    html = [p for p in paths if p.suffix == ".html"]
    others = ", ".join(p.name for p in paths if p not in html)
    lines.append("")
    lines += [f"Open the HTML report:  {p}" for p in html]
    lines += [f"The same report as:    {others}",
              f"The site as audited:   {site}/ (the reports link to these files)",
              f"Every page fetched:    {snapshots}/"]
    return "\n".join(lines) + "\n"
