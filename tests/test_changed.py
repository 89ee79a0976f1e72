"""``--changed-since``: the notice files a git change touched."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from notice_audit.app.changed import GitError, changed_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c",
                           "init.defaultBranch=main", *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout


def make_repo(root: Path) -> Path:
    """A content repository: two notices, a stylesheet, one commit tagged 'base'."""
    (root / "site" / "schools").mkdir(parents=True)
    (root / "site" / "privacy.html").write_text("<h1>Privacy</h1><p>We are the controller.</p>")
    (root / "site" / "schools" / "admissions.md").write_text("# Admissions\n\nWe keep records for 6 years.\n")
    (root / "site" / "style.css").write_text("p {}")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    return root


def test_committed_unstaged_and_new_files_but_not_other_formats(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "site" / "privacy.html").write_text("<h1>Privacy</h1><p>Changed.</p>")  # unstaged
    (repo / "site" / "style.css").write_text("p { color: red }")  # not a notice format
    (repo / "site" / "cctv.txt").write_text("CCTV notice")  # untracked
    assert changed_files("base", cwd=repo) == ["site/cctv.txt", "site/privacy.html"]
    (repo / "site" / "schools" / "admissions.md").write_text("# Admissions\n\nChanged.\n")
    git(repo, "commit", "-qam", "edit")  # both edits committed since base
    assert changed_files("base", cwd=repo) == ["site/cctv.txt", "site/privacy.html", "site/schools/admissions.md"]
    assert changed_files("HEAD", cwd=repo) == ["site/cctv.txt"]


def test_targets_limit_the_files_and_paths_are_relative_to_the_working_folder(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "site" / "privacy.html").write_text("<p>x</p>")
    (repo / "site" / "schools" / "admissions.md").write_text("x\n")
    assert changed_files("base", ["site/schools"], cwd=repo) == ["site/schools/admissions.md"]
    assert changed_files("base", cwd=repo / "site" / "schools") == ["../privacy.html", "admissions.md"]


def test_deleted_files_are_left_out(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "site" / "privacy.html").unlink()
    assert changed_files("base", cwd=repo) == []


def test_unknown_ref_outside_a_repository_and_urls_are_clear_errors(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with pytest.raises(GitError, match="unknown git ref 'no-such-ref'"):
        changed_files("no-such-ref", cwd=repo)
    with pytest.raises(GitError, match="not a git ref"):
        changed_files("--output=x", cwd=repo)
    with pytest.raises(GitError, match="cannot filter URLs"):
        changed_files("base", ["https://council.example/privacy"], cwd=repo)
    outside = tmp_path / "plain"
    outside.mkdir()
    with pytest.raises(GitError, match=r"--changed-since: .*not a git repository"):
        changed_files("base", cwd=outside)
