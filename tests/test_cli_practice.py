"""The command line for good practice: --as-of makes ages reproducible; the new checklists load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notice_audit.app.cli import main

NOTICE = """Garden waste privacy notice

Lowmoor Borough Council is the data controller for your garden waste subscription.
We use your name and address to collect your garden waste bin.
Last updated: 1 March 2024
"""


def audit(tmp_path: Path, *extra: str) -> dict[str, dict]:
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE)
    out = tmp_path / "report.json"
    main(["audit", str(notice), "--checklist", "uk-gdpr-good-practice", "--format", "json", "--output", str(out),
          *extra])
    data = json.loads(out.read_text())
    return {i["id"]: i for i in data["notices"][0]["items"]}


def test_as_of_makes_the_review_age_reproducible(tmp_path: Path) -> None:
    assert audit(tmp_path, "--as-of", "2024-06-01")["review_age"]["status"] == "met"
    old = audit(tmp_path, "--as-of", "2026-06-01")["review_age"]
    assert old["status"] == "failed" and "before 2026-06-01" in old["message"]
    assert old["evidence"][0]["quote"] == "Last updated: 1 March 2024"
    longer = audit(tmp_path, "--as-of", "2026-06-01", "--fact", "review_max_days=1000")["review_age"]
    assert longer["status"] == "met"


def test_bad_as_of_or_review_fact_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notice = tmp_path / "n.txt"
    notice.write_text(NOTICE)
    with pytest.raises(SystemExit) as exc:
        main(["audit", str(notice), "--as-of", "next week"])
    assert exc.value.code == 2
    code = main(["audit", str(notice), "--checklist", "uk-gdpr-good-practice", "--fact", "review_max_days=soon",
                 "--format", "json", "--output", str(tmp_path / "r.json")])
    assert code == 2 and "review_max_days" in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("ident", ["uk-gdpr-good-practice", "dpa2018-part3"])
def test_new_checklists_show_and_validate(ident: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklists", "show", ident, "--format", "summary"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(ident)
    assert main(["checklists", "list"]) == 0
    assert ident in capsys.readouterr().out
