"""The JUnit XML report: valid against the common (Jenkins) JUnit schema, with a failing test case
exactly for what failed a notice's gate, and every other gap explained without failing the build."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest
from lxml import etree

from notice_audit.formats import junit
from notice_audit.formats.registry import FORMATS
from notice_audit.model import AuditReport, Evidence, Failure, ItemResult, Locator, NoticeReport, TargetError
from tests.report_fixtures import BAD_SOURCE, GOOD_SOURCE, HOSTILE_QUOTE, sample_report
from tests.test_report_sarif import LOCAL, PAGE, REPORTS, gated_report  # the same edge cases as SARIF

# The elements and attributes notice-audit writes, as the Jenkins JUnit plugin's schema
# (junit-4.xsd lineage) defines them: what CI test views accept.
JUNIT_XSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:simpleType name="count"><xs:restriction base="xs:nonNegativeInteger"/></xs:simpleType>
  <xs:simpleType name="seconds"><xs:restriction base="xs:decimal"><xs:minInclusive value="0"/></xs:restriction>
  </xs:simpleType>
  <xs:complexType name="problem" mixed="true">
    <xs:attribute name="message" type="xs:string"/>
    <xs:attribute name="type" type="xs:string"/>
  </xs:complexType>
  <xs:element name="skipped">
    <xs:complexType mixed="true"><xs:attribute name="message" type="xs:string"/></xs:complexType>
  </xs:element>
  <xs:element name="failure" type="problem"/>
  <xs:element name="error" type="problem"/>
  <xs:element name="system-out" type="xs:string"/>
  <xs:element name="system-err" type="xs:string"/>
  <xs:element name="property">
    <xs:complexType>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="value" type="xs:string" use="required"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="properties">
    <xs:complexType><xs:sequence><xs:element ref="property" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
  </xs:element>
  <xs:element name="testcase">
    <xs:complexType>
      <xs:sequence>
        <xs:choice minOccurs="0" maxOccurs="unbounded">
          <xs:element ref="skipped"/>
          <xs:element ref="error"/>
          <xs:element ref="failure"/>
          <xs:element ref="system-out"/>
          <xs:element ref="system-err"/>
        </xs:choice>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="classname" type="xs:string"/>
      <xs:attribute name="time" type="seconds"/>
      <xs:attribute name="file" type="xs:string"/>
      <xs:attribute name="line" type="xs:positiveInteger"/>
      <xs:attribute name="assertions" type="count"/>
      <xs:attribute name="status" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuite">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="properties" minOccurs="0"/>
        <xs:element ref="testcase" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="system-out" minOccurs="0"/>
        <xs:element ref="system-err" minOccurs="0"/>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="tests" type="count" use="required"/>
      <xs:attribute name="failures" type="count"/>
      <xs:attribute name="errors" type="count"/>
      <xs:attribute name="skipped" type="count"/>
      <xs:attribute name="disabled" type="count"/>
      <xs:attribute name="time" type="seconds"/>
      <xs:attribute name="timestamp" type="xs:string"/>
      <xs:attribute name="hostname" type="xs:string"/>
      <xs:attribute name="id" type="xs:string"/>
      <xs:attribute name="package" type="xs:string"/>
      <xs:attribute name="file" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuites">
    <xs:complexType>
      <xs:sequence><xs:element ref="testsuite" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      <xs:attribute name="name" type="xs:string"/>
      <xs:attribute name="tests" type="count"/>
      <xs:attribute name="failures" type="count"/>
      <xs:attribute name="errors" type="count"/>
      <xs:attribute name="skipped" type="count"/>
      <xs:attribute name="disabled" type="count"/>
      <xs:attribute name="time" type="seconds"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""
SCHEMA = etree.XMLSchema(etree.fromstring(JUNIT_XSD))




def _root(report: AuditReport) -> ET.Element:
    return ET.fromstring(junit.render(report).encode("utf-8"))


def _suite(root: ET.Element, name: str) -> ET.Element:
    [suite] = [s for s in root.findall("testsuite") if s.get("name") == name]
    return suite


def _case(suite: ET.Element, name: str) -> ET.Element:
    [case] = [c for c in suite.findall("testcase") if c.get("name") == name]
    return case


def schema_errors(xml: str) -> list[str]:
    doc = etree.fromstring(xml.encode("utf-8"))
    SCHEMA.validate(doc)
    return [str(e) for e in SCHEMA.error_log]


def test_registered_as_a_format() -> None:
    assert FORMATS["junit"].render is junit.render
    assert FORMATS["junit"].extension == "junit.xml"


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_valid_against_the_junit_schema_with_consistent_counts(name: str) -> None:
    xml = junit.render(REPORTS[name])
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert schema_errors(xml) == []
    root = ET.fromstring(xml.encode("utf-8"))
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "")) == len(cases)
        for tag, attr in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            assert int(suite.get(attr, "")) == sum(1 for c in cases if c.find(tag) is not None)
    for attr in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(attr, "")) == sum(int(s.get(attr, "")) for s in root.findall("testsuite"))


def test_the_schema_check_rejects_what_ci_tools_would() -> None:
    xml = junit.render(gated_report())
    assert schema_errors(xml.replace('<testcase classname="https', '<testcase nameless="1" classname="https', 1))
    assert schema_errors(xml.replace('tests="3"', 'tests="three"', 1))
    assert schema_errors(xml.replace("<properties>", "<properties><failure/>", 1))


def test_one_suite_per_notice_and_one_case_per_item() -> None:
    root = _root(gated_report())
    assert root.get("name") == "notice-audit"
    assert [s.get("name") for s in root.findall("testsuite")] == [LOCAL, PAGE, "/srv/notices/cctv.md", "errors"]
    local = _suite(root, LOCAL)
    assert [c.get("name") for c in local.findall("testcase")] == [
        "controller_identity: Controller identity", "dpo_contact: Dpo contact",
        "complaint_to_ico: Complaint to ico", "retention: Retention", "rights: Rights",
        "transfers: Transfers", "lawful_basis: Lawful basis",
        "automated_decision_making: Automated decision making", "score",
    ]
    assert {c.get("classname") for c in local.findall("testcase")} == {LOCAL}
    counts = tuple(local.get(k) for k in ("tests", "failures", "skipped", "errors"))
    assert counts == ("9", "3", "2", "0")
    props = {p.get("name"): p.get("value") for p in local.iterfind("properties/property")}
    assert props["score"] == "40" and props["passed"] == "false"
    assert props["title"] == "Main notice: privacy, data"
    page = _suite(root, PAGE)
    assert (page.get("tests"), page.get("failures"), page.get("skipped")) == ("3", "1", "0")
    cctv = _suite(root, "/srv/notices/cctv.md")
    assert cctv.get("failures") == "0"
    assert {p.get("name"): p.get("value") for p in cctv.iterfind("properties/property")}["passed"] == "true"


def test_failures_are_exactly_the_gate_failures() -> None:
    root = _root(gated_report())
    failing = {(s.get("name"), c.get("name")) for s in root.findall("testsuite") for c in s.findall("testcase")
               if c.find("failure") is not None}
    assert failing == {
        (LOCAL, "dpo_contact: Dpo contact"), (LOCAL, "retention: Retention"), (LOCAL, "score"),
        (PAGE, "dpo_contact: Dpo contact"),
    }
    local = _suite(root, LOCAL)
    dpo = _case(local, "dpo_contact: Dpo contact").find("failure")
    assert dpo is not None
    assert dpo.get("type") == "missing"
    assert dpo.get("message") == "missing (required): Dpo contact: missing"
    assert "Looked for: an email or postal address for the DPO" in (dpo.text or "")
    assert "Gate: new since baseline" in (dpo.text or "")
    retention = _case(local, "retention: Retention").find("failure")
    assert retention is not None
    assert "its waiver expired on 2020-01-31" in retention.get("message", "")
    # Evidence quotes with their locators, so the failure can be checked without the report.
    assert "“We keep everything forever.” at site/privacy/main notice.html:7-8 § Retention" in (retention.text or "")
    assert "“Records: 100%, always, kept” at site/privacy/main notice.html:9 § Retention > Records" in (
        retention.text or "")
    score = _case(local, "score").find("failure")
    assert score is not None
    assert (score.get("type"), score.get("message")) == ("score", "score 40 is under 60")


def test_not_applicable_and_waived_items_are_skipped() -> None:
    local = _suite(_root(gated_report()), LOCAL)
    na = _case(local, "automated_decision_making: Automated decision making").find("skipped")
    assert na is not None
    assert na.get("message") == "not applicable: Automated decision making: not_applicable"
    waived = _case(local, "complaint_to_ico: Complaint to ico")
    skipped = waived.find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "waived until 2099-01-31: ICO wording under legal review (ig@council.example)"
    assert waived.find("failure") is None


def test_other_gaps_and_partial_items_pass_and_explain_themselves() -> None:
    local = _suite(_root(gated_report()), LOCAL)
    transfers = _case(local, "transfers: Transfers")
    assert transfers.find("failure") is None and transfers.find("skipped") is None
    out = transfers.findtext("system-out") or ""
    assert out.startswith("Transfers: missing (info)\n")
    assert "known (in baseline)" in out
    rights = _case(local, "rights: Rights")
    assert "“You can ask for a copy.” at site/privacy/main notice.html:20 § Your rights" in (
        rights.findtext("system-out") or "")
    met = _case(local, "controller_identity: Controller identity")
    assert list(met) == []


def test_local_cases_carry_file_and_line_and_pages_do_not() -> None:
    root = _root(gated_report())
    local = _suite(root, LOCAL)
    assert {"file": LOCAL, "line": "7"}.items() <= _case(local, "retention: Retention").attrib.items()
    assert _case(local, "dpo_contact: Dpo contact").get("line") == "1"  # missing: the start of the file
    assert "line" not in _case(local, "automated_decision_making: Automated decision making").attrib
    page = _suite(root, PAGE)
    assert all("file" not in c.attrib and "line" not in c.attrib for c in page.findall("testcase"))


def test_target_errors_are_error_cases() -> None:
    errors = _suite(_root(gated_report()), "errors")
    assert (errors.get("tests"), errors.get("errors"), errors.get("failures")) == ("1", "1", "0")
    case = _case(errors, "site/privacy/broken.pdf")
    error = case.find("error")
    assert error is not None
    assert error.get("message") == "cannot parse PDF: bad xref, at 100%"
    assert error.text == "cannot parse PDF:\nbad xref, at 100%"
    assert "errors" not in {s.get("name") for s in _root(dataclasses.replace(gated_report(), errors=())).iter()}


def test_a_failed_notice_from_a_report_without_reasons_still_fails() -> None:
    root = _root(sample_report())
    bad = _suite(root, BAD_SOURCE)
    failing = [c.get("name") for c in bad.findall("testcase") if c.find("failure") is not None]
    assert failing == ["gate"]
    assert _suite(root, GOOD_SOURCE).get("failures") == "0"
    # A partial item is explained; met items carry no output (the hostile quote is a met item's).
    retention = _case(_suite(root, GOOD_SOURCE), "retention: Retention")
    assert "as long as necessary and no longer" in (retention.findtext("system-out") or "")
    assert not any(HOSTILE_QUOTE in (el.text or "") for el in root.iter())


def test_hostile_text_cannot_break_the_xml() -> None:
    nasty = "]]></failure><x>\x00\x1b & \"quote\" 'apos' \ud800 <script>"
    item = ItemResult(id="dpo_contact", title=nasty, status="missing", severity="required", weight=1,
                      message=nasty, looked_for=nasty,
                      evidence=(Evidence(nasty, Locator("n.html", (nasty,), line=3)),))
    notice = NoticeReport(source=f"n.html{nasty}", title=nasty, score=0, passed=False, items=(item,), extracted={},
                          failures=(Failure("dpo_contact", nasty),))
    report = dataclasses.replace(sample_report(), notices=(notice,), errors=(TargetError(nasty, nasty),))
    xml = junit.render(report)
    assert schema_errors(xml) == []
    root = ET.fromstring(xml.encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert "]]></failure><x>" in failure.get("message", "")
    assert "<script>" in (failure.text or "")
    assert "\x00" not in xml and "\x1b" not in xml
