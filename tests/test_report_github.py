"""GitHub Actions output: workflow-command annotations that a notice's text cannot break out of, placed
on the file and line for local notices, and a short job summary."""

from __future__ import annotations

import dataclasses
import re

import pytest

from notice_audit.formats import github, markdown
from notice_audit.formats.registry import FORMATS
from notice_audit.model import Evidence, Failure, ItemResult, Locator, NoticeReport, TargetError
from tests.report_fixtures import BAD_SOURCE, sample_report
from tests.test_report_sarif import LOCAL, PAGE, gated_report

_COMMAND = re.compile(r"::(?P<level>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)")


def _unescape(value: str) -> str:
    """What GitHub's runner does to a command's values (the inverse of the escaping under test)."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(code, char)
    return value


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """(level, properties, message) of one workflow command, as the runner reads it."""
    assert "\n" not in line and "\r" not in line
    m = _COMMAND.fullmatch(line)
    assert m, line
    props = {}
    for pair in (m.group("props") or "").split(","):
        if pair:
            key, _, value = pair.partition("=")
            props[key] = _unescape(value)
    return m.group("level"), props, _unescape(m.group("message"))


def _annotations(report: object) -> list[tuple[str, dict[str, str], str]]:
    return [parse(line) for line in github.annotation_lines(report)]  # type: ignore[arg-type]


# --- escaping -----------------------------------------------------------------------------------------

HOSTILE = "50% done\r\nnext::error file=x,line=1::pwned, a:b %0A"


def test_escaping_follows_githubs_rules() -> None:
    assert github.escape_data(HOSTILE) == "50%25 done%0D%0Anext::error file=x,line=1::pwned, a:b %250A"
    assert github.escape_property(HOSTILE) == (
        "50%25 done%0D%0Anext%3A%3Aerror file=x%2Cline=1%3A%3Apwned%2C a%3Ab %250A")
    assert _unescape(github.escape_property(HOSTILE)) == HOSTILE
    line = github.command("warning", HOSTILE, file="a,b:c.md", line=3, endLine=None, title=HOSTILE)
    title, message = github.escape_property(HOSTILE), github.escape_data(HOSTILE)
    assert line == f"::warning file=a%2Cb%3Ac.md,line=3,title={title}::{message}"
    assert github.command("notice", "plain") == "::notice::plain"


def test_hostile_notice_text_stays_inside_one_annotation() -> None:
    source = "site/we,ird:name %41.html"
    item = ItemResult(id="dpo_contact", title=HOSTILE, status="failed", severity="required", weight=1,
                      message="an outdated reference",
                      looked_for=HOSTILE, evidence=(Evidence(HOSTILE, Locator(source, (HOSTILE,), line=4)),))
    notice = NoticeReport(source=source, title=HOSTILE, score=0, passed=False, items=(item,), extracted={},
                          failures=(Failure("dpo_contact", "failed (required)"),))
    report = dataclasses.replace(sample_report(), notices=(notice,), errors=(TargetError(source, HOSTILE),))
    lines = github.annotation_lines(report)
    assert len(lines) == 2
    level, props, message = parse(lines[0])
    assert level == "error"
    assert props == {"file": source, "line": "4", "title": f"notice-audit: {HOSTILE} failed"}
    assert message.startswith(f"{HOSTILE} (dpo_contact) is failed (required) in {source} ({HOSTILE}).\n")
    assert f"Looked for: {HOSTILE}\n" in message
    # Evidence quotes are folded to one line by the annotation itself; the message keeps its own lines.
    assert "Evidence: “50% done next::error file=x,line=1::pwned, a:b %0A” at" in message
    assert parse(lines[1]) == ("error", {"file": source, "title": "notice-audit: could not audit"},
                               f"{source}: {HOSTILE}")


# --- annotations ----------------------------------------------------------------------------------------


def test_a_gating_gap_in_a_local_file_is_an_error_at_its_file_and_line() -> None:
    anns = _annotations(gated_report())
    errors = [(p, m) for level, p, m in anns if level == "error" and p.get("title", "").endswith("Retention failed")]
    [(props, message)] = errors
    assert props == {"file": LOCAL, "line": "7", "endLine": "8", "title": "notice-audit: Retention failed"}
    assert "Waiver expired on 2020-01-31 by records@council.example" in message
    assert "Evidence: “We keep everything forever.” at site/privacy/main notice.html:7-8 § Retention" in message
    [(dpo_props, dpo_message)] = [(p, m) for level, p, m in anns
                                  if level == "error" and p.get("file") == LOCAL and "(dpo_contact)" in m]
    assert dpo_props["line"] == "1"  # missing: no place in the file, so its start
    assert "Main notice: privacy, data" in dpo_message and "New since the baseline." in dpo_message


def test_levels_follow_the_gate_waivers_and_severity() -> None:
    summary = [(level, p.get("file"), p.get("title")) for level, p, _ in _annotations(gated_report())]
    assert summary == [
        ("error", LOCAL, "notice-audit: Dpo contact missing"),
        ("notice", LOCAL, "notice-audit: Complaint to ico missing"),  # waived
        ("error", LOCAL, "notice-audit: Retention failed"),  # its waiver expired
        ("warning", LOCAL, "notice-audit: Transfers missing"),  # a non-gating gap
        ("error", LOCAL, "notice-audit: gate"),  # the score
        ("error", None, f"notice-audit: Dpo contact missing at {PAGE}"),
        ("error", "site/privacy/broken.pdf", "notice-audit: could not audit"),
    ]
    # Partial, met and not-applicable items are left to the reports.
    assert not [m for _, _, m in _annotations(gated_report()) if "(rights)" in m or "(controller_identity)" in m]


def test_url_sources_have_no_file_and_name_the_url() -> None:
    anns = [(p, m) for _, p, m in _annotations(gated_report()) if PAGE in p.get("title", "")]
    assert len(anns) == 1
    props, message = anns[0]
    assert set(props) == {"title"}
    assert PAGE in message
    error = [p for _, p, m in _annotations(sample_report()) if m.startswith("https://gone.example/privacy")]
    assert error == [{"title": "notice-audit: could not audit https://gone.example/privacy"}]


def test_score_failures_sit_on_the_file_without_a_line() -> None:
    [(props, message)] = [(p, m) for _, p, m in _annotations(gated_report()) if p.get("title") == "notice-audit: gate"]
    assert props == {"file": LOCAL, "title": "notice-audit: gate"}
    assert message == f"{LOCAL}: score 40 is under 60"


def test_a_report_without_recorded_failures_flags_the_failed_notice() -> None:
    anns = _annotations(sample_report())
    levels = [(level, p.get("file")) for level, p, _ in anns]
    assert levels == [
        ("warning", BAD_SOURCE), ("warning", BAD_SOURCE), ("warning", BAD_SOURCE),  # gaps it cannot call gating
        ("error", BAD_SOURCE),  # the notice failed, reason unknown
        ("error", None),  # the target error
    ]
    assert "before gates recorded why" in anns[3][2]
    assert anns[2][1]["line"] == "12"


# --- the summary ----------------------------------------------------------------------------------------


def _table(md: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table under ``header``, split on unescaped pipes."""
    lines = md.splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
    width = len(re.split(r"(?<!\\)\|", header)) - 2
    assert all(len(r) == width for r in rows), rows
    return rows


def test_summary_of_a_gated_run() -> None:
    md = github.summary(gated_report())
    assert md.startswith("## notice-audit: ❌ 2 of 3 notices failed the gate\n")
    assert "**3** notices · **1** passed · **2** failed · mean score **71.7** · **1** target error" in md
    assert "Checklist `uk-gdpr` 2024.1 · fails on `required` · score under 60 fails" in md
    rows = _table(md, "| Notice | Score | Gate | Failures |")
    assert rows[0][:3] == ["site/privacy/main notice.html", "40", "❌ failed"]
    assert rows[0][3] == ("`dpo_contact`: missing (required); `retention`: failed (recommended); its waiver expired"
                          " on 2020-01-31 (owner: records@council.example); score 40 is under 60")
    assert rows[1] == [f"[{PAGE}]({PAGE})", "75", "❌ failed", "`dpo_contact`: missing (required)"]
    assert rows[2] == ["/srv/notices/cctv.md", "100", "✅ passed", "—"]
    waivers = _table(md, "| Item | Target | Expires | Status | Owner | Reason |")
    assert [(w[0], w[2], w[3]) for w in waivers] == [
        ("`complaint_to_ico`", "2099-01-31", "✅ active"),
        ("`retention`", "2020-01-31", "⛔ expired"),
        ("`*`", "2099-12-31", "➖ unused: remove it"),
    ]
    assert waivers[2][5] == "legacy \\| site"
    assert "`.github/notice-audit-baseline.json`: **2** new gaps · **3** known · **2** fixed" in md
    assert "- Fixed: `lawful_basis` in site/privacy/main notice.html" in md
    assert _table(md, "| Target | Error |") == [["site/privacy/broken.pdf", "cannot parse PDF: bad xref, at 100%"]]
    assert FORMATS["summary"].render is github.summary and FORMATS["summary"].extension == "summary.md"


def test_summary_escapes_table_cells_with_the_markdown_helpers() -> None:
    assert github.text is markdown.text and github.code is markdown.code  # one escaping, shared
    md = github.summary(sample_report())
    rows = _table(md, "| Notice | Score | Gate | Failures |")
    assert rows[1] == ["notices/bad \\| notice.html", "12", "❌ failed", "not recorded"]
    assert _table(md, "| Target | Error |") == [["https://gone.example/privacy", "HTTP 404 \\| not found &lt;html&gt;"]]
    assert "### Waivers" not in md and "### Baseline" not in md
    assert "score under 50 fails" in md


@pytest.mark.parametrize(("notices", "headline"), [
    ((), "## notice-audit: ⚠️ no notices audited"),
    ("passing", "## notice-audit: ✅ 1 notice passed the gate"),
])
def test_summary_headline(notices: object, headline: str) -> None:
    report = sample_report()
    chosen = report.notices[:1] if notices == "passing" else ()
    md = github.summary(dataclasses.replace(report, notices=chosen, errors=()))
    assert md.splitlines()[0] == headline
    assert "### Targets that could not be audited" not in md
