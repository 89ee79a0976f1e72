"""The documentation is tested like code (sqlite-utils' ``tests/test_docs.py`` is the model): every option
the parser has is documented under its command, every option documented exists, every command shown
parses, and every command that can run offline runs, in page order, in a scratch folder holding the
files the examples name (``tests/data/docs``). The README's sample table is what the tool prints."""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from notice_audit.app.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
FIXTURES = Path(__file__).parent / "data" / "docs"
PAGES = ("usage", "reports", "configuration", "ci", "checklists", "accuracy", "architecture")
#: Commands shown but not run: they need the network, the labelled corpus, a git history or a config file.
NOT_RUN = re.compile(r"https?://|\bevaluate\b|--changed-since|--config\b")
_PREFIX = re.compile(r"^(?:\.venv/bin/)?notice-audit\s+")


def _scratch(folder: Path) -> None:
    """The files the examples name: the fixtures, and ``notices/`` holding a copy of ``privacy.html`` too."""
    shutil.copytree(FIXTURES, folder, dirs_exist_ok=True)
    shutil.copy(folder / "privacy.html", folder / "notices" / "housing.html")


def _pages() -> list[Path]:
    return [README, *(DOCS / f"{name}.md" for name in PAGES)]


def _blocks(text: str, language: str) -> Iterator[str]:
    for match in re.finditer(rf"^```{language}\n(.*?)^```", text, re.M | re.S):
        yield match.group(1)


def commands(page: Path) -> list[str]:
    """The ``notice-audit`` command lines of a page's ``sh`` blocks, comments removed, in page order."""
    out = []
    for block in _blocks(page.read_text(encoding="utf-8"), "sh"):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#\s.*$", "", line).strip()
            if _PREFIX.match(line):
                out.append(_PREFIX.sub("", line))
    return out


def _subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _subcommands(sub, (*path, name))


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {o for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"}


def _sections(text: str) -> dict[str, str]:
    """Each command's part of the reference: the ``##`` sections whose heading names it in backticks."""
    out: dict[str, str] = {}
    for part in re.split(r"^## ", text, flags=re.M)[1:]:
        heading = part.splitlines()[0]
        for command in re.findall(r"`([a-z]+)`", heading):
            out[command] = out.get(command, "") + part
    return out


def test_every_page_exists_and_the_readme_links_it() -> None:
    readme = README.read_text(encoding="utf-8")
    for name in PAGES:
        assert (DOCS / f"{name}.md").is_file(), name
        assert f"(docs/{name}.md)" in readme, name


def test_every_option_is_documented_under_its_command() -> None:
    sections = _sections((DOCS / "usage.md").read_text(encoding="utf-8"))
    missing = []
    for path, parser in _subcommands(build_parser()):
        if not path:
            continue
        assert path[0] in sections, f"no section of docs/usage.md names `{path[0]}` in its heading"
        missing += [f"{' '.join(path)} {option}" for option in sorted(_options(parser))
                    if not re.search(rf"`{re.escape(option)}[ `=/]", sections[path[0]])]
    assert missing == []


def test_every_documented_option_exists() -> None:
    sections = _sections((DOCS / "usage.md").read_text(encoding="utf-8"))
    known: dict[str, set[str]] = {}
    for path, parser in _subcommands(build_parser()):
        if path:
            known.setdefault(path[0], set()).update(_options(parser))
    stale = [f"{command} {option}" for command, text in sections.items()
             for option in sorted(set(re.findall(r"`(--[a-z][a-z-]*)", text))) if option not in known[command]]
    assert stale == []


def test_every_command_shown_parses() -> None:
    parser = build_parser()
    shown = [(page.name, line) for page in _pages() for line in commands(page)]
    assert len(shown) >= 30
    for name, line in shown:
        try:
            parser.parse_args(shlex.split(line))
        except SystemExit:
            pytest.fail(f"{name}: `notice-audit {line}` does not parse")


@pytest.mark.parametrize("page", [README, *(DOCS / f"{name}.md" for name in PAGES)], ids=lambda p: p.name)
def test_every_offline_command_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """In page order, so that a command can read what an earlier one wrote (before.json, then diff)."""
    _scratch(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    for line in commands(page):
        if NOT_RUN.search(line):
            continue
        code = main(shlex.split(line))
        err = capsys.readouterr().err
        assert code in (0, 1), f"{page.name}: `notice-audit {line}` exited {code}: {err.strip()}"


def test_readme_sample_table_is_what_the_tool_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    _scratch(tmp_path)
    monkeypatch.chdir(tmp_path)
    samples = list(_blocks(README.read_text(encoding="utf-8"), "text"))
    assert samples, "the README shows no sample output"
    main(["audit", "privacy.html", "--format", "table", "--no-history"])
    printed = capsys.readouterr().out.splitlines()
    for line in samples[0].splitlines():
        assert line in printed, line


def test_documented_config_file_is_valid(tmp_path: Path) -> None:
    from notice_audit.app.config import load_config

    blocks = list(_blocks((DOCS / "configuration.md").read_text(encoding="utf-8"), "toml"))
    assert blocks
    for n, block in enumerate(blocks):
        path = tmp_path / f"notice-audit-{n}.toml"
        path.write_text(block, encoding="utf-8")
        assert load_config(path)  # raises, naming the key, on anything the schema refuses


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_between_pages_resolves() -> None:
    broken = []
    for page in _pages():
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists():
                broken.append(f"{page.name}: {target}")
            elif anchor and file.suffix == ".md":
                headings = re.findall(r"^#+ (.*)$", file.read_text(encoding="utf-8"), re.M)
                if anchor not in {_slug(h) for h in headings}:
                    broken.append(f"{page.name}: {target} (no such heading)")
    assert broken == []
