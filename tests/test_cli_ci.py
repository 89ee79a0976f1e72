"""Unattended runs end to end: config file, env, waivers, baselines, history, GitHub Actions, --changed-since."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from notice_audit.app.cli import main
from notice_audit.formats.json import validation_errors
from tests.test_changed import git
from tests.test_cli import GOOD, POOR

WAIVER = """
[[waivers]]
item = "{item}"
target = "*garden*"
reason = "Garden waste notice is being rewritten"
owner = "waste-team@lowmoor.example"
expires = {expires}
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A content repository folder with a good and a poor notice; the working folder."""
    root = tmp_path / "site"
    (root / "notices").mkdir(parents=True)
    (root / "notices" / "tenancy.html").write_text(GOOD)
    (root / "notices" / "garden.txt").write_text(POOR)
    monkeypatch.chdir(root)
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def audit_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:
    code, out, err = run(capsys, "audit", *args, "--format", "json", "--output", "-")
    data = json.loads(out)
    assert validation_errors(data) == []
    return code, data, err


def gaps(data: dict, name: str) -> dict[str, dict]:
    notice = next(n for n in data["notices"] if n["source"].endswith(name))
    return {i["id"]: i for i in notice["items"] if i["status"] in ("missing", "failed")}


def test_config_file_supplies_targets_gates_and_outputs(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "notice-audit.toml").write_text(
        'targets = ["notices"]\nfail-under = 95\n'
        'outputs = [{format = "json", path = "out/report.json"}, {format = "markdown", path = "out/report.md"}]\n'
    )
    (site / "deeper").mkdir()
    import os

    os.chdir(site / "deeper")  # discovered from a sub-folder; paths stay relative to the config file
    code, out, _ = run(capsys, "audit")
    data = json.loads((site / "out" / "report.json").read_text())
    assert sorted(Path(n["source"]).name for n in data["notices"]) == ["garden.txt", "tenancy.html"]
    assert data["gate"]["fail_under"] == 95 and code == 1
    assert "# Privacy notice audit" in (site / "out" / "report.md").read_text()
    assert out == ""  # every report went to a file


def test_bad_config_key_exits_2_naming_it_and_writes_nothing(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "notice-audit.toml").write_text('targets = ["notices"]\nfail_under = 60\n')
    code, _, err = run(capsys, "audit", "--output", "report.json")
    assert code == 2
    assert "notice-audit.toml: /: unknown key 'fail_under' (did you mean 'fail-under'?)" in err
    assert not (site / "report.json").exists()


def test_waiver_accepts_a_known_gap_and_shows_it(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = audit_json(capsys, "notices/garden.txt", "--no-config")
    missing_required = [k for k, v in gaps(data, "garden.txt").items() if v["severity"] == "required"]
    assert code == 1 and missing_required
    waivers = "".join(WAIVER.format(item=item, expires="2099-12-31") for item in missing_required)
    (site / "notice-audit.toml").write_text(waivers)
    code, data, _ = audit_json(capsys, "notices/garden.txt")
    assert code == 0
    waived = gaps(data, "garden.txt")
    for item in missing_required:  # still listed as missing, marked waived
        assert waived[item]["waiver"]["owner"] == "waste-team@lowmoor.example"
    assert {w["status"] for w in data["gate"]["waivers"]} == {"active"}


def test_expired_waiver_fails_the_gate(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, data, _ = audit_json(capsys, "notices/garden.txt", "--no-config")
    item = next(k for k, v in gaps(data, "garden.txt").items() if v["severity"] == "required")
    (site / "notice-audit.toml").write_text(WAIVER.format(item=item, expires="2026-01-31"))
    code, data, _ = audit_json(capsys, "notices/garden.txt", "--as-of", "2026-11-24")
    notice = data["notices"][0]
    assert code == 1 and not notice["passed"]
    assert any("waiver expired on 2026-01-31" in f["reason"] for f in notice["failures"])


def test_malformed_waiver_date_exits_2_naming_the_file(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "notice-audit.toml").write_text(WAIVER.format(item="retention", expires='"2026-02-30"'))
    code, _, err = run(capsys, "audit", "notices", "--output", "r.json")
    assert code == 2 and "notice-audit.toml: /waivers/0/expires: '2026-02-30' is not a date" in err
    assert not (site / "r.json").exists()


def test_environment_overrides_the_file_and_flags_override_both(site: Path, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (site / "notice-audit.toml").write_text('targets = ["notices/tenancy.html"]\nfail-under = 10\n')
    monkeypatch.setenv("NOTICE_AUDIT_FAIL_UNDER", "99.5")
    code, data, _ = audit_json(capsys)
    assert data["gate"]["fail_under"] == 99.5
    code, data, _ = audit_json(capsys, "--fail-under", "20")
    assert data["gate"]["fail_under"] == 20 and code == 0
    monkeypatch.setenv("NOTICE_AUDIT_FAIL_ON", "fatal")
    code, _, err = run(capsys, "audit")
    assert code == 2 and "unknown severity 'fatal'" in err


def test_baseline_fails_only_on_new_gaps(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "audit", "notices", "--no-config", "--write-baseline", "baseline.json",
                       "--output", "first.json")
    assert code == 0 and "baseline of" in err
    code, data, _ = audit_json(capsys, "notices", "--baseline", "baseline.json")
    assert code == 0 and data["gate"]["baseline"]["new"] == 0 and data["gate"]["baseline"]["known"] > 0
    # The tenancy notice loses its DPO contact: one new gap, the garden notice's old gaps stay known.
    (site / "notices" / "tenancy.html").write_text(GOOD.replace("Contact our Data Protection Officer at "
                                                                "dpo@lowmoor.gov.uk.", ""))
    code, data, _ = audit_json(capsys, "notices", "--baseline", "baseline.json")
    assert code == 1
    tenancy = next(n for n in data["notices"] if n["source"].endswith("tenancy.html"))
    garden = next(n for n in data["notices"] if n["source"].endswith("garden.txt"))
    assert [f["item"] for f in tenancy["failures"]] == ["dpo_contact"] and garden["passed"]
    assert gaps(data, "tenancy.html")["dpo_contact"]["baseline"] == "new"
    # Fixed: the garden notice gains a retention period.
    (site / "notices" / "tenancy.html").write_text(GOOD)
    (site / "notices" / "garden.txt").write_text(POOR + "\nWe keep your details for two years after your "
                                                 "subscription ends.\n")
    code, data, _ = audit_json(capsys, "notices", "--baseline", "baseline.json")
    assert {"target": "notices/garden.txt", "item": "retention"} in data["gate"]["baseline"]["fixed"]


def test_baseline_of_another_checklist_version_exits_2(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "audit", "notices", "--write-baseline", "baseline.json", "--output", "r.json")
    data = json.loads((site / "baseline.json").read_text())
    data["checklist"]["version"] = "0.1.0"
    (site / "baseline.json").write_text(json.dumps(data))
    before = (site / "baseline.json").read_bytes()
    code, _, err = run(capsys, "audit", "notices", "--baseline", "baseline.json", "--output", "new.json")
    assert code == 2 and "baseline.json: baseline was written for checklist uk-gdpr 0.1.0" in err
    assert (site / "baseline.json").read_bytes() == before and not (site / "new.json").exists()


def test_github_actions_annotations_and_step_summary(site: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    summary = site / "step-summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run(capsys, "audit", "notices", "--output", "report.sarif")
    assert code == 1
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert errors and all("file=notices/garden.txt" in line for line in errors)
    text = summary.read_text()
    assert text.startswith("earlier step\n") and "garden.txt" in text  # appended, never overwritten
    sarif = json.loads((site / "report.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    # A machine-readable report on stdout is not mixed with annotations.
    code, out, _ = run(capsys, "audit", "notices", "--format", "json", "--output", "-")
    assert json.loads(out)["summary"]["notices"] == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_audits_only_changed_files_with_file_and_line(site: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-qm", "base")
    code, _, err = run(capsys, "audit", "--changed-since", "HEAD", "--output", "r.json")
    assert code == 0 and "no notice files changed since HEAD" in err and not (site / "r.json").exists()
    (site / "notices" / "tenancy.html").write_text(GOOD.replace("<p>We use your information to manage",
                                                                "<p>We now use your information to manage"))
    code, data, _ = audit_json(capsys, "--changed-since", "HEAD")
    assert [n["source"] for n in data["notices"]] == ["notices/tenancy.html"]
    purposes = next(i for i in data["notices"][0]["items"] if i["id"] == "purposes")
    assert any(e["locator"].startswith("notices/tenancy.html#why:") or
               e["locator"].startswith("notices/tenancy.html:") for e in purposes["evidence"])
    code, _, err = run(capsys, "audit", "--changed-since", "nope")
    assert code == 2 and "unknown git ref 'nope'" in err


def test_history_since_last_and_trend(site: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTICE_AUDIT_HISTORY")  # the default place: .notice-audit/ in the working folder
    code, data, _ = audit_json(capsys, "notices", "--since-last")
    assert (site / ".notice-audit" / "history.sqlite").is_file()
    assert sorted(data["since_last"]["new_targets"]) == ["notices/garden.txt", "notices/tenancy.html"]
    (site / "notices" / "tenancy.html").write_text(GOOD.replace("Contact our Data Protection Officer at "
                                                                "dpo@lowmoor.gov.uk.", ""))
    code, data, _ = audit_json(capsys, "notices", "--since-last")
    changes = {n["source"]: n for n in data["since_last"]["notices"]}
    tenancy = changes["notices/tenancy.html"]
    assert tenancy["content_changed"] is True and not changes["notices/garden.txt"]["content_changed"]
    assert [(r["item"], r["previous"], r["current"]) for r in tenancy["regressions"]] == [
        ("dpo_contact", "met", "missing")]
    code, out, _ = run(capsys, "history", "notices/tenancy.html", "--format", "json")
    trend = json.loads(out)
    assert code == 0 and "dpo_contact" in json.dumps(trend)
    code, out, _ = run(capsys, "history", "--format", "table")
    assert code == 0 and "notices/garden.txt" in out and "notices/tenancy.html" in out


def test_corrupt_history_exits_2_and_loses_nothing(site: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db = site / "history.sqlite"
    db.write_bytes(b"this is not a database at all" * 100)
    before = db.read_bytes()
    monkeypatch.setenv("NOTICE_AUDIT_HISTORY", str(db))
    code, _, err = run(capsys, "audit", "notices", "--output", "r.json")
    assert code == 2 and str(db) in err
    assert db.read_bytes() == before and not (site / "r.json").exists()
    code, _, err = run(capsys, "audit", "notices", "--no-history", "--output", "r.json")
    assert code == 1 and (site / "r.json").exists()


@pytest.mark.parametrize("verb", ["audit", "crawl"])
def test_a_corrupt_history_stops_an_audit_or_a_crawl_with_exit_2(site: Path, verb: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db = site / "history.sqlite"
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"damaged beyond the header" * 100)
    before = db.read_bytes()
    target = "notices" if verb == "audit" else "http://127.0.0.1:9/"  # the crawl stops before fetching
    code, _, err = run(capsys, verb, target, "--offline", "--history", str(db), "--output", "r.json")
    assert code == 2 and f"{db}: " in err and err.count("\n") == 1
    assert db.read_bytes() == before and not (site / "r.json").exists()


@pytest.mark.parametrize("verb", ["audit", "crawl"])
def test_a_corrupt_snapshot_store_is_exit_2_naming_its_index(site: Path, verb: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from notice_audit.demo import SITE
    from notice_audit.demo.server import serve_site

    index = site / "snaps" / "index.sqlite"
    index.parent.mkdir()
    index.write_bytes(b"this is not a database at all" * 100)
    before = index.read_bytes()
    with serve_site(SITE) as base:  # a site that works: only the store is wrong
        target = f"{base}privacy/council-tax.html" if verb == "audit" else base
        code, _, err = run(capsys, verb, target, "--snapshots", "snaps", "--output", "r.json")
    assert code == 2, err
    assert err.startswith(f"notice-audit: error: {Path('snaps') / 'index.sqlite'}: ") and err.count("\n") == 1
    assert "snapshot store" in err
    assert index.read_bytes() == before and not (site / "r.json").exists()


def test_a_streamed_run_annotates_summarises_records_and_baselines_as_a_whole_report_does(
        site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON Lines run keeps only slim copies of its notices: everything done after the run (annotations,
    step summary, history, baseline) must read the same from them as from the whole notices."""
    import sqlite3

    for k in range(3):  # several notices with the same verdicts: the slim copies share them
        (site / "notices" / f"tenancy-{k}.html").write_text(GOOD)
        (site / "notices" / f"garden-{k}.txt").write_text(POOR + "\nLast updated: 1 March 2024\n")  # failed: old
    checklist = ("--checklist", "uk-gdpr-good-practice", "--as-of", "2026-11-24")
    _, data, _ = audit_json(capsys, "notices/garden.txt", "--no-config", *checklist)
    first, second = [k for k, v in gaps(data, "garden.txt").items() if v["severity"] == "required"][:2]
    (site / "notice-audit.toml").write_text(WAIVER.format(item=first, expires="2099-12-31")
                                            + WAIVER.format(item=second, expires="2026-01-31"))
    history = site / "history.sqlite"
    monkeypatch.setenv("NOTICE_AUDIT_HISTORY", str(history))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    seen = {}
    for fmt in ("json", "jsonl"):
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(site / f"summary-{fmt}.md"))
        code, out, _ = run(capsys, "audit", "notices", *checklist, "--format", fmt,
                           "--output", f"report.{fmt}", "--write-baseline", f"baseline-{fmt}.json")
        baseline = json.loads((site / f"baseline-{fmt}.json").read_text())
        baseline.pop("generated_at", None)
        baseline.pop("created_at", None)  # the two runs may straddle a second
        seen[fmt] = (code, out.splitlines(), (site / f"summary-{fmt}.md").read_text(), baseline)
    assert seen["json"] == seen["jsonl"]
    code, annotations, summary, _ = seen["jsonl"]
    assert code == 0  # --write-baseline accepts the gaps it writes
    assert "⛔ expired" in summary and "✅ active" in summary
    levels = {line.split(" ", 1)[0] for line in annotations}
    assert {"::error", "::warning", "::notice"} <= levels  # a gate failure, a plain gap, a waived gap
    assert any("Evidence: “Last updated: 1 March 2024”" in line for line in annotations)
    assert any("Guidance: " in line for line in annotations)
    with sqlite3.connect(history) as db:
        query = ("SELECT n.source, i.item, i.status, i.severity, i.waived, i.baseline FROM item i"
                 " JOIN notice n ON n.id = i.notice_id WHERE n.run_id = ? ORDER BY 1, 2")
        rows = [db.execute(query, (run_id,)).fetchall() for run_id in (1, 2)]
    assert rows[0] == rows[1] and len(rows[0]) > 50


def test_slim_copies_share_bare_verdicts_and_keep_what_annotations_read() -> None:
    from notice_audit.app.run import _Shared, _slim
    from notice_audit.audit import audit_document
    from notice_audit.formats.github import annotated
    from notice_audit.model import Page
    from notice_audit.parse import parse_page
    from notice_audit.rules.checklist import load_checklist

    checklist = load_checklist("uk-gdpr")
    good, poor = (audit_document(parse_page(Page(name, name, text.encode(), media)), checklist)
                  for name, text, media in (("a.html", GOOD, "text/html"), ("b.txt", POOR, "text/plain")))
    shared = _Shared()
    slim = [_slim(notice, shared) for notice in (good, good, poor)]
    assert slim[0].extracted == {} and good.extracted
    for before, after, again in zip(good.items, slim[0].items, slim[1].items, strict=True):
        if annotated(before, good.gate_items()):
            assert after.evidence == before.evidence[:1] and after.message == before.message
            assert after is not again
        else:
            assert after.evidence == () and after.message == "" and after is again
        assert (after.id, after.status, after.severity, after.weight) == (before.id, before.status, before.severity,
                                                                          before.weight)
    met = {i.id for i in good.items if i.status == "met"}
    assert met and all(i.evidence for i in good.items if i.id in met)  # the full notice had quotes to drop
    gaps_ = [i for i in poor.items if i.is_gap]
    assert gaps_ and [i.message for i in slim[2].items if i.is_gap] == [i.message for i in gaps_]
