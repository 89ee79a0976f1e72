"""`notice-audit checklists test`: checklist items tested like code with their examples."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from notice_audit.app.cli import main
from notice_audit.rules.checklist import builtin_ids, load_checklist
from notice_audit.rules.examples import examples_of, own_items, run_examples


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_builtin_item_has_examples_of_both_kinds_where_text_can_show_them() -> None:
    for ident in builtin_ids():
        checklist = load_checklist(ident)
        for item in own_items(checklist):
            kinds = {expect for expect, _, _ in examples_of(item)}
            # broken links are only found by crawling, so plain-text examples can only meet that item
            wanted = {"meets"} if item.id == "broken_links" else {"meets", "fails"}
            assert wanted <= kinds, (ident, item.id)


def test_every_builtin_example_passes() -> None:
    for ident in builtin_ids():
        bad = [r.label for r in run_examples(load_checklist(ident)) if not r.passed]
        assert bad == [], (ident, bad)


def test_command_runs_all_builtins_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("checklists", "test", capsys=capsys)
    assert code == 0
    assert "uk-gdpr: 16 items" in out and "0 failed" in out and "FAIL" not in out
    assert "uk-gdpr-good-practice: 14 items" in out and "16 inherited items" in out
    assert "dpa2018-part3: 10 items" in out


def mine(tmp_path: Path, meets: list, fails: list, **extra: object) -> Path:
    data = {
        "id": "mine", "version": "1", "title": "Ours", "extends": "uk-gdpr",
        "items": [{
            "id": "review_date_given", "title": "A date", "reference": "Art 12", "severity": "recommended",
            "weight": 1, "rule": {"present": "review_date"}, "looked_for": "a date", "guidance": "add one",
            "when": {"fact": "never_true"}, "examples": {"meets": meets, "fails": fails}, **extra,
        }],
    }
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_a_users_checklist_passes_and_conditions_are_ignored(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = mine(tmp_path, ["Last updated: 1 May 2025"], ["We update this notice sometimes."])
    code, out, _ = run("checklists", "test", str(path), "--verbose", capsys=capsys)
    assert code == 0, out
    assert "ok    review_date_given meets[1]: met" in out
    assert "ok    review_date_given fails[1]: missing" in out
    assert "1 item, 2 examples, 0 failed (16 inherited items" in out


def test_a_misjudged_example_fails_the_run_and_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = mine(tmp_path, ["We update this notice sometimes."], ["Last updated: 1 May 2025"])
    code, out, _ = run("checklists", "test", str(path), capsys=capsys)
    assert code == 1
    assert "FAIL  review_date_given meets[1]: missing (expected met)" in out
    assert "FAIL  review_date_given fails[1]: met (expected not met)" in out
    assert "'We update this notice sometimes.'" in out


def test_examples_with_as_of_and_facts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule = {"max_age": {"element": "review_date", "days": 30, "days_fact": "limit"}}
    path = mine(tmp_path, [{"text": "Last updated: 1 May 2025", "as_of": "2025-05-20"},
                           {"text": "Last updated: 1 May 2025", "as_of": "2025-09-01", "facts": {"limit": 200}}],
                [{"text": "Last updated: 1 May 2025", "as_of": "2025-09-01", "note": "too old"}], rule=rule)
    code, out, _ = run("checklists", "test", str(path), capsys=capsys)
    assert code == 0, out


def test_items_without_examples_are_noted_not_failed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = yaml.safe_load(mine(tmp_path, ["x"], ["y"]).read_text())
    del data["items"][0]["examples"]
    path = tmp_path / "bare.yaml"
    path.write_text(yaml.safe_dump(data))
    code, out, _ = run("checklists", "test", str(path), capsys=capsys)
    assert code == 0 and "items without examples: review_date_given" in out


def test_a_broken_checklist_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = mine(tmp_path, [], ["y"])  # meets: [] is below minItems
    code, _, err = run("checklists", "test", str(path), capsys=capsys)
    assert code == 2 and "item 'review_date_given'" in err and "/items/0/examples/meets" in err
