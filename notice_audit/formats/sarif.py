"""SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.

One rule per checklist item seen in the report and one result per item a notice
does not meet (missing, failed, partial). The level follows the gate, not the
severity alone: ``error`` for an item that failed the notice's gate (an expired
waiver included), ``warning`` for any other gap, ``note`` for a partial item.
Results sit at the file and line of their evidence for local files (a missing
item has no place, so it points at line 1 and says so) and at the page for
URLs. Active waivers become external suppressions, baseline states are set, and
fixed baseline gaps are listed as ``absent``, so that a viewer can close them.

A target that does not read as a privacy notice (``NoticeReport.status``) gets one result of its
own, rule ``not_a_notice`` (a ``warning``, an ``error`` when the run fails such targets), saying
why, in place of one result per item it misses: those would say nothing about a page that was
never a notice.

Output is deterministic (report order throughout) so that two runs on the same
notices give the same file, and ``partialFingerprints`` are stable across runs.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from notice_audit.fetch import is_url
from notice_audit.formats.base import Format
from notice_audit.formats.common import needs_looked_for
from notice_audit.formats.people import sentence
from notice_audit.gate import normalise_target
from notice_audit.model import AuditReport, Evidence, ItemResult, Locator, NoticeReport

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/notice-audit/notice-audit"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "noticeAudit/v1"
#: The rule of a target that is not a notice (not a checklist item).
NOT_A_NOTICE_RULE = "not_a_notice"

_SEMVER = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
_HTTP = re.compile(r"https?://\S+\Z", re.IGNORECASE)
# Characters RFC 3986 allows in a URI, '%' included so that an already-encoded URL is not encoded twice.
_URI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_FRAGMENT_SAFE = ":/?@!$&'()*+,;=%~-._"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def render(report: AuditReport) -> str:
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: AuditReport) -> dict[str, Any]:
    """The SARIF log as a dict (one run)."""
    rules = _rules(report)
    index = {rule["id"]: k for k, rule in enumerate(rules)}
    baseline = report.gate.baseline if report.gate is not None else None
    fixed = set(baseline.fixed) if baseline else set()
    results: list[dict[str, Any]] = []
    updated: set[tuple[str, str]] = set()
    for notice in report.notices:
        if not notice.is_notice:
            results.append(_not_a_notice_result(notice, index[NOT_A_NOTICE_RULE]))
            continue
        for item in notice.items:
            if item.status in ("met", "not_applicable"):
                continue
            key = (normalise_target(notice.source), item.id)
            result = _result(notice, item, index)
            if key in fixed:  # a recorded gap that is now only partial
                result["baselineState"] = "updated"
                updated.add(key)
            results.append(result)
    if baseline:
        for target, item_id in baseline.fixed:
            if (target, item_id) not in updated:
                if item_id not in index:
                    index[item_id] = len(rules)
                    rules.append(_bare_rule(item_id))
                results.append(_fixed_result(target, item_id, index[item_id], baseline.file))
    run: dict[str, Any] = {
        "tool": {"driver": _driver(report, rules)},
        "invocations": [_invocation(report)],
        "results": results,
        "properties": {
            "checklist": {"id": report.checklist_id, "version": report.checklist_version},
            "generatedAt": report.generated_at,
            "summary": report.summary,
        },
    }
    if any(loc.get("uriBaseId") == SRCROOT for loc in _artifact_locations(run)):
        run["originalUriBaseIds"] = {
            SRCROOT: {"description": {"text": "The folder notice-audit ran in: local notice paths are relative to it."}}
        }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _driver(report: AuditReport, rules: list[dict[str, Any]]) -> dict[str, Any]:
    driver: dict[str, Any] = {
        "name": "notice-audit",
        "version": report.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }
    if _SEMVER.fullmatch(report.tool_version):
        driver["semanticVersion"] = report.tool_version
    return driver


def _rules(report: AuditReport) -> list[dict[str, Any]]:
    """One rule per checklist item, in order of first appearance (the first notice's wording wins)."""
    seen: dict[str, dict[str, Any]] = {}
    for notice in report.notices:
        for item in notice.items:
            if item.id not in seen:
                seen[item.id] = _rule(item, report.checklist_id)
    if any(not n.is_notice for n in report.notices):
        seen.setdefault(NOT_A_NOTICE_RULE, {
            "id": NOT_A_NOTICE_RULE,
            **_name(NOT_A_NOTICE_RULE),
            "shortDescription": {"text": "The target does not read as a privacy notice."},
            "fullDescription": {"text": "An explainer of data-protection law, a page of links or a page without "
                                        "text was audited as if it were a privacy notice."},
            "help": {"text": "Audit the notice itself, or leave this target out; the result says why it was not "
                             "taken for one."},
            "properties": {"tags": ["privacy", report.checklist_id]},
        })
    return list(seen.values())


def _rule(item: ItemResult, checklist_id: str) -> dict[str, Any]:
    title = item.title or item.id
    help_text = _sentence(item.guidance or title)
    if item.reference:
        help_text += f" Reference: {_sentence(item.reference)}"
    rule: dict[str, Any] = {
        "id": item.id,
        **_name(item.id),
        "shortDescription": {"text": _sentence(title)},
        "fullDescription": {"text": _sentence(item.guidance or title)},
        "help": {"text": help_text},
    }
    if item.link and _HTTP.match(item.link.strip()):
        rule["helpUri"] = _encode(item.link.strip(), _URI_SAFE)
    tags = list(dict.fromkeys(t for t in ("privacy", checklist_id, item.severity) if t))
    rule["properties"] = {"severity": item.severity, "reference": item.reference, "tags": tags}
    return rule


def _bare_rule(item_id: str) -> dict[str, Any]:
    """A rule for an item known only from the baseline (it no longer appears in any notice)."""
    return {"id": item_id, **_name(item_id), "shortDescription": {"text": _sentence(item_id)}}


def _name(item_id: str) -> dict[str, str]:
    """The rule's friendly name, one Pascal-case identifier by SARIF convention; omitted when it would
    only repeat the id (SARIF1001: id and name must differ)."""
    name = "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", item_id))
    return {"name": name} if name and name.lower() != item_id.lower() else {}


def _level(notice: NoticeReport, item: ItemResult) -> str:
    if item.id in notice.gate_items() or (item.waiver and item.waiver.expired):
        return "error"
    return "warning" if item.is_gap else "note"


def _result(notice: NoticeReport, item: ItemResult, index: Mapping[str, int]) -> dict[str, Any]:
    first = item.evidence[0] if item.evidence else None
    result: dict[str, Any] = {
        "ruleId": item.id,
        "ruleIndex": index[item.id],
        "kind": "fail",
        "level": _level(notice, item),
        "message": {"text": _message(notice, item, first)},
        "locations": [_location(notice.source, first.locator if first else None, missing=first is None)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(notice.source, item.id)},
    }
    if len(item.evidence) > 1:
        result["relatedLocations"] = [
            {**_location(notice.source, ev.locator), "id": k, "message": {"text": _quote(ev)}}
            for k, ev in enumerate(item.evidence[1:], 1)
        ]
    if item.baseline in ("known", "new"):
        result["baselineState"] = "unchanged" if item.baseline == "known" else "new"
    waiver = item.waiver
    if waiver and not waiver.expired:
        result["suppressions"] = [{
            "kind": "external",
            "status": "accepted",
            "justification": f"{waiver.reason} (owner: {waiver.owner}; "
                             f"expires {waiver.expires})",
        }]
    props: dict[str, Any] = {"status": item.status, "severity": item.severity, "notice": notice.source}
    if notice.title:
        props["noticeTitle"] = notice.title
    if waiver:
        props["waiver"] = waiver.to_json()
    result["properties"] = props
    return result


def _not_a_notice_result(notice: NoticeReport, rule_index: int) -> dict[str, Any]:
    """One result for a target that is not a notice: why, at the start of its file (or its page)."""
    name = f"'{notice.title}' ({notice.source})" if notice.title else notice.source
    reasons = " ".join(_sentence(sentence(r)) for r in notice.status_reasons)
    gated = " The run fails targets that are not notices." if not notice.passed else ""
    props: dict[str, Any] = {"status": notice.status, "notice": notice.source}
    if notice.title:
        props["noticeTitle"] = notice.title
    return {
        "ruleId": NOT_A_NOTICE_RULE,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": "warning" if notice.passed else "error",
        "message": {"text": f"{name} is not a privacy notice, so its items were not judged. {reasons}{gated}"},
        "locations": [_location(notice.source, None, missing=True)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(notice.source, NOT_A_NOTICE_RULE)},
        "properties": props,
    }


def _message(notice: NoticeReport, item: ItemResult, first: Evidence | None) -> str:
    name = f"'{notice.title}' ({notice.source})" if notice.title else notice.source
    parts = [f"{item.title or item.id} is {item.status.replace('_', ' ')} in notice {name}."]
    if item.message:
        parts.append(_sentence(item.message))
    if needs_looked_for(item):
        parts.append(f"Looked for: {_sentence(item.looked_for)}")
    if first is not None:
        parts.append(f"Evidence: {_quote(first)}")
    elif not is_url(notice.source):
        parts.append("Not found anywhere in the notice, so this points at the start of the file.")
    waiver = item.waiver
    if waiver:
        state = "Waiver expired on" if waiver.expired else "Waived until"
        parts.append(f"{state} {waiver.expires} by {waiver.owner}: "
                     f"{_sentence(waiver.reason)}")
    return " ".join(parts)


def _quote(ev: Evidence) -> str:
    return f"“{' '.join(ev.quote.split())}” ({ev.locator})."


def _sentence(text: str) -> str:
    """One line ending with a full stop (SARIF viewers show the first sentence of a message)."""
    s = " ".join(str(text).split())
    return s if not s or s.endswith((".", "!", "?")) else s + "."


def _fixed_result(target: str, item_id: str, rule_index: int, baseline_file: str) -> dict[str, Any]:
    return {
        "ruleId": item_id,
        "ruleIndex": rule_index,
        "kind": "pass",
        "level": "none",
        "baselineState": "absent",
        "message": {"text": f"{item_id} is no longer a gap in {target}: fixed since the baseline {baseline_file}."},
        "locations": [_location(target, None)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(target, item_id)},
    }


def fingerprint(source: str, item_id: str) -> str:
    """Identifies one item of one notice across runs (the path normalised as the gate does)."""
    return hashlib.sha256(f"{normalise_target(source)}\n{item_id}".encode()).hexdigest()


def artifact_uri(source: str, fragment: str | None = None) -> tuple[str, str | None]:
    """(uri, uriBaseId) for a notice: URLs as they are, relative paths under %SRCROOT%, absolute ones as file:."""
    if is_url(source):
        uri = _encode(source.strip(), _URI_SAFE)
        if fragment and "#" not in uri:
            uri += "#" + _encode(fragment, _FRAGMENT_SAFE)
        return uri, None
    path = normalise_target(source)
    if path.startswith("/"):
        return PurePosixPath(path).as_uri(), None
    return quote(path, safe="/"), SRCROOT


def _encode(text: str, safe: str) -> str:
    """Percent-encode what a URI may not hold, keeping existing escapes (a lone '%' becomes %25)."""
    return quote(_STRAY_PERCENT.sub("%25", text), safe=safe)


def _location(source: str, locator: Locator | None, *, missing: bool = False) -> dict[str, Any]:
    where = locator.source if locator is not None and locator.source else source
    uri, base = artifact_uri(where, locator.fragment if locator is not None else None)
    artifact: dict[str, Any] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if locator is not None and locator.line is not None:
        region = {"startLine": locator.line}
        if locator.end_line is not None and locator.end_line > locator.line:
            region["endLine"] = locator.end_line
        physical["region"] = region
    elif missing and not is_url(where):
        physical["region"] = {"startLine": 1}
    return {"physicalLocation": physical}


def _invocation(report: AuditReport) -> dict[str, Any]:
    """Targets that could not be audited are tool notifications; the run failed only if nothing was audited."""
    invocation: dict[str, Any] = {"executionSuccessful": bool(report.notices) or not report.errors}
    if report.errors:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": f"Could not audit {e.target}: {_sentence(e.error)}"},
                "locations": [_location(e.target, None)],
            }
            for e in report.errors
        ]
    return invocation


def _artifact_locations(run: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    out = []
    for result in run["results"]:
        for loc in [*result.get("locations", ()), *result.get("relatedLocations", ())]:
            out.append(loc["physicalLocation"]["artifactLocation"])
    for invocation in run["invocations"]:
        for note in invocation.get("toolExecutionNotifications", ()):
            out += [loc["physicalLocation"]["artifactLocation"] for loc in note.get("locations", ())]
    return out


FORMAT = Format("sarif", ("sarif",), render)
