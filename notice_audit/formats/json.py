"""The JSON report: the contract other tools read (schemas/report.schema.json)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from notice_audit.formats.base import Format
from notice_audit.model import AuditReport

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator


def render(report: AuditReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


@cache
def validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # deferred: writing a report does not validate it

    schema = json.loads(resources.files("notice_audit.schemas").joinpath("report.schema.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validation_errors(data: Any) -> list[str]:
    """Every way ``data`` departs from the report schema, as 'path: message' lines."""
    return [
        f"/{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in sorted(validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]


FORMAT = Format("json", ("json",), render)
