"""The public API is exactly what ``notice_audit.__all__`` names (as httpx pins its own): a name added to the
package without being exported, or exported without existing, fails here. The package imports each name on
first use (``__getattr__``), so every export is asked for before the package's names are counted."""

from __future__ import annotations

import subprocess
import sys
import types

import notice_audit


def test_all_public_names_are_exported_and_every_export_exists() -> None:
    assert all(hasattr(notice_audit, name) for name in notice_audit.__all__)
    public = {name for name, value in vars(notice_audit).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert public | {"__version__"} == set(notice_audit.__all__)
    assert set(dir(notice_audit)) >= set(notice_audit.__all__)


def test_importing_the_package_imports_none_of_the_api() -> None:
    """``python -m notice_audit --version`` starts from the package: it must not pay for the pipeline."""
    code = "import sys, notice_audit; print(sorted(m for m in sys.modules if m.startswith('notice_audit')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['notice_audit']"


def test_the_documented_example_runs(tmp_path: object) -> None:
    """The package docstring's example, on a notice of our own."""
    from pathlib import Path

    folder = Path(str(tmp_path)) / "notices"
    folder.mkdir()
    (folder / "lowmoor.txt").write_text("Privacy notice\n\nLowmoor Borough Council is the data controller.\n")
    report = notice_audit.Auditor(notice_audit.load_checklist("uk-gdpr")).report(notice_audit.Targets((str(folder),)))
    assert [n.source for n in report.notices] == [str(folder / "lowmoor.txt")]
    assert isinstance(report.notices[0].passed, bool) and report.gate is not None
