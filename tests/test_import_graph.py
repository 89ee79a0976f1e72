"""The package's import graph: no module imports another that (directly or through others) imports it
back, and nothing is imported inside a function but an optional dependency, or a verb's modules where the command
line dispatches to them. Package ``__init__``
modules that gather their modules (the public API, the parse and format registries, the extractors)
are facades: importing a module runs its package's ``__init__``, but that is the facade depending on
the module, so those implicit edges are not counted."""

from __future__ import annotations

import ast

import pytest

from tests.test_formats import _cycles, _modules

#: Imports inside a function, each for an optional dependency: (module, imported name).
#: (None now: pypdf's apply_configuration, which only newer pypdf has, is imported in pdf._reading, which defers.)
OPTIONAL: set[tuple[str, str]] = set()

#: Functions that may import inside them: where the command line defers a verb's modules until that verb runs (its
#: ``cmd_*``), its options are built or --version is asked for (``__call__``), so that ``--help``, ``--version`` and
#: each verb import only what they use; where jsonschema is imported to validate; and where an input format's
#: library is imported to read a file. Their imports still count as edges of the graph above.
DEFERRED = {("notice_audit.app.cli", name) for name in (
    "cmd_audit", "cmd_crawl", "cmd_checklists", "cmd_evaluate", "cmd_compare", "cmd_diff", "cmd_report",
    "cmd_history", "cmd_demo", "_crawl_verb", "_compare_verb", "_diff_verb", "_report_verb", "_history_verb",
    "_history_help", "_audit_options", "_fetch_options", "__call__")} | {
    # jsonschema, imported where a document is validated: a run whose built-in checklist comes from the cache,
    # with no config file, writing a report, validates nothing
    ("notice_audit.rules.checklist", "_validator"), ("notice_audit.app.config", "_validator_for"),
    ("notice_audit.formats.json", "validator")} | {
    # the crawl machinery (the HTTP client, asyncio, discovery), imported when a run crawls
    ("notice_audit.auditor", "_crawl"), ("notice_audit.auditor", "_page_fetcher"),
    ("notice_audit.auditor", "_fetch_page"), ("notice_audit.fetch.config", "starting_at"),
    ("notice_audit.fetch.addresses", "system_resolver"),
    # a reader's library, imported when a file of its format is read
    ("notice_audit.parse.pdf", "_open"), ("notice_audit.parse.markdown", "_parser"),
    ("notice_audit.parse.code_strings", "yaml_entries"), ("notice_audit.parse.code_strings", "_walk_yaml"),
    ("notice_audit.parse.pdf", "_reading"),
    # the JavaScript scanner (a dozen regular expressions), compiled when a script file is read
    ("notice_audit.parse.code_strings", "parse"), ("notice_audit.parse.jsx", "parse_text"),
    # PyYAML, imported where YAML is read: a warm start reads the bundled data and built-in checklist from the cache
    ("notice_audit.yamldata", "parse"), ("notice_audit.rules.checklist", "_parse"),
    # what only some runs use: worker processes (--jobs), a configuration file (TOML, and a close match for a
    # mistyped key), a host name to resolve
    ("notice_audit.auditor", "_workers"), ("notice_audit.app.config", "_toml"),
    ("notice_audit.app.config", "_describe")}


def _explicit(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """The package's modules ``name`` names in its imports (a name imported from a package that is itself
    a module counts as that module)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module
                    for a in node.names}
    return (out & known) - {name}


@pytest.fixture(scope="module")
def modules() -> dict[str, ast.Module]:
    """The package parsed once for this file's tests, which only read the trees."""
    return _modules()


def test_no_module_imports_itself_back(modules: dict[str, ast.Module]) -> None:
    known = set(modules)
    graph = {name: _explicit(name, tree, known) for name, tree in modules.items()}
    assert graph["notice_audit.auditor"] >= {"notice_audit.audit", "notice_audit.gate"}  # the walk sees imports
    assert _cycles(graph) == []


def test_nothing_is_imported_inside_a_function_but_optional_dependencies(modules: dict[str, ast.Module]) -> None:
    found = set()
    deferring = set()
    for name, tree in modules.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (name, node.name) in DEFERRED:
                deferring.add((name, node.name))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and inner.module:
                        found.add((name, inner.module))
                    elif isinstance(inner, ast.Import):
                        found |= {(name, alias.name) for alias in inner.names}
    assert found == OPTIONAL
    assert deferring == DEFERRED  # every function allowed to defer still exists
