"""The bundled YAML data files read the same with libyaml's C loader as with PyYAML's own."""

from __future__ import annotations

from importlib import resources

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


def test_the_c_loader_is_used_when_pyyaml_has_it() -> None:
    assert yamldata.LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@pytest.mark.parametrize("name", _bundled())
def test_a_bundled_file_loads_as_safe_load_reads_it(name: str) -> None:
    text = resources.files("notice_audit").joinpath(name).read_text("utf-8")
    assert yamldata.load(text) == yaml.safe_load(text)


def test_the_loader_is_safe() -> None:
    with pytest.raises(yaml.YAMLError):
        yamldata.load("!!python/object/apply:os.system ['true']")
