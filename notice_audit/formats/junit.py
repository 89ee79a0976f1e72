"""JUnit XML report, for CI systems that show test results (Jenkins, GitLab, Azure, test-report actions).

One test suite per notice and one test case per notice × checklist item, so that
a CI's test view lists every item and its history. A test case fails exactly
when the item failed the notice's gate (``NoticeReport.gate_items()``: gating
gaps and expired waivers); a score under the threshold is one more failing case
("score"). Not-applicable and actively waived items are skipped; other gaps and
partial items pass but explain themselves in ``<system-out>``, so that nothing
is hidden yet only the gate turns the build red. Targets that could not be
audited are ``<error>`` cases of a suite named "errors".

A target that does not read as a privacy notice (``NoticeReport.status``) has its item cases skipped
("not judged") and one case more, ``not_a_notice``: skipped with the reasons, or failed with them
when the run fails such targets. Its suite has the property ``status`` = ``not_a_notice``.

Elements and attributes are those of the common (Jenkins) JUnit schema.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from notice_audit.fetch import is_url
from notice_audit.formats.base import Format
from notice_audit.formats.common import gate_note, needs_looked_for
from notice_audit.model import AuditReport, ItemResult, NoticeReport

# Characters XML 1.0 cannot hold at all, even escaped.
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: AuditReport) -> str:
    root = ET.Element("testsuites", name="notice-audit")
    for notice in report.notices:
        root.append(_suite(notice, report))
    if report.errors:
        root.append(_errors(report))
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root)))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _clean(value: object) -> str:
    return _INVALID_XML.sub("\ufffd", str(value))


def _one_line(value: object) -> str:
    return " ".join(_clean(value).split())


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text:
        el.text = _clean(text)
    return el


def _suite(notice: NoticeReport, report: AuditReport) -> ET.Element:
    suite = ET.Element("testsuite", name=_one_line(notice.source))
    props = ET.SubElement(suite, "properties")
    values = {"score": f"{notice.score:g}", "passed": str(notice.passed).lower(), "title": notice.title,
              "checklist": f"{report.checklist_id} {report.checklist_version}"}
    if not notice.is_notice:
        values["status"] = notice.status
    for name, value in values.items():
        if value:
            _element(props, "property", name=name, value=_one_line(value))
    if notice.is_notice:
        _cases(suite, notice)
    else:
        _not_a_notice_cases(suite, notice)
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("errors", "0")
    suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
    suite.set("time", "0")
    return suite


def _not_a_notice_cases(suite: ET.Element, notice: NoticeReport) -> None:
    """Every item skipped as not judged, then the verdict: skipped with the reasons, or failed with them."""
    source = _one_line(notice.source)
    for item in notice.items:
        name = f"{item.id}: {item.title}" if item.title else item.id
        case = _element(suite, "testcase", classname=source, name=_one_line(name), time="0")
        _element(case, "skipped", message="not judged: the target is not a privacy notice")
    reasons = "; ".join(notice.status_reasons)
    case = _element(suite, "testcase", classname=source, name="not_a_notice", time="0")
    if notice.passed:
        _element(case, "skipped", message=_one_line(f"not a notice: {reasons}"))
    else:
        _element(case, "failure", "\n".join(notice.status_reasons), message=_one_line(f"not a notice: {reasons}"),
                 type="not_a_notice")


def _cases(suite: ET.Element, notice: NoticeReport) -> None:
    """A notice's item cases, then a case for each gate failure not tied to a listed item."""
    gate_items = notice.gate_items()
    reasons = {f.item: f.reason for f in notice.failures if f.item}
    for item in notice.items:
        _case(suite, notice, item, item.id in gate_items or bool(item.waiver and item.waiver.expired),
              reasons.get(item.id, ""))
    known = {i.id for i in notice.items}
    for item_id in sorted(gate_items - known):  # a gate failure for an item the report does not list
        case = _element(suite, "testcase", classname=_one_line(notice.source), name=item_id, time="0")
        _element(case, "failure", reasons[item_id], message=_one_line(reasons[item_id]), type="gate")
    others = [f.reason for f in notice.failures if not f.item]
    if others:
        case = _element(suite, "testcase", classname=_one_line(notice.source), name="score", time="0")
        _element(case, "failure", "\n".join(others), message=_one_line("; ".join(others)), type="score")
    elif not notice.passed and not notice.failures:
        why = "the notice failed its gate; this report (written before gates recorded reasons) does not say why"
        case = _element(suite, "testcase", classname=_one_line(notice.source), name="gate", time="0")
        _element(case, "failure", why, message=why, type="gate")


def _case(suite: ET.Element, notice: NoticeReport, item: ItemResult, failed: bool, reason: str) -> None:
    name = f"{item.id}: {item.title}" if item.title else item.id
    attrs = {"classname": _one_line(notice.source), "name": _one_line(name), "time": "0"}
    if not is_url(notice.source):
        attrs["file"] = notice.source
        line = next((e.locator.line for e in item.evidence if e.locator.line is not None), None)
        if line is None and item.status == "missing":
            line = 1
        if line is not None:
            attrs["line"] = str(line)
    case = _element(suite, "testcase", **attrs)
    waiver = item.waiver
    if failed:
        message = reason or f"{item.status} ({item.severity})"
        if item.message:
            message += f": {item.message}"
        _element(case, "failure", _details(item), message=_one_line(message), type=item.status)
    elif item.status == "not_applicable":
        _element(case, "skipped", message=_one_line(f"not applicable: {item.message}"))
    elif waiver:
        _element(case, "skipped", message=_one_line(
            f"waived until {waiver.expires}: {waiver.reason} ({waiver.owner})"))
        _element(case, "system-out", _details(item))
    elif item.status != "met":
        _element(case, "system-out", _details(item))


def _details(item: ItemResult) -> str:
    """Everything a reader needs to check or fix the item, one fact per line."""
    lines = [f"{item.title or item.id}: {item.status} ({item.severity})"]
    if item.message:
        lines.append(item.message)
    if needs_looked_for(item):
        lines.append(f"Looked for: {item.looked_for}")
    lines += [f"Evidence: “{_one_line(e.quote)}” at {e.locator}" for e in item.evidence]
    note = gate_note(item)
    if note:
        lines.append(f"Gate: {note}")
    if item.guidance:
        lines.append(f"Guidance: {item.guidance}")
    reference = " ".join(x for x in (item.reference, item.link) if x)
    if reference:
        lines.append(f"Reference: {reference}")
    return "\n".join(lines)


def _errors(report: AuditReport) -> ET.Element:
    suite = ET.Element("testsuite", name="errors", tests=str(len(report.errors)), failures="0",
                       errors=str(len(report.errors)), skipped="0", time="0")
    for error in report.errors:
        case = _element(suite, "testcase", classname="errors", name=_one_line(error.target), time="0")
        _element(case, "error", error.error, message=_one_line(error.error), type="TargetError")
    return suite


FORMAT = Format("junit", ("junit.xml", "xml"), render)
