"""Help a newcomer can use, checked by walking the parser: every option says what it does (and, taking a
value, its default), every --format lists its choices, every verb ends with examples that parse, and
the examples that need no network or corpus run. Modelled on sqlite-utils' tests/test_docs.py."""

from __future__ import annotations

import argparse
import copy
import json
import os
import shlex
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from notice_audit.app.cli import DEFAULT_SHARED, build_parser, main
from notice_audit.evaluation import corpus
from notice_audit.extract import extract
from notice_audit.model import Document, Findings
from tests.test_cli import GOOD, POOR

Verb = tuple[str, ...]


def walk(parser: argparse.ArgumentParser, path: Verb = ()) -> Iterator[tuple[Verb, argparse.ArgumentParser]]:
    """The parser and every (sub)command's parser below it, with the words that reach it."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from walk(sub, (*path, name))


def options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if not isinstance(a, argparse._SubParsersAction)]


def rendered(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    """The help line as ``--help`` prints it, ``%(default)s`` and ``%(choices)s`` filled in."""
    return parser._get_formatter()._expand_help(action)


def examples(parser: argparse.ArgumentParser) -> list[str]:
    """The commands an epilog lists (continued lines joined, comments left out)."""
    text = (parser.epilog or "").replace("\\\n", " ")
    return [line.split(" #")[0].strip() for line in text.splitlines() if line.strip().startswith("notice-audit ")]


def argv(command: str) -> tuple[list[str], str | None]:
    """An example's arguments after ``notice-audit``, and the file a ``>`` sends its output to."""
    words = shlex.split(command, comments=True)[1:]
    if ">" in words:
        at = words.index(">")
        return words[:at], words[at + 1]
    return words, None


PARSERS = list(walk(build_parser()))
VERBS = [(path, parser) for path, parser in PARSERS if path]


def _id(path: Verb) -> str:
    return " ".join(path) or "notice-audit"


@pytest.mark.parametrize(("path", "parser"), PARSERS, ids=[_id(p) for p, _ in PARSERS])
def test_every_option_and_verb_has_help(path: Verb, parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                assert choice.help and choice.help.strip(), f"{_id(path)} {choice.dest}: no one-line help"
        else:
            assert action.help and action.help is not argparse.SUPPRESS and rendered(parser, action).strip(), (
                f"{_id(path)} {action.option_strings or action.dest}: no help")
    assert path == () or parser.description, f"{_id(path)}: no description"


@pytest.mark.parametrize(("path", "parser"), PARSERS, ids=[_id(p) for p, _ in PARSERS])
def test_every_option_taking_a_value_says_its_default(path: Verb, parser: argparse.ArgumentParser) -> None:
    """A value the parser holds is shown by the formatter; a default worked out later is said in words."""
    for action in options(parser):
        if not action.option_strings or action.nargs == 0:  # positionals; flags (off unless given)
            continue
        text = rendered(parser, action)
        assert "default" in text, f"{_id(path)} {action.option_strings[0]}: says no default: {text!r}"
        if action.default not in (None, [], argparse.SUPPRESS):
            shown = f"{action.default:g}" if isinstance(action.default, float) else str(action.default)
            assert f"default: {shown}" in text, f"{_id(path)} {action.option_strings[0]}: {text!r}"


def test_format_options_list_their_choices() -> None:
    found = []
    for path, parser in PARSERS:
        for action in options(parser):
            if "--format" in action.option_strings:
                assert action.choices, f"{_id(path)} --format: no choices"
                text = rendered(parser, action)
                assert all(str(choice) in text for choice in action.choices), f"{_id(path)}: {text!r}"
                found.append(_id(path))
    assert {"audit", "crawl", "report", "compare", "diff", "history", "evaluate", "checklists show"} <= set(found)


@pytest.mark.parametrize(("path", "parser"), VERBS, ids=[_id(p) for p, _ in VERBS])
def test_every_verb_ends_with_examples_that_parse(path: Verb, parser: argparse.ArgumentParser) -> None:
    epilog = parser.epilog or ""
    assert epilog.startswith("examples:"), f"{_id(path)}: no examples"
    own = [command for command in examples(parser) if argv(command)[0][:len(path)] == list(path)]
    assert own, f"{_id(path)}: no example of {_id(path)} itself"
    for command in examples(parser):
        words, _ = argv(command)
        build_parser().parse_args(words)  # exits 2 for an example that does not parse
    help_text = parser.format_help()
    assert help_text.rstrip().endswith(epilog.rstrip().splitlines()[-1])  # the examples end the help
    assert all(line in help_text.splitlines() for line in epilog.splitlines())  # as written, not wrapped


def test_top_level_help_lists_every_verb_and_starts_newcomers_off() -> None:
    parser = build_parser()
    text = parser.format_help()
    (verbs,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    flat = " ".join(text.split())
    for choice in verbs._choices_actions:
        words = str(choice.help).split()
        assert f"{choice.dest} {' '.join(words)}" in flat, f"{choice.dest} is not listed with its help"
        assert any(line.split()[:2] == [choice.dest, words[0]] for line in text.splitlines() if line.strip()), (
            f"{choice.dest}: its help does not start beside it")  # 'checklists' once pushed it a line down
    start = text.split("start here:\n")[1].split("\n\n")[0].splitlines()
    assert len(start) == 3 and all(line.startswith("  notice-audit ") for line in start)
    for line in start:
        build_parser().parse_args(argv(line.strip())[0])


def test_examples_fit_an_80_column_terminal() -> None:
    for path, parser in PARSERS:
        for line in (parser.epilog or "").splitlines():
            if line.startswith(" "):  # printed as written, not wrapped (prose is wrapped to the terminal)
                assert len(line) < 80, f"{_id(path)}: {line!r}"


def test_help_fills_in_defaults_and_keeps_examples_as_written(capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit) as exc:
        main(["crawl", "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    assert "(default: 100)" in " ".join(out.split())  # --max-pages, from the parser
    assert "(0: one per core; default: 1)" in " ".join(out.split())  # one pair of brackets
    assert "%(" not in out
    lines = out.splitlines()
    examples_at = lines.index("examples:")
    assert max(len(line) for line in lines[:examples_at]) <= 60  # prose and options wrapped to the terminal
    assert "  notice-audit crawl https://www.example.gov.uk/ --output site.html" in lines  # not wrapped


# --- the examples run ------------------------------------------------------------------------------

#: Verbs whose examples need the network (crawl) or the labelled corpus beside the repository (evaluate,
#: run from there by the next test): checked above to parse, not run here.
NOT_RUN = {"crawl", "evaluate"}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A folder holding what the examples name: privacy.html, notices/, report.json, old.json, new.json,
    my-checklist.yaml and a history with privacy.html in it; no config file, no NOTICE_AUDIT_* set."""
    for name in [n for n in os.environ if n.startswith("NOTICE_AUDIT_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "privacy.html").write_text(GOOD)
    (tmp_path / "notices").mkdir()
    (tmp_path / "notices" / "tenancy.html").write_text(GOOD)
    (tmp_path / "notices" / "garden.txt").write_text(POOR)
    (tmp_path / "changed.html").write_text(GOOD.replace("six years", "as long as we need"))
    assert main(["audit", "privacy.html", "--format", "json", "--output", "old.json"]) == 0
    assert main(["audit", "notices", "--format", "json", "--output", "report.json", "--no-history"]) == 1
    main(["audit", "changed.html", "--format", "json", "--output", "new.json", "--no-history"])
    data = json.loads((tmp_path / "new.json").read_text())
    data["notices"][0]["source"] = "privacy.html"  # the same target, audited again after a change
    (tmp_path / "new.json").write_text(json.dumps(data))
    assert main(["checklists", "show", "uk-gdpr"]) == 0
    (tmp_path / "my-checklist.yaml").write_text(capsys.readouterr().out)
    return tmp_path


def test_examples_run(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ran = set()
    for _, parser in PARSERS:
        for command in examples(parser):
            words, into = argv(command)
            if words[0] in NOT_RUN or any(w.startswith(("http://", "https://")) for w in words):
                continue
            code = main(words)
            out, err = capsys.readouterr()
            assert code in (0, 1) and "error" not in err, f"{command}: exit {code}: {err}"
            if into is not None:
                (workdir / into).write_text(out)
            if "--output" in words:
                target = words[words.index("--output") + 1]
                assert target == "-" or (workdir / target).stat().st_size > 0, command
            else:
                assert out or into, f"{command}: printed nothing"
            ran.add(" ".join(words[:2] if words[0] == "checklists" else words[:1]))
    assert ran >= {"audit", "checklists list", "checklists show", "checklists validate", "checklists test",
                   "compare", "diff", "report", "history", "demo"}


REPOSITORY = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not (REPOSITORY / DEFAULT_SHARED / "corpus").is_dir(),
                    reason=f"the labelled corpus is not at {DEFAULT_SHARED} beside the repository")
def test_evaluate_examples_run_from_the_repository(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPOSITORY)
    # The examples evaluate the same splits again (dev three times, full twice): a document parsed to the same
    # Document is extracted once (extraction is deterministic), and a label file's same text is read as YAML once
    # (each command gets a copy of its own); everything else each command does, it does.
    extracted: dict[Document, Findings] = {}
    monkeypatch.setattr(corpus, "extract", lambda doc: extracted.get(doc) or extracted.setdefault(doc, extract(doc)))
    labels: dict[str, Any] = {}
    safe_load = corpus.yaml.safe_load
    monkeypatch.setattr(corpus, "yaml", SimpleNamespace(safe_load=lambda text: copy.deepcopy(
        labels[text] if text in labels else labels.setdefault(text, safe_load(text)))))
    (evaluate,) = [parser for path, parser in PARSERS if path == ("evaluate",)]
    commands = examples(evaluate)
    assert commands
    for command in commands:
        assert main(argv(command)[0]) == 0, command
        assert "macro F1" in capsys.readouterr().out, command
