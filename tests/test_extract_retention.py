"""Retention statements, periods, schedules and pointers (fictional bodies)."""

from __future__ import annotations

from notice_audit.extract import retention
from notice_audit.model import Finding
from tests.conftest import make_doc


def run(*sections) -> list[Finding]:  # type: ignore[no-untyped-def]
    return retention.extract(make_doc(*sections))


def kinds(found: list[Finding]) -> set[str]:
    return {f.kind for f in found}


def test_period_is_normalised_to_iso_8601() -> None:
    (f,) = run(("", ["Lowmoor Borough Council keeps housing files for six years after the tenancy ends."]))
    assert f.kind == "statement" and f.value == "P6Y"
    assert f.attributes["periods"] == ["P6Y"]


def test_deadline_within_a_sentence_is_not_the_retention_period() -> None:
    (f,) = run(("", ["We answer requests within one month and keep the request file for 2 years after closure."]))
    assert f.value == "P2Y"


def test_a_period_restated_in_brackets_is_one_period() -> None:
    (f,) = run(("", ["Recordings are kept for four weeks (28 days) and then overwritten."]))
    assert f.attributes["periods"] == ["P4W"]


def test_event_rule_is_kept_as_an_event() -> None:
    (f,) = run(("", ["We keep the child's record until their 25th birthday."]))
    assert f.value is None
    assert f.attributes["event"] == "their 25th birthday"


def test_schedule_reference_is_recorded() -> None:
    (f,) = run(("", ["Files are held in line with the records retention and disposal schedule."]))
    assert f.attributes["schedules"] == ["records retention and disposal schedule"]


def test_criteria_said_of_own_processing_count() -> None:
    found = run(("", ["We keep your file no longer than necessary for the reason we collected it."]))
    assert kinds(found) == {"statement"}
    found = run(("", ["The register is kept permanently."]))
    assert kinds(found) == {"statement"}
    found = run(("", ["Lowmoor keeps parking permit details for as long as the permit is valid."]))
    assert kinds(found) == {"statement"}


def test_principles_recited_as_law_do_not_count() -> None:
    found = run(("Data protection principles", [
        "The law says that personal data shall be:",
        ("list_item", "processed lawfully and fairly"),
        ("list_item", "kept for no longer than is necessary"),
    ]))
    assert found == []
    found = run(("About the law", ["Personal data must not be retained for longer than is needed."]))
    assert found == []
    lead_in = run(("", [
        "The six principles of data protection are:",
        ("list_item", "kept for no longer than is necessary"),
    ]))
    assert lead_in == []


def test_own_commitment_list_counts() -> None:
    found = run(("", [
        "Lowmoor Borough Council promises that your data will be:",
        ("list_item", "kept for no longer than necessary"),
    ]))
    assert kinds(found) == {"statement"}


def test_pointer_to_another_notice() -> None:
    found = run(("", ["How long we hold your records is explained in our corporate privacy notice."]))
    assert kinds(found) == {"pointer"}
    listed = run(("Further details", [
        "We also give further details in the council's general privacy notice about:",
        ("list_item", "how long we hold each kind of record"),
    ]))
    assert kinds(listed) == {"pointer"}


def test_period_beside_a_schedule_pointer_is_a_statement() -> None:
    (f,) = run(("", ["We keep payment records for 7 years, as set out in our retention schedule."]))
    assert f.kind == "statement" and f.value == "P7Y"


def test_heading_with_only_a_cut_off_sentence_does_not_count() -> None:
    cut = run(("How long do we keep your information?", ["We will store your information on a secure system and"]))
    assert cut == []
    whole = run(("How long do we keep your information?", ["We review your file every year and remove what we no "
                                                           "longer need."]))
    assert kinds(whole) == {"statement"}


def test_keeping_data_secure_is_not_retention() -> None:
    assert run(("", ["Your information is kept secure at all times."])) == []


def test_pointer_in_the_sentence_after_the_topic() -> None:
    found = run(("", [
        "You may want to know how long we hold your records.",
        "Details can be found in our corporate privacy notice.",
    ]))
    assert kinds(found) == {"pointer"}


def test_keeping_people_informed_or_holding_events_is_not_retention() -> None:
    assert run(("", ["We will keep you informed about your application until it is closed."])) == []
    assert run(("", ["We hold consultation events for residents every year."])) == []


def test_data_disposed_of_once_an_event_passes_is_retention() -> None:
    (f,) = run(("", ["Copies of identity documents are destroyed once your identity is confirmed."]))
    assert f.kind == "statement"


def test_anonymising_before_a_processing_step_is_not_retention() -> None:
    # "before" orders two steps; only "until", "once", "after", "when" mark when data goes
    assert run(("", ["The data is anonymised before being analysed for service planning."])) == []
