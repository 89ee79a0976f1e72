"""Screening: a target that does not read as a privacy notice is said to be one, with a reason a person reads,
and real notices, even short sub-pages and truncated ones, are not."""

from __future__ import annotations

import pytest

from notice_audit.audit import assess
from notice_audit.extract import extract
from notice_audit.model import NOT_A_NOTICE, Document, Page
from notice_audit.parse import parse_page
from notice_audit.rules.checklist import load_checklist
from notice_audit.screen import Screening, rules, screen

#: Explains the law and discloses nothing of the organisation's own processing.
EXPLAINER = """<html><head><title>What is a privacy notice?</title></head><body><main>
<h1>What is a privacy notice?</h1>
<p>Data protection law gives people the right to be told how organisations use their personal information.</p>
<p>A privacy notice must explain who the controller is and how to contact them.
It must explain why the organisation needs the information and the lawful basis for using it.
It should also say who the information is shared with and how long it is kept.</p>
<p>Organisations must tell you about your rights, including the right to complain to the regulator.</p>
<p>Each council service publishes its own notice on its pages.</p>
</main></body></html>"""

#: A list of links to notices with a line of introduction.
INDEX = """<html><head><title>Privacy notices</title></head><body><main>
<h1>Privacy notices</h1>
<p>Our service privacy notices are listed below.</p>
<ul>
<li><a href="council-tax.html">Council tax privacy notice</a></li>
<li><a href="housing.html">Housing privacy notice</a></li>
<li><a href="elections.html">Electoral registration privacy notice</a></li>
<li><a href="planning.html">Planning privacy notice</a></li>
</ul>
</main></body></html>"""

#: Says what the organisation does, but in no words the extractors know as a disclosure: a page about the
#: website, not about personal data.
NOTHING_OF_ITS_OWN = """Accessibility statement

This website is run by the council. We want as many people as possible to be able to use it.
You should be able to zoom in up to 400% without the text spilling off the screen.
Some of our older documents are not fully accessible to screen reader software.
"""

#: The third page of a layered notice: retention and rights only, no controller named.
SUB_PAGE = """<html><head><title>How long we keep your information</title></head><body><main>
<h1>How long we keep your information</h1>
<p>We keep your council tax records for six years after your account closes.</p>
<h2>Your rights</h2>
<p>You can ask for a copy of the information we hold about you.</p>
</main></body></html>"""

#: The opening of a long notice, cut short: it names the controller and nothing else yet.
EXCERPT = """Privacy notice

This notice applies to the services of Lowmoor Borough Council. Lowmoor Borough Council is the data controller
for the personal information described here, and the Chief Executive is responsible for it. We have written it
to be read in sections; each section starts with a short summary, and the full text follows it, so that you
"""

#: A notice whose links are its recipients: links, but prose and disclosures of its own.
LINKED_NOTICE = """<html><body><main>
<h1>Garden waste privacy notice</h1>
<p>Lowmoor Borough Council uses your name, address and bank details to collect your garden waste and to take
payment for the service. We keep your details for two years after your subscription ends.</p>
<p>We share your details with:</p>
<ul><li><a href="https://contractor.example">Green Bins Ltd</a></li>
<li><a href="https://pay.example">Pay Example</a></li>
<li><a href="https://audit.example">Audit Wales</a></li></ul>
</main></body></html>"""


def _doc(text: str, name: str) -> Document:
    media = "text/html" if name.endswith(".html") else "text/plain"
    return parse_page(Page(name, name, text.encode(), media))


def _screen(text: str, name: str) -> Screening:
    doc = _doc(text, name)
    return screen(doc, extract(doc))


def test_an_explainer_of_the_law_is_not_a_notice() -> None:
    verdict = _screen(EXPLAINER, "what-is-a-privacy-notice.html")
    assert verdict.status == "not_a_notice"
    assert verdict.reasons[0].startswith("it explains data-protection law in general: ")
    assert "says nothing of what the organisation itself does" in verdict.reasons[0]


def test_a_page_of_links_is_not_a_notice() -> None:
    verdict = _screen(INDEX, "privacy/index.html")
    assert verdict.status == "not_a_notice"
    assert verdict.reasons == ("it is a page of links: 4 of its 5 paragraph or list items are links, with "
                               "7 words of its own outside them, and it says nothing of what the organisation "
                               "itself does with personal data",)


def test_a_page_that_discloses_nothing_of_its_own_is_not_a_notice() -> None:
    verdict = _screen(NOTHING_OF_ITS_OWN, "accessibility.txt")
    assert verdict.status == "not_a_notice"
    assert verdict.reasons[0].startswith("it discloses nothing of its own processing of personal data")


def test_a_page_with_almost_no_text_is_not_a_notice() -> None:
    verdict = _screen("Privacy notice\n\nComing soon.\n", "privacy.txt")
    assert verdict == Screening("not_a_notice", ("it holds almost no text (4 words)",))
    assert verdict.warnings == (NOT_A_NOTICE + "it holds almost no text (4 words)",)


@pytest.mark.parametrize(("text", "name"), [(SUB_PAGE, "notice/3.html"), (EXCERPT, "excerpt.txt"),
                                            (LINKED_NOTICE, "garden.html")])
def test_short_sub_pages_excerpts_and_notices_with_links_are_notices(text: str, name: str) -> None:
    assert _screen(text, name) == Screening("notice")


def test_assess_reports_the_status_and_the_reasons_as_warnings() -> None:
    checklist = load_checklist("uk-gdpr")
    report = assess(_doc(INDEX, "privacy/index.html"), checklist)
    assert report.status == "not_a_notice" and not report.is_notice
    assert report.warnings[-1].startswith(NOT_A_NOTICE + "it is a page of links")
    assert report.status_reasons == (report.warnings[-1][len(NOT_A_NOTICE):],)
    assert len(report.items) == len(checklist.items)  # the items are still listed
    notice = assess(_doc(SUB_PAGE, "notice/3.html"), checklist)
    assert notice.status == "notice" and notice.status_reasons == () and notice.to_json()["status"] == "notice"


def test_the_rules_name_only_known_elements() -> None:
    data = rules()
    assert "purposes" in data.processing and data.identity == ("controller_identity",)
    assert not set(data.processing) & set(data.identity)
