"""Scraped-tails benchmark: on the project's own fixture pages of scraped tails (rating widget
leftovers, teaser cards, template placeholders, site disclaimers after the article), count the
tail lines that reach the index and the article endings that are lost.

    python -m benchmarks.tails            # tests/fixtures/tails and tails-heldout, against floors.json

``tails-heldout`` was written apart from the rules, by someone who had not read them.

Each page's expectations are in ``tests/fixtures/tails/expected.toml``: the article's last line,
the facts its own byline gives and, for HTML, the tail's texts (for a text dump every line after
the last article line is tail). Writes benchmarks/results/tails.json.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

from benchmarks.floors import gate
from indexer.extract import extract
from kb.model import Article

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "tails"
# Written apart from the rules, by someone who had not read them: the check that they generalise.
HELD_OUT = ROOT / "tests" / "fixtures" / "tails-heldout"
RESULTS = Path(__file__).with_name("results")
FACTS = ("authors", "reviewed_by", "published", "updated", "reviewed")


def expectations(folder: Path = FIXTURES) -> list[dict]:
    return tomllib.loads((folder / "expected.toml").read_text(encoding="utf-8"))["page"]


def tail_of(page: dict, folder: Path = FIXTURES) -> list[str]:
    """The page's tail texts: given for HTML; for a dump, every line after the article's last."""
    if "tail" in page:
        return page["tail"]
    lines = [line.strip() for line in (folder / page["file"]).read_text(encoding="utf-8").splitlines()]
    last = next(n for n, line in enumerate(lines) if line.startswith(page["last"]))
    return [line for line in lines[last + 1:] if line]


def kept_lines(article: Article) -> list[str]:
    return [line.removeprefix("- ") for section in article.sections
            for line in [section.heading, *section.text.split("\n")] if line]


def leaked(page: dict, article: Article, folder: Path = FIXTURES) -> list[str]:
    """Tail texts found in the article: as a whole line, or inside one when long enough to be
    unmistakable (a one-word tail line like "Yes" only counts as a line of its own)."""
    lines = kept_lines(article)
    return [tail for tail in tail_of(page, folder)
            if tail in lines or (len(tail) >= 12 and any(tail in line for line in lines))]


def wrong_facts(page: dict, article: Article) -> dict[str, tuple]:
    """Facts the page's own byline gives that came out otherwise: {fact: (found, expected)}."""
    wrong = {}
    for fact in FACTS:
        if fact in page:
            found = getattr(article, fact) or ([] if isinstance(page[fact], list) else "")
            if found != page[fact]:
                wrong[fact] = (found, page[fact])
    return wrong


def wrong_kinds(page: dict, article: Article) -> dict[str, tuple]:
    """Sections whose kind is not the expected one: {anchor: (found, expected)}."""
    kinds = {section.anchor: section.kind for section in article.sections}
    return {anchor: (kinds.get(anchor), kind) for anchor, kind in page.get("kinds", {}).items()
            if kinds.get(anchor) != kind}


def score(folder: Path = FIXTURES) -> dict:
    pages = expectations(folder)
    rows = []
    for page in pages:
        path = folder / page["file"]
        article = extract(path.read_bytes(), path)
        rows.append({"file": page["file"], "leaked": leaked(page, article, folder),
                     "lost_ending": not any(line.startswith(page["last"]) or page["last"] in line
                                            for line in kept_lines(article)),
                     "wrong_facts": wrong_facts(page, article) | wrong_kinds(page, article)})
    tails = sum(len(tail_of(page, folder)) for page in pages)
    return {"pages": len(pages), "tail lines": tails,
            "leaked lines": sum(len(row["leaked"]) for row in rows),
            "lost endings": sum(row["lost_ending"] for row in rows),
            "wrong facts": sum(len(row["wrong_facts"]) for row in rows), "rows": rows}


def main() -> int:
    results, totals = {}, {"leaked lines": 0, "lost endings": 0, "wrong facts": 0}
    for folder in (FIXTURES, HELD_OUT):
        figures = results[folder.name] = score(folder)
        print(f"== {folder.name}")
        for row in figures["rows"]:
            problems = [f"leaked {row['leaked']}"] * bool(row["leaked"]) + ["lost its ending"] * row["lost_ending"] \
                + [f"facts or kinds {row['wrong_facts']}"] * bool(row["wrong_facts"])
            print(f"  {row['file']:34} {'; '.join(problems) or 'clean'}")
        print(f"  {figures['pages']} pages, {figures['tail lines']} tail lines: {figures['leaked lines']} leaked, "
              f"{figures['lost endings']} endings lost, {figures['wrong facts']} facts or kinds wrong\n")
        for key in totals:
            totals[key] += figures[key]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "tails.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return gate("tails", {f"{key} leak": value for key, value in totals.items()})


if __name__ == "__main__":
    sys.exit(main())
