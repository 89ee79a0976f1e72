"""The bundled YAML data files read the same with libyaml's C loader as with PyYAML's own, and the same again
from the user's cache, which never fails a run when it cannot be read or written."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
import yaml

from notice_audit import yamldata


def _bundled() -> list[str]:
    root = resources.files("notice_audit")
    found = []
    for package in ("extract/lexicons", "parse", "fetch"):
        folder = root.joinpath(package)
        found += [f"{package}/{f.name}" for f in folder.iterdir() if f.name.endswith(".yaml")]
    return sorted(found)


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of its own for the test, empty, and a process that has read nothing from it yet; its file."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(yamldata, "_KEPT", yamldata._Kept())
    return tmp_path / "cache" / "notice-audit" / "data.json"


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget what this process has read, as the next run would."""
    monkeypatch.setattr(yamldata, "_KEPT", yamldata._Kept())


def test_the_c_loader_is_used_when_pyyaml_has_it(monkeypatch: pytest.MonkeyPatch) -> None:
    used = []
    real = yaml.load

    def spy(text: str, Loader: type) -> object:
        used.append(Loader)
        return real(text, Loader=Loader)

    monkeypatch.setattr(yaml, "load", spy)
    assert yamldata.parse("a: 1") == {"a": 1}
    assert used == [getattr(yaml, "CSafeLoader", yaml.SafeLoader)]


@pytest.mark.parametrize("name", _bundled())
def test_a_bundled_file_loads_as_safe_load_reads_it_cold_and_from_the_cache(
        name: str, kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = resources.files("notice_audit").joinpath(name).read_text("utf-8")
    expected = yaml.safe_load(text)
    assert yamldata.load(text) == expected
    assert kept.is_file()
    _new_process(monkeypatch)
    monkeypatch.setattr(yamldata, "parse", lambda text: pytest.fail("read as YAML, not from the cache"))
    assert yamldata.load(text) == expected


def test_the_loader_is_safe(kept: Path) -> None:
    with pytest.raises(yaml.YAMLError):
        yamldata.load("!!python/object/apply:os.system ['true']")
    assert not kept.exists()  # nothing kept for a file that does not read


def test_a_warm_load_gives_a_copy_of_its_own(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "words: [notice, privacy]\n"
    yamldata.load(text)
    _new_process(monkeypatch)
    first = yamldata.load(text)
    first["words"].append("changed")
    assert yamldata.load(text) == {"words": ["notice", "privacy"]}


def test_an_empty_file_is_kept_as_nothing(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert yamldata.load("# only a comment\n") is None
    _new_process(monkeypatch)
    monkeypatch.setattr(yamldata, "parse", lambda text: pytest.fail("read as YAML, not from the cache"))
    assert yamldata.load("# only a comment\n") is None


@pytest.mark.parametrize("text", ["1: one\n2: two\n", "when: 2026-12-06\n", "yes: [on, off]\n"],
                         ids=["number keys", "a date", "boolean keys"])
def test_data_json_would_change_is_not_kept(text: str, kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON has no dates, and its keys are strings: such a file is read from its YAML every time, never changed."""
    expected = yaml.safe_load(text)
    assert yamldata.load(text) == expected
    _new_process(monkeypatch)
    assert yamldata.load(text) == expected
    assert not kept.exists() or json.loads(kept.read_text())["entries"] == {}


@pytest.mark.parametrize("content", ["{not json", '{"key": "0/3.0", "entries": {}}', '["entries"]',
                                     '{"key": "%s", "entries": {"k": 1}}'], ids=["corrupt", "another version",
                                                                                  "not a mapping", "not strings"])
def test_a_broken_or_stale_cache_is_passed_over_and_replaced(content: str, kept: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    kept.parent.mkdir(parents=True)
    kept.write_text(content.replace("%s", yamldata._version()))
    assert yamldata.load("a: [b, c]\n") == {"a": ["b", "c"]}
    assert json.loads(kept.read_text())["key"] == yamldata._version()
    _new_process(monkeypatch)
    monkeypatch.setattr(yamldata, "parse", lambda text: pytest.fail("read as YAML, not from the cache"))
    assert yamldata.load("a: [b, c]\n") == {"a": ["b", "c"]}


def test_an_entry_that_is_not_json_is_read_again(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "a: b\n"
    yamldata.load(text)
    whole = json.loads(kept.read_text())
    (key,) = whole["entries"]
    whole["entries"][key] = "{not json"
    kept.write_text(json.dumps(whole))
    _new_process(monkeypatch)
    assert yamldata.load(text) == {"a": "b"}
    assert json.loads(json.loads(kept.read_text())["entries"][key]) == {"a": "b"}


def test_a_cache_that_cannot_be_written_fails_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    _new_process(monkeypatch)
    assert yamldata.load("a: b\n") == {"a": "b"}
    assert blocker.read_text() == "a file where the cache folder would be"


def test_old_entries_are_dropped_past_the_limit(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each new version of a bundled file is a new entry: past the limit, only those the run read are kept."""
    monkeypatch.setattr(yamldata, "_MAX_ENTRIES", 3)
    for k in range(3):
        yamldata.load(f"old: {k}\n")
    _new_process(monkeypatch)
    yamldata.load("old: 0\n")
    yamldata.load("new: 1\n")
    entries = json.loads(kept.read_text())["entries"]
    assert sorted(entries.values()) == ['{"new": 1}', '{"old": 0}']
