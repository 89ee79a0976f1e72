"""Loading checklists: YAML files validated by JSON Schema, with inheritance.

A broken checklist is the user's to fix, so every error names the file, the
item and the schema path in one line.

A built-in checklist, once validated, is kept in the user's cache (``$XDG_CACHE_HOME/notice-audit``, else
``~/.cache/notice-audit``) under a hash of its text, the schema and the names it is checked against: a later
run reads it back without parsing its YAML or importing jsonschema. A cache that cannot be read or written
is passed over; it never fails a run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notice_audit.cache import cache_dir as cache_dir  # re-exported: tests and callers read it here
from notice_audit.cache import faithful_json, read_entry, write_quietly
from notice_audit.errors import ChecklistError as ChecklistError  # re-exported: where it was always imported from
from notice_audit.rules.vocabulary import ELEMENTS, FIELDS, METRICS

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

FactValue = bool | str | float | int


@dataclass(frozen=True, slots=True)
class Item:
    """One requirement: what must be present, when it applies, how much it weighs."""

    id: str
    title: str
    reference: str
    severity: str
    weight: float
    rule: Mapping[str, Any]
    looked_for: str
    guidance: str
    link: str = ""
    when: Mapping[str, Any] | None = None
    #: Short texts that must meet the item (``meets``) and that must not (``fails``); each a string or
    #: ``{text, as_of, facts, note}``. ``notice-audit checklists test`` runs them.
    examples: Mapping[str, Any] | None = None
    #: The file that defined the item (an inherited item keeps its own checklist's file).
    source: str = ""

    def to_data(self) -> dict[str, Any]:
        """The item as a checklist file writes it (keys in the files' order, empty ones left out):
        what the loader reads back to an equal item, ``source`` aside."""
        data: dict[str, Any] = {"id": self.id, "title": self.title, "reference": self.reference,
                                "severity": self.severity, "weight": _number(self.weight)}
        if self.when is not None:
            data["when"] = _plain(self.when)
        data.update(rule=_plain(self.rule), looked_for=self.looked_for, guidance=self.guidance)
        if self.link:
            data["link"] = self.link
        if self.examples is not None:
            data["examples"] = _plain(self.examples)
        return data


@dataclass(frozen=True, slots=True)
class Checklist:
    id: str
    version: str
    title: str
    items: tuple[Item, ...]
    facts: Mapping[str, FactValue] = field(default_factory=dict)
    description: str = ""
    link: str = ""
    source: str = ""

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def to_data(self) -> dict[str, Any]:
        """The checklist as a file of its own, inheritance resolved (no ``extends`` or ``overrides``):
        ``checklists show`` prints it, and the loader reads it back to the same items and facts."""
        data: dict[str, Any] = {"id": self.id, "version": self.version, "title": self.title}
        if self.description:
            data["description"] = self.description
        if self.link:
            data["link"] = self.link
        if self.facts:
            data["facts"] = dict(self.facts)
        data["items"] = [item.to_data() for item in self.items]
        return data


def _number(value: float) -> float | int:
    """A whole weight as the whole number a person writes (3, not 3.0)."""
    return int(value) if value.is_integer() else value


def _plain(value: Any) -> Any:
    """Rules, conditions and examples as plain dicts and lists, for a YAML writer that knows no Mapping."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def builtin_dir() -> Path:
    """Where the built-in checklists are: inside the wheel, or the repository's checklists/."""
    packaged = resources.files("notice_audit") / "checklists"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "checklists"


#: The checklist used when none is named; listed first.
DEFAULT_CHECKLIST = "uk-gdpr"


def builtin_ids() -> list[str]:
    """The built-in checklist ids: the default first, then the others alphabetically."""
    return sorted((p.stem for p in builtin_dir().glob("*.yaml")), key=lambda i: (i != DEFAULT_CHECKLIST, i))


def _schema_text() -> str:
    return resources.files("notice_audit.schemas").joinpath("checklist.schema.json").read_text()


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # deferred: a checklist read from the cache is not validated again

    return Draft202012Validator(json.loads(_schema_text()))


def resolve(ref: str, *, relative_to: Path | None = None) -> Path:
    """A checklist reference is a built-in id or a path to a YAML file."""
    candidate = Path(ref)
    if relative_to is not None and not candidate.is_absolute():
        near = relative_to / candidate
        if near.exists():
            return near
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.exists():
            raise ChecklistError(ref, "no such checklist file")
        return candidate
    builtin = builtin_dir() / f"{ref}.yaml"
    if builtin.exists():
        return builtin
    known = ", ".join(builtin_ids())
    raise ChecklistError(ref, f"no built-in checklist with this id (known: {known}) and no such file")


def load_checklist(ref: str) -> Checklist:
    """Load, validate and resolve inheritance for a checklist id or path."""
    return _load(resolve(ref), seen=())


def read_raw(path: Path) -> dict[str, Any]:
    """Parse and schema-validate one file, without resolving ``extends``."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ChecklistError(name, f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ChecklistError(name, f"not UTF-8 text: {exc.reason}") from exc
    cache_file = _cache_file(path)
    key = _cache_key(text) if cache_file is not None else ""
    if cache_file is not None and (cached := _read_cache(cache_file, key)) is not None:
        return cached
    data = _checked_mapping(name, _parse(name, text))
    errors = sorted(
        _validator().iter_errors(data), key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path])
    )
    if errors:
        raise _schema_error(name, data, _most_specific(errors[0]))
    _check_names(name, data)
    if cache_file is not None:
        _write_cache(cache_file, key, data)
    return data


def _parse(name: str, text: str) -> Any:
    """The YAML, read with libyaml's C loader where PyYAML has it (35 ms less for uk-gdpr); a file it refuses is
    read again with the pure-Python loader, whose error says where and what."""
    import yaml  # deferred: a built-in checklist read back from the cache is not parsed again

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        with contextlib.suppress(yaml.YAMLError):
            return yaml.load(text, Loader=fast)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ChecklistError(name, f"invalid YAML{where}: {problem}") from exc


def _checked_mapping(name: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ChecklistError(name, "a checklist must be a YAML mapping with id, version, title and items")
    return data


#: Bumped when what the cache holds changes shape.
_CACHE_VERSION = "1"


def _cache_file(path: Path) -> Path | None:
    """The cache file of a built-in checklist (one per checklist, replaced when it changes); None for a user's
    file, which is validated every time."""
    if path.suffix != ".yaml" or path.resolve().parent != builtin_dir().resolve():
        return None
    return cache_dir() / "checklists" / f"{path.stem}.json"


def _cache_key(text: str) -> str:
    """What a cached checklist is valid for: its text, the schema, and the names ``_check_names`` accepts."""
    digest = hashlib.sha256()
    for part in (_CACHE_VERSION, text, _schema_text(), repr((sorted(ELEMENTS), sorted(FIELDS), sorted(METRICS)))):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _read_cache(cache_file: Path, key: str) -> dict[str, Any] | None:
    """The checklist validated under ``key``, or None: missing, stale, unreadable or corrupt alike."""
    data = read_entry(cache_file, key, "data")
    return data if isinstance(data, dict) else None


def _write_cache(cache_file: Path, key: str, data: dict[str, Any]) -> None:
    """Keep a validated checklist, atomically (a run reading it meanwhile sees the old file or the new one).
    Data that JSON would not give back as it is (a date, a key that is not a string) is not kept; nor is
    anything when the cache cannot be written."""
    text = faithful_json({"key": key, "data": data})
    if text is not None:
        write_quietly(cache_file, text)


def _most_specific(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, report the branch that got furthest."""
    while error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.schema_path)))
    return error


def _schema_error(name: str, data: Mapping[str, Any], error: ValidationError) -> ChecklistError:
    path = list(error.absolute_path)
    item = _item_id_at(data, path)
    pointer = "/" + "/".join(str(p) for p in path) if path else "/"
    schema_path = "/".join(str(p) for p in error.schema_path)
    return ChecklistError(name, f"{error.message} (schema: {schema_path})", item=item, path=pointer)


def _item_id_at(data: Mapping[str, Any], path: list[Any]) -> str | None:
    if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
        items = data.get("items") or []
        if path[1] < len(items) and isinstance(items[path[1]], Mapping):
            return str(items[path[1]].get("id", f"#{path[1] + 1}"))
        return f"#{path[1] + 1}"
    if len(path) >= 2 and path[0] == "overrides":
        return str(path[1])
    return None


def _check_names(name: str, data: Mapping[str, Any]) -> None:
    """Element and field names the schema cannot know: checked against the extractors."""
    seen: set[str] = set()
    for index, raw in enumerate(data.get("items") or []):
        item_id = raw["id"]
        if item_id in seen:
            raise ChecklistError(name, "duplicate item id", item=item_id, path=f"/items/{index}/id")
        seen.add(item_id)
        for key in ("rule", "when"):
            if key in raw:
                _check_node(name, item_id, raw[key], f"/items/{index}/{key}")


def _check_node(name: str, item_id: str, node: Any, pointer: str) -> None:
    if isinstance(node, list):
        for i, child in enumerate(node):
            _check_node(name, item_id, child, f"{pointer}/{i}")
        return
    if not isinstance(node, Mapping):
        return
    for key, value in node.items():
        here = f"{pointer}/{key}"
        if key in ("present", "absent") and value not in ELEMENTS:
            raise ChecklistError(
                name, f"unknown element '{value}' (known: {', '.join(sorted(ELEMENTS))})", item=item_id, path=here
            )
        if key in ("min_count", "max_age", "metric") and node[key]["element"] not in ELEMENTS:
            raise ChecklistError(name, f"unknown element '{node[key]['element']}'", item=item_id, path=here)
        if key == "metric" and value["name"] not in METRICS:
            raise ChecklistError(
                name, f"unknown metric '{value['name']}' (known: {', '.join(METRICS)})", item=item_id, path=here
            )
        if key in ("any_of", "all_of") and value["field"] not in FIELDS:
            raise ChecklistError(
                name, f"unknown field '{value['field']}' (known: {', '.join(sorted(FIELDS))})", item=item_id, path=here
            )
        if key == "field" and value not in FIELDS:
            raise ChecklistError(
                name, f"unknown field '{value}' (known: {', '.join(sorted(FIELDS))})", item=item_id, path=here
            )
        if key in ("all", "any", "not"):
            _check_node(name, item_id, value, here)


def _load(path: Path, *, seen: tuple[Path, ...]) -> Checklist:
    resolved = path.resolve()
    if resolved in seen:
        chain = " -> ".join(str(p) for p in (*seen, resolved))
        raise ChecklistError(str(path), f"checklist inheritance loops: {chain}")
    data = read_raw(path)
    base: Checklist | None = None
    if "extends" in data:
        try:
            parent = resolve(data["extends"], relative_to=path.parent)
        except ChecklistError as exc:
            raise ChecklistError(str(path), f"extends '{data['extends']}': {exc.detail}", path="/extends") from exc
        base = _load(parent, seen=(*seen, resolved))
    items: list[Item] = list(base.items) if base else []
    index = {it.id: i for i, it in enumerate(items)}
    for raw in data.get("items") or []:
        item = Item(
            id=raw["id"],
            title=raw["title"],
            reference=raw["reference"],
            severity=raw["severity"],
            weight=float(raw["weight"]),
            rule=raw["rule"],
            looked_for=" ".join(raw["looked_for"].split()),
            guidance=" ".join(raw["guidance"].split()),
            link=raw.get("link", ""),
            when=raw.get("when"),
            examples=raw.get("examples"),
            source=str(path),
        )
        if item.id in index:
            items[index[item.id]] = item
        else:
            index[item.id] = len(items)
            items.append(item)
    disabled: set[str] = set()
    for item_id, change in (data.get("overrides") or {}).items():
        if item_id not in index:
            raise ChecklistError(str(path), "override names an item that does not exist", item=item_id,
                                 path=f"/overrides/{item_id}")
        current = items[index[item_id]]
        if change.get("enabled") is False:
            disabled.add(item_id)
            continue
        updates = {k: v for k, v in change.items() if k in ("severity", "when", "guidance")}
        if "weight" in change:
            updates["weight"] = float(change["weight"])
        items[index[item_id]] = replace(current, **updates)
    facts: dict[str, FactValue] = dict(base.facts) if base else {}
    facts.update(data.get("facts") or {})
    return Checklist(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        items=tuple(it for it in items if it.id not in disabled),
        facts=facts,
        description=" ".join(str(data.get("description", "")).split()),
        link=data.get("link", base.link if base else ""),
        source=str(path),
    )
