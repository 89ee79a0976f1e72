"""Checklist loading: the built-in checklist, inheritance, and errors that say where."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import yaml

from notice_audit.rules.checklist import ChecklistError, builtin_ids, load_checklist
from notice_audit.rules.vocabulary import LAWFUL_BASES, RIGHTS

CONTRACT_IDS = [
    "controller_identity", "representative", "dpo_contact", "purposes", "lawful_basis", "legitimate_interests",
    "data_categories", "recipients", "international_transfers", "retention", "rights", "withdraw_consent",
    "complaint_to_ico", "data_source", "statutory_contractual_requirement", "automated_decision_making",
]


def write(tmp_path: Path, data: object, name: str = "c.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False) if not isinstance(data, str) else data)
    return path


def minimal(**item_changes: object) -> dict:
    item = {
        "id": "purposes", "title": "Purposes", "reference": "Art 13(1)(c)", "severity": "required",
        "weight": 2, "rule": {"present": "purposes"}, "looked_for": "why", "guidance": "say why",
    }
    item.update(item_changes)
    return {"id": "mine", "version": "1", "title": "Mine", "items": [item]}


def test_builtin_uk_gdpr_has_the_contract_items_in_ico_order() -> None:
    checklist = load_checklist("uk-gdpr")
    assert [i.id for i in checklist.items] == CONTRACT_IDS
    assert "uk-gdpr" in builtin_ids()
    for item in checklist.items:
        assert item.reference.startswith("UK GDPR Art"), item.id
        assert item.link.startswith("https://ico.org.uk/"), item.id
        assert item.guidance and item.looked_for and item.weight > 0


def test_builtin_conditions_follow_the_law() -> None:
    checklist = load_checklist("uk-gdpr")
    assert checklist.item("withdraw_consent").when == {
        "any": [{"field": "lawful_bases", "contains": "consent"}, {"present": "consent"}]}
    assert checklist.item("legitimate_interests").when == {"field": "lawful_bases", "contains": "legitimate_interests"}
    assert checklist.item("representative").when == {"fact": "controller_outside_uk"}
    assert checklist.item("dpo_contact").when == {"fact": "public_authority"}
    assert checklist.facts["public_authority"] is True


def test_schema_error_names_file_item_and_path(tmp_path: Path) -> None:
    path = write(tmp_path, minimal(severity="urgent"))
    with pytest.raises(ChecklistError) as err:
        load_checklist(str(path))
    message = str(err.value)
    assert str(path) in message
    assert "item 'purposes'" in message
    assert "/items/0/severity" in message
    assert "schema: " in message


def test_unknown_rule_kind_is_rejected_with_its_path(tmp_path: Path) -> None:
    path = write(tmp_path, minimal(rule={"exists": "purposes"}))
    with pytest.raises(ChecklistError) as err:
        load_checklist(str(path))
    assert err.value.item == "purposes"
    assert err.value.path is not None and err.value.path.startswith("/items/0/rule")


def test_unknown_element_is_an_error_not_an_item_never_met(tmp_path: Path) -> None:
    path = write(tmp_path, minimal(rule={"present": "purpose"}))
    with pytest.raises(ChecklistError, match="unknown element 'purpose'") as err:
        load_checklist(str(path))
    assert err.value.path == "/items/0/rule/present"


def test_unknown_field_in_condition(tmp_path: Path) -> None:
    path = write(tmp_path, minimal(when={"field": "bases", "contains": "consent"}))
    with pytest.raises(ChecklistError, match="unknown field 'bases'"):
        load_checklist(str(path))


def test_missing_required_key_and_duplicate_ids(tmp_path: Path) -> None:
    data = minimal()
    del data["items"][0]["guidance"]
    with pytest.raises(ChecklistError, match="'guidance' is a required property"):
        load_checklist(str(write(tmp_path, data)))
    data = minimal()
    data["items"].append(dict(data["items"][0]))
    with pytest.raises(ChecklistError, match="duplicate item id"):
        load_checklist(str(write(tmp_path, data, "d.yaml")))


def test_yaml_syntax_error_gives_line(tmp_path: Path) -> None:
    path = write(tmp_path, "id: x\nitems: [\n  - a: b\n")
    with pytest.raises(ChecklistError, match=r"invalid YAML at line \d+"):
        load_checklist(str(path))


def test_missing_file_and_unknown_id() -> None:
    with pytest.raises(ChecklistError, match="no such checklist file"):
        load_checklist("nowhere/x.yaml")
    with pytest.raises(ChecklistError, match="no built-in checklist"):
        load_checklist("no-such-list")


def test_extends_overrides_and_adds(tmp_path: Path) -> None:
    child = {
        "id": "stricter", "version": "2", "title": "Stricter", "extends": "uk-gdpr",
        "facts": {"public_authority": False},
        "overrides": {"retention": {"weight": 5, "severity": "recommended"},
                      "representative": {"enabled": False}},
        "items": [minimal(id="extra", rule={"present": "statute"})["items"][0]],
    }
    checklist = load_checklist(str(write(tmp_path, child)))
    ids = [i.id for i in checklist.items]
    assert "representative" not in ids and ids[-1] == "extra" and len(ids) == 16
    assert checklist.item("retention").weight == 5 and checklist.item("retention").severity == "recommended"
    assert checklist.facts["public_authority"] is False and checklist.facts["indirect_collection"] is True


def test_override_of_unknown_item_and_inheritance_loop(tmp_path: Path) -> None:
    bad = {"id": "b", "version": "1", "title": "B", "extends": "uk-gdpr", "overrides": {"nope": {"weight": 1}}}
    with pytest.raises(ChecklistError, match="override names an item that does not exist"):
        load_checklist(str(write(tmp_path, bad)))
    write(tmp_path, {"id": "l1", "version": "1", "title": "L", "extends": "l2.yaml"}, "l1.yaml")
    write(tmp_path, {"id": "l2", "version": "1", "title": "L", "extends": "l1.yaml"}, "l2.yaml")
    with pytest.raises(ChecklistError, match="inheritance loops"):
        load_checklist(str(tmp_path / "l1.yaml"))


def _rights_table(**changes: object) -> dict:
    table: dict = {
        "always": ["access", "rectification", "restriction"],
        "by_basis": {"consent": ["erasure", "portability"], "contract": ["erasure", "portability"],
                     "legal_obligation": [], "vital_interests": ["erasure"], "public_task": ["objection"],
                     "legitimate_interests": ["erasure", "objection"]},
        "reference": {"title": "ICO, A guide to lawful basis", "url": "https://ico.org.uk/"},
    }
    table.update(changes)
    return minimal(id="rights", rule={"rights_for_bases": table})


def test_a_rights_table_loads(tmp_path: Path) -> None:
    rule = load_checklist(str(write(tmp_path, _rights_table()))).item("rights").rule
    assert rule["rights_for_bases"]["by_basis"]["public_task"] == ["objection"]


@pytest.mark.parametrize(("change", "path", "schema", "says"), [
    ({"by_basis": {"public_tasks": ["objection"]}}, "/items/0/rule/rights_for_bases/by_basis", "by_basis",
     "'public_tasks' was unexpected"),
    ({"always": ["access", "deletion"]}, "/items/0/rule/rights_for_bases/always/1", "enum", "'deletion'"),
    ({"reference": {"title": "ICO"}}, "/items/0/rule/rights_for_bases/reference", "required", "'url'"),
    ({"always": ["access", "access"]}, "/items/0/rule/rights_for_bases/always", "uniqueItems", ""),
])
def test_a_broken_rights_table_is_rejected_with_file_item_and_schema_path(
        tmp_path: Path, change: dict, path: str, schema: str, says: str) -> None:
    data = _rights_table(**change)
    file = write(tmp_path, data)
    with pytest.raises(ChecklistError) as err:
        load_checklist(str(file))
    message = str(err.value)
    assert str(file) in message and "item 'rights'" in message
    assert err.value.path == path
    assert "schema: " in message and schema in message.split("schema: ")[1]
    assert says in message


def test_every_basis_must_be_listed_in_a_rights_table(tmp_path: Path) -> None:
    data = _rights_table()
    del data["items"][0]["rule"]["rights_for_bases"]["by_basis"]["legal_obligation"]
    with pytest.raises(ChecklistError, match="'legal_obligation' is a required property"):
        load_checklist(str(write(tmp_path, data)))


def test_the_schemas_vocabularies_are_the_contracts() -> None:
    schema = json.loads(resources.files("notice_audit.schemas").joinpath("checklist.schema.json").read_text())
    assert tuple(schema["$defs"]["right"]["enum"]) == RIGHTS
    by_basis = schema["$defs"]["rule"]["properties"]["rights_for_bases"]["properties"]["by_basis"]
    assert tuple(by_basis["required"]) == tuple(by_basis["properties"]) == LAWFUL_BASES
