"""The evaluate command: counting is right on hand-made labels; on the real splits no figure falls below its ratchet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from notice_audit.app.cli import main
from notice_audit.evaluation import (
    STANDARD_SPLITS,
    VALUE_FIELDS,
    Counts,
    evaluate_corpus,
    keyword_predict,
    normalise_value,
)
from tests import ratchet
from tests.conftest import SHARED, need

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


EXPLAINER = """What is a privacy notice?

Data protection law gives people the right to be told how organisations use their personal information.
A privacy notice must explain who the controller is and how to contact them.
It must explain why the organisation needs the information and the lawful basis for using it.
It should also say who the information is shared with and how long it is kept.
Organisations must tell you about your rights, including the right to complain to the regulator.
"""


def test_evaluate_counts_the_screening_against_is_notice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labels, corpus = labelled(tmp_path)
    (corpus / "notices" / "explainer.txt").write_text(EXPLAINER)
    (corpus / "notices" / "landing.txt").write_text(NOTICE)  # labelled not a notice, screened a notice
    base = yaml.safe_load((labels / "tenancy.yaml").read_text())
    for name in ("explainer", "landing"):
        (labels / f"{name}.yaml").write_text(yaml.safe_dump({**base, "file": f"{name}.txt", "is_notice": False}))
    ev = evaluate_corpus(labels, corpus)
    assert (ev.tool.screening.tp, ev.tool.screening.fp, ev.tool.screening.fn) == (1, 0, 1)
    assert ev.tool.screening_disagreements == [("landing.txt", True)]
    assert main(["evaluate", str(labels), str(corpus), "--show-disagreements"]) == 0
    out = capsys.readouterr().out
    assert "NOT A NOTICE" in out
    assert "not-a-notice disagreements (file, label):\n  landing.txt  label=not a notice" in out
    assert main(["evaluate", str(labels), str(corpus), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["not_a_notice"]["tp"] == 1 and data["not_a_notice"]["labelled"] == 2
    assert data["not_a_notice_disagreements"] == [{"file": "landing.txt", "label": "not_a_notice"}]


# --- the ratchet: figures reached on each real split never fall ---------------------------------


@pytest.fixture(scope="module")
def splits():  # type: ignore[no-untyped-def]
    """The three standard splits of ../shared, measured once for this module."""
    from tests.ratchet import measure

    for _, labels, corpus in STANDARD_SPLITS:
        need(SHARED / labels)
        need(SHARED / corpus)
    return measure(SHARED)


@pytest.mark.parametrize("split", list(ratchet.load()["splits"]))
def test_no_figure_falls_below_its_ratchet(splits, split: str) -> None:  # type: ignore[no-untyped-def]
    now = ratchet.figures(splits.evaluations[split])
    fell = [f"{split} {figure}: {now[figure]:.4f} < ratchet {fig['reached']} (target >= {fig['target']})"
            for figure, fig in ratchet.load()["splits"][split].items() if now[figure] < fig["reached"]]
    assert not fell, "; ".join(fell) + " -- see tests/data/accuracy_ratchet.yaml"


def test_rows_at_or_above_the_keyword_floor_stay_there(splits) -> None:  # type: ignore[no-untyped-def]
    below = splits.below_floor()
    fell = [f"{row} ({', '.join(below[row])})" for row in ratchet.load()["floor_holds"] if row in below]
    assert not fell, "now below the keyword floor (target: no row below it on any split): " + ", ".join(fell)


def test_development_contacts_and_the_floor(splits) -> None:  # type: ignore[no-untyped-def]
    ev = splits.evaluations["dev"]
    assert not ev.skipped
    for fld in ("emails", "phones", "postcodes"):
        assert ev.tool.values[fld].f1 >= 0.97, fld
    assert ev.tool.macro("present") > ev.floor.macro("present") + 0.1
    assert ev.tool.macro("missing") > ev.floor.macro("missing")


# --- the ratchet helper ----------------------------------------------------------------------------

RATCHET = {
    "splits": {"validation": {"documents": {"reached": 50, "target": 61},
                              "rights": {"reached": 0.707, "target": 0.9}}},
    "floor_holds": ["present.rights"],
}


def test_ratchet_update_raises_and_never_lowers() -> None:
    lower = ratchet.raised(RATCHET, {"validation": {"documents": 40, "rights": 0.5}}, [])
    assert lower == RATCHET
    higher = ratchet.raised(RATCHET, {"validation": {"documents": 61, "rights": 0.80991}}, ["values.emails"])
    assert higher["splits"]["validation"] == {"documents": {"reached": 61, "target": 61},
                                              "rights": {"reached": 0.809, "target": 0.9}}
    assert higher["floor_holds"] == ["present.rights", "values.emails"]  # grows, keeps what it had
    assert ratchet.raised(RATCHET, {}, [])["floor_holds"] == ["present.rights"]


def test_ratchet_rounds_down_and_its_file_reads_back() -> None:
    assert ratchet.round_down(0.9999) == 0.999 and ratchet.round_down(0.95) == 0.95
    assert ratchet.round_down(1 - 1e-12) == 1.0  # float noise is not a drop
    text = ratchet.dump(RATCHET)
    assert text.startswith("# Accuracy ratchet") and "NEVER lowers" in text
    assert "    rights: {reached: 0.707, target: 0.900}" in text
    assert yaml.safe_load(text) == {**RATCHET, "splits": {"validation": {
        "documents": {"reached": 50, "target": 61}, "rights": {"reached": 0.707, "target": 0.9}}}}
    assert ratchet.dump(ratchet.load()) == ratchet.RATCHET.read_text(encoding="utf-8")


def test_ratchet_file_names_every_standard_split_and_known_rows() -> None:
    data = ratchet.load()
    assert list(data["splits"]) == [name for name, _, _ in STANDARD_SPLITS]
    for entry in data["splits"].values():
        assert set(entry) == set(ratchet.FIGURES)
    known = {f"{section}.{name}" for section in ("present", "missing") for name in ITEMS}
    known |= {f"values.{name}" for name in VALUE_FIELDS}
    assert set(data["floor_holds"]) <= known
