"""Settings for unattended runs: a config file, ``NOTICE_AUDIT_*`` environment variables and flags.

Precedence, lowest first: built-in defaults, the config file (``notice-audit.toml``, or
``[tool.notice-audit]`` in ``pyproject.toml``, the nearest one from the working folder upwards),
environment variables, command-line flags. Facts merge name by name; every other setting is
replaced whole by a higher layer. Paths in a config file are relative to that file, so a pipeline
can run from any folder of the repository. The file is validated against
``schemas/config.schema.json``; an unknown key is an error that names it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notice_audit.errors import UsageError
from notice_audit.fetch import is_url
from notice_audit.formats.registry import FORMATS
from notice_audit.gate import DEFAULT_FAIL_ON, GateError, GatePolicy, Override, Waiver, fail_on_levels, override_facts
from notice_audit.rules.checklist import FactValue

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

CONFIG_NAME = "notice-audit.toml"
ENV_PREFIX = "NOTICE_AUDIT_"
DEFAULT_CHECKLIST = "uk-gdpr"
DEFAULT_HISTORY = Path(".notice-audit/history.sqlite")
#: Environment variables read, and what each holds.
ENV_VARS = {
    "CONFIG": "config file to use ('none' for no config file)",
    "TARGETS": "targets, separated by spaces",
    "CHECKLIST": "checklist id or path",
    "FACTS": "facts, NAME=VALUE separated by commas",
    "FAIL_UNDER": "score threshold 0-100",
    "FAIL_ON": "gating severity (and above), a comma list, or 'none'",
    "FAIL_ON_NON_NOTICE": "fail targets that are not notices: true or false",
    "FORMAT": "report format",
    "OUTPUT": "report file ('-' for standard output)",
    "BASELINE": "baseline file",
    "HISTORY": "history database, or 'off'",
}


class ConfigError(UsageError, ValueError):
    """A config file or environment variable that cannot be used; the message names it."""


@dataclass(frozen=True, slots=True)
class Output:
    """One report to write: a format (None: guessed from the path) and a path (None or '-': standard output)."""

    format: str | None
    path: str | None


@dataclass(frozen=True, slots=True)
class Settings:
    """The resolved settings of one ``audit`` or ``crawl`` run."""

    targets: tuple[str, ...] = ()
    checklist: str = DEFAULT_CHECKLIST
    facts: Mapping[str, FactValue] = field(default_factory=dict)
    fail_under: float | None = None
    fail_on: tuple[str, ...] = DEFAULT_FAIL_ON
    fail_on_non_notice: bool = False
    overrides: tuple[Override, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    outputs: tuple[Output, ...] = ()
    baseline: str | None = None
    history: str | None = str(DEFAULT_HISTORY)
    config_file: str | None = None
    warnings: tuple[str, ...] = ()

    def policy(self, today: date | None = None) -> GatePolicy:
        return GatePolicy(fail_under=self.fail_under, fail_on=self.fail_on, overrides=self.overrides,
                          waivers=self.waivers, today=today, fail_on_non_notice=self.fail_on_non_notice)

    def facts_for(self, source: str) -> dict[str, FactValue]:
        """A notice's facts: the run's, then every override whose pattern matches it, in order."""
        return override_facts(self.overrides, source, self.facts)


# -- the config file ---------------------------------------------------------------------------------


def discover(start: Path) -> Path | None:
    """The nearest ``notice-audit.toml``, or ``pyproject.toml`` with a ``[tool.notice-audit]`` table."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "notice-audit" in _toml(pyproject).get("tool", {}):
            return pyproject
    return None


def _toml(path: Path) -> dict[str, Any]:
    import tomllib  # deferred: most runs have no configuration file to read

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _validator() -> Draft202012Validator:
    return _validator_for(tuple(FORMATS))


@cache
def _validator_for(formats: tuple[str, ...]) -> Draft202012Validator:
    """The config schema, whose format names are the registry's (the file lists the built-in ones, for
    editors), so that a format registered in ``formats.registry`` is one a config file may name."""
    from jsonschema import Draft202012Validator  # deferred: a run without a config file validates none

    schema = json.loads(resources.files("notice_audit.schemas").joinpath("config.schema.json").read_text())
    schema["$defs"]["format"]["enum"] = list(formats)
    return Draft202012Validator(schema)


def _plain(value: Any) -> Any:
    """TOML dates as ISO strings, so that the JSON Schema sees JSON types."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def load_config(path: Path) -> dict[str, Any]:
    """A config file's settings, validated; relative paths made relative to the working folder."""
    raw = _toml(path)
    label = str(path)
    if path.name == "pyproject.toml":
        raw = raw.get("tool", {}).get("notice-audit", {})
        label = f"{path} [tool.notice-audit]"
    data = _plain(raw)
    errors = sorted(_validator().iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.path))))
    if errors:
        raise ConfigError(f"{label}: {_describe(errors[0])}")
    for index, waiver in enumerate(data.get("waivers", [])):
        try:
            date.fromisoformat(waiver["expires"])
        except ValueError:
            raise ConfigError(f"{label}: /waivers/{index}/expires: '{waiver['expires']}' is not a date "
                              "(YYYY-MM-DD)") from None
    return _relative_paths(data, path.parent)


def _describe(error: ValidationError) -> str:
    import difflib  # deferred with jsonschema: only a configuration file in error is described

    where = "/" + "/".join(map(str, error.absolute_path))
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = sorted(error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {})
        unknown = sorted(set(error.instance) - set(known))
        hints = [f"'{k}'" + (f" (did you mean '{m[0]}'?)" if (m := difflib.get_close_matches(k, known, 1)) else "")
                 for k in unknown]
        return f"{where}: unknown key {', '.join(hints)}; known keys: {', '.join(known)}"
    return f"{where}: {error.message} (schema: {'/'.join(map(str, error.schema_path))})"


def _relative_paths(data: dict[str, Any], base: Path) -> dict[str, Any]:
    def rel(p: str) -> str:
        if p == "-" or is_url(p) or Path(p).is_absolute():
            return p
        return os.path.relpath(base / p)

    out = dict(data)
    if "targets" in out:
        out["targets"] = [rel(t) for t in out["targets"]]
    for key in ("output", "baseline"):
        if key in out:
            out[key] = rel(out[key])
    if isinstance(out.get("history"), str):
        out["history"] = rel(out["history"])
    if "outputs" in out:
        out["outputs"] = [{**o, "path": rel(o["path"])} for o in out["outputs"]]
    checklist = out.get("checklist", "")
    if checklist.endswith((".yaml", ".yml")) or "/" in checklist:
        out["checklist"] = rel(checklist)
    return out


# -- environment variables -----------------------------------------------------------------------------


def parse_facts(pairs: Sequence[str], *, where: str = "--fact") -> dict[str, FactValue]:
    """NAME=VALUE pairs; true/yes/1 and false/no/0 become booleans."""
    facts: dict[str, FactValue] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"{where} '{pair}': expected NAME=VALUE")
        value: FactValue = raw.strip()
        if raw.strip().lower() in ("true", "yes", "1"):
            value = True
        elif raw.strip().lower() in ("false", "no", "0"):
            value = False
        facts[name.strip()] = value
    return facts


def env_settings(environ: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Settings from ``NOTICE_AUDIT_*`` variables, in config-file keys; and warnings for unknown ones."""
    out: dict[str, Any] = {}
    warnings = [f"{name}: unknown environment variable, ignored (known: "
                f"{', '.join(ENV_PREFIX + k for k in ENV_VARS)})"
                for name in sorted(environ) if name.startswith(ENV_PREFIX) and name[len(ENV_PREFIX):] not in ENV_VARS]

    def get(key: str) -> str | None:
        value = environ.get(ENV_PREFIX + key)
        return value.strip() if value is not None and value.strip() else None

    if (targets := get("TARGETS")) is not None:
        out["targets"] = targets.split()
    if (checklist := get("CHECKLIST")) is not None:
        out["checklist"] = checklist
    if (facts := get("FACTS")) is not None:
        out["facts"] = parse_facts([p for p in facts.split(",") if p.strip()], where=ENV_PREFIX + "FACTS")
    if (fail_under := get("FAIL_UNDER")) is not None:
        try:
            out["fail-under"] = float(fail_under)
        except ValueError:
            raise ConfigError(f"{ENV_PREFIX}FAIL_UNDER: '{fail_under}' is not a number") from None
        if not 0 <= out["fail-under"] <= 100:
            raise ConfigError(f"{ENV_PREFIX}FAIL_UNDER: {fail_under} is not between 0 and 100")
    if (fail_on := get("FAIL_ON")) is not None:
        out["fail-on"] = fail_on
    if (non_notice := get("FAIL_ON_NON_NOTICE")) is not None:
        out["fail-on-non-notice"] = _boolean(non_notice, ENV_PREFIX + "FAIL_ON_NON_NOTICE")
    for key in ("FORMAT", "OUTPUT", "BASELINE"):
        if (value := get(key)) is not None:
            out[key.lower()] = value
    if (history := get("HISTORY")) is not None:
        out["history"] = False if history.lower() in ("off", "none", "false", "no", "0") else history
    return out, warnings


def _boolean(value: str, where: str) -> bool:
    """true/yes/1/on or false/no/0/off, as the facts and the history variable read them."""
    word = value.strip().lower()
    if word in ("true", "yes", "1", "on"):
        return True
    if word in ("false", "no", "0", "off"):
        return False
    raise ConfigError(f"{where}: '{value}' is not true or false")


# -- resolving -----------------------------------------------------------------------------------------


def config_path(flag: str | None, no_config: bool, environ: Mapping[str, str], cwd: Path) -> Path | None:
    """Which config file to read: --no-config, --config, NOTICE_AUDIT_CONFIG, else discovery."""
    if no_config:
        return None
    chosen = flag or environ.get(ENV_PREFIX + "CONFIG", "").strip() or None
    if chosen is not None:
        if chosen.lower() == "none":
            return None
        path = Path(chosen)
        if not path.is_file():
            raise ConfigError(f"{chosen}: no such config file")
        return path
    return discover(cwd)


def resolve(flags: Mapping[str, Any], environ: Mapping[str, str], *, config: Path | None) -> Settings:
    """Merge the layers. ``flags`` uses config-file keys and holds only what was given on the command line."""
    file_layer = load_config(config) if config is not None else {}
    env_layer, warnings = env_settings(environ)
    layers = (file_layer, env_layer, dict(flags))
    merged: dict[str, Any] = {}
    facts: dict[str, FactValue] = {}
    outputs: list[Output] = []
    for layer in layers:
        facts.update(layer.get("facts", {}))
        single = [Output(layer.get("format"), layer.get("output"))] if "format" in layer or "output" in layer else []
        listed = [Output(o["format"], o["path"]) for o in layer.get("outputs", [])]
        if single or listed:
            outputs = single + listed
        merged.update({k: v for k, v in layer.items() if k not in ("facts", "format", "output", "outputs")})
    where = str(config) if config is not None else "settings"
    try:
        fail_on = fail_on_levels(merged["fail-on"], where="fail-on") if "fail-on" in merged else DEFAULT_FAIL_ON
        overrides = tuple(
            Override(target=o["target"], facts=o.get("facts", {}), fail_under=o.get("fail-under"),
                     fail_on=fail_on_levels(o["fail-on"], where=f"{where}: /overrides/{i}/fail-on")
                     if "fail-on" in o else None)
            for i, o in enumerate(file_layer.get("overrides", []))
        )
    except GateError as exc:
        raise ConfigError(str(exc)) from None
    waivers = tuple(
        Waiver(item=w["item"], target=w["target"], reason=w["reason"], owner=w["owner"],
               expires=date.fromisoformat(w["expires"]), origin=f"{where}: /waivers/{i}")
        for i, w in enumerate(file_layer.get("waivers", []))
    )
    history = merged.get("history", str(DEFAULT_HISTORY))
    if history is True:
        history = str(DEFAULT_HISTORY if config is None else Path(os.path.relpath(config.parent / DEFAULT_HISTORY)))
    elif "history" not in merged and config is not None:
        history = os.path.relpath(config.parent / DEFAULT_HISTORY)
    return Settings(
        targets=tuple(merged.get("targets", ())),
        checklist=merged.get("checklist", DEFAULT_CHECKLIST),
        facts=facts,
        fail_under=merged.get("fail-under"),
        fail_on=fail_on,
        fail_on_non_notice=bool(merged.get("fail-on-non-notice", False)),
        overrides=overrides,
        waivers=waivers,
        outputs=tuple(outputs),
        baseline=merged.get("baseline"),
        history=history or None,
        config_file=str(config) if config is not None else None,
        warnings=tuple(warnings),
    )
