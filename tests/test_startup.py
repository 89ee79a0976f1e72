"""What start-up leaves out: ``--help`` and ``--version`` import no verb, a one-page audit imports only the
format it writes, and a built-in checklist validated once, like the literals derived from the lexicons, is read
back from the user's cache, which never fails a run when it cannot be read or written. (How long start-up takes
is measured in ``benchmarks/run_all.py``'s startup section, not asserted here.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from notice_audit.extract import concepts, derived, literals, load_lexicons, prefilter
from notice_audit.extract.derived import Derivations
from notice_audit.extract.tokens import tokenize
from notice_audit.formats import base
from notice_audit.formats.base import Deferred, Format, Registry
from notice_audit.formats.registry import FORMATS
from notice_audit.rules import checklist
from notice_audit.rules.checklist import load_checklist

REPO = Path(__file__).resolve().parent.parent


def _modules_after(code: str, cwd: Path, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code``."""
    script = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})}).stdout
    return set(json.loads(out.splitlines()[-1]))


PIPELINE = {"notice_audit.auditor", "notice_audit.extract", "notice_audit.rules.checklist",
            "notice_audit.formats.registry", "yaml", "jsonschema", "jinja2", "rich", "httpx"}


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_no_verb(flag: str, tmp_path: Path) -> None:
    code = ("import contextlib, io\nfrom notice_audit.app.cli import main\n"
            f"with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()): main([{flag!r}])")
    assert _modules_after(code, tmp_path) & PIPELINE == set()


def test_a_one_page_audit_imports_only_what_it_uses(tmp_path: Path) -> None:
    """To JSON, from an HTML file: no other report format, no comparison, evaluation or crawl progress line, no
    other input format's library; and once the built-in checklist and the bundled data are in the cache, no
    jsonschema and no YAML reader."""
    (tmp_path / "privacy.html").write_text((REPO / "tests/data/docs/privacy.html").read_text())
    code = ("import contextlib, io\nfrom notice_audit.app.cli import main\n"
            "with contextlib.redirect_stderr(io.StringIO()):\n"
            "    main(['audit', 'privacy.html', '--format', 'json', '--output', 'r.json', '--no-config',\n"
            "          '--no-history'])")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = _modules_after(code, tmp_path, env)
    assert {"notice_audit.formats.json", "notice_audit.auditor"} <= first
    unused = {"jinja2", "notice_audit.formats.html", "notice_audit.formats.table", "notice_audit.formats.compare",
              "notice_audit.formats.diff", "notice_audit.evaluation", "notice_audit.demo", "notice_audit.app.views",
              "rich", "notice_audit.app.crawling", "pypdf", "markdown_it",
              # a run of local files fetches nothing: no HTTP client, event loop, crawl or installed metadata
              "httpx", "asyncio", "notice_audit.crawl", "notice_audit.fetch.client", "notice_audit.sources.web",
              "importlib.metadata", "socket",
              # one job: no worker processes; no configuration file: no TOML reader
              "multiprocessing", "concurrent.futures", "tomllib",
              # the readers of script files and PDFs (the JavaScript scanner, the logging pypdf uses)
              "notice_audit.parse.jsscan", "logging"}
    assert first & unused == set()
    assert "jsonschema" in first  # the checklist validated, then kept
    assert (tmp_path / "cache" / "notice-audit" / "lexicons.json").is_file()  # the literals derived, then kept
    assert (tmp_path / "cache" / "notice-audit" / "data.json").is_file()  # the bundled YAML files' data, kept
    assert {"jsonschema", "yaml"} & _modules_after(code, tmp_path, env) == set()


def test_the_version_written_in_the_package_is_the_installed_one() -> None:
    """The build reads the version from ``notice_audit/version.py`` (pyproject's ``[tool.hatch.version]``):
    what an installed copy's metadata says is what ``--version`` and the reports say."""
    import importlib.metadata

    from notice_audit.version import __version__

    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", __version__)
    assert importlib.metadata.version("notice-audit") == __version__


# -- the format registry names formats without importing them -----------------------------------------


def test_every_deferred_format_is_its_modules_format() -> None:
    for name in FORMATS:
        fmt = FORMATS[name]
        assert isinstance(fmt, Format) and fmt.name == name


def test_a_deferred_format_that_is_not_its_modules_is_refused() -> None:
    registry: Registry[str] = Registry("scratch", [Deferred("csv", ("csv",), "notice_audit.formats.json")])
    assert "csv" in registry and registry.extensions() == {".csv": "csv"}
    with pytest.raises(TypeError, match=r"notice_audit\.formats\.json\.FORMAT is not the format 'csv'"):
        registry.get_format("csv")


def test_membership_imports_nothing() -> None:
    registry: Registry[str] = Registry("scratch", [Deferred("nowhere", ("nowhere",), "notice_audit.no_such_module")])
    assert "nowhere" in registry and "elsewhere" not in registry
    assert list(registry) == ["nowhere"] and base.extension_table()[".nowhere"] == "nowhere"


# -- the checklist cache --------------------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "notice-audit" / "checklists"


def _no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(checklist, "_validator", refuse)


def test_a_built_in_checklist_is_validated_once_then_read_from_the_cache(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_checklist("uk-gdpr-good-practice")  # extends uk-gdpr: both kept
    assert sorted(p.name for p in cache.iterdir()) == ["uk-gdpr-good-practice.json", "uk-gdpr.json"]
    _no_validation(monkeypatch)
    assert load_checklist("uk-gdpr-good-practice") == first


def test_a_changed_schema_or_checklist_is_validated_again(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = load_checklist("uk-gdpr")
    entry = json.loads((cache / "uk-gdpr.json").read_text())
    entry["data"]["title"] = "Not what the file says"
    (cache / "uk-gdpr.json").write_text(json.dumps(entry))
    assert load_checklist("uk-gdpr").title == "Not what the file says"  # same key: the cache is trusted
    monkeypatch.setattr(checklist, "_schema_text", lambda: "{}")  # another schema: another key
    assert load_checklist("uk-gdpr") == good
    assert json.loads((cache / "uk-gdpr.json").read_text())["data"]["title"] == good.title


@pytest.mark.parametrize("content", ["", "{not json", "[]", '{"key": 1}', '{"key": "x", "data": []}'])
def test_a_corrupt_cache_entry_is_passed_over(cache: Path, content: str) -> None:
    expected = load_checklist("uk-gdpr")
    (cache / "uk-gdpr.json").write_text(content)
    assert load_checklist("uk-gdpr") == expected
    assert json.loads((cache / "uk-gdpr.json").read_text())["data"]["id"] == "uk-gdpr"  # written again


def test_an_unwritable_cache_fails_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_checklist("uk-gdpr").id == "uk-gdpr"
    assert blocker.read_text().startswith("a file")


def test_an_unreadable_cache_fails_nothing(cache: Path) -> None:
    expected = load_checklist("uk-gdpr")
    (cache / "uk-gdpr.json").unlink()
    (cache / "uk-gdpr.json").mkdir()  # reading it is an OSError; replacing it too
    assert load_checklist("uk-gdpr") == expected


def test_a_users_checklist_is_not_cached(cache: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("id: mine\nversion: '1'\ntitle: Mine\nextends: uk-gdpr\n")
    assert load_checklist(str(mine)).id == "mine"
    assert sorted(p.name for p in cache.iterdir()) == ["uk-gdpr.json"]


def test_the_cache_goes_where_a_users_cache_goes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert checklist.cache_dir() == tmp_path / "notice-audit"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")  # the XDG spec: a relative path is ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert checklist.cache_dir() == tmp_path / "home" / ".cache" / "notice-audit"


def test_a_yaml_error_still_says_where(tmp_path: Path) -> None:
    """libyaml reads the file; the pure-Python loader, read again on an error, says where and what."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nitems: [\n")
    with pytest.raises(checklist.ChecklistError, match=r"invalid YAML at line 3, column 1"):
        load_checklist(str(bad))


# -- the cache of the literals derived from the lexicons ----------------------------------------------------


@pytest.fixture(scope="module")
def lexicon_patterns() -> list[tuple[str, int]]:
    """Every pattern this process has derived literals for: at least those of every lexicon."""
    load_lexicons()
    entries = derived.DERIVED._loaded()
    assert len(entries) > 500
    return list(entries)


@pytest.fixture(scope="module")
def first_50(lexicon_patterns: list[tuple[str, int]],
             tmp_path_factory: pytest.TempPathFactory) -> list[derived.Derivation]:
    """The first 50 patterns' literals, derived cold (from an empty cache) once for the module: the cases below
    each derive them again through the cache they test, and compare with these."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cold-xdg")))
        return _derive_all(lexicon_patterns[:50], Derivations())


@pytest.fixture
def lexicon_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "notice-audit" / "lexicons.json"


def _derive_all(patterns: list[tuple[str, int]], table: Derivations) -> list[derived.Derivation]:
    return [prefilter.derive(p, flags, table) for p, flags in patterns]


def _no_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(pattern: str, flags: int = 0) -> None:
        raise AssertionError(f"derived again: {pattern!r}")

    monkeypatch.setattr(prefilter, "read", refuse)


def test_the_derived_literals_are_read_back_from_the_cache_as_derived(
        lexicon_patterns: list[tuple[str, int]], lexicon_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patterns = [p for p, flags in lexicon_patterns if flags == re.IGNORECASE][:40]
    cold_table = Derivations()
    monkeypatch.setattr(prefilter, "DERIVED", cold_table)
    built = prefilter.Alternation(patterns)
    cold = _derive_all(lexicon_patterns, cold_table)
    assert not lexicon_cache.exists()
    cold_table.save()
    _no_derivation(monkeypatch)
    warm_table = Derivations()
    assert _derive_all(lexicon_patterns, warm_table) == cold
    monkeypatch.setattr(prefilter, "DERIVED", warm_table)
    again = prefilter.Alternation(patterns)  # the alternation built on them is the one a cold build makes
    assert (again._index, again._also, again._always, again.groups) == (
        built._index, built._also, built._always, built.groups)


def test_a_changed_lexicon_is_derived_again(
        lexicon_patterns: list[tuple[str, int]], lexicon_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = Derivations()
    expected = _derive_all(lexicon_patterns, table)
    table.save()
    entry = json.loads(lexicon_cache.read_text())
    monkeypatch.setattr(derived, "cache_key", lambda *_: "another lexicon")  # another content: another key
    calls: list[str] = []
    read = literals.read

    def counted(pattern: str, flags: int = 0) -> tuple[list[literals.Item], int] | None:
        calls.append(pattern)
        return read(pattern, flags)

    monkeypatch.setattr(prefilter, "read", counted)
    again = Derivations()
    assert _derive_all(lexicon_patterns, again) == expected
    assert len(calls) == len(lexicon_patterns)
    again.save()
    assert json.loads(lexicon_cache.read_text())["key"] == "another lexicon" != entry["key"]


@pytest.mark.parametrize("content", ["", "{not json", "[]", '{"key": 1}', '{"key": "K", "patterns": {}}',
                                     '{"key": "K", "patterns": [["a", 2, 0]]}',
                                     '{"key": "K", "patterns": [["a", 2, 0, [[1]]]]}'])
def test_a_corrupt_lexicon_cache_is_passed_over(
        lexicon_patterns: list[tuple[str, int]], first_50: list[derived.Derivation], lexicon_cache: Path,
        monkeypatch: pytest.MonkeyPatch, content: str) -> None:
    monkeypatch.setattr(derived, "cache_key", lambda *_: "K")
    lexicon_cache.parent.mkdir(parents=True)
    lexicon_cache.write_text(content)
    table = Derivations()
    assert _derive_all(lexicon_patterns[:50], table) == first_50
    table.save()
    assert len(json.loads(lexicon_cache.read_text())["patterns"]) == 50  # written again


def test_an_unwritable_lexicon_cache_fails_nothing(
        lexicon_patterns: list[tuple[str, int]], first_50: list[derived.Derivation], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    table = Derivations()
    assert _derive_all(lexicon_patterns[:50], table) == first_50
    table.save()
    assert blocker.read_text().startswith("a file")


def test_an_unreadable_lexicon_cache_fails_nothing(
        lexicon_patterns: list[tuple[str, int]], first_50: list[derived.Derivation], lexicon_cache: Path) -> None:
    lexicon_cache.mkdir(parents=True)  # reading it is an OSError; replacing it too
    table = Derivations()
    assert _derive_all(lexicon_patterns[:50], table) == first_50
    table.save()
    assert lexicon_cache.is_dir()


def test_the_lexicon_cache_goes_with_the_checklists(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert derived.cache_file().parent == checklist.cache_dir()


# -- the cache of the compiled concept lexicon ---------------------------------------------------------------


SAMPLE = ["We share your personal information with the police and other councils.",
          "You have the right to withdraw your consent at any time.",
          "Persons who are endangered may be referred to social care under the Children Act 1989."]


def _compiled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A cache folder of this test's own, and the path of the concepts kept there."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "notice-audit" / "concepts.json"


def _scan(lex: concepts.ConceptLexicon) -> list[dict[str, list[tuple[int, int]]]]:
    return lex.scan([tokenize(t) for t in SAMPLE])


def test_the_compiled_concepts_are_read_back_as_compiled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    kept = _compiled(monkeypatch, tmp_path)
    cold = concepts.lexicon.__wrapped__()  # the process's own stays as it is
    assert kept.is_file()

    def refuse(data: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(concepts, "compile_tables", refuse)
    warm = concepts.lexicon.__wrapped__()
    assert warm.tables() == cold.tables() and warm.names == cold.names
    assert _scan(warm) == _scan(cold) and any(_scan(warm))


def test_changed_concepts_are_compiled_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    kept = _compiled(monkeypatch, tmp_path)
    cold = concepts.lexicon.__wrapped__()
    monkeypatch.setattr(derived, "cache_key", lambda *_: "another lexicon")  # another content: another key
    calls: list[object] = []
    real = concepts.compile_tables
    monkeypatch.setattr(concepts, "compile_tables", lambda data: calls.append(data) or real(data))
    assert concepts.lexicon.__wrapped__().tables() == cold.tables() and len(calls) == 1
    assert json.loads(kept.read_text())["key"] == "another lexicon"


@pytest.mark.parametrize("content", ["", "{not json", "[]", '{"key": 1}', '{"key": "K", "tables": []}',
                                     '{"key": "K", "tables": [[], {}, {}, {"a": [["x", "1", []]]}]}',
                                     '{"key": "K", "tables": [[1], {}, {}, {}]}'])
def test_corrupt_compiled_concepts_are_passed_over(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: str) -> None:
    kept = _compiled(monkeypatch, tmp_path)
    monkeypatch.setattr(derived, "cache_key", lambda *_: "K")
    expected = concepts.lexicon().tables()
    kept.parent.mkdir(parents=True)
    kept.write_text(content)
    assert concepts.lexicon.__wrapped__().tables() == expected
    assert json.loads(kept.read_text())["key"] == "K"  # written again


def test_an_unwritable_concepts_cache_fails_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert concepts.lexicon.__wrapped__().tables() == concepts.lexicon().tables()
    assert blocker.read_text().startswith("a file")


def test_a_subpackage_names_its_exports_without_importing_them(tmp_path: Path) -> None:
    """``fetch`` and ``sources`` (``lazy.lazy_exports``): a name's module is imported when it is first asked for."""
    code = ("import notice_audit.fetch as fetch, sys\n"
            "before = 'notice_audit.fetch.client' in sys.modules\n"
            "listed = 'Fetcher' in dir(fetch)\n"
            "fetch.Fetcher\n"
            "try:\n    fetch.Nothing\nexcept AttributeError as e:\n    error = str(e)\n"
            "print(before, listed, 'notice_audit.fetch.client' in sys.modules, 'Fetcher' in vars(fetch), error)")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)}).stdout
    assert out.strip() == "False True True True module 'notice_audit.fetch' has no attribute 'Nothing'"
