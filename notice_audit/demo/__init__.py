"""``notice-audit demo``: the main job on bundled defaults, nothing to set up.

Audits the notices of a fictional council's website (``demo/site``, written
for this project) and writes the reports in every format to a folder. The
multi-page children's services notice is audited as one assembled notice.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from notice_audit.audit import assemble, audit_document, make_report
from notice_audit.fetch import read_local
from notice_audit.model import AuditReport, NoticeReport
from notice_audit.parse import parse_page
from notice_audit.report import EXTENSIONS, FORMATS, render, table, write_atomic
from notice_audit.rules.checklist import load_checklist

SITE = Path(__file__).parent / "site"
#: Each demo notice, as the pages that make it up (several for a multi-page notice).
NOTICES: tuple[tuple[str, ...], ...] = (
    ("privacy/corporate-privacy-notice.html",),
    ("privacy/council-tax.html",),
    ("privacy/garden-waste.html",),
    (
        "privacy/childrens-services/index.html",
        "privacy/childrens-services/2.html",
        "privacy/childrens-services/3.html",
    ),
    ("privacy/what-a-privacy-notice-is.html",),
)


def demo_report() -> AuditReport:
    checklist = load_checklist("uk-gdpr")
    notices: list[NoticeReport] = []
    for parts in NOTICES:
        docs = [parse_page(page) for part in parts for page in read_local(str(SITE / part))]
        notices.append(audit_document(assemble(docs), checklist))
    return make_report(checklist, notices)


def run_demo(output_dir: Path, *, out: TextIO) -> AuditReport:
    """Audit the demo site, write report.<ext> for every format, show the table."""
    report = demo_report()
    written = []
    for fmt in FORMATS:
        path = output_dir / f"report.{EXTENSIONS[fmt]}"
        write_atomic(path, render(report, fmt))
        written.append(path)
    table.print_report(report, out)
    out.write("\nReports written:\n" + "".join(f"  {p}\n" for p in written))
    return report
