"""One folder of labels measured: the tool's verdicts and a keyword search's, document by document."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from notice_audit.evaluation.scores import VALUE_FIELDS, Counts, Evaluation, Scores
from notice_audit.extract import extract, extracted_values, reading
from notice_audit.fetch import FetchError
from notice_audit.model import Document, Findings
from notice_audit.parse import ParseError, parse_page
from notice_audit.rules.checklist import Checklist, load_checklist
from notice_audit.rules.engine import apply_rule
from notice_audit.screen import screen
from notice_audit.sources import read_local


def find_document(corpus_dir: Path, name: str) -> Path | None:
    """The labelled file in CORPUS_DIR, or in its ``notices/`` folder."""
    for candidate in (corpus_dir / name, corpus_dir / "notices" / name):
        if candidate.is_file():
            return candidate
    return None


def evaluate_corpus(labels_dir: Path, corpus_dir: Path, *, checklist: Checklist | None = None) -> Evaluation:
    checklist = checklist or load_checklist("uk-gdpr")
    items = tuple(i.id for i in checklist.items)
    tool, floor = Scores(), Scores()
    for s in (tool, floor):
        s.present = {i: Counts() for i in items}
        s.missing = {i: Counts() for i in items}
        s.values = {v: Counts() for v in VALUE_FIELDS}
    skipped: list[tuple[str, str]] = []
    documents = 0
    for label_path in sorted(labels_dir.glob("*.yaml")):
        label = yaml.safe_load(label_path.read_text(encoding="utf-8"))
        name = str(label.get("file", ""))
        path = find_document(corpus_dir, name)
        if path is None:
            skipped.append((name or label_path.name, "document not found"))
            continue
        try:
            doc = parse_page(read_local(str(path))[0])
        except (FetchError, ParseError) as exc:
            skipped.append((name, str(exc)))
            continue
        documents += 1
        gold_items: Mapping[str, bool] = label.get("items") or {}
        with reading(doc):
            findings = extract(doc)
            screened_not = screen(doc, findings).status != "notice"
        predicted, values = predict(doc, checklist, findings)
        gold_not = label.get("is_notice", True) is False
        tool.screening.add(gold_not, screened_not)
        if gold_not != screened_not:
            tool.screening_disagreements.append((name, gold_not))
        keyword_items, keyword_values = keyword_predict(doc.text, items)
        for item in items:
            gold = bool(gold_items.get(item, False))
            tool.present[item].add(gold, predicted[item])
            tool.missing[item].add(not gold, not predicted[item])
            floor.present[item].add(gold, keyword_items[item])
            floor.missing[item].add(not gold, not keyword_items[item])
            if gold != predicted[item]:
                tool.disagreements.append((name, item, gold))
        for fld in VALUE_FIELDS:
            gold_values = {normalise_value(fld, v) for v in label.get(fld) or []}
            _add_values(tool.values[fld], gold_values, set(values[fld]))
            _add_values(floor.values[fld], gold_values, set(keyword_values[fld]))
    return Evaluation(documents, skipped, tool, floor, items)


def _add_values(counts: Counts, gold: set[str], predicted: set[str]) -> None:
    counts.tp += len(gold & predicted)
    counts.fp += len(predicted - gold)
    counts.fn += len(gold - predicted)


def normalise_value(fld: str, value: Any) -> str:
    text = str(value).strip()
    if fld == "emails":
        return text.lower()
    if fld == "phones":
        return re.sub(r"\D", "", text)
    if fld == "postcodes":
        compact = re.sub(r"\s", "", text).upper()
        return compact[:-3] + " " + compact[-3:]
    return text


def predict(doc: Document, checklist: Checklist,
            findings: Findings | None = None) -> tuple[dict[str, bool], dict[str, list[str]]]:
    """Item presence (rule met or partial, conditions ignored) and extracted values (``findings``: the
    document's, when already extracted)."""
    if findings is None:
        findings = extract(doc)
    present = {item.id: apply_rule(item.rule, findings).status in ("met", "partial") for item in checklist.items}
    ex = extracted_values(findings)
    values = {
        "lawful_bases": ex["lawful_bases"],
        "rights": ex["rights"],
        "emails": ex["contacts"]["emails"],
        "phones": ex["contacts"]["phones"],
        "postcodes": ex["contacts"]["postcodes"],
    }
    return present, values


# --- the keyword floor ---------------------------------------------------------------------------


@cache
def _keywords() -> dict[str, Any]:
    text = resources.files("notice_audit.evaluation").joinpath("keywords.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def keyword_predict(text: str, items: Iterable[str]) -> tuple[dict[str, bool], dict[str, list[str]]]:
    """What a naive keyword search would say: an item is present when any of its words occurs."""
    data = _keywords()
    lower = text.lower()
    present = {item: any(k in lower for k in data["items"].get(item, [])) for item in items}
    values: dict[str, list[str]] = {}
    for fld in ("lawful_bases", "rights"):
        values[fld] = [v for v, words in data[fld].items() if any(w in lower for w in words)]
    finders: dict[str, Callable[[str], list[str]]] = {
        "emails": lambda t: [m.lower().rstrip(".") for m in re.findall(data["patterns"]["email"], t)],
        "phones": lambda t: [re.sub(r"\D", "", m) for m in re.findall(data["patterns"]["phone"], t)],
        "postcodes": lambda t: [normalise_value("postcodes", m) for m in re.findall(data["patterns"]["postcode"], t)],
    }
    for fld, finder in finders.items():
        values[fld] = finder(text)
    return present, values
