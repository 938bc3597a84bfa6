"""Built-in lists every corpus gets, and a corpus's own files on top of them.

The red flags (``emergency.txt``) and the synonym groups (``synonyms.txt``) ship with kb in
``builtin/``: safety and lay vocabulary must not depend on a corpus remembering to bring its
own. A corpus file of the same name adds its lines to the built-in ones; a file holding the line
``#! replace-built-in`` replaces them instead.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from kb.corpus_config.english import english_in_force

BUILTIN = Path(__file__).with_name("builtin")
REPLACE = re.compile(r"^\s*#!\s*replace-built-in\s*$", re.IGNORECASE | re.MULTILINE)


@cache
def builtin_text(name: str) -> str:
    """The built-in list ``name`` (``emergency.txt`` or ``synonyms.txt``), read once per process."""
    return (BUILTIN / name).read_text(encoding="utf-8")


def replaces_builtin(text: str) -> bool:
    return bool(REPLACE.search(text))


def combined(name: str, corpus_text: str) -> str:
    """The text in force: the built-in list followed by the corpus's, or the corpus's alone."""
    return corpus_text if replaces_builtin(corpus_text) else builtin_text(name) + "\n" + corpus_text


def entries(text: str) -> int:
    """Lines that hold an entry (not blank, not only a comment)."""
    return sum(1 for line in text.splitlines() if line.split("#", 1)[0].strip())


def in_force(corpus: Path | None) -> list[dict]:
    """What each list holds and where it comes from, for ``kb status`` and the admin page."""
    found = []
    for name, label in (("emergency.txt", "red flags"), ("synonyms.txt", "synonym groups")):
        path = corpus / name if corpus else None
        own = path.read_text(encoding="utf-8", errors="replace") if path and path.is_file() else None
        replaced = own is not None and replaces_builtin(own)
        found.append({"list": label, "file": name, "built_in": 0 if replaced else entries(builtin_text(name)),
                      "corpus_file": str(path) if own is not None else None,
                      "corpus_entries": entries(own) if own is not None else 0,
                      "mode": "corpus file only" if replaced else ("built-in + corpus file" if own is not None
                                                                    else "built-in only")})
    found.append(vocabulary_in_force())
    found.append(english_in_force())
    return found


def vocabulary_in_force() -> dict:
    """The ontology behind lay ↔ medical names: where its file is and which release (read from
    the file's header, without loading it)."""
    from kb.corpus_config.vocabulary import default_obo_path

    path = default_obo_path()
    version = ""
    if path is not None and path.is_file():
        with open(path, encoding="utf-8", errors="replace") as handle:
            for _number, line in zip(range(40), handle):
                if line.startswith("data-version:"):
                    version = line.split(":", 1)[1].strip()
                    break
    return {"list": "lay/medical vocabulary", "file": "hp.obo", "built_in": 0, "corpus_file": None,
            "corpus_entries": 0, "mode": f"Human Phenotype Ontology {version}" if version else "not installed",
            "path": str(path) if path else None}
