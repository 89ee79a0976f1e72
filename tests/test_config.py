"""The config file, environment variables and flags, and how they layer."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from notice_audit.app.config import (
    ConfigError,
    Output,
    config_path,
    discover,
    env_settings,
    load_config,
    resolve,
)
from notice_audit.formats.registry import FORMATS

GOOD = """\
targets = ["site/privacy", "https://council.example/privacy"]
checklist = "uk-gdpr"
fail-under = 60
fail-on = "required"
baseline = "ci/baseline.json"
outputs = [{format = "sarif", path = "reports/notice-audit.sarif"}, {format = "junit", path = "reports/junit.xml"}]

[facts]
public_authority = true

[[overrides]]
target = "site/privacy/schools/*"
facts = {indirect_collection = false}
fail-under = 40

[[waivers]]
item = "dpo_contact"
target = "site/privacy/cctv*"
reason = "DPO post vacant"
owner = "info-governance@council.example"
expires = 2027-01-31
"""


def _write(folder: Path, text: str, name: str = "notice-audit.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_discovery_walks_up_and_prefers_the_nearest(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert discover(deep) is None or not str(discover(deep)).startswith(str(tmp_path))
    top = _write(tmp_path, GOOD)
    assert discover(deep) == top
    # A pyproject.toml without [tool.notice-audit] is not a config file; with it, it is.
    _write(tmp_path / "a", "[project]\nname = 'x'\n", "pyproject.toml")
    assert discover(deep) == top
    nearer = _write(tmp_path / "a", "[tool.notice-audit]\nfail-under = 10\n", "pyproject.toml")
    assert discover(deep) == nearer


def test_good_file_loads_with_paths_relative_to_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "repo", GOOD)
    (tmp_path / "repo" / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "repo" / "docs")
    data = load_config(path)
    assert data["targets"] == ["../site/privacy", "https://council.example/privacy"]
    assert data["baseline"] == "../ci/baseline.json"
    assert data["waivers"][0]["expires"] == "2027-01-31"


def test_resolve_layers_file_env_then_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path, GOOD)
    settings = resolve({}, {}, config=path)
    assert settings.fail_under == 60 and settings.fail_on == ("required",)
    assert settings.facts == {"public_authority": True}
    assert settings.outputs == (Output("sarif", "reports/notice-audit.sarif"), Output("junit", "reports/junit.xml"))
    assert settings.waivers[0].expires == date(2027, 1, 31)
    assert settings.history == ".notice-audit/history.sqlite"  # beside the config file
    assert settings.facts_for("site/privacy/schools/a.html") == {"public_authority": True,
                                                                 "indirect_collection": False}
    assert settings.policy().settings_for("site/privacy/schools/a.html") == (40, ("required",))

    env = {"NOTICE_AUDIT_FAIL_UNDER": "75", "NOTICE_AUDIT_FACTS": "public_authority=false,sector=health",
           "NOTICE_AUDIT_FAIL_ON": "recommended", "NOTICE_AUDIT_HISTORY": "off"}
    settings = resolve({}, env, config=path)
    assert settings.fail_under == 75 and settings.fail_on == ("recommended", "required")
    assert settings.facts == {"public_authority": False, "sector": "health"}
    assert settings.history is None

    flags = {"fail-under": 90.0, "facts": {"sector": "police"}, "format": "json", "output": "out.json"}
    settings = resolve(flags, env, config=path)
    assert settings.fail_under == 90 and settings.facts == {"public_authority": False, "sector": "police"}
    assert settings.outputs == (Output("json", "out.json"),)  # a flag's output replaces the file's list


def test_unknown_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = _write(tmp_path, "fail_under = 60\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert str(path) in message and "unknown key 'fail_under'" in message and "did you mean 'fail-under'" in message


def test_unknown_key_inside_a_waiver_names_its_place(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[waivers]]\nitem = "x"\ntarget = "*"\nreason = "r"\nowner = "o"\nexpires = 2027-01-01\n'
                  'expiry = 2027-01-01\n')
    with pytest.raises(ConfigError, match=r"/waivers/0: unknown key 'expiry'"):
        load_config(path)


@pytest.mark.parametrize(("text", "message"), [
    ('[[waivers]]\nitem = "x"\ntarget = "*"\nreason = "r"\nowner = "o"\nexpires = "31/01/2027"\n',
     r"/waivers/0/expires: '31/01/2027' does not match"),
    ('[[waivers]]\nitem = "x"\ntarget = "*"\nreason = "r"\nowner = "o"\nexpires = "2027-02-30"\n',
     r"/waivers/0/expires: '2027-02-30' is not a date"),
    ('[[waivers]]\nitem = "x"\ntarget = "*"\nreason = "r"\nexpires = 2027-01-01\n',
     r"/waivers/0: 'owner' is a required"),
    ("fail-under = 120\n", r"/fail-under: 120 is greater than the maximum"),
    ('fail-on = "fatal"\n', r"/fail-on:"),
    ('format = "pdf"\n', r"/format:"),
    ("targets = [\n", r"not valid TOML"),
])
def test_bad_values_name_file_and_place(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as info:
        load_config(path)
    assert str(info.value).startswith(str(path))


def test_pyproject_table_is_named_in_errors(tmp_path: Path) -> None:
    path = _write(tmp_path, "[tool.notice-audit]\nchecklst = 'uk-gdpr'\n", "pyproject.toml")
    with pytest.raises(ConfigError, match=r"pyproject.toml \[tool.notice-audit\]: /: unknown key 'checklst'"):
        load_config(path)


def test_environment_variables_are_checked_and_unknown_ones_warned() -> None:
    data, warnings = env_settings({"NOTICE_AUDIT_TARGETS": "a.html  b.md", "NOTICE_AUDIT_CHEKLIST": "x",
                                   "OTHER": "1"})
    assert data == {"targets": ["a.html", "b.md"]}
    assert len(warnings) == 1 and warnings[0].startswith("NOTICE_AUDIT_CHEKLIST: unknown")
    with pytest.raises(ConfigError, match="NOTICE_AUDIT_FAIL_UNDER: 'high' is not a number"):
        env_settings({"NOTICE_AUDIT_FAIL_UNDER": "high"})
    with pytest.raises(ConfigError, match="NOTICE_AUDIT_FACTS 'oops': expected NAME=VALUE"):
        env_settings({"NOTICE_AUDIT_FACTS": "oops"})


def test_config_path_choice(tmp_path: Path) -> None:
    path = _write(tmp_path, "fail-under = 1\n")
    assert config_path(None, True, {}, tmp_path) is None
    assert config_path(None, False, {"NOTICE_AUDIT_CONFIG": "none"}, tmp_path) is None
    assert config_path(None, False, {}, tmp_path) == path
    assert config_path(str(path), False, {"NOTICE_AUDIT_CONFIG": "elsewhere.toml"}, tmp_path) == path
    with pytest.raises(ConfigError, match="no such config file"):
        config_path(None, False, {"NOTICE_AUDIT_CONFIG": str(tmp_path / "absent.toml")}, tmp_path)


def test_schema_formats_are_the_report_formats() -> None:
    schema = json.loads(resources.files("notice_audit.schemas").joinpath("config.schema.json").read_text())
    assert set(schema["$defs"]["format"]["enum"]) == set(FORMATS)


def test_fail_on_non_notice_from_file_environment_and_flags(tmp_path: Path) -> None:
    path = _write(tmp_path, "fail-on-non-notice = true\n")
    assert resolve({}, {}, config=None).policy().fail_on_non_notice is False
    assert resolve({}, {}, config=path).policy().fail_on_non_notice is True
    off = {"NOTICE_AUDIT_FAIL_ON_NON_NOTICE": "no"}
    assert resolve({}, off, config=path).fail_on_non_notice is False  # the environment over the file
    assert resolve({"fail-on-non-notice": True}, off, config=path).fail_on_non_notice is True  # a flag over both
    with pytest.raises(ConfigError, match="NOTICE_AUDIT_FAIL_ON_NON_NOTICE: 'maybe' is not true or false"):
        env_settings({"NOTICE_AUDIT_FAIL_ON_NON_NOTICE": "maybe"})
    with pytest.raises(ConfigError, match=r"/fail-on-non-notice: 'yes' is not of type 'boolean'"):
        load_config(_write(tmp_path / "bad", 'fail-on-non-notice = "yes"\n'))

