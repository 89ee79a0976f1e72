"""Controller identity on hand-written sentences (fictional bodies): named as controller or "we"."""

from __future__ import annotations

import pytest

from notice_audit.extract import controller
from notice_audit.model import Document
from tests.conftest import make_doc


def names(*sections) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.value for f in controller.extract(make_doc(*sections)) if f.value]


def said(sentence: str, heading: str = "About this notice") -> list[str]:
    return names((heading, [sentence]))


@pytest.mark.parametrize(("sentence", "name"), [
    ("Lowmoor Borough Council is the data controller for your information.", "Lowmoor Borough Council"),
    ("Lowmoor Borough Council is a ‘Controller’ under the UK GDPR.", "Lowmoor Borough Council"),
    ("For the purposes of UK GDPR Brackenfield Learning Trust is the 'data controller'.",
     "Brackenfield Learning Trust"),
    ("The Royal Borough of Lowmoor (the 'Council') is committed to protecting your privacy.",
     "Royal Borough of Lowmoor"),
    ("London Borough of Hightown (‘the Council’ or ‘we’) collect and process your personal data.",
     "London Borough of Hightown"),
    ("This notice explains how the Reading Room at Lowmoor Borough Council (the data controller) uses your data.",
     "Lowmoor Borough Council"),
    ("We are the Department for Rural Affairs (DRA), 1 Example Street, London.", "Department for Rural Affairs"),
    ("We, at Oakfield Schools Federation, are the data controller for pupil data.", "Oakfield Schools Federation"),
    ("This page explains how Lowmoor County Council’s Adult Social Care department uses your information.",
     "Lowmoor County Council"),
    ("This privacy notice explains how Lowmoor borough Council may collect and use personal data.",
     "Lowmoor borough Council"),
    ("To carry out our statutory duties, Lowmoor Council must gather personal information about residents.",
     "Lowmoor Council"),
    ("To keep information safe Lowmoor Borough Council has in place a range of safeguards.",
     "Lowmoor Borough Council"),
    ("Lowmoor City Council shall not keep personal information for longer than is necessary.",
     "Lowmoor City Council"),
    ("Lowmoor Borough Council is a local public authority and we provide services to residents.",
     "Lowmoor Borough Council"),
    ("Our address is Lowmoor County Council, County Hall, Lowmoor.", "Lowmoor County Council"),
    ("Welcome to the Lowmoor Surgery privacy notice.", "Lowmoor Surgery"),
    ("This notice is for the customers of Lowmoor Metropolitan Borough Council in fulfilment of our "
     "responsibility as a data controller.", "Lowmoor Metropolitan Borough Council"),
    ("Under the Act the chief constable of Lowmoor Police is registered as a data controller.", "Lowmoor Police"),
    ("Alex Example is formally appointed as the Electoral Registration Officer and the data controller.",
     "Alex Example"),
    ("Lowmoor Together respects your privacy and is committed to protecting your personal data.",
     "Lowmoor Together"),
    ("Information is held by the Lowmoor Valley NHS Foundation Trust.", "Lowmoor Valley NHS Foundation Trust"),
    ("Lowmoor District Council is registered with the Information Commissioner's Office as a data controller.",
     "Lowmoor District Council"),
    ("The Chief Constable of Lowmoor Police is the data controller.", "Chief Constable of Lowmoor Police"),
    ("Lowmoor Teaching Hospitals NHS Foundation Trust is the data controller.",
     "Lowmoor Teaching Hospitals NHS Foundation Trust"),
    ("The Department for Rural Affairs (DRA) is the data controller for this service.",
     "Department for Rural Affairs"),
    ("This service is run by the Environment Agency.", "Environment Agency"),
    ("The Cabinet Office is the controller for personal information we process.", "Cabinet Office"),
])
def test_statements_that_name_the_controller(sentence: str, name: str) -> None:
    assert name in said(sentence)


@pytest.mark.parametrize(("sentence", "name"), [
    ("Wessex Widgets Services Ltd is the data controller.", "Wessex Widgets Services Ltd"),
    ("The Ministry of Widgets is the data controller for this service.", "Ministry of Widgets"),
    ("Anytown NHS Foundation Trust is defined as a 'data controller'.", "Anytown NHS Foundation Trust"),
    ("Mossford Civic Society is both the controller and the processor.", "Mossford Civic Society"),
    ("The data controller responsible for your information is Acme Ireland Limited.", "Acme Ireland Limited"),
    ("In this notice, 'we' and 'us' means Acme Stores Limited.", "Acme Stores Limited"),
    ("This website is provided by Acme, Inc. ('Acme' or 'we').", "Acme, Inc."),
    ("Helping Hands CIC is the controller of your data.", "Helping Hands CIC"),
    ("Acme Consulting LLP ('we') collects your data.", "Acme Consulting LLP"),
    ("Datenwerk GmbH is the controller.", "Datenwerk GmbH"),
    ("Widget Labs, LLC is the data controller.", "Widget Labs, LLC"),
    ("NHS Lowmoor is the data controller for this service.", "NHS Lowmoor"),
    ("We are Kindly, a registered charity (number 123456).", "Kindly"),
    ("WidgetWatch is run by the charity mySociety.", "mySociety"),
    ("The Food Agency will be what is known as the 'Data Controller' of the data you give us.", "Food Agency"),
    ("Here at Mind (the National Widget Association), we are committed to your privacy.", "Mind"),
    ("Dr Okafor and Partners is the data controller for your records.", "Dr Okafor and Partners"),
    ("Lowmoor Hospice is the controller of the information you give us.", "Lowmoor Hospice"),
    ("Brackenfield Homes is the data controller.", "Brackenfield Homes"),
    ("Lowmoor Council's Housing Team will use your information to manage your tenancy.", "Lowmoor Council"),
    ("The Revenues service at Lowmoor Council collects information about you.", "Lowmoor Council"),
    ("This notice tells you what Lowmoor Council does with your information.", "Lowmoor Council"),
    ("Lowmoor Council, as data controller, will process your data.", "Lowmoor Council"),
])
def test_every_kind_of_body_in_every_common_shape(sentence: str, name: str) -> None:
    assert said(sentence) == [name]


@pytest.mark.parametrize("sentence", [
    "See our Terms of Service for details.",
    "We comply with the Limited Use Requirements of the Widget API.",
    "Contact us at info@acme-plc.com or visit www.acme-plc.com.",
    "Our Cookie Policy explains the cookies we set.",
])
def test_names_that_are_not_organisations(sentence: str) -> None:
    assert said(sentence) == []


@pytest.mark.parametrize("sentence", [
    "The Council is the data controller for your information.",
    "We are the data controller and we use your data to provide services.",
    "The County Council is committed to protecting your privacy.",
    "The Academy Trust is the data controller.",
    "The Electoral Registration Officer (ERO) is the data controller.",
    "We share information with Hightown District Council and the police.",
    "We work with Lowmoor Valley NHS Trust to provide care at home.",
    "For more details see Lowmoor Borough Council's main privacy notice.",
    "The Department for Rural Affairs is a data controller in its own right.",
    "Under the Care Act 2014 local authorities have a duty to assess needs.",
    "The Local Government Act 1972 gives councils powers to act.",
    "Our Housing Service collects your name and address.",
    "Your data is registered with the ICO as a data controller under registration number Z1234567.",
    "Registered Office is at 1 Example Square, Lowmoor.",
    "The School Office is responsible for admissions.",
    "The Information Commissioner's Office is the data controller for its own complaint records.",
])
def test_no_proper_name_or_only_in_passing(sentence: str) -> None:
    assert said(sentence) == []


def test_a_short_first_line_is_the_page_title() -> None:
    doc = make_doc(("", ["Privacy notice - Lowmoor Borough Council", "We use your data to run services."]))
    assert names_of(doc) == ["Lowmoor Borough Council"]
    later = make_doc(("", ["We use your data to run services.", "Privacy notice - Lowmoor Borough Council"]))
    assert names_of(later) == []


def test_title_naming_the_body_whose_notice_it_is() -> None:
    doc = make_doc(("Lowmoor Borough Council privacy notice", ["We use your data to run services."]))
    assert names_of(doc) == ["Lowmoor Borough Council"]
    shouting = make_doc(("LOWMOOR TOWN COUNCIL PRIVACY NOTICE", ["We use your data to run services."]))
    assert names_of(shouting) == ["Lowmoor Town Council"]
    generic = make_doc(("Council privacy notice", ["We use your data to run services."]))
    assert names_of(generic) == []


def names_of(doc: Document) -> list[str]:
    return [f.value for f in controller.extract(doc) if f.value]


def test_who_we_are_heading_names_the_body_or_the_person() -> None:
    assert said("Lowmoor Primary School, 1 Mill Lane, Lowmoor.", heading="Who we are") == ["Lowmoor Primary School"]
    assert said("Sam Example, Electoral Registration Officer.", heading="Who is the data controller?") == [
        "Sam Example"]
    assert said("Electoral Registration Officer, Town Hall.", heading="Who is the data controller?") == []
    # Under another heading, a bare name with an address says nothing about who the controller is.
    assert said("Sam Example, Electoral Registration Officer.", heading="Sharing") == []


def test_letterhead_at_the_top_of_the_notice() -> None:
    doc = make_doc(("", ["Lowmoor Road Surgery 5 Lowmoor Road, Lowmoor, LM1 2AB Tel: 01234 567890",
                         "This privacy notice explains why we collect information about you."]))
    found = controller.extract(doc)
    assert [(f.value, f.attributes.get("by")) for f in found] == [("Lowmoor Road Surgery", "letterhead")]
    later = make_doc(("", ["This privacy notice explains why we collect information about you.",
                           "Lowmoor Road Surgery 5 Lowmoor Road, Lowmoor, LM1 2AB Tel: 01234 567890"]))
    assert controller.extract(later) == []


def test_definition_of_the_common_noun_used_as_controller() -> None:
    doc = make_doc(("Who we are", [
        "Your school is part of the Academy Trust called the Lowmoor Learning Trust.",
        "This means the Academy Trust is the data controller.",
    ]))
    assert "Lowmoor Learning Trust" in names_of(doc)
    no_controller = make_doc(("Partners", ["We buy meals from the caterer known as the Lowmoor Catering Trust."]))
    assert names_of(no_controller) == []


def test_law_explainers_do_not_count() -> None:
    assert said("A privacy notice must tell you that Lowmoor Borough Council is the data controller.") == []


def test_evidence_quotes_the_sentence() -> None:
    found = controller.extract(make_doc(("", ["Intro.", "Lowmoor Borough Council is the data controller."])))
    assert found[0].evidence.quote == "Lowmoor Borough Council is the data controller."
    assert found[0].evidence.locator.line is not None


@pytest.mark.parametrize("hostile", [
    "Aaaa " * 4000,
    "Council " * 4000,
    "Lowmoor borough " * 3000,
    "Department for Education Department for " * 1500,
    "Lowmoor Council (" * 3000,
    "Lowmoor Council" + " " * 20000 + "x",
])
def test_hostile_input_gives_only_short_names_from_the_text(hostile: str) -> None:
    # how long these take is measured by the hostile-text case of the scaling benchmark
    for f in controller.extract(make_doc(("Who we are", [hostile]))):
        assert f.value in hostile and len(str(f.value).split()) <= 20


def test_a_body_the_notice_shares_with_is_not_its_controller() -> None:
    from notice_audit.extract import extract as extract_all

    doc = make_doc(
        ("Sharing", ["We may share your information with:", ("list_item", "the Lowmoor Housing Agency")]),
        ("The agency", ["The Lowmoor Housing Agency collects data from councils every year."]),
    )
    assert not extract_all(doc).of("controller_identity")
    stated = make_doc(
        ("Sharing", ["We may share your information with:", ("list_item", "the Lowmoor Housing Agency")]),
        ("Who we are", ["The Lowmoor Housing Agency is the data controller for this service."]),
    )
    assert {f.value for f in extract_all(stated).of("controller_identity")} == {"Lowmoor Housing Agency"}


@pytest.mark.parametrize("text", [
    "Lowmoor Borough Council is the data controller.",
    "We share it with Lowmoor Council, and Lowmoor Borough Council (the Council) will use it.",
    "Council Council Council Council uses the data of Department for Education and HM Revenue and Customs.",
    "The Care Act and Lowmoor Trust's Housing Team will use it; Highfield Primary School, 'we', holds it.",
    "",
])
def test_shapes_matched_only_where_a_name_opens_find_what_a_search_finds(text: str) -> None:
    """``_name_starts`` and ``_names(..., starts=...)`` give every shape opening with a name the same match
    as a plain search of the sentence."""
    lex = controller.lexicon()
    first = lex.org.search(text)
    every = [p for p in range(len(text) + 1) if lex.org.full.match(text, p)]
    assert (controller._name_starts(lex, text, first.start()) if first else []) == every
    for pattern, weak, needs in lex.statements:
        if not needs.opens:
            continue
        plain = controller._names(pattern, text, lex, weak=weak)
        narrowed = controller._names(pattern, text, lex, weak=weak, starts=every)
        assert (plain and (plain.span(), plain.group("org"))) == (narrowed and (narrowed.span(), narrowed.group("org")))


def test_own_names_are_the_strong_findings_lower_case_read_once_per_document() -> None:
    doc = make_doc(("Who we are", ["Lowmoor Borough Council is the data controller for your information.",
                                   "We share it with the Department for Education."]))
    own = controller.own_names(doc)
    strong = tuple(str(f.value).lower() for f in controller.extract(doc)
                   if f.value and f.attributes.get("by") != "weak")
    assert own == strong and "lowmoor borough council" in own
    assert controller.own_names(doc) is own  # kept in the document's index, not read again
    other = make_doc(("Who we are", ["Highfield District Council is the data controller for your information."]))
    assert set(controller.own_names(other)) == {"highfield district council"}
