"""The architecture is the direction of imports: indexer → kb ← web."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(package: str, skip: set[str] = frozenset()):
    for path in sorted((ROOT / package).rglob("*.py")):
        if path.name in skip:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.name, alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path.name, node.module.split(".")[0]


def test_core_imports_neither_indexer_nor_web():
    # No exemption: the `kb` command (kb_cli.py) drives the indexer and the app from above the core.
    bad = [(f, p) for f, p in imported_packages("kb") if p in ("indexer", "web")]
    assert bad == []


def test_indexer_and_web_do_not_import_each_other():
    assert [(f, p) for f, p in imported_packages("indexer") if p == "web"] == []
    assert [(f, p) for f, p in imported_packages("web") if p == "indexer"] == []


def test_whoosh_stays_inside_the_core():
    assert [(f, p) for f, p in imported_packages("indexer") if p == "whoosh"] == []
    assert [(f, p) for f, p in imported_packages("web") if p == "whoosh"] == []


def test_nothing_below_the_cli_imports_it():
    for package in ("kb", "indexer", "web"):
        assert [(f, p) for f, p in imported_packages(package) if p == "kb_cli"] == [], package
