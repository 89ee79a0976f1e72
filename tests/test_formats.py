"""Output formats behind one registry: a format's properties live on its Format object, one table of
extensions serves every verb, a new format is one module registered in one place, and the formats'
modules form no import cycle and import nothing inside functions."""

from __future__ import annotations

import ast
import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import notice_audit
from notice_audit.app.cli import main
from notice_audit.formats import compare, diff
from notice_audit.formats import history as history_formats
from notice_audit.formats.base import Format, Registry, extension_table
from notice_audit.formats.output import OutputError
from notice_audit.formats.registry import FORMATS, register
from notice_audit.model import AuditReport
from tests import toy_format
from tests.test_cli import GOOD, POOR

PACKAGE = Path(notice_audit.__file__).parent


# -- the properties the code once hard-coded elsewhere ------------------------------------------------


def test_properties_once_hard_coded_are_the_formats_own() -> None:
    # run._conclude's list of formats read where printed, run._audit's JSON Lines case, emit's table case
    assert {f.name for f in FORMATS.values() if f.for_people} == {"table", "markdown", "summary"}
    assert [f.name for f in FORMATS.values() if f.streams] == ["jsonl"]
    assert [f.name for f in FORMATS.values() if f.printer is not None] == ["table"]
    assert {f.name: f.extension for f in FORMATS.values()} == {
        "table": "txt", "json": "json", "markdown": "md", "html": "html", "csv": "csv", "sarif": "sarif",
        "junit": "junit.xml", "summary": "summary.md", "jsonl": "jsonl"}


def test_every_verb_reads_the_one_extension_table() -> None:
    table = extension_table()
    assert table[".md"] == "markdown" and table[".summary.md"] == "summary" and table[".xml"] == "junit"
    for registry in (FORMATS, compare.FORMATS, diff.FORMATS, history_formats.FORMATS):
        assert registry.extensions().items() <= table.items(), registry.document
    assert compare.FORMATS.guess("x.markdown", "html") == diff.FORMATS.guess("x.md", "json") == "markdown"
    with pytest.raises(OutputError, match=r"'\.csv' names no report format"):
        diff.FORMATS.guess("x.csv", "markdown")


def test_an_extension_cannot_name_two_formats() -> None:
    registry: Registry[str] = Registry("scratch")
    with pytest.raises(ValueError, match=r"\.md already names format 'markdown', not 'notes'"):
        registry.register(Format("notes", ("md",), str))
    with pytest.raises(ValueError, match=r"format 'markdown' is named by \.md, \.markdown elsewhere, not \.mdx"):
        registry.register(Format("markdown", ("mdx",), str))
    registry.register(Format("markdown", ("md", "markdown"), str))  # the same as everywhere else: fine
    with pytest.raises(ValueError, match="already registered"):
        registry.register(Format("markdown", ("md", "markdown"), str))
    assert list(registry) == ["markdown"]


def test_an_unknown_format_is_named_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown comparison format 'pdf' \(known: html, table, markdown, csv\)"):
        compare.FORMATS.get_format("pdf")
    with pytest.raises(ValueError, match=r"unknown format 'pdf' \(known: table, json, markdown"):
        FORMATS.get_format("pdf")


# -- a format added from outside: one module, registered in one place ---------------------------------


@pytest.fixture
def toy() -> Iterator[Format[AuditReport]]:
    fmt = register(toy_format.FORMAT)
    yield fmt
    FORMATS.unregister(fmt.name)


@pytest.fixture
def notices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One notice that passes its gate and one that fails it; no config file, no history."""
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "good.html").write_text(GOOD)
    (folder / "poor.txt").write_text(POOR)
    monkeypatch.chdir(tmp_path)
    return folder


def _audit(*args: str) -> int:
    return main(["audit", "notices", "--no-config", "--no-history", *args])


def test_a_registered_format_works_through_every_path(toy: Format[AuditReport], notices: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert _audit("--format", "json", "--output", "saved.json") == 1  # the poor notice fails its gate
    saved = json.loads(Path("saved.json").read_text())
    assert sorted(n["passed"] for n in saved["notices"]) == [False, True]
    expected = "passed 1\nfailed 1\n"
    capsys.readouterr()

    assert _audit("--format", "toy") == 1  # --format: to standard output
    assert capsys.readouterr().out == expected
    assert _audit("--output", "counts.toy.txt") == 1  # guessed from the extension, the longest that matches
    assert Path("counts.toy.txt").read_text() == expected
    assert main(["report", "saved.json", "--output", "again.toy.txt"]) == 0  # re-rendered from the saved report
    assert Path("again.toy.txt").read_text() == expected
    assert main(["report", "saved.json", "--format", "toy"]) == 0
    assert capsys.readouterr().out == expected
    Path("notice-audit.toml").write_text('format = "toy"\noutput = "from-config.out"\n')  # the config file too
    assert main(["audit", "notices", "--no-history"]) == 1
    assert Path("from-config.out").read_text() == expected


def test_a_format_not_registered_is_unknown(notices: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _audit("--format", "toy")
    assert "invalid choice: 'toy'" in capsys.readouterr().err
    assert FORMATS.guess("counts.toy.txt", "json") == "table"  # without it, the name ends in the table's .txt


def test_a_registered_format_leaves_with_its_extensions(toy: Format[AuditReport]) -> None:
    assert FORMATS.guess("counts.toy.txt", "json") == "toy" and extension_table()[".toy.txt"] == "toy"
    FORMATS.unregister("toy")
    assert ".toy.txt" not in extension_table()
    FORMATS.register(toy)  # for the fixture to remove


# -- imports: no cycle, nothing imported inside a function ---------------------------------------------

#: The modules this work owns: the formats, the report reader, and the application modules that use them.
OWNED = ("notice_audit.formats", "notice_audit.report", "notice_audit.app.run", "notice_audit.app.cli",
         "notice_audit.gate", "notice_audit.app.history", "notice_audit.app.config", "notice_audit.demo")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, ast.Module]:
    """Every module of the package, parsed. The cyclic garbage collector is paused meanwhile: it would walk the
    growing trees again and again (their parsing took twice as long), and they hold no garbage to find."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return {_module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))}
    finally:
        if enabled:
            gc.enable()


@pytest.fixture(scope="module")
def modules() -> dict[str, ast.Module]:
    """The package parsed once for this file's tests, which only read the trees."""
    return _modules()


def _imported(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """The package's modules ``name`` imports anywhere in its code, with the packages each import runs."""
    out: set[str] = set()
    package = name if (PACKAGE.parent / name.replace(".", "/") / "__init__.py").exists() else name.rpartition(".")[0]
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, one level up per dot after the first
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        for target in targets:
            parts = target.split(".")
            # The root package's __init__ is the public facade over every module (as httpx's is): importing a
            # module runs it, but that is the facade depending on the module, not the module on the facade.
            first = 1 if len(parts) > 1 else 0
            out.update(m for m in (".".join(parts[:i]) for i in range(first + 1, len(parts) + 1)) if m in known)
    out.discard(name)
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _owned(module: str) -> bool:
    return any(module == o or module.startswith(o + ".") for o in OWNED)


def test_no_import_cycle_through_the_formats_or_their_importers(modules: dict[str, ast.Module]) -> None:
    known = set(modules)
    graph = {name: _imported(name, tree, known) for name, tree in modules.items()}
    assert graph["notice_audit.formats.markdown"] >= {"notice_audit.formats.history"}  # the walk sees imports
    assert [c for c in _cycles(graph) if any(_owned(m) for m in c)] == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_nothing_is_imported_inside_a_function_of_the_owned_modules(modules: dict[str, ast.Module]) -> None:
    """But where the command line defers a verb's modules (``tests.test_import_graph.DEFERRED``)."""
    from tests.test_import_graph import DEFERRED

    inside = []
    for name, tree in modules.items():
        if not _owned(name):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (name, node.name) not in DEFERRED:
                inside += [f"{name}:{inner.lineno}" for inner in ast.walk(node)
                           if isinstance(inner, ast.Import | ast.ImportFrom)]
    assert inside == []
