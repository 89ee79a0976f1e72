"""The evaluate command: counting is right on hand-made labels; targets hold on the real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from notice_audit.cli import main
from notice_audit.evaluation import Counts, evaluate_corpus, keyword_predict, normalise_value
from tests.conftest import CORPUS, need

ITEMS = [
    "controller_identity", "representative", "dpo_contact", "purposes", "lawful_basis", "legitimate_interests",
    "data_categories", "recipients", "international_transfers", "retention", "rights", "withdraw_consent",
    "complaint_to_ico", "data_source", "statutory_contractual_requirement", "automated_decision_making",
]
NOTICE = """Tenancy privacy notice

Lowmoor Borough Council is the data controller for your tenancy records.

We do not transfer your personal data outside the UK.

Contact our Data Protection Officer at dpo@lowmoor.gov.uk or on 01632 960 123.
"""


def test_counts_precision_recall_f1() -> None:
    c = Counts()
    for gold, predicted in [(True, True), (True, False), (False, True), (False, False), (True, True)]:
        c.add(gold, predicted)
    assert (c.tp, c.fp, c.fn) == (2, 1, 1)
    assert c.precision == pytest.approx(2 / 3) and c.recall == pytest.approx(2 / 3) and c.f1 == pytest.approx(2 / 3)
    assert Counts().f1 == 1.0  # nothing to find, nothing found


def test_value_normalisation() -> None:
    assert normalise_value("postcodes", "sk95af") == "SK9 5AF"
    assert normalise_value("phones", "0303 123 1113") == "03031231113"
    assert normalise_value("emails", "DPO@Lowmoor.gov.uk") == "dpo@lowmoor.gov.uk"


def test_keyword_floor_is_naive() -> None:
    items, values = keyword_predict("We keep your data. Email a@b.uk.", ITEMS)
    assert items["retention"] and not items["rights"]
    assert values["emails"] == ["a@b.uk"]


def labelled(tmp_path: Path, **overrides: object) -> tuple[Path, Path]:
    labels, corpus = tmp_path / "labels", tmp_path / "corpus" / "notices"
    labels.mkdir(parents=True)
    corpus.mkdir(parents=True)
    (corpus / "tenancy.txt").write_text(NOTICE)
    items = dict.fromkeys(ITEMS, False)
    items.update(controller_identity=True, international_transfers=True, dpo_contact=True, retention=True)
    label = {"file": "tenancy.txt", "is_notice": True, "items": items, "lawful_bases": [], "rights": [],
             "emails": ["dpo@lowmoor.gov.uk"], "phones": ["01632960123", "03031231113"], "postcodes": []}
    label.update(overrides)
    (labels / "tenancy.yaml").write_text(yaml.safe_dump(label))
    (labels / "absent.yaml").write_text(yaml.safe_dump({**label, "file": "absent.txt"}))
    return labels, corpus.parent


def test_evaluate_counts_agreements_and_disagreements(tmp_path: Path) -> None:
    labels, corpus = labelled(tmp_path)
    ev = evaluate_corpus(labels, corpus)
    assert ev.documents == 1 and ev.skipped == [("absent.txt", "document not found")]
    assert ev.tool.present["controller_identity"].tp == 1
    assert ev.tool.present["international_transfers"].tp == 1
    assert ev.tool.present["retention"].fn == 1  # labelled present, not stated: a miss
    assert ev.tool.missing["retention"].fp == 1
    assert ("tenancy.txt", "retention", True) in ev.tool.disagreements
    phones = ev.tool.values["phones"]
    assert (phones.tp, phones.fn, phones.fp) == (1, 1, 0)


def test_evaluate_command_json_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labels, corpus = labelled(tmp_path)
    assert main(["evaluate", str(labels), str(corpus), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["documents"] == 1 and "keyword_floor" in data
    assert 0 <= data["tool"]["macro_f1_present"] <= 1
    assert main(["evaluate", str(tmp_path / "nope"), str(corpus)]) == 2
    assert "no such folder" in capsys.readouterr().err


# --- the targets, on the real labelled corpus ------------------------------------------------


@pytest.fixture(scope="module")
def corpus_evaluation():  # type: ignore[no-untyped-def]
    need(CORPUS / "labels")
    return evaluate_corpus(CORPUS / "labels", CORPUS)


def test_targets_on_the_labelled_corpus(corpus_evaluation) -> None:  # type: ignore[no-untyped-def]
    ev = corpus_evaluation
    assert ev.documents >= 100 and not ev.skipped
    assert ev.tool.macro("present") >= 0.95
    assert ev.tool.macro("missing") >= 0.97
    for fld in ("emails", "phones", "postcodes"):
        assert ev.tool.values[fld].f1 >= 0.97, fld
    for fld in ("rights", "lawful_bases"):
        assert ev.tool.values[fld].f1 >= 0.92, fld


def test_tool_beats_the_keyword_floor(corpus_evaluation) -> None:  # type: ignore[no-untyped-def]
    ev = corpus_evaluation
    assert ev.tool.macro("present") > ev.floor.macro("present") + 0.1
    assert ev.tool.macro("missing") > ev.floor.macro("missing")
