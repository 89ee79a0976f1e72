"""The command line end to end: formats, exit codes, errors, atomic output, demo."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from notice_audit.app.cli import main
from notice_audit.formats.json import validation_errors
from notice_audit.rules.checklist import Checklist, builtin_ids, load_checklist

GOOD = """<!doctype html><html><head><title>Lowmoor tenancy privacy notice</title></head><body>
<header><nav><a href="/">Home</a> <a href="/privacy">Privacy</a></nav></header>
<div class="cookie-banner"><p>We use cookies with your consent. Call 01632 960 999.</p></div>
<main>
<h1 id="top">Tenancy privacy notice</h1>
<p>Lowmoor Borough Council is the data controller for the personal information we hold about tenants.</p>
<h2 id="why">Why we use your information</h2>
<p>We use your information to manage your tenancy and to collect rent.</p>
<h2 id="basis">Our lawful basis</h2>
<p>We process your information because it is necessary for the performance of a contract with you
and to comply with our legal obligations under the Housing Act 1985.</p>
<h2 id="what">What information we hold</h2>
<p>We hold information such as your name, address, date of birth and bank details.</p>
<p>We also receive information about you from other agencies, such as the police and social services.</p>
<h2 id="share">Who we share your information with</h2>
<p>We may share your information with:</p>
<ul><li>the police</li><li>other local authorities</li><li>contractors acting on our behalf</li></ul>
<h2 id="abroad">Transfers abroad</h2>
<p>We do not transfer your personal information outside the UK.</p>
<h2 id="keep">How long we keep it</h2>
<p>We keep tenancy records for six years after the tenancy ends.</p>
<h2 id="rights">Your rights</h2>
<p>You have the right to ask for a copy of your information, to have it corrected, and to object.</p>
<p>You do not have to give us this information, but if you do not provide it we cannot offer you a tenancy.</p>
<p>We do not make decisions about you by automated means.</p>
<h2 id="contact">Contact us</h2>
<p>Contact our Data Protection Officer at dpo@lowmoor.gov.uk.</p>
<p>You can complain to the Information Commissioner's Office at ico.org.uk.</p>
</main>
<footer><p>Lowmoor Borough Council, Town Hall, LM1 2AB</p></footer>
</body></html>
"""

POOR = """Garden waste

We use your name and address to collect your garden waste bin.
"""


@pytest.fixture
def notices(tmp_path: Path) -> Path:
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "tenancy.html").write_text(GOOD)
    (folder / "garden.txt").write_text(POOR)
    (folder / "logo.png").write_bytes(b"\x89PNG")  # skipped in a folder: not a notice format
    return folder


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_is_schema_valid_with_evidence(notices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("audit", str(notices / "tenancy.html"), "--format", "json", "--output", "-", capsys=capsys)
    data = json.loads(out)
    assert validation_errors(data) == []
    notice = data["notices"][0]
    assert len(notice["items"]) == 16
    statuses = {i["id"]: i["status"] for i in notice["items"]}
    assert statuses["recipients"] == "met" and statuses["automated_decision_making"] == "met"
    assert statuses["withdraw_consent"] == "not_applicable"
    for item in notice["items"]:
        if item["status"] in ("met", "partial"):
            assert item["evidence"] and all(e["quote"] and e["locator"] for e in item["evidence"]), item["id"]
    # furniture never reaches the results: the cookie banner's number and the footer postcode
    assert "01632960999" not in notice["extracted"]["contacts"]["phones"]
    assert "LM1 2AB" not in notice["extracted"]["contacts"]["postcodes"]
    assert code == (0 if notice["passed"] else 1)


def test_exit_0_when_every_gate_passes(notices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("audit", str(notices / "tenancy.html"), "--format", "json", capsys=capsys)
    data = json.loads(out)
    assert data["notices"][0]["passed"] is True, [
        (i["id"], i["status"]) for i in data["notices"][0]["items"] if i["status"] == "missing"
    ]
    assert code == 0


def test_exit_1_when_a_gate_fails(notices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("audit", str(notices / "garden.txt"), "--format", "json", capsys=capsys)
    assert code == 1 and json.loads(out)["notices"][0]["passed"] is False
    code, out, _ = run("audit", str(notices / "tenancy.html"), "--fact", "controller_outside_uk=true",
                       "--format", "json", capsys=capsys)
    items = {i["id"]: i["status"] for i in json.loads(out)["notices"][0]["items"]}
    assert items["representative"] == "missing" and code == 1
    code, out, _ = run("audit", str(notices / "garden.txt"), "--fail-under", "10", "--format", "json",
                       "--fact", "public_authority=false", "--fact", "indirect_collection=false", capsys=capsys)
    assert json.loads(out)["notices"][0]["score"] < 100 and code == 1


def test_folder_audits_each_notice_and_bad_target_is_listed(notices: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(notices / "nope.html")
    code, out, err = run("audit", str(notices), missing, "--format", "json", capsys=capsys)
    data = json.loads(out)
    assert sorted(Path(n["source"]).name for n in data["notices"]) == ["garden.txt", "tenancy.html"]
    assert data["errors"] == [{"target": missing, "error": "no such file or folder"}]
    assert data["summary"]["errors"] == 1 and "nope.html" in err
    assert code == 1


def test_binary_file_of_unknown_format_is_an_error_entry(notices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (notices / "notice.odt").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4)  # a zip archive
    code, out, _ = run("audit", str(notices / "notice.odt"), str(notices / "garden.txt"), "--format", "json",
                       capsys=capsys)
    errors = json.loads(out)["errors"]
    assert errors[0]["target"].endswith("notice.odt") and "not a text file" in errors[0]["error"]
    assert code == 1  # garden.txt was audited, so this is a gate failure, not a usage error


def test_exit_2_when_nothing_could_be_audited(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "r.json"
    code, out, err = run("audit", str(tmp_path / "none.html"), "--output", str(out_file), capsys=capsys)
    assert code == 2 and "nothing could be audited" in err and len(err.strip().splitlines()) == 1
    assert not out_file.exists() and out == ""


def test_exit_2_for_bad_checklist_names_file_item_and_path(notices: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\nversion: '1'\ntitle: Bad\nitems:\n  - id: purposes\n    title: P\n    reference: R\n"
        "    severity: urgent\n    weight: 1\n    rule: {present: purposes}\n    looked_for: x\n    guidance: y\n"
    )
    out_file = tmp_path / "report.json"
    code, _, err = run("audit", str(notices), "--checklist", str(bad), "--output", str(out_file), capsys=capsys)
    assert code == 2
    assert str(bad) in err and "item 'purposes'" in err and "/items/0/severity" in err
    assert not out_file.exists()


def test_exit_2_for_bad_options(notices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["audit", str(notices), "--fail-under", "150"])
    assert exc.value.code == 2
    code, _, err = run("audit", str(notices), "--fact", "oops", capsys=capsys)
    assert code == 2 and "NAME=VALUE" in err


def test_fact_changes_applicability(notices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run("audit", str(notices / "garden.txt"), "--fact", "public_authority=false", "--format", "json",
                    capsys=capsys)
    items = {i["id"]: i["status"] for i in json.loads(out)["notices"][0]["items"]}
    assert items["dpo_contact"] == "not_applicable"


@pytest.mark.parametrize(("fmt", "marker"), [("markdown", "| "), ("table", "mean score"), ("json", '"notices"')])
def test_output_file_per_format_written_atomically(notices: Path, tmp_path: Path, fmt: str, marker: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / f"report.{fmt}"
    code, out, _ = run("audit", str(notices), "--format", fmt, "--output", str(target), capsys=capsys)
    assert code == 1 and out == ""
    text = target.read_text()
    assert marker in text and "tenancy.html" in text
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary files left


def test_format_guessed_from_output_extension(notices: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "r.md"
    run("audit", str(notices), "--output", str(target), capsys=capsys)
    assert target.read_text().startswith("#")


def test_checklists_verbs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("checklists", "list", capsys=capsys)
    assert code == 0 and out.startswith("uk-gdpr\t")
    code, out, _ = run("checklists", "show", "uk-gdpr", "--format", "summary", capsys=capsys)
    assert code == 0 and "- complaint_to_ico (required, weight 2)" in out
    assert "facts: public_authority=true," in out and "[when {fact: controller_outside_uk}]" in out  # YAML, not Python
    code, out, _ = run("checklists", "validate", "checklists/uk-gdpr.yaml", capsys=capsys)
    assert code == 0 and "16 items" in out
    bad = tmp_path / "b.yaml"
    bad.write_text("- not a mapping\n")
    code, _, err = run("checklists", "validate", str(bad), capsys=capsys)
    assert code == 2 and "must be a YAML mapping" in err


def _same_items(shown: Checklist, original: Checklist) -> None:
    assert [dataclasses.replace(i, source="") for i in shown.items] == [
        dataclasses.replace(i, source="") for i in original.items]
    assert (shown.id, shown.version, shown.title, dict(shown.facts), shown.description, shown.link) == (
        original.id, original.version, original.title, dict(original.facts), original.description, original.link)


@pytest.mark.parametrize("ident", builtin_ids())
def test_checklists_show_prints_yaml_that_loads_back_to_the_same_checklist(
        ident: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("checklists", "show", ident, capsys=capsys)
    assert code == 0
    data = yaml.safe_load(out)
    original = load_checklist(ident)
    assert data["id"] == ident and [i["id"] for i in data["items"]] == [i.id for i in original.items]
    assert "True" not in out and "{'" not in out  # no Python reprs
    shown = tmp_path / "shown.yaml"
    shown.write_text(out)  # the printed text itself, comments included, is a checklist file
    _same_items(load_checklist(str(shown)), original)


def test_checklists_show_resolves_extends_and_overrides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    own = tmp_path / "own.yaml"
    own.write_text("id: own\nversion: '2'\ntitle: Own\nextends: uk-gdpr\nfacts: {public_authority: false}\n"
                   "overrides:\n  representative: {enabled: false}\n"
                   "  retention: {weight: 2.5, severity: recommended}\n")
    code, out, _ = run("checklists", "show", str(own), capsys=capsys)
    data = yaml.safe_load(out)
    assert code == 0 and "extends" not in data and "overrides" not in data
    retention = next(i for i in data["items"] if i["id"] == "retention")
    assert retention["weight"] == 2.5 and retention["severity"] == "recommended"
    assert "representative" not in [i["id"] for i in data["items"]] and data["facts"]["public_authority"] is False
    assert "# 15 items from built-in uk-gdpr" in out
    shown = tmp_path / "shown.yaml"
    shown.write_text(out)
    _same_items(load_checklist(str(shown)), load_checklist(str(own)))


def test_demo_writes_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("demo", "--output-dir", str(tmp_path / "demo"), capsys=capsys)
    assert code == 0
    data = json.loads((tmp_path / "demo" / "report.json").read_text())
    assert validation_errors(data) == []
    assert (tmp_path / "demo" / "report.md").read_text().startswith("#")
    # a short summary, the HTML report first, then the other paths: not the table of every item
    assert len(out.splitlines()) < 20 and "✓ met" not in out
    assert f"Open the HTML report:  {tmp_path / 'demo' / 'report.html'}" in out
    assert "Corporate privacy notice" in out and "PASS" in out and "FAIL" in out
    # the loopback server is gone once the demo ends: the reports name and link the copied site instead
    assert "127.0.0.1" not in (tmp_path / "demo" / "report.json").read_text()
    html = (tmp_path / "demo" / "report.html").read_text()
    assert "127.0.0.1" not in html
    hrefs = set(re.findall(r'href="(site/[^"#]+)', html))
    assert len(hrefs) >= 5
    assert all((tmp_path / "demo" / unquote(h)).is_file() for h in hrefs), hrefs
    by_name = {Path(n["source"]).name: n for n in data["notices"]}
    assert by_name["corporate-privacy-notice.html"]["score"] > by_name["council-tax.html"]["score"]
    assert by_name["council-tax.html"]["score"] > by_name["garden-waste.html"]["score"]
    status = {name: {i["id"]: i["status"] for i in n["items"]} for name, n in by_name.items()}
    # the layered service notice points to the corporate notice for rights, DPO and complaints
    for item in ("rights", "dpo_contact", "complaint_to_ico"):
        assert status["council-tax.html"][item] == "partial", item
    # the explainer describes the law and is not a notice: the crawl does not audit it
    assert "what-a-privacy-notice-is.html" not in by_name
    # the three-part notice is one notice
    assert len(by_name["index.html"]["parts"]) == 3
    # "we cannot rely on legitimate interests" is not relying on them
    assert "legitimate_interests" not in by_name["corporate-privacy-notice.html"]["extracted"]["lawful_bases"]


def test_python_dash_m_runs_the_cli(notices: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.run([sys.executable, "-m", "notice_audit", "checklists", "list"], capture_output=True,
                          text=True, env=env, check=False)
    assert proc.returncode == 0 and "uk-gdpr" in proc.stdout


def test_every_run_ends_saying_what_it_wrote_and_why_it_exits(notices: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A config file's outputs run on a terminal used to print nothing and exit 1."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notice-audit.toml").write_text(
        'outputs = [{format = "html", path = "reports/audit.html"}, {format = "json", path = "reports/audit.json"}]\n')
    code, out, err = run("audit", str(notices), capsys=capsys)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert "notice-audit: reports written: reports/audit.html, reports/audit.json" in lines
    assert lines[-1] == "notice-audit: exit 1: 1 of 2 notices failed its gate"
    assert (tmp_path / "reports" / "audit.html").is_file()


def test_exit_reason_when_all_pass_or_a_target_is_unreadable(notices: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run("audit", str(notices / "tenancy.html"), "--output", str(tmp_path / "a.json"), capsys=capsys)
    assert code == 0 and err.splitlines()[-1] == "notice-audit: exit 0: the notice passes the gate"
    code, _, err = run("audit", str(notices / "tenancy.html"), str(tmp_path / "gone.html"), "--output", "-",
                       "--format", "json", capsys=capsys)
    assert code == 1 and err.splitlines()[-1] == "notice-audit: exit 1: 1 target could not be audited"
    assert "reports written" not in err  # standard output is not a file written


def test_exit_reason_counts_targets_when_one_is_not_a_notice(notices: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "index.html"
    index.write_text("<main><h1>Our privacy notices</h1><ul>" + "".join(
        f'<li><a href="/p{n}.html">Privacy notice for service {n}</a></li>' for n in range(5)) + "</ul></main>")
    code, _, err = run("audit", str(notices / "tenancy.html"), str(index), "--output", str(tmp_path / "a.json"),
                       capsys=capsys)
    assert code == 0
    assert err.splitlines()[-1] == "notice-audit: exit 0: all 2 targets pass the gate (1 target not a notice)"
