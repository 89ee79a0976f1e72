"""The SARIF report: valid against the official SARIF 2.1.0 schema and Microsoft's SARIF validator,
and saying where each gap is, how the gate judged it, and what a waiver or a baseline made of it.

The schema and the validator come from npm (``@microsoft/sarif-multitool``; ``.ci/sarif-deps``
installs it in ``.ci-cache/``). Without them those tests skip and say why, except under CI
(``CI=true``), where they must run.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import re
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from notice_audit.formats import sarif
from notice_audit.formats.registry import FORMATS
from notice_audit.model import (
    NOT_A_NOTICE,
    AuditReport,
    Evidence,
    Failure,
    GateSummary,
    ItemResult,
    Locator,
    NoticeReport,
    TargetError,
    WaiverState,
)
from tests.report_fixtures import BAD_SOURCE, GOOD_SOURCE, good_notice, sample_report

REPO = Path(__file__).resolve().parents[1]
MULTITOOL_DIR = REPO / ".ci-cache" / "sarif-multitool" / "node_modules" / "@microsoft" / "sarif-multitool-linux"

LOCAL = "site/privacy/main notice.html"
PAGE = "https://council.example/privacy?lang=en"
ABSOLUTE = "/srv/notices/cctv.md"
BASELINE_FILE = ".github/notice-audit-baseline.json"
ACTIVE_WAIVER = WaiverState("complaint_to_ico", "site/privacy/*", "ICO wording under legal review",
                            "ig@council.example", "2099-01-31", False)
EXPIRED_WAIVER = WaiverState("retention", "site/privacy/*", "schedule, being rewritten", "records@council.example",
                             "2020-01-31", True)


def _item(item_id: str, status: str, severity: str, *evidence: Evidence, **extra: Any) -> ItemResult:
    title = item_id.replace("_", " ").capitalize()
    return ItemResult(id=item_id, title=title, status=status, severity=severity, weight=1,  # type: ignore[arg-type]
                      message=f"{title}: {status}", evidence=evidence, **extra)


def gated_report() -> AuditReport:
    """A report as the gate leaves it: failures, an active and an expired waiver, a baseline with new,
    known and fixed gaps, a local file, a page and an absolute path, and a target error.

    Shared with the JUnit and GitHub format tests.
    """
    local = NoticeReport(
        source=LOCAL, title="Main notice: privacy, data", score=40, passed=False,
        items=(
            _item("controller_identity", "met", "required",
                  Evidence("Example Council is the controller.", Locator(LOCAL, ("Who we are",), line=3))),
            _item("dpo_contact", "missing", "required", baseline="new",
                  looked_for="an email or postal address for the DPO"),
            _item("complaint_to_ico", "missing", "recommended", baseline="known", waiver=ACTIVE_WAIVER),
            _item("retention", "failed", "recommended",
                  Evidence("We keep everything forever.", Locator(LOCAL, ("Retention",), line=7, end_line=8)),
                  Evidence("Records: 100%, always, kept", Locator(LOCAL, ("Retention", "Records"), line=9)),
                  baseline="known", waiver=EXPIRED_WAIVER),
            _item("rights", "partial", "recommended",
                  Evidence("You can ask for a copy.", Locator(LOCAL, ("Your rights",), line=20))),
            _item("transfers", "missing", "info", baseline="known"),
            _item("lawful_basis", "met", "required",
                  Evidence("We rely on public task.", Locator(LOCAL, ("Why",), line=5))),
            _item("automated_decision_making", "not_applicable", "info"),
        ),
        extracted={},
        failures=(
            Failure("dpo_contact", "missing (required)"),
            Failure("retention", "failed (recommended); its waiver expired on 2020-01-31 "
                                 "(owner: records@council.example)"),
            Failure(None, "score 40 is under 60"),
        ),
    )
    page = NoticeReport(
        source=PAGE, title="Privacy | Council", score=75, passed=False,
        items=(
            _item("controller_identity", "met", "required",
                  Evidence("We are the council.", Locator(PAGE, ("Who",), fragment="who"))),
            _item("dpo_contact", "missing", "required", baseline="new"),
            _item("retention", "partial", "recommended",
                  Evidence("We keep it as long as needed.", Locator(PAGE, ("Keeping",), fragment="how-long"))),
        ),
        extracted={},
        failures=(Failure("dpo_contact", "missing (required)"),),
    )
    absolute = NoticeReport(
        source=ABSOLUTE, title="CCTV", score=100, passed=True,
        items=(_item("controller_identity", "met", "required",
                     Evidence("We run the cameras.", Locator(ABSOLUTE, (), line=2))),),
        extracted={},
    )
    gate = GateSummary.from_json({
        "fail_under": 60,
        "fail_on": ["required"],
        "waivers": [
            {**{k: v for k, v in ACTIVE_WAIVER.to_json().items() if k != "expired"}, "status": "active"},
            {**{k: v for k, v in EXPIRED_WAIVER.to_json().items() if k != "expired"}, "status": "expired"},
            {"item": "*", "target": "old/*", "reason": "legacy | site", "owner": "web", "expires": "2099-12-31",
             "status": "unused"},
        ],
        "baseline": {
            "file": BASELINE_FILE, "new": 2, "known": 3,
            "fixed": [{"target": PAGE, "item": "retention"}, {"target": LOCAL, "item": "lawful_basis"}],
        },
    })
    return AuditReport(
        tool_version="0.1.0", checklist_id="uk-gdpr", checklist_version="2024.1",
        generated_at="2024-05-01T12:00:00Z", notices=(local, page, absolute),
        errors=(TargetError("site/privacy/broken.pdf", "cannot parse PDF:\nbad xref, at 100%"),),
        fail_under=60, gate=gate,
    )


def not_a_notice(source: str, *, failed: bool) -> NoticeReport:
    """A target that is not a notice, its gaps listed, judged under a gate that fails it (``failed``) or not."""
    reason = NOT_A_NOTICE + "it is a page of links: 6 of its 7 paragraph or list items are links"
    return NoticeReport(
        source=source, title="Privacy notices", score=0, passed=not failed,
        items=(_item("controller_identity", "missing", "required"), _item("retention", "missing", "required")),
        extracted={}, status="not_a_notice", warnings=(reason,),
        failures=(Failure(None, reason),) if failed else (),
    )


def _reports() -> dict[str, AuditReport]:
    sample = sample_report()
    return {
        "sample": sample,
        "gated": gated_report(),
        "nothing-audited": dataclasses.replace(sample, notices=(), errors=(TargetError("x.html", "gone"),)),
        "empty": dataclasses.replace(sample, notices=(), errors=()),
        "all-met": dataclasses.replace(sample, notices=(dataclasses.replace(
            good_notice(), items=tuple(i for i in good_notice().items if i.status == "met")),), errors=()),
        "not-a-notice": dataclasses.replace(sample, notices=(
            *sample.notices, not_a_notice("site/privacy/index.html", failed=False),
            not_a_notice("https://council.example/privacy/", failed=True))),
    }


#: The edge cases every CI format is validated against (the JUnit tests use them too).
REPORTS = _reports()


def _log(report: AuditReport) -> dict[str, Any]:
    return json.loads(sarif.render(report))


def _results(report: AuditReport) -> dict[tuple[str, str], dict[str, Any]]:
    """Results keyed by (notice source, item id); fixed baseline gaps under their target."""
    out = {}
    for r in _log(report)["runs"][0]["results"]:
        key = (r.get("properties", {}).get("notice") or _uri(r), r["ruleId"])
        assert key not in out, f"two results for {key}"
        out[key] = r
    return out


def _uri(result: dict[str, Any]) -> str:
    return result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


# --- the official schema and validator ------------------------------------------------------------


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI is set, so the SARIF validation tests must run: see .ci/sarif-deps)")
    pytest.skip(f"{reason}; run .ci/sarif-deps to install it")


# RFC 3986: the characters a URI may hold, and a scheme for an absolute one. jsonschema checks the
# "uri" formats only when rfc3987 is installed (it is not a dependency), so the tests check them here.
_URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _format_checker() -> FormatChecker:
    checker = FormatChecker()

    @checker.checks("uri")
    def _uri_format(value: object) -> bool:
        return not isinstance(value, str) or bool(_URI_CHARS.fullmatch(value) and _SCHEME.match(value))

    @checker.checks("uri-reference")
    def _uri_reference(value: object) -> bool:
        return not isinstance(value, str) or bool(_URI_CHARS.fullmatch(value))

    return checker


@cache
def _schema_validator() -> Draft202012Validator | None:
    path = MULTITOOL_DIR / "sarif-2.1.0.json"
    if not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=_format_checker())


def schema_errors(log: Any) -> list[str]:
    validator = _schema_validator()
    if validator is None:
        _unavailable(f"the SARIF 2.1.0 schema is not installed at {MULTITOOL_DIR / 'sarif-2.1.0.json'}")
    assert validator is not None
    return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


def multitool_validate(paths: list[Path], out: Path) -> dict[str, list[dict[str, Any]]]:
    """What ``Sarif.Multitool validate`` reports about each of several logs of distinct file names, in one run
    of the validator (a .NET program, about a second to start): each file's results (schema errors as JSON*,
    SARIF rule violations as SARIF*), by its name, after checking that no notification says it could not run.
    The validator checks every file on its own and says which file each result is about."""
    exe = MULTITOOL_DIR / "Sarif.Multitool"
    if not (exe.is_file() and os.access(exe, os.X_OK)):
        _unavailable(f"the SARIF Multitool is not installed at {exe}")
    assert len({p.name for p in paths}) == len(paths), paths
    env = {**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1", "DOTNET_CLI_TELEMETRY_OPTOUT": "1"}
    proc = subprocess.run(
        # one thread: the files are small, and a second thread only costs CPU (0.5 s a run) the tests run beside
        [str(exe), "validate", *map(str, paths), "--json-schema", str(MULTITOOL_DIR / "sarif-2.1.0.json"),
         "--output", str(out), "--log", "ForceOverwrite", "--threads", "1"],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )
    assert proc.returncode == 0 and out.is_file(), f"multitool failed ({proc.returncode}): {proc.stdout}{proc.stderr}"
    assert f"{len(paths)} files scanned" in proc.stdout or len(paths) == 1, proc.stdout
    run = json.loads(out.read_text(encoding="utf-8-sig"))["runs"][0]
    problems = [n for inv in run.get("invocations", ()) for n in inv.get("toolExecutionNotifications", ())
                if n.get("level") == "error"]
    assert not problems, f"multitool could not validate {paths}: {problems}"
    by_file: dict[str, list[dict[str, Any]]] = {p.name: [] for p in paths}
    for result in run.get("results", []):
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        by_file[uri.rsplit("/", 1)[-1]].append(result)
    return by_file


def _describe(results: list[dict[str, Any]]) -> list[str]:
    return [f"{r.get('level', 'warning')} {r['ruleId']}: {r['message'].get('arguments')}" for r in results]


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_report_is_valid_against_the_official_schema(name: str) -> None:
    assert schema_errors(_log(REPORTS[name])) == []


def test_the_schema_check_catches_what_it_should() -> None:
    log = _log(gated_report())
    bad = copy.deepcopy(log)
    bad["runs"][0]["results"][0]["level"] = "fatal"
    bad["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b|c"
    bad["runs"][0]["tool"]["driver"]["informationUri"] = "not a uri"
    errors = " ".join(schema_errors(bad))
    assert "'fatal' is not one of" in errors
    assert "'a b|c' is not a 'uri-reference'" in errors
    assert "'not a uri' is not a 'uri'" in errors


def _without_version(log: dict[str, Any]) -> None:
    del log["version"]


def _dangling_rule_index(log: dict[str, Any]) -> None:
    log["runs"][0]["results"][0]["ruleIndex"] = 999


BREAKAGES = [(_without_version, "JSON1002"), (_dangling_rule_index, "SARIF1009")]


@pytest.fixture(scope="module")
def multitool_verdicts(tmp_path_factory: pytest.TempPathFactory,
                       demo_report: AuditReport) -> dict[str, list[dict[str, Any]]]:
    """The validator's results for every report in REPORTS, for the real audit of the demo (demo.sarif) and for
    the gated report broken each way in BREAKAGES, from one run over them all (by file name: NAME.sarif,
    broken-BREAKAGE.sarif): the validator checks each file on its own, and each start costs it about a second."""
    folder = tmp_path_factory.mktemp("sarif")
    paths = []
    for name, report in [*sorted(REPORTS.items()), ("demo", demo_report)]:
        paths.append(folder / f"{name}.sarif")
        paths[-1].write_text(sarif.render(report), encoding="utf-8")
    for breakage, _ in BREAKAGES:
        log = _log(gated_report())
        breakage(log)
        paths.append(folder / f"broken{breakage.__name__}.sarif")
        paths[-1].write_text(json.dumps(log), encoding="utf-8")
    return multitool_validate(paths, folder / "validation.sarif.out")


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_the_sarif_multitool_finds_no_errors(name: str, multitool_verdicts: dict[str, list[dict[str, Any]]]) -> None:
    results = multitool_verdicts[f"{name}.sarif"]
    errors = [r for r in results if r.get("level") == "error"]
    assert errors == [], "\n".join(_describe(errors))
    # No warnings either, but one: SARIF2017 asks for a region, and a page without lines or a gap fixed
    # since the baseline has none to give (inventing one would point at the wrong place).
    log = _log(REPORTS[name])
    for r in results:
        assert r["ruleId"] == "SARIF2017", "\n".join(_describe(results))
        pointer = r["message"]["arguments"][0]
        m = re.fullmatch(r"runs\[0\]\.results\[(\d+)\]\.locations\[0\]\.physicalLocation", pointer)
        assert m, pointer
        result = log["runs"][0]["results"][int(m.group(1))]
        assert "region" not in result["locations"][0]["physicalLocation"]
        assert _uri(result).startswith("https://") or result.get("baselineState") == "absent"


@pytest.mark.parametrize(("breakage", "rule"), BREAKAGES)
def test_the_sarif_multitool_reports_a_broken_log(breakage: Any, rule: str,
                                                  multitool_verdicts: dict[str, list[dict[str, Any]]]) -> None:
    """The validator really runs, schema and SARIF rules both (it stops at schema errors)."""
    results = multitool_verdicts[f"broken{breakage.__name__}.sarif"]
    assert rule in {r["ruleId"] for r in results if r.get("level") == "error"}


# --- what the log says ------------------------------------------------------------------------------


def test_log_header_tool_and_registration() -> None:
    log = _log(gated_report())
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "notice-audit"
    assert driver["version"] == driver["semanticVersion"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    assert FORMATS["sarif"].render is sarif.render and FORMATS["sarif"].extension == "sarif"


def test_a_version_that_is_not_semver_is_not_claimed_as_one() -> None:
    driver = _log(dataclasses.replace(sample_report(), tool_version="0.1.dev3+g1234"))["runs"][0]["tool"]["driver"]
    assert driver["version"] == "0.1.dev3+g1234" and "semanticVersion" not in driver


def test_rules_are_the_items_seen_in_first_appearance_order_with_their_metadata() -> None:
    rules = _log(sample_report())["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [
        "controller_identity", "recipients", "retention", "automated_decision_making",
        "dpo_contact", "complaint_to_ico", "outdated_legal_reference",
    ]
    dpo = rules[4]
    assert dpo["name"] == "DpoContact"
    assert dpo["shortDescription"]["text"] == "DPO contact."
    assert dpo["fullDescription"]["text"] == "Publish how to contact your DPO."
    assert dpo["help"]["text"] == "Publish how to contact your DPO. Reference: UK GDPR Art 13(1)(b)."
    assert dpo["helpUri"] == "https://ico.org.uk/dpo"
    assert dpo["properties"] == {"severity": "high", "reference": "UK GDPR Art 13(1)(b)",
                                 "tags": ["privacy", "uk-gdpr", "high"]}
    recipients = rules[1]
    assert "name" not in recipients  # it would only repeat the id (SARIF1001)
    assert "helpUri" not in recipients
    # Every result points at its rule by index as well as by id.
    run = _log(gated_report())["runs"][0]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_results_only_for_items_not_met_and_levels_follow_the_gate() -> None:
    results = _results(gated_report())
    levels = {key: r["level"] for key, r in results.items() if r.get("baselineState") != "absent"}
    assert levels == {
        (LOCAL, "dpo_contact"): "error",  # failed the gate
        (LOCAL, "complaint_to_ico"): "warning",  # waived
        (LOCAL, "retention"): "error",  # its waiver expired
        (LOCAL, "rights"): "note",  # partial
        (LOCAL, "transfers"): "warning",  # a gap of a non-gating severity
        (PAGE, "dpo_contact"): "error",
        (PAGE, "retention"): "note",
    }
    assert all(r["kind"] == "fail" for key, r in results.items() if key in levels)


def test_a_report_without_recorded_failures_gives_warnings_not_errors() -> None:
    """A report written before gates existed says a notice failed but not which items failed it."""
    levels = {key: r["level"] for key, r in _results(sample_report()).items()}
    assert levels == {
        (GOOD_SOURCE, "retention"): "note",
        (BAD_SOURCE, "dpo_contact"): "warning",
        (BAD_SOURCE, "complaint_to_ico"): "warning",
        (BAD_SOURCE, "outdated_legal_reference"): "warning",
    }


def test_local_files_are_located_by_relative_uri_and_line() -> None:
    log = _log(gated_report())
    run = log["runs"][0]
    results = _results(gated_report())
    retention = results[(LOCAL, "retention")]["locations"][0]["physicalLocation"]
    assert retention == {
        "artifactLocation": {"uri": "site/privacy/main%20notice.html", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 7, "endLine": 8},
    }
    assert run["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"]
    rights = results[(LOCAL, "rights")]["locations"][0]["physicalLocation"]
    assert rights["region"] == {"startLine": 20}


def test_a_missing_item_points_at_the_start_of_the_file_and_says_so() -> None:
    result = _results(gated_report())[(LOCAL, "dpo_contact")]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    text = result["message"]["text"]
    assert "start of the file" in text
    assert text.startswith(
        "Dpo contact is missing in notice 'Main notice: privacy, data' (site/privacy/main notice.html).")
    assert "Dpo contact: missing." in text
    assert "Looked for: an email or postal address for the DPO." in text


def test_pages_are_located_by_url_and_evidence_fragment() -> None:
    results = _results(gated_report())
    partial = results[(PAGE, "retention")]["locations"][0]["physicalLocation"]
    assert partial == {"artifactLocation": {"uri": PAGE + "#how-long"}}
    missing = results[(PAGE, "dpo_contact")]
    assert missing["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": PAGE}}
    assert "start of the file" not in missing["message"]["text"]
    assert PAGE in missing["message"]["text"]


@pytest.mark.parametrize(("source", "uri", "base"), [
    ("notices/bad | notice.html", "notices/bad%20%7C%20notice.html", "%SRCROOT%"),
    ("./a/../notices/x:y#1?.md", "notices/x%3Ay%231%3F.md", "%SRCROOT%"),
    ("/srv/notices/café notice.md", "file:///srv/notices/caf%C3%A9%20notice.md", None),
    ("https://x.example/a b/é?q=1&r=50%", "https://x.example/a%20b/%C3%A9?q=1&r=50%25", None),
    ("https://x.example/already%20encoded", "https://x.example/already%20encoded", None),
])
def test_artifact_uris_are_valid_uris(source: str, uri: str, base: str | None) -> None:
    assert sarif.artifact_uri(source) == (uri, base)
    assert _URI_CHARS.fullmatch(uri)


def test_an_absolute_path_becomes_a_file_uri() -> None:
    notice = dataclasses.replace(gated_report().notices[2], items=(
        _item("dpo_contact", "failed", "required", Evidence("x", Locator(ABSOLUTE, (), line=4))),
    ))
    result = _log(dataclasses.replace(gated_report(), notices=(notice,)))["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "file:///srv/notices/cctv.md"}, "region": {"startLine": 4}}


def test_extra_evidence_becomes_related_locations_with_the_quote() -> None:
    result = _results(gated_report())[(LOCAL, "retention")]
    assert "“We keep everything forever.”" in result["message"]["text"]
    related = result["relatedLocations"]
    assert len(related) == 1
    assert related[0]["id"] == 1
    assert related[0]["physicalLocation"]["region"] == {"startLine": 9}
    assert related[0]["message"]["text"] == (
        "“Records: 100%, always, kept” (site/privacy/main notice.html:9 § Retention > Records).")
    assert "relatedLocations" not in _results(gated_report())[(LOCAL, "rights")]


def test_active_waivers_are_external_suppressions_and_expired_ones_are_not() -> None:
    results = _results(gated_report())
    waived = results[(LOCAL, "complaint_to_ico")]
    assert waived["suppressions"] == [{
        "kind": "external", "status": "accepted",
        "justification": "ICO wording under legal review (owner: ig@council.example; expires 2099-01-31)",
    }]
    assert "Waived until 2099-01-31 by ig@council.example" in waived["message"]["text"]
    expired = results[(LOCAL, "retention")]
    assert "suppressions" not in expired
    assert expired["level"] == "error"
    assert "Waiver expired on 2020-01-31" in expired["message"]["text"]
    assert expired["properties"]["waiver"]["expired"] is True
    assert sum("suppressions" in r for r in results.values()) == 1


def test_baseline_states_and_fixed_gaps() -> None:
    results = _results(gated_report())
    states = {key: r.get("baselineState") for key, r in results.items()}
    assert states[(LOCAL, "dpo_contact")] == "new"
    assert states[(LOCAL, "complaint_to_ico")] == "unchanged"
    assert states[(LOCAL, "transfers")] == "unchanged"
    # A recorded gap that is now only partial is the same result, changed.
    assert states[(PAGE, "retention")] == "updated"
    # A recorded gap that is now met is listed as absent, so that a viewer can close it.
    fixed = [r for r in results.values() if r.get("baselineState") == "absent"]
    assert len(fixed) == 1
    assert fixed[0]["ruleId"] == "lawful_basis"
    assert (fixed[0]["kind"], fixed[0]["level"]) == ("pass", "none")
    assert fixed[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "site/privacy/main%20notice.html"
    assert BASELINE_FILE in fixed[0]["message"]["text"]
    assert fixed[0]["partialFingerprints"] == {"noticeAudit/v1": sarif.fingerprint(LOCAL, "lawful_basis")}
    # Without a baseline there are no baseline states at all.
    assert not any("baselineState" in r for r in _results(sample_report()).values())


def test_a_fixed_gap_of_an_item_no_notice_lists_gets_a_rule_of_its_own() -> None:
    report = gated_report()
    assert report.gate is not None
    assert report.gate is not None and report.gate.baseline is not None
    baseline = dataclasses.replace(report.gate.baseline, fixed=((LOCAL, "retired_item"),))
    log = _log(dataclasses.replace(report, gate=dataclasses.replace(report.gate, baseline=baseline)))
    run = log["runs"][0]
    [fixed] = [r for r in run["results"] if r.get("baselineState") == "absent"]
    rule = run["tool"]["driver"]["rules"][fixed["ruleIndex"]]
    assert rule == {"id": "retired_item", "name": "RetiredItem", "shortDescription": {"text": "retired_item."}}
    assert schema_errors(log) == []


def test_fingerprints_are_stable_and_distinct() -> None:
    results = _results(gated_report())
    prints = [r["partialFingerprints"]["noticeAudit/v1"] for r in results.values()]
    assert len(set(prints)) == len(prints)
    assert all(re.fullmatch(r"[0-9a-f]{64}", p) for p in prints)
    assert results[(LOCAL, "dpo_contact")]["partialFingerprints"]["noticeAudit/v1"] == sarif.fingerprint(
        "./site/privacy/main notice.html", "dpo_contact")
    assert sarif.fingerprint(LOCAL, "dpo_contact") != sarif.fingerprint(PAGE, "dpo_contact")


def test_output_is_deterministic() -> None:
    assert sarif.render(gated_report()) == sarif.render(gated_report())
    assert sarif.render(gated_report()).endswith("}\n")


def test_target_errors_are_tool_notifications() -> None:
    invocation = _log(gated_report())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"] == "Could not audit site/privacy/broken.pdf: cannot parse PDF: bad xref, at 100%."
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "site/privacy/broken.pdf"
    nothing = _log(REPORTS["nothing-audited"])["runs"][0]
    assert nothing["invocations"][0]["executionSuccessful"] is False
    assert nothing["results"] == []
    empty = _log(REPORTS["empty"])["runs"][0]
    assert empty["invocations"] == [{"executionSuccessful": True}]
    assert "originalUriBaseIds" not in empty


def test_hostile_text_is_kept_verbatim_in_json() -> None:
    text = sarif.render(sample_report())
    log = json.loads(text)
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "retention")
    assert "'# Privacy *notice* | <b>Council</b> [bold]x[/bold]'" in result["message"]["text"]
    # Newlines in quotes are folded so that the message stays one line.
    assert "as long as necessary and no longer" in result["message"]["text"]


# --- a real audit, gated --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_report() -> AuditReport:
    """The demo site audited for real (real locators and checklist texts) and gated with a waiver."""
    from datetime import date

    from notice_audit.auditor import audit_targets
    from notice_audit.gate import GatePolicy, Waiver, apply_gate
    from notice_audit.rules.checklist import load_checklist

    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)
        report = audit_targets(["notice_audit/demo/site/privacy"], load_checklist("uk-gdpr"))
    waiver = Waiver("*", "*council-tax*", "being rewritten", "web team", date(2099, 1, 31))
    return apply_gate(report, GatePolicy(fail_under=60, waivers=(waiver,)))


def test_a_real_audit_is_valid_and_every_result_is_at_a_line_of_its_file(
        demo_report: AuditReport, multitool_verdicts: dict[str, list[dict[str, Any]]]) -> None:
    log = _log(demo_report)
    assert schema_errors(log) == []
    assert multitool_verdicts["demo.sarif"] == []
    results = log["runs"][0]["results"]
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    assert any("suppressions" in r for r in results)
    for result in results:
        for loc in [*result["locations"], *result.get("relatedLocations", ())]:
            physical = loc["physicalLocation"]
            assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            file = REPO / physical["artifactLocation"]["uri"]
            assert file.is_file(), file
            assert 1 <= physical["region"]["startLine"] <= len(file.read_bytes().splitlines())
