"""Lawful bases, Art 9 conditions, Art 10 data and statutes (fictional Lowmoor Borough Council)."""

from __future__ import annotations

import pytest

from notice_audit.extract import lawful_basis
from notice_audit.extract.elements import extract as extract_cues
from notice_audit.model import Findings
from notice_audit.parse import parse_page
from notice_audit.sources import read_local
from tests.conftest import SEED, make_doc, need


def run(*sections) -> Findings:  # type: ignore[no-untyped-def]
    return Findings(tuple(lawful_basis.extract(make_doc(*sections))))


def bases(text: str, heading: str = "") -> set[str]:
    return set(run((heading, [text])).values("lawful_basis"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We process your data under Article 6(1)(e) of the UK GDPR.", {"public_task"}),
        ("We need this information to carry out our statutory duties as a housing authority.", {"public_task"}),
        ("Lowmoor Borough Council uses it in the exercise of its official authority.", {"public_task"}),
        ("Our legal basis for this work is the public interest.", {"public_task"}),
        ("We hold these records as part of our statutory and discretionary functions.", {"public_task"}),
        ("Some details are shared because we are required by law to do so.", {"legal_obligation"}),
        ("We use this to comply with the law on electoral registration.", {"legal_obligation"}),
        ("We have a legal duty to send payroll figures to HMRC.", {"legal_obligation"}),
        ("Licence holders are listed on a public register as required by the Lowmoor Licensing Order 2015.",
         {"legal_obligation"}),
        ("If a resident is seriously ill we may tell paramedics, to protect their life.", {"vital_interests"}),
        ("Staff may pass on details where a threat to life exists.", {"vital_interests"}),
        ("We will only send you our newsletter if you have given your consent.", {"consent"}),
        ("We will not pass your details to anyone else without your written consent.", {"consent"}),
        ("We process your data to perform our contract with you.", {"contract"}),
        ("Public task or contract, depending on the service:", {"contract", "public_task"}),
        ("We rely on our legitimate interests in keeping our offices secure.", {"legitimate_interests"}),
        ("The lawful basis we rely on is Article 6(e) of the UK GDPR.", {"public_task"}),
        ("By submitting this form you consent to us using your information.", {"consent"}),
        ("You have agreed to us processing your data for the newsletter.", {"consent"}),
        ("We process this data as it is necessary, as part of your contract of employment.", {"contract"}),
        ("The processing is necessary to manage your tenancy agreement with us.", {"contract"}),
        ("We use your information because it is needed for our work in the public interest.", {"public_task"}),
    ],
)
def test_art6_bases_in_legal_and_plain_words(text: str, expected: set[str]) -> None:
    assert bases(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a right described with its exceptions, and a request being answered
        "You have the right to object unless we are required by law to keep processing.",
        "We will try to meet your request, but we may need to comply with a legal requirement.",
        # data protection law's own demands are not Art 6(1)(c)
        "We are obliged under the UK GDPR to tell you how we use your data.",
        "Data protection law places legal obligations on us as a controller.",
        # consent mentioned without being relied on
        "You can withdraw your consent at any time.",
        "In some cases the law allows us to share information without your consent.",
        # another body's duty is not this body's basis
        "Local schools and academies have a statutory duty to let us know when a pupil moves.",
        # legitimate interests named only to rule it out, or promised but not given
        "As a public authority we cannot rely on legitimate interests here.",
        "Where relevant we have identified what our legitimate interests are.",
        # look-alikes: who needs the data, and emergency contact details
        "Any details required by us to process your claim are listed below.",
        "In an emergency, call 999 or the out-of-hours line.",
        # explaining the law in general
        "A privacy notice must tell you the lawful basis for processing.",
        "Before relying on consent we must identify which condition applies.",
    ],
)
def test_mentions_that_are_not_this_bodys_basis(text: str) -> None:
    assert bases(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # legal obligation: "we" bound by the law or by a statute named
        ("We must keep payment records by law.", {"legal_obligation"}),
        ("We are required to do this under the Lowmoor Harbours Act 1961.", {"legal_obligation"}),
        # public task: the public interest, or a body's functions as a body
        ("It is in the public interest for us to keep this register.", {"public_task"}),
        ("We use it to carry out our functions as a licensing authority.", {"public_task"}),
        # vital interests: a life at risk, or protection in an emergency
        ("We will tell a doctor where there is a risk to someone's life.", {"vital_interests"}),
        ("Staff may share details to protect a child in an emergency.", {"vital_interests"}),
        # consent given, in plain words
        ("We send reminders because you have given us permission to.", {"consent"}),
        # several points of one article
        ("Our lawful bases are Article 6(1)(c) and (e) of the UK GDPR.", {"legal_obligation", "public_task"}),
    ],
)
def test_bases_in_plain_words_by_their_concepts(text: str, expected: set[str]) -> None:
    assert bases(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We are not legally obliged to keep your comments.",  # negated
        "We are required under the UK GDPR to keep your data secure.",  # data protection law itself
        "The Lowmoor Harbours Act 1961 requires us to run a ferry.",  # the law binding, not "we"
        "The course covers first aid and what to do in an emergency.",  # nothing protected
        "If you have given us permission we will keep your details.",  # a condition on consent
        "You can withdraw the permission you have given us at any time.",
        "By using this website you are giving us permission to set reminders.",  # no affirmative act
        "These are grounds of substantial public interest which we rely on.",
    ],
)
def test_plain_word_bases_need_the_whole_frame(text: str) -> None:
    assert bases(text) == set()


def test_duty_to_provide_a_service_is_public_task_not_legal_obligation() -> None:
    assert bases("We have a statutory obligation to arrange support for carers in Lowmoor.") == {
        "public_task"}
    assert bases("We have a statutory obligation to provide information to the Department.") == {
        "legal_obligation"}


def test_basis_names_in_a_lawful_basis_section() -> None:
    found = run(("Our lawful basis", [("list_item", "Consent"), ("list_item", "Public task")]))
    assert set(found.values("lawful_basis")) == {"consent", "public_task"}
    elsewhere = run(("Comments", [("list_item", "Consent")]))
    assert not elsewhere.values("lawful_basis")


def test_explicit_consent_is_an_art9_condition_not_the_art6_basis() -> None:
    found = run(("Special category data", ["We rely on explicit consent for your health data."]))
    assert found.values("special_category_condition") == ["explicit_consent"]
    assert "consent" not in found.values("lawful_basis")


def test_art9_conditions_in_a_list_introduced_by_a_lead_in() -> None:
    found = run(("Lawful basis", [
        "The conditions for processing special category data are:",
        ("list_item", "necessary for reasons of substantial public interest"),
        ("list_item", "necessary for the provision of health or social care"),
    ]))
    assert set(found.values("special_category_condition")) == {"substantial_public_interest", "health_social_care"}
    assert "public_task" not in found.values("lawful_basis")
    plain = run(("Services", ["We run a public health campaign every winter."]))
    assert not plain.values("special_category_condition")


def test_criminal_offence_data_is_found_separately() -> None:
    found = run(("", ["We process criminal offence data under Schedule 1 of the Data Protection Act 2018."]))
    assert found.of("criminal_offence_data")
    assert not found.values("lawful_basis") and not found.of("lawful_basis")
    crime_purpose = run(("", ["We use CCTV to prevent and detect crime."]))
    assert not crime_purpose.of("criminal_offence_data")


@pytest.mark.parametrize("text", ["Crime or offending information", "Offending history", "offence data",
                                  "This includes your health, sexual orientation, criminal history and genetic data."])
def test_criminal_offence_data_in_plain_words(text: str) -> None:
    assert run(("What we collect", [("list_item", text)])).of("criminal_offence_data")


@pytest.mark.parametrize("text", ["The partnership works to reduce offending and re-offending.",
                                  "Services for children at risk of youth offending.",
                                  "We publish crime and disorder statistics for each ward."])
def test_crime_as_a_subject_is_not_criminal_offence_data(text: str) -> None:
    assert not run(("About us", [text])).of("criminal_offence_data")


@pytest.mark.parametrize(
    ("text", "title", "year", "section"),
    [
        ("We share it under section 83 of the Children Act 1989.", "Children Act", 1989, "83"),
        ("Our duties under s.17 Children Act 1989 require this.", "Children Act", 1989, "17"),
        ("We collect it under Regulation 3 of The Lowmoor Records (England) Regulations 2013.",
         "The Lowmoor Records (England) Regulations", 2013, "3"),
        # a short title that begins with a unit word keeps it
        ("We use covert cameras only with powers under the Regulation of Investigatory Powers Act 2000.",
         "Regulation of Investigatory Powers Act", 2000, None),
    ],
)
def test_statute_relied_on_gives_title_year_section_and_a_basis(
    text: str, title: str, year: int, section: str | None
) -> None:
    found = run(("", [text]))
    statutes = [f.attributes for f in found.of("statute")]
    assert [(s["title"], s["year"], s["section"]) for s in statutes] == [(title, year, section)]
    assert any(f.attributes.get("statute") for f in found.of("lawful_basis"))


@pytest.mark.parametrize(
    "text",
    [
        "We are registered as a data controller under the Data Protection Act 2018.",
        "Your rights under the UK GDPR and the Data Protection Act 2018 are set out below.",
        "Home visits under the Lowmoor Care Act 1990 and follow-up calls.",
    ],
)
def test_statute_named_but_not_relied_on(text: str) -> None:
    found = run(("", [text]))
    assert found.of("statute")
    assert not found.of("lawful_basis")


def test_statutes_listed_under_a_legal_basis_heading_are_bases() -> None:
    found = run(("Why we are allowed to use your data", [("list_item", "The Lowmoor Housing Act 1996")]))
    assert found.of("lawful_basis")
    assert not found.values("lawful_basis")  # no Art 6 value is claimed from a bare list of Acts


def test_legitimate_interests_item_needs_reliance() -> None:
    relied = make_doc(("", ["We rely on our legitimate interests in keeping our offices secure."]))
    assert extract_cues(relied, "legitimate_interests")
    ruled_out = make_doc(("", ["As a public authority we cannot rely on legitimate interests."]))
    assert not extract_cues(ruled_out, "legitimate_interests")


def test_seed_yields_its_statutes_and_legal_obligation() -> None:
    seed = need(SEED)
    doc = parse_page(read_local(str(seed))[0])
    found = Findings(tuple(lawful_basis.extract(doc)))
    assert "legal_obligation" in found.values("lawful_basis")
    cited = {(f.attributes["title"], f.attributes["year"], f.attributes["section"]) for f in found.of("statute")}
    assert ("Children Act", 1989, "83") in cited
    assert ("The Education (Information About Individual Pupils) (England) Regulations", 2013, "3") in cited
    relied = {f.attributes["statute"] for f in found.of("lawful_basis") if f.attributes.get("statute")}
    assert any("Children" in r for r in relied) and any("2013" in r for r in relied)
    assert not any("Data Protection Act" in r for r in relied)


def test_a_heading_that_names_the_basis_states_it() -> None:
    found = run(("Consent - Article 6(1)(a) of the UK GDPR", ["We send you news about future schemes."]))
    assert found.values("lawful_basis") == ["consent"]
    assert found.of("lawful_basis")[0].evidence.quote.startswith("Consent - Article 6(1)(a)")
    assert not run(("Consent - Article 6(1)(a) of the UK GDPR", [])).of("lawful_basis")  # a heading over nothing


def test_a_rights_condition_and_cookie_consent_are_not_bases() -> None:
    assert bases("You have the right to object where we process data for the performance of a public task.") == set()
    assert bases("By continuing to use this site you consent to the analytics cookies it sets.") == set()


def test_frame_openers_are_every_basis_frames_first_slots() -> None:
    """A sentence is passed over by the plain-words frames only when none of them could open on it."""
    from notice_audit.extract import lawful_basis

    lex = lawful_basis.lexicon()
    firsts = [f.needs[0] if f.needs else None for frames in lex.frames.values() for f in frames]
    assert lex.frame_openers == (None if None in firsts else frozenset().union(*firsts))
