"""``audit --changed-since REF``: the notice files of a content repository changed since a git ref.

A pre-merge pipeline audits what the change touched, not the whole site: files
changed between REF and the working tree, plus new untracked files, keeping only
the files a folder walk would audit (notice formats, and string modules whose names
suggest a notice) and, when targets are given, only files inside them. Paths are
returned relative to the working folder, so locators read as file and line.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from notice_audit.errors import UsageError
from notice_audit.fetch import is_url
from notice_audit.parse import in_folder_walk


class GitError(UsageError, ValueError):
    """git is missing, this is not a repository, or the ref is unknown."""


def _git(args: Sequence[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GitError("--changed-since needs git, which is not installed") from None
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or [f"git {args[0]} failed"])[0]
        raise GitError(f"--changed-since: {message}")
    return done.stdout


def changed_files(ref: str, targets: Sequence[str] = (), cwd: Path | None = None) -> list[str]:
    """Notice files changed since ``ref`` (committed, staged, unstaged or new), sorted, relative to ``cwd``."""
    cwd = cwd or Path.cwd()
    if ref.startswith("-"):
        raise GitError(f"--changed-since: '{ref}' is not a git ref")
    urls = [t for t in targets if is_url(t)]
    if urls:
        raise GitError(f"--changed-since selects files of a repository; it cannot filter URLs ({urls[0]})")
    root = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd)
    except GitError:
        raise GitError(f"--changed-since: unknown git ref '{ref}'") from None
    names = _git(["diff", "--name-only", "-z", "--diff-filter=d", ref, "--"], root).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], root).split("\0")
    scopes = [(cwd / t).resolve() for t in targets]
    found: set[str] = set()
    for name in filter(None, names):
        path = (root / name).resolve()
        if not in_folder_walk(path.name) or not path.is_file():
            continue
        if scopes and not any(path == s or s in path.parents for s in scopes):
            continue
        found.add(os.path.relpath(path, cwd.resolve()))
    return sorted(found)
