"""One error hierarchy: every error a user can cause is a NoticeAuditError, which the command line
turns into one line on stderr and exit 2 in one place."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import notice_audit
from notice_audit.app import cli
from notice_audit.errors import NoticeAuditError


def _modules() -> list[str]:
    """Every module of the package but ``__main__`` (importing it runs the command line)."""
    found = pkgutil.walk_packages(notice_audit.__path__, "notice_audit.")
    return [m.name for m in found if m.name != "notice_audit.__main__"]


def test_every_error_class_of_the_package_is_a_notice_audit_error() -> None:
    """Private ones (``fetch.client._Transient``, a retry signal) never leave their module."""
    found = {}
    for name in _modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, Exception) and value.__module__ == name
                    and not attr.startswith("_")):
                found[f"{name}.{attr}"] = value
    assert len(found) >= 10  # the walk saw the package's error classes
    assert [n for n, c in found.items() if not issubclass(c, NoticeAuditError)] == []


@pytest.mark.parametrize("error", sorted({c for n in _modules() for c in vars(importlib.import_module(n)).values()
                                          if inspect.isclass(c) and issubclass(c, NoticeAuditError)
                                          and c.__module__.startswith("notice_audit")}, key=lambda c: c.__name__),
                         ids=lambda c: c.__name__)
def test_the_command_line_reports_any_of_them_as_one_line_and_exit_2(
        error: type[NoticeAuditError], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    instance = error.__new__(error)  # the message is the test's, whatever the class's own arguments
    Exception.__init__(instance, "lowmoor.yaml: something is wrong")

    def handler(args: object) -> int:
        raise instance

    monkeypatch.setattr(cli, "cmd_checklists", handler)
    assert cli.main(["checklists", "list"]) == 2
    assert capsys.readouterr().err == "notice-audit: error: lowmoor.yaml: something is wrong\n"


def test_a_library_caller_catches_the_base_class(tmp_path: Path) -> None:
    from notice_audit.rules.checklist import load_checklist

    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [")
    with pytest.raises(NoticeAuditError, match=r"bad\.yaml"):
        load_checklist(str(bad))
