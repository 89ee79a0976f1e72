"""Vague recipients and vague retention: vague only when nothing more specific is given."""

from __future__ import annotations

from notice_audit.extract import extract
from notice_audit.model import Findings
from tests.conftest import make_doc


def found(*blocks: str, heading: str = "Who we share your information with") -> Findings:
    return extract(make_doc((heading, list(blocks))))


def test_third_parties_only_is_vague() -> None:
    f = found("We may share your information with third parties.")
    vague = f.of("vague_recipients")
    assert vague and vague[0].attributes["text"] == "third parties"
    assert "third parties" in vague[0].evidence.quote


def test_partners_and_other_organisations_only_are_vague() -> None:
    assert found("We may pass your details to our partners and other organisations.").of("vague_recipients")


def test_named_recipients_are_not_vague_even_beside_third_parties() -> None:
    assert not found("We share your information with third parties, including the police and HMRC.") \
        .of("vague_recipients")
    assert not found("We may share your information with third parties.",
                     "We share your details with the Valuation Office Agency.").of("vague_recipients")


def test_not_sharing_is_a_safeguard_not_a_vague_recipient() -> None:
    assert not found("We never sell your details, and we do not pass them to third parties unless a court orders it.") \
        .of("vague_recipients")


def test_vague_retention_only_when_no_period_event_or_schedule() -> None:
    heading = "How long we keep your information"
    vague = found("We will keep your information for as long as necessary.", heading=heading).of("vague_retention")
    assert vague and vague[0].attributes["text"] == "as long as necessary"
    assert not found("We keep your records for six years after your account closes.",
                     heading=heading).of("vague_retention")
    assert not found("We keep your information for as long as necessary.",
                     "Tenancy files are kept for six years after the tenancy ends.", heading=heading).of(
        "vague_retention")
    assert not found("We keep your information for as long as necessary, as set out in our retention schedule.",
                     heading=heading).of("vague_retention")
    assert not found("We keep the records until your child is 25.", heading=heading).of("vague_retention")
