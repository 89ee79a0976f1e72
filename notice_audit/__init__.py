"""notice-audit: audit privacy notices against the UK GDPR right-to-be-informed checklist.

The public API is what ``__all__`` names; every other module is the implementation and may change::

    from notice_audit import Auditor, Targets, load_checklist

    report = Auditor(load_checklist("uk-gdpr")).report(Targets(("notices/",)))
    for notice in report.notices:
        print(notice.source, notice.score, notice.passed)

Importing the package imports none of the API: each name is imported from its module when it is first used
(PEP 562), so that ``python -m notice_audit --version`` or a run that needs a few modules does not pay for all.
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:  # what type checkers and readers see; at run time ``__getattr__`` imports each on first use
    from notice_audit.auditor import Auditor, Crawl, Source, Targets
    from notice_audit.crawled import CrawlOptions
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

#: Where each public name is defined: read by ``__getattr__`` (the imports above say the same for type checkers).
_WHERE = {
    "Auditor": "notice_audit.auditor",
    "Crawl": "notice_audit.auditor",
    "Source": "notice_audit.auditor",
    "Targets": "notice_audit.auditor",
    "CrawlOptions": "notice_audit.crawled",
    "ChecklistError": "notice_audit.errors",
    "FetchError": "notice_audit.errors",
    "GateError": "notice_audit.errors",
    "HistoryError": "notice_audit.errors",
    "NoticeAuditError": "notice_audit.errors",
    "ParseError": "notice_audit.errors",
    "UsageError": "notice_audit.errors",
    "FetchConfig": "notice_audit.fetch.config",
    "Baseline": "notice_audit.gate",
    "GatePolicy": "notice_audit.gate",
    "Override": "notice_audit.gate",
    "Waiver": "notice_audit.gate",
    "AuditReport": "notice_audit.model",
    "BaselineUse": "notice_audit.model",
    "Document": "notice_audit.model",
    "Evidence": "notice_audit.model",
    "Failure": "notice_audit.model",
    "Finding": "notice_audit.model",
    "GateSummary": "notice_audit.model",
    "ItemResult": "notice_audit.model",
    "Locator": "notice_audit.model",
    "NoticeReport": "notice_audit.model",
    "Page": "notice_audit.model",
    "ParentCoverage": "notice_audit.model",
    "SkippedTarget": "notice_audit.model",
    "Suggestion": "notice_audit.model",
    "TargetError": "notice_audit.model",
    "WaiverState": "notice_audit.model",
    "WaiverUse": "notice_audit.model",
    "Checklist": "notice_audit.rules.checklist",
    "Item": "notice_audit.rules.checklist",
    "load_checklist": "notice_audit.rules.checklist",
    "__version__": "notice_audit.version",
}


def __getattr__(name: str) -> _typing.Any:
    """A public name, imported from its module the first time it is asked for, then kept in the package."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
