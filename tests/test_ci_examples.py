"""The repository's CI examples, exercised: the GitHub Actions workflow and the pre-commit hook."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from notice_audit.app.cli import main
from tests.conftest import REPO
from tests.test_changed import git
from tests.test_cli import GOOD, POOR

WORKFLOW = REPO / ".github" / "workflows" / "notice-audit.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def workflow() -> dict[Any, Any]:
    return yaml.safe_load(WORKFLOW.read_text())


def audit_steps() -> dict[str, str]:
    """The workflow's notice-audit commands by step name."""
    steps = workflow()["jobs"]["audit"]["steps"]
    return {s["name"]: s["run"] for s in steps if "run" in s and s["run"].startswith("notice-audit ")}


def run_command(command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """One workflow or hook command, in process, with GitHub expressions filled in as on a pull request to main."""
    command = command.replace("${{ github.base_ref }}", "main")
    words = shlex.split(command)
    assert words[0] == "notice-audit"
    code = main(words[1:])
    out, err = capsys.readouterr()
    return code, out, err


def test_workflow_shape() -> None:
    data = workflow()
    triggers = data[True] if True in data else data["on"]  # YAML 1.1 reads the key 'on' as true
    assert {"pull_request", "schedule", "workflow_dispatch"} <= set(triggers)
    assert data["permissions"]["security-events"] == "write"
    steps = data["jobs"]["audit"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert any(u.startswith("actions/cache@") for u in uses)
    assert next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))["with"]["fetch-depth"] == 0
    assert len(audit_steps()) == 2


@needs_git
def test_workflow_commands_on_a_scratch_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Pull request: nothing changed passes; a notice that loses its DPO contact fails with an annotation
    on its line and a SARIF error. Schedule: every notice, compared with the previous run, passes on the
    committed baseline."""
    env = workflow()["env"]
    repo = tmp_path / "repo"
    targets = repo / env["NOTICE_AUDIT_TARGETS"]
    shutil.copytree(REPO / env["NOTICE_AUDIT_TARGETS"], targets)
    (repo / env["NOTICE_AUDIT_BASELINE"]).parent.mkdir(parents=True)
    shutil.copy(REPO / env["NOTICE_AUDIT_BASELINE"], repo / env["NOTICE_AUDIT_BASELINE"])
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    monkeypatch.chdir(repo)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NOTICE_AUDIT_HISTORY", str(tmp_path / "history.sqlite"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    steps = audit_steps()
    pull_request = steps["Audit the notices this pull request changed"]
    scheduled = steps["Audit every notice"]

    code, _, err = run_command(pull_request, capsys)
    assert code == 0 and "no notice files changed" in err and not (repo / "notice-audit.sarif").exists()

    code, _, _ = run_command(scheduled, capsys)
    assert code == 0, "the committed baseline no longer matches the demo site: rewrite it with --write-baseline"
    assert json.loads((repo / "notice-audit.sarif").read_text())["version"] == "2.1.0"

    notice = targets / "corporate-privacy-notice.html"
    html, removed = re.subn(r'(?s)<h2 id="data-protection-officer">.*?(?=<h2)', "", notice.read_text())
    assert removed == 1, "the demo's corporate notice has a section on its DPO"
    html = re.sub(r"(?i)data protection officer|\bDPO\b", "information team", html.replace("dpo@", "info@"))
    notice.write_text(html)
    code, out, _ = run_command(pull_request, capsys)
    assert code == 1
    rel = notice.relative_to(repo).as_posix()
    assert any(line.startswith("::error ") and f"file={rel}" in line and "dpo_contact" in line
               for line in out.splitlines()), out
    sarif = json.loads((repo / "notice-audit.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results if r["level"] == "error"} == {"dpo_contact"}
    assert "dpo_contact" in (tmp_path / "summary.md").read_text()

    code, _, _ = run_command(scheduled, capsys)
    data_since = json.loads(main_json(["audit", "--since-last", "--format", "json", "--output", "-"], capsys))
    changed = [n["source"] for n in data_since["since_last"]["notices"] if n["content_changed"]]
    assert code == 1 and changed == []  # the scheduled run already recorded the edited notice


def main_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    main(args)
    return capsys.readouterr().out


def test_pre_commit_hook_entry_audits_the_files_it_selects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    hooks = yaml.safe_load(HOOKS.read_text())
    hook = next(h for h in hooks if h["id"] == "notice-audit")
    assert hook["language"] == "python" and hook["entry"].startswith("notice-audit audit")
    pattern = re.compile(hook["files"])
    files = {"site/privacy-notice.html": GOOD, "site/garden-privacy.txt": POOR, "site/index.html": "<p>home</p>",
             "docs/notices/README.md": "# Notices\n"}
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    selected = sorted(name for name in files if pattern.search(name))  # as pre-commit matches: re.search
    assert selected == ["site/garden-privacy.txt", "site/privacy-notice.html"]
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_command(f"{hook['entry']} site/privacy-notice.html", capsys)
    assert code == 0 and "PASS" in out
    code, out, _ = run_command(f"{hook['entry']} {' '.join(selected)}", capsys)
    assert code == 1 and "FAIL" in out and "garden-privacy.txt" in out
    assert not (tmp_path / ".notice-audit").exists()  # a commit hook leaves nothing behind
