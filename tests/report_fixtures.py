"""A hand-built AuditReport for the report-format tests, hostile strings included."""

from __future__ import annotations

from notice_audit.model import AuditReport, Evidence, ItemResult, Locator, NoticeReport, TargetError

GOOD_SOURCE = "https://council.example/privacy"
BAD_SOURCE = "notices/bad | notice.html"

HOSTILE_QUOTE = "We share data with the police | courts <script>alert(1)</script> and `rm -rf` [bold]x[/bold]"
HOSTILE_TITLE = "# Privacy *notice* | <b>Council</b> [bold]x[/bold]"


def _loc(source: str, *path: str, line: int | None = None, fragment: str | None = None) -> Locator:
    return Locator(source=source, heading_path=path, line=line, fragment=fragment)


def good_notice() -> NoticeReport:
    """A passing notice with met, partial and not_applicable items, all with evidence."""
    items = (
        ItemResult(
            id="controller_identity",
            title="Controller identity",
            status="met",
            severity="high",
            weight=3,
            message="Controller named",
            evidence=(
                Evidence(
                    "Example Council is the data controller for the personal information we hold.",
                    _loc(GOOD_SOURCE, "Who we are", fragment="who-we-are"),
                ),
            ),
            reference="UK GDPR Art 13(1)(a)",
        ),
        ItemResult(
            id="recipients",
            title="Recipients",
            status="met",
            severity="medium",
            weight=2,
            message="Recipients | named",
            evidence=(
                Evidence(HOSTILE_QUOTE, _loc(GOOD_SOURCE, "Sharing", "With <others>", fragment="sharing")),
                Evidence("We also share with schools.", _loc(GOOD_SOURCE, "Sharing", fragment="sharing")),
            ),
        ),
        ItemResult(
            id="retention",
            title="Retention",
            status="partial",
            severity="medium",
            weight=2,
            message="Retention stated vaguely",
            evidence=(
                Evidence(
                    "We keep records for as long as necessary\nand no longer.",
                    _loc(GOOD_SOURCE, "How long we keep it"),
                ),
            ),
            guidance="Give a period or the criteria used to set it.",
            reference="UK GDPR Art 13(2)(a)",
            link="https://ico.org.uk/retention",
            looked_for="a retention period or criteria",
        ),
        ItemResult(
            id="automated_decision_making",
            title="Automated decision-making",
            status="not_applicable",
            severity="low",
            weight=1,
            message="No automated decisions are made",
        ),
    )
    extracted = {
        "lawful_bases": ["public_task", "consent"],
        "special_category_conditions": ["substantial_public_interest"],
        "statutes": [
            {"title": "Children Act", "year": 1989, "section": "83", "text": "Children Act 1989 s83"}
        ],
        "rights": ["access", "erasure"],
        "recipients": [{"text": "police | courts", "category": "law_enforcement"}],
        "contacts": {
            "emails": ["dpo@council.example"],
            "phones": ["01234 567890"],
            "postcodes": [],
            "urls": [],
        },
        "retention": [{"text": "six years", "period": "P6Y"}],
    }
    return NoticeReport(
        source=GOOD_SOURCE, title=HOSTILE_TITLE, score=87.5, passed=True, items=items, extracted=extracted
    )


def bad_notice() -> NoticeReport:
    """A failing notice with missing and failed items and sparse extracted values."""
    items = (
        ItemResult(
            id="dpo_contact",
            title="DPO contact",
            status="missing",
            severity="high",
            weight=3,
            message="No DPO contact found",
            looked_for="an email or postal address for the data protection officer",
            guidance="Publish how to contact your DPO.",
            reference="UK GDPR Art 13(1)(b)",
            link="https://ico.org.uk/dpo",
        ),
        ItemResult(
            id="complaint_to_ico",
            title="Complaint to the ICO",
            status="missing",
            severity="medium",
            weight=2,
            message="No mention of complaining to the ICO",
            looked_for="the right to complain to the ICO | <a> supervisory authority",
        ),
        ItemResult(
            id="outdated_legal_reference",
            title="Outdated legal reference",
            status="failed",
            severity="medium",
            weight=1,
            message="Refers to the Data Protection Act 1998",
            evidence=(
                Evidence("under the Data Protection Act 1998", _loc(BAD_SOURCE, "Your rights", line=12)),
            ),
        ),
    )
    return NoticeReport(
        source=BAD_SOURCE, title="", score=12, passed=False, items=items, extracted={"rights": ["access"]}
    )


def sample_report() -> AuditReport:
    """Two notices (one passing, one failing) and one target error."""
    return AuditReport(
        tool_version="0.1.0",
        checklist_id="uk-gdpr",
        checklist_version="2024.1",
        generated_at="2024-05-01T12:00:00Z",
        notices=(good_notice(), bad_notice()),
        errors=(TargetError("https://gone.example/privacy", "HTTP 404 | not found <html>"),),
        fail_under=50,
    )
