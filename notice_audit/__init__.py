"""notice-audit: audit privacy notices against the UK GDPR right-to-be-informed checklist.

The public API is what ``__all__`` names; every other module is the implementation and may change::

    from notice_audit import Auditor, Targets, load_checklist

    report = Auditor(load_checklist("uk-gdpr")).report(Targets(("notices/",)))
    for notice in report.notices:
        print(notice.source, notice.score, notice.passed)
"""

from notice_audit.auditor import Auditor, Crawl, Source, Targets
from notice_audit.crawl import CrawlOptions
from notice_audit.errors import (
    ChecklistError,
    FetchError,
    GateError,
    HistoryError,
    NoticeAuditError,
    ParseError,
    UsageError,
)
from notice_audit.fetch.config import FetchConfig
from notice_audit.gate import Baseline, GatePolicy, Override, Waiver
from notice_audit.model import (
    AuditReport,
    BaselineUse,
    Document,
    Evidence,
    Failure,
    Finding,
    GateSummary,
    ItemResult,
    Locator,
    NoticeReport,
    Page,
    ParentCoverage,
    SkippedTarget,
    Suggestion,
    TargetError,
    WaiverState,
    WaiverUse,
)
from notice_audit.rules.checklist import Checklist, Item, load_checklist
from notice_audit.version import __version__

__all__ = [
    "AuditReport",
    "Auditor",
    "Baseline",
    "BaselineUse",
    "Checklist",
    "ChecklistError",
    "Crawl",
    "CrawlOptions",
    "Document",
    "Evidence",
    "Failure",
    "FetchConfig",
    "FetchError",
    "Finding",
    "GateError",
    "GatePolicy",
    "GateSummary",
    "HistoryError",
    "Item",
    "ItemResult",
    "Locator",
    "NoticeAuditError",
    "NoticeReport",
    "Override",
    "Page",
    "ParentCoverage",
    "ParseError",
    "SkippedTarget",
    "Source",
    "Suggestion",
    "TargetError",
    "Targets",
    "UsageError",
    "Waiver",
    "WaiverState",
    "WaiverUse",
    "__version__",
    "load_checklist",
]
