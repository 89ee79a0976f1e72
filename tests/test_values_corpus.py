"""Measure the contact recognisers against the hand-labelled corpus kept outside the project.

The corpus (``../shared/corpus`` next to the repository) holds real notices and
gold labels listing every email, phone and postcode each text contains. This
test runs the recognisers over each labelled text (markup stripped crudely; the
real parser lives elsewhere) and requires micro F1 >= 0.97 per family. Run with
``pytest -s`` to see the numbers. Skipped when the corpus is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from notice_audit.extract.values import ValueMatch
from notice_audit.extract.values.contacts import find_emails, find_phones, find_postcodes
from notice_audit.extract.values.statutes import find_statutes

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
FAMILIES: dict[str, Callable[[str], list[ValueMatch]]] = {
    "emails": find_emails,
    "phones": find_phones,
    "postcodes": find_postcodes,
}
MIN_F1 = 0.97


def visible_text(path: Path) -> str:
    """The text a reader would see: raw for .txt, tags stripped for markup and code templates."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".txt":
        return raw
    return BeautifulSoup(raw, "html.parser").get_text(" ")


def load_labels(folder: Path) -> list[dict[str, Any]]:
    labels = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "file" in data:
            labels.append(data)
    return labels


@pytest.fixture(scope="module")
def corpus() -> list[tuple[dict[str, Any], str]]:
    if not (CORPUS / "labels").is_dir() or not (CORPUS / "notices").is_dir():
        pytest.skip(f"labelled corpus not found at {CORPUS} (it is kept outside the project)")
    pairs = []
    for label in load_labels(CORPUS / "labels"):
        notice = CORPUS / "notices" / label["file"]
        if notice.is_file():
            pairs.append((label, visible_text(notice)))
    if not pairs:
        pytest.skip(f"no labelled notices found under {CORPUS}")
    return pairs


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, score


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_contact_recognisers_match_labels(family: str, corpus: list[tuple[dict[str, Any], str]]) -> None:
    finder = FAMILIES[family]
    tp = fp = fn = 0
    misses: list[str] = []
    for label, text in corpus:
        gold = set(label.get(family) or [])
        found = {m.value for m in finder(text) if m.value}
        tp += len(gold & found)
        fp += len(found - gold)
        fn += len(gold - found)
        if found != gold:
            misses.append(f"{label['file']}: extra {sorted(found - gold)} missing {sorted(gold - found)}")
    precision, recall, score = f1(tp, fp, fn)
    print(
        f"\n{family}: {len(corpus)} texts, tp={tp} fp={fp} fn={fn} "
        f"precision={precision:.3f} recall={recall:.3f} F1={score:.3f}"
    )
    for line in misses:
        print("  ", line)
    assert score >= MIN_F1, "\n".join(misses)


def test_texts_the_shared_cue_passes_over_hold_no_value(corpus: list[tuple[dict[str, Any], str]]) -> None:
    """Every recogniser the contacts extractor runs finds nothing in a real line without the cue,
    and the cue passes over a share of the lines (else it would spare nothing)."""
    from notice_audit.extract.contacts import RECOGNISERS
    from notice_audit.extract.values.contacts import may_hold_value

    lines = [line for _, text in corpus for line in text.splitlines() if line.strip()]
    passed_over = [line for line in lines if not may_hold_value(line)]
    assert len(passed_over) > len(lines) // 3
    for line in passed_over:
        assert all(find(line) == [] for find in RECOGNISERS.values()), line
    assert sum(bool(find(line)) for line in lines for find in RECOGNISERS.values()) > 20


def test_seed_statutes_match_labels() -> None:
    """The seed label lists statute citations in the shape the report uses."""
    seeds = SHARED / "seeds"
    labels = [lab for lab in load_labels(seeds) if lab.get("statutes")] if seeds.is_dir() else []
    if not labels:
        pytest.skip(f"no seed labels with statutes under {seeds}")
    for label in labels:
        text = visible_text(seeds / label["file"])
        found = {(m.attributes["title"], m.attributes["year"], m.attributes["section"]) for m in find_statutes(text)}
        gold = {(s["title"], s.get("year"), s.get("section")) for s in label["statutes"]}
        assert gold <= found, f"{label['file']}: missing {gold - found}"
