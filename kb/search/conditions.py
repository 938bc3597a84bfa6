"""Rank whole articles (conditions) for an understood description.

Most condition pages describe their signs inside an overview rather than a "Symptoms" section,
and a reader's signs are spread over an article's sections. So each article is scored as one
document: BM25 over the sum of its sections' term counts, a symptoms or overview section counting
fully and other kinds less. The score is scaled by the share of the reader's signs the article
holds (a sign is held when one section holds most of it: an article holding five of six signs
beats one repeating one) and, mildly, by how common the condition is, so a common condition comes
before a rare genetic one when the evidence is similar. How common is read from the pages
themselves (a "1 in N" figure, the words rare, gene, inherited…, an inheritance section) unless a
librarian set the source's ``prevalence`` in sources.toml. The best articles then lend their
shared words (feedback) and vote for the conditions they name (``kb.search.mentions``); a page
named after one of the reader's own signs ("Rashes") is weighed less; and each condition name is
listed once, whichever source published it.

The article table (each section's article, kind weight, each article's rarity and names) is
built once per index generation and process; word scores are cached in it.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from dataclasses import dataclass, field

import numpy as np

from kb.corpus_config.synonyms import EMPTY, Synonyms
from kb.index.schema import terms_of
from kb.search.describe import Item
from kb.search.mentions import MENTION_WEIGHT, named_scores
from kb.search.ranking import K1, GenerationStats, _field_lengths, field_scores, read_postings
from kb.corpus_config.vocabulary import hpo_vocabulary, loose

# Section kinds that describe how a condition shows; others still count, at a lower weight.
KIND_WEIGHTS = {"overview": 1.0, "symptoms": 1.0, "causes": 0.6, "diagnosis": 0.6,
                "when-to-see-a-doctor": 0.5}
OTHER_KIND_WEIGHT = 0.5
EXPANSION_WEIGHT = 0.5    # an HPO name the reader did not write counts half (as kb.synonyms does)
MAX_EXPANSIONS = 6        # other names searched per phenotype (bounds the work)
COVERAGE_FLOOR = 0.3      # an article holding none but one sign keeps this share of its score
COVERAGE_POWER = 1.0
COVERED = 0.5             # share of a sign one section must hold for the sign to count as covered
RARITY_WEIGHT = 0.5       # score / (1 + RARITY_WEIGHT * rarity), rarity in [0, 1]
# Descriptions are matched against the body only. Normal search weighs the title ×3: right for a
# named condition, wrong for signs — a body part in a title ("… of the knee") is where the sign
# is, not what the reader has, and every section repeats its article's title. Measured on the
# dev narratives: title ×3 top-3 0.015, ×1 0.176, body only 0.249; a title bonus on top of the
# article's body score lowered top-3 too (0.253 → 0.244 at half weight).
FIELD_WEIGHTS = {"title": 0.0, "aliases": 0.0, "heading": 0.0, "body": 1.0}
VARIANT_WEIGHT = 1.0      # another form of the reader's word in the index ("itch" for "itchy")
NAMING_WORD_ARTICLES = 3  # a word in the names of at most this many articles names a condition by itself
WORD_CACHE = 20_000       # words whose section scores are kept per generation
# Each article is scored as one document: BM25 over the sum of its sections' term counts (each
# weighted by its section's kind), its length in BM25's normalisation. Taking each word's best
# section instead lets a long article collect every word from a different section.
ARTICLE_B = 0.75
# Stems whose presence in an article marks it as about a rare or genetic condition.
RARITY_WORDS = ("rare", "autosom", "mutat", "gene", "chromosom", "inherit", "syndrom")
RARITY_KINDS = ("inheritance", "frequency")
# Pseudo-relevance feedback: readers and pages use different words for one sign, so the best
# articles found lend the words they share (RM3-style, over whole articles) to a second look.
# Measured on the dev narratives over a grid (articles 3/5/10 × words 10/20 × weight 0.2–0.5):
# every weight-0.2 setting raised top-3 (+0.005 to +0.027) and none lowered a condition; heavier
# weights drifted. The articles re-ranked are those holding a reader's word, so every condition
# shown still matches something the reader wrote.
FEEDBACK_ARTICLES = 10
FEEDBACK_SHARE = 0.01     # at most this share of the corpus lends words: in a small corpus the best
                          # ten are a large part of it, and lend the words of conditions in general
FEEDBACK_WORDS = 10
FEEDBACK_WEIGHT = 0.2
FEEDBACK_CHARS = 3_000    # an article lends words from its first characters (bounds the work)
FEEDBACK_KEPT = 60        # an article's most frequent words kept for lending
# A page named after one of the signs the reader told (with at least one other sign) is weighed
# less: on the dev narratives "Rashes", "Headache", "Fever", "Cough" held most top-3 places the
# reader's condition missed. Measured (dev grid 0.5/0.7/0.85): 0.5 raised top-1 and top-3 on the dev
# narratives and on the held-out ones.
ECHO_WEIGHT = 0.5
ECHO_MIN_SIGNS = 2
SPANS_CACHE = 50_000      # (section, word) places kept per generation and process (~150 bytes each)
TERMS_CACHE = 2_000       # articles whose words are kept per generation and process (about 8 KB each)
FIELDS_CACHE = 1_000      # sections whose listed fields are kept per generation and process (~2 KB each)
# What a listed result shows of a section (``kb.search.query.hit_of``): not its text.
LISTED = frozenset(("article_id", "title", "section_id", "heading", "kind", "anchor", "source", "path", "number",
                    "url", "updated", "reviewed", "reviewed_by", "grade"))


_NAME_PARTS = re.compile(r"[()\[\]:;,/]|\s[-–—]\s")


@dataclass
class Searched:
    """One concept searched: alternatives (analysed words, weight), the understood item it serves, and a label."""

    alternatives: list[tuple[tuple[str, ...], float]]
    item: int
    label: str
    expansion: bool = False


@dataclass
class Ranked:
    """Articles best first, with what was searched (for "Also searched: …") and why each ranks there."""

    articles: list[tuple[str, str, float]]  # article id, title, score
    also_searched: list[str] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)          # the articles' codes in the generation's table
    concepts: list[Searched] = field(default_factory=list)
    held: dict[int, list[int]] = field(default_factory=dict)  # article code → understood items it holds
    shares: dict[int, np.ndarray] = field(default_factory=dict)  # item → each article's share of it
    named_by: dict[int, list[str]] = field(default_factory=dict)  # article code → titles of best matches naming it
    echoed: set[int] = field(default_factory=set)  # article codes named after one of the reader's signs (weighed less)


class ArticleTable:
    """Per generation: each section's article code, kind weight, and each article's rarity and first section."""

    def __init__(self, reader, stats: GenerationStats):
        self.codes = np.full(stats.doc_count, -1, dtype=np.int32)
        self.ids: list[str] = []
        for value in reader.lexicon("article_id"):
            text = value.decode("utf-8") if isinstance(value, bytes) else value
            docs = read_postings(reader, "article_id", text)[0]
            docs = docs[stats.live[docs]]
            if len(docs):
                self.codes[docs] = len(self.ids)
                self.ids.append(text)
        count = len(self.ids)
        # Each article's sections, in document order: ``order[starts[c]:starts[c + 1]]``.
        self.order = np.argsort(self.codes, kind="stable")
        self.starts = np.searchsorted(self.codes[self.order], np.arange(count + 1))
        self.first_doc = np.full(count, -1, dtype=np.int64)
        present = np.flatnonzero(self.codes >= 0)
        self.first_doc[self.codes[present][::-1]] = present[::-1]
        labels = stats.labels["kind"]
        weights = np.array([KIND_WEIGHTS.get(label, OTHER_KIND_WEIGHT) for label in labels] + [OTHER_KIND_WEIGHT])
        self.kind_weight = weights[stats.codes["kind"]]
        self.rarity = self._rarity(reader, stats, count)
        self.source = stats.codes["source"][self.first_doc] if count else np.zeros(0, dtype=np.int64)
        self.source_labels = list(stats.labels["source"])
        self.frequency = self._frequency(reader, stats)  # article code → (people per case, as written)
        self.titles: dict[int, str] = {}
        self.fields: dict[int, dict] = {}
        self._names: dict[tuple[str, ...], int] | None = None
        self._name_codes: dict[tuple[str, ...], tuple[int, ...]] = {}
        self.name_starts: dict[str, list[tuple[str, ...]]] = {}  # filled with name_codes()
        self._phrases: dict[str, tuple[tuple[str, ...], ...]] | None = None
        self.spans: dict[tuple[int, str], tuple[tuple[int, int], ...]] = {}  # (section, word) → where it stands
        self.frequencies: dict[str, int] = {}
        self.article_scores: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        body = _field_lengths(reader, "body", stats.doc_count).astype(np.float64)
        body[~stats.live] = 0.0
        present = self.codes >= 0
        self.article_length = np.bincount(self.codes[present], weights=(body * self.kind_weight)[present],
                                          minlength=count)
        self.average_length = float(self.article_length.mean()) if count else 1.0
        self.scores: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.terms: dict[int, tuple[tuple[tuple[str, float], ...], float]] = {}
        self.variants: dict[str, list[str]] = {}
        for value in reader.lexicon("body"):
            text = value.decode("utf-8") if isinstance(value, bytes) else value
            self.variants.setdefault(loose(text), []).append(text)

    def held_by(self, reader, word: str) -> int:
        """How many sections hold ``word`` in their body, from the term's information alone; cached
        (a term lookup costs about 40 µs, and the same words come back description after description)."""
        found = self.frequencies.get(word)
        if found is None:
            if len(self.frequencies) >= WORD_CACHE:
                self.frequencies.pop(next(iter(self.frequencies)))
            found = self.frequencies[word] = reader.doc_frequency("body", word)
        return found

    def sections(self, code: int) -> np.ndarray:
        """The document numbers of one article's sections, in reading order."""
        return self.order[self.starts[code]:self.starts[code + 1]]

    def forms(self, word: str) -> list[str]:
        """The word and the index's other stems with the same loose key."""
        return [word] + [other for other in self.variants.get(loose(word), ()) if other != word]

    def word_article_scores(self, reader, stats: GenerationStats, word: str) -> tuple[np.ndarray, np.ndarray]:
        """BM25 of one word per article, the article taken as one document of its sections' bodies
        (each section's term count weighted by its kind): (article codes, scores)."""
        found = self.article_scores.get(word)
        if found is not None:
            return found
        ids, tfs = read_postings(reader, "body", word)
        keep = stats.live[ids] & (self.codes[ids] >= 0)
        ids, tfs = ids[keep], tfs[keep]
        count = len(self.ids)
        tf = np.bincount(self.codes[ids], weights=tfs * self.kind_weight[ids], minlength=count)
        articles = np.flatnonzero(tf)
        n = len(articles)
        idf = math.log(1 + (count - n + 0.5) / (n + 0.5))
        norm = K1 * (1 - ARTICLE_B + ARTICLE_B * self.article_length[articles] / self.average_length)
        found = (articles, idf * (K1 + 1) * tf[articles] / (tf[articles] + norm))
        if len(self.article_scores) >= WORD_CACHE:
            self.article_scores.pop(next(iter(self.article_scores)))
        self.article_scores[word] = found
        return found

    def word_scores(self, reader, stats: GenerationStats, word: str) -> tuple[np.ndarray, np.ndarray]:
        """BM25 of one word per section with FIELD_WEIGHTS (not normal search's boosts): (sections, scores)."""
        found = self.scores.get(word)
        if found is not None:
            return found
        found = field_scores(stats, reader, word, FIELD_WEIGHTS)
        if len(self.scores) >= WORD_CACHE:
            self.scores.pop(next(iter(self.scores)))
        self.scores[word] = found
        return found

    def _rarity(self, reader, stats: GenerationStats, count: int) -> np.ndarray:
        signals = []
        for word in RARITY_WORDS:
            held = np.zeros(count, dtype=bool)
            for fieldname in ("body", "heading", "title"):
                docs = read_postings(reader, fieldname, word)[0]
                docs = docs[self.codes[docs] >= 0]
                held[self.codes[docs]] = True
            signals.append(held)
        for kind in RARITY_KINDS:
            held = np.zeros(count, dtype=bool)
            docs = np.flatnonzero(stats.mask("kind", kind) & (self.codes >= 0))
            held[self.codes[docs]] = True
            signals.append(held)
        return np.mean(signals, axis=0) if signals else np.zeros(count)

    def _frequency(self, reader, stats: GenerationStats) -> dict[int, tuple[float, str]]:
        """What an article's "how common" section says, when it gives a figure ("1 in 100,000")."""
        found: dict[int, tuple[float, str]] = {}
        for docnum in np.flatnonzero(stats.mask("kind", "frequency") & (self.codes >= 0)):
            code = int(self.codes[docnum])
            if code in found:
                continue
            statement = frequency_statement(reader.stored_fields(int(docnum)).get("body", ""))
            if statement:
                found[code] = statement
        return found

    def names(self, reader) -> dict[tuple[str, ...], int]:
        """Every article's title and other names, analysed: which word runs name a condition."""
        if self._names is None:
            self._read_names(reader)
        return self._names

    def name_codes(self, reader) -> dict[tuple[str, ...], tuple[int, ...]]:
        """Each title or other name with every article that bears it (several sources may publish
        a page on one condition); ``name_starts`` holds the same names by their first word."""
        if self._names is None:
            self._read_names(reader)
        return self._name_codes

    def phrases(self, reader) -> dict[str, tuple[tuple[str, ...], ...]]:
        """Every condition name of two words or more (a title's bracketed other name apart: "Hay
        fever (allergic rhinitis)" gives both), by each of its words: where a word on a page may
        be part of a name ("anyone with hay fever") rather than a sign (``kb.search.evidence``)."""
        if self._phrases is None:
            found: dict[str, set[tuple[str, ...]]] = {}
            for docnum in self.first_doc:
                fields = reader.stored_fields(int(docnum))
                for name in [fields.get("title", "")] + (fields.get("aliases") or "").split("; "):
                    for part in _NAME_PARTS.split(name):
                        words = tuple(terms_of(part))
                        if len(words) >= 2:
                            for word in set(words):
                                found.setdefault(word, set()).add(words)
            self._phrases = {word: tuple(sorted(names)) for word, names in found.items()}
        return self._phrases

    def _read_names(self, reader) -> None:
        names: dict[tuple[str, ...], int] = {}
        bearers: dict[tuple[str, ...], set[int]] = {}
        in_titles: dict[str, set[int]] = {}
        for code, docnum in enumerate(self.first_doc):
            fields = reader.stored_fields(int(docnum))
            for name in [fields.get("title", "")] + (fields.get("aliases") or "").split("; "):
                words = tuple(terms_of(name))
                if words:
                    names.setdefault(words, code)
                    bearers.setdefault(words, set()).add(code)
                for word in words:
                    in_titles.setdefault(word, set()).add(code)
        self._name_codes = {words: tuple(sorted(codes)) for words, codes in bearers.items()}
        starts: dict[str, list[tuple[str, ...]]] = {}
        for words in self._name_codes:
            starts.setdefault(words[0], []).append(words)
        self.name_starts = starts
        # A word found in the names of very few articles ("pachygyria") names them on its own.
        for word, codes in in_titles.items():
            if len(codes) <= NAMING_WORD_ARTICLES and len(word) >= 5:
                names.setdefault((word,), min(codes))
        self._names = names

    def article_terms(self, searcher, code: int
                      ) -> tuple[tuple[tuple[str, float], ...], float, tuple[tuple[str, ...], ...]]:
        """An article's most frequent analysed body words (from its first ``FEEDBACK_CHARS``: where a
        page says what the condition is and how it shows), each counted with its section's kind
        weight; the count of all its words; and the other articles' names it mentions there."""
        found = self.terms.get(code)
        if found is None:
            counts: dict[str, float] = {}
            mentioned: dict[tuple[str, ...], None] = {}
            bearers = self.name_codes(searcher.reader())
            starts = self.name_starts
            budget = FEEDBACK_CHARS
            for docnum in self.sections(code):
                if budget <= 0:
                    break
                weight = float(self.kind_weight[docnum])
                body = searcher.stored_fields(int(docnum)).get("body", "")[:budget]
                budget -= len(body)
                words = terms_of(body)
                for at, word in enumerate(words):
                    counts[word] = counts.get(word, 0.0) + weight
                    for name in starts.get(word, ()):  # another article's name starts here?
                        if tuple(words[at:at + len(name)]) == name and code not in bearers[name]:
                            mentioned[name] = None
            # Kept small: the most frequent words only (what can be lent), as a tuple, not a dict.
            kept = tuple(sorted(((w, tf) for w, tf in counts.items() if len(w) >= 3 and not w.isdigit()),
                                key=lambda pair: -pair[1])[:FEEDBACK_KEPT])
            found = (kept, sum(counts.values()) or 1.0, tuple(mentioned))
            if len(self.terms) >= TERMS_CACHE:
                self.terms.pop(next(iter(self.terms)))
            self.terms[code] = found
        return found

    def listed_fields(self, searcher, docnum: int) -> dict:
        """The stored fields a listed result shows (``LISTED``), cached: a description's results list
        a hundred sections, and reading one decompresses its whole text (a fifth of its time)."""
        found = self.fields.get(docnum)
        if found is None:
            found = {name: value for name, value in searcher.stored_fields(docnum).items() if name in LISTED}
            if len(self.fields) >= FIELDS_CACHE:
                self.fields.pop(next(iter(self.fields)))
            self.fields[docnum] = found
        return found

    def title(self, searcher, code: int) -> str:
        if code not in self.titles:
            self.titles[code] = searcher.stored_fields(int(self.first_doc[code])).get("title", "")
        return self.titles[code]


_ONE_IN = re.compile(r"\b(?:about |approximately |an estimated |roughly |around )?(?:1|one) in (\d{1,3}(?:,\d{3})+|\d+)"
                     r"(?: (million|thousand))?", re.IGNORECASE)
RARE_BELOW = 1 / 2000   # fewer than 1 person in 2,000: the European definition of a rare disease
RARE_SIGNALS = 0.4      # share of RARITY_WORDS/RARITY_KINDS an article must hold to be labelled rare


def frequency_statement(text: str) -> tuple[float, str] | None:
    """The first "1 in N" figure of a text, as (share of people, the words as written)."""
    match = _ONE_IN.search(text[:4000])
    if not match:
        return None
    number = float(match.group(1).replace(",", "")) * {"million": 1e6, "thousand": 1e3}.get(
        (match.group(2) or "").lower(), 1)
    return (1 / number if number else 1.0), match.group(0).strip()


def rarity_of(table: "ArticleTable", prevalence: dict[str, str]) -> np.ndarray:
    """Each article's rarity (0–1): what its source's librarians say ("rare", "common" in
    sources.toml) wins over what the page's own words suggest."""
    if not prevalence:
        return table.rarity
    said = np.array([{"rare": 1.0, "common": 0.0}.get(prevalence.get(label, ""), -1.0)
                     for label in table.source_labels] + [-1.0])[table.source]
    return np.where(said >= 0, said, table.rarity)


def rarity_note(table: "ArticleTable", code: int, prevalence: dict[str, str] | None = None) -> str:
    """"rare condition", with the article's own figure when it gives one; "" for a common one."""
    source = int(table.source[code])
    said = (prevalence or {}).get(table.source_labels[source] if source >= 0 else "", "")
    if said:
        return "rare condition (its source publishes rare-disease pages)" if said == "rare" else ""
    statement = table.frequency.get(code)
    if statement is not None:
        share, words = statement
        return f"rare condition ({words} people)" if share < RARE_BELOW else ""
    return "rare condition" if table.rarity[code] >= RARE_SIGNALS else ""


_TABLES: "weakref.WeakKeyDictionary[GenerationStats, ArticleTable]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def article_table(reader, stats: GenerationStats) -> ArticleTable:
    """The generation's table, built on first use (once per generation and process)."""
    with _LOCK:
        table = _TABLES.get(stats)
        if table is None:
            table = _TABLES[stats] = ArticleTable(reader, stats)
        return table


def concepts_of(items: list[Item], expand: bool = True, synonyms: Synonyms = EMPTY) -> list[Searched]:
    """One concept per distinct kept word, one per synonym group and one per HPO phenotype
    named (their other names, at a lower weight)."""
    searched: list[Searched] = []
    seen_words: set[str] = set()
    seen_phenotypes: set[str] = set()
    for number, item in enumerate(items):
        item.also = []
        if item.negated:
            continue
        for word in item.words:
            if word not in seen_words:
                seen_words.add(word)
                searched.append(Searched([((word,), 1.0)], number, word))
        if not expand:
            continue
        grouped, _also = synonyms.concepts(item.words)
        curated: set[str] = set()  # words a synonym group already explains: the librarians' vocabulary wins
        for concept in grouped:
            others = [(a.words, a.weight) for a in concept.alternatives[1:]]
            if others:
                curated.update(concept.alternatives[0].words)
                label = synonyms.written_as(others[0][0])
                searched.append(Searched(others[:MAX_EXPANSIONS], number, label, expansion=True))
                item.also.append(label)
        item.phenotypes = [m for m in item.phenotypes if not set(item.words[m.start:m.stop]) <= curated]
        spans: set[tuple[int, int]] = set()
        for match in item.phenotypes:
            if match.phenotype.id in seen_phenotypes or (match.start, match.stop) in spans:
                continue
            seen_phenotypes.add(match.phenotype.id)
            spans.add((match.start, match.stop))
            written = tuple(item.words[match.start:match.stop])
            alternatives = []
            for name in match.phenotype.names:
                words = hpo_vocabulary().analysed.get(name, ())
                if words and words != written and (words, EXPANSION_WEIGHT) not in alternatives \
                        and not set(words) <= set(item.words):
                    alternatives.append((words, EXPANSION_WEIGHT))
                if len(alternatives) >= MAX_EXPANSIONS:
                    break
            if alternatives:
                searched.append(Searched(alternatives, number, match.phenotype.name, expansion=True))
    return searched


def section_scores(table: "ArticleTable", stats: GenerationStats, reader, concept: Searched) -> tuple[np.ndarray, np.ndarray]:
    """Best alternative per section: (sections, scores)."""
    def postings(word: str):
        return table.word_scores(reader, stats, word)

    parts_ids, parts_values = [], []
    for words, weight in concept.alternatives:
        ids, values = postings(words[0])
        values = values.astype(np.float64)
        for word in words[1:]:
            other_ids, other_values = postings(word)
            ids, here, there = np.intersect1d(ids, other_ids, assume_unique=True, return_indices=True)
            values = values[here] + other_values[there]
        if len(ids):
            parts_ids.append(ids)
            parts_values.append(values * weight)
    if not parts_ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    if len(parts_ids) == 1:
        return parts_ids[0], parts_values[0]
    ids = np.concatenate(parts_ids)
    values = np.concatenate(parts_values)
    order = np.lexsort((-values, ids))
    ids, values = ids[order], values[order]
    first = np.concatenate(([True], ids[1:] != ids[:-1]))
    return ids[first], values[first]


def rank_articles(searcher, stats: GenerationStats, items: list[Item], *, limit: int = 10, expand: bool = True,
                  coverage: bool = True, rarity: bool = True, variants: bool = True, feedback: bool = True,
                  mentions: bool = True, echoes: bool = True, synonyms: Synonyms = EMPTY,
                  prevalence: dict[str, str] | None = None) -> Ranked:
    """Articles best first for the understood ``items``: each article's body evidence, scaled by
    the share of signs it holds and by how common it is, then looked at again with the words the
    best of them share (feedback) and the conditions they name (``kb.search.mentions``), pages that
    only repeat one of the reader's signs weighed less (echoes). The switches exist for ablation."""
    reader = searcher.reader()
    table = article_table(reader, stats)
    count = len(table.ids)
    concepts = concepts_of(items, expand, synonyms)
    total = np.zeros(count)
    for concept in concepts:
        if variants and not concept.expansion:
            (word,), weight = concept.alternatives[0]
            concept.alternatives += [((form,), VARIANT_WEIGHT) for form in table.forms(word)[1:]]
        per_article = np.zeros(count)
        for words, weight in concept.alternatives:
            found = [table.word_article_scores(reader, stats, word) for word in words]
            codes, values = found[0]
            for other_codes, other_values in found[1:]:
                codes, here, there = np.intersect1d(codes, other_codes, assume_unique=True, return_indices=True)
                values = values[here] + other_values[there]
            np.maximum.at(per_article, codes, values * weight)
        total += per_article
    # Each sign's share per article: held when one section holds most of it (the symptoms page's ✓).
    shares = {item: article_share(table, section_share(table, reader, stats, [c for c in concepts if c.item == item]))
              for item in sorted({c.item for c in concepts})}
    if coverage and shares:
        total *= COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * np.mean(list(shares.values()), axis=0) ** COVERAGE_POWER
    if rarity:
        total /= 1 + RARITY_WEIGHT * rarity_of(table, prevalence or {})
    if feedback and total.any():
        searched = {word for concept in concepts for words, _weight in concept.alternatives for word in words}
        lent = feedback_scores(searcher, reader, stats, table, total, searched)
        if lent.any():
            total = np.where(total > 0, (1 - FEEDBACK_WEIGHT) * total / total.max()
                             + FEEDBACK_WEIGHT * lent / lent.max(), 0.0)
    namers: dict[int, list[int]] = {}
    if mentions and total.any():
        votes, namers = named_scores(searcher, reader, stats, table, total)
        if votes.any():
            total = np.where(total > 0, (1 - MENTION_WEIGHT) * total / total.max()
                             + MENTION_WEIGHT * votes / votes.max(), 0.0)
    echoed = echoed_signs(reader, table, items) if echoes else set()
    for code in echoed:
        total[code] *= ECHO_WEIGHT
    candidates = distinct_conditions(searcher, table, total, limit)
    also = list(dict.fromkeys(c.label for c in concepts if c.expansion))
    held = {int(c): [item for item, share in shares.items() if share[c] >= COVERED] for c in candidates}
    named_by = {int(c): distinct_titles(table.title(searcher, namer) for namer in namers[int(c)])
                for c in candidates if int(c) in namers}
    return Ranked([(table.ids[c], table.title(searcher, int(c)), float(total[c])) for c in candidates], also,
                  codes=[int(c) for c in candidates], concepts=concepts, held=held, shares=shares, named_by=named_by,
                  echoed={int(c) for c in candidates if int(c) in echoed})


def echoed_signs(reader, table: "ArticleTable", items: list[Item]) -> set[int]:
    """Articles whose title or other name is a sign the reader told among others ("Rashes",
    "Headache", "Chest Pain" for a story of a rash, a headache and a fever): all of the name's words
    are the reader's and the HPO names a sign so. Such a page tells what the reader already said,
    not what could explain it together; it is not dropped, only weighed less."""
    wanted = [item for item in items if not item.negated]
    if len(wanted) < ECHO_MIN_SIGNS:
        return set()
    said = {word for item in wanted for word in item.words}
    codes_of = table.name_codes(reader)
    starts = table.name_starts
    vocabulary = hpo_vocabulary()
    echoed: set[int] = set()
    for word in said:
        for name in starts.get(word, ()):
            if set(name) <= said and vocabulary.names_a_sign(name):
                echoed.update(codes_of[name])
    return echoed


def title_key(title: str) -> str:
    """What makes two titles one condition's name: case and spacing aside."""
    return " ".join(title.casefold().split())


def distinct_titles(titles) -> list[str]:
    """The titles in order, each name once whatever its case ("Intrahepatic cholestasis of pregnancy"
    from two sources)."""
    first: dict[str, str] = {}
    for title in titles:
        first.setdefault(title_key(title), title)
    return list(first.values())


def distinct_conditions(searcher, table: "ArticleTable", total: np.ndarray, limit: int) -> np.ndarray:
    """The best ``limit`` articles with a score, one per condition name: several sources may publish a
    page on one condition ("Heart Attack" three times), and the reader wants ten conditions, not
    one condition three times; the best-scored page of a name stands for it."""
    scored = np.flatnonzero(total > 0)
    depth = min(len(scored), 3 * limit)  # copies are few: three times the limit is plenty to fill it
    if len(scored) > depth:
        scored = scored[np.argpartition(-total[scored], depth - 1)[:depth]]
    chosen, names = [], set()
    for code in scored[np.argsort(-total[scored], kind="stable")]:
        name = title_key(table.title(searcher, int(code))) or table.ids[code]
        if name not in names:
            names.add(name)
            chosen.append(code)
            if len(chosen) == limit:
                break
    return np.array(chosen, dtype=np.int64)


def feedback_scores(searcher, reader, stats: GenerationStats, table: "ArticleTable", total: np.ndarray,
                    searched: set[str]) -> np.ndarray:
    """Each article's BM25 for the words the best-scored articles share, beyond those searched:
    each of the first ``FEEDBACK_ARTICLES`` lends its words in proportion to its score and their
    share of its text; a word's weight is that times its rarity across sections."""
    count = len(table.ids)
    best = np.argsort(-total, kind="stable")[:min(FEEDBACK_ARTICLES, int(count * FEEDBACK_SHARE))]
    best = best[total[best] > 0]
    lent: dict[str, float] = {}
    shares = total[best] / total[best].sum()
    for code, share in zip(best, shares):
        counts, length, _named = table.article_terms(searcher, int(code))
        for word, tf in counts:
            if word not in searched:
                lent[word] = lent.get(word, 0.0) + float(share) * tf / length
    weighted = []
    sections = stats.live_count or 1
    for word, weight in sorted(lent.items(), key=lambda pair: -pair[1])[:5 * FEEDBACK_WORDS]:
        frequency = table.held_by(reader, word)
        if frequency >= 2:  # a word of one section only describes that page, not a sign
            weighted.append((weight * math.log(1 + sections / frequency), word))
    chosen = sorted(weighted, reverse=True)[:FEEDBACK_WORDS]
    scores = np.zeros(count)
    whole = sum(weight for weight, _word in chosen) or 1.0
    for weight, word in chosen:
        codes, values = table.word_article_scores(reader, stats, word)
        scores[codes] += values * weight / whole
    return scores


def section_share(table, reader, stats, concepts: list[Searched]) -> np.ndarray:
    """Per section, the share of a symptom it holds: its words weighted by rarity (rare words
    weigh more), or all of it when the section names one of the symptom's other names."""
    words = [c for c in concepts if not c.expansion]
    present = [sections_holding(table, reader, stats, c) for c in words]
    weights = [math.log(1 + stats.live_count / max(1, int(p.sum()))) for p in present]
    whole = sum(weights)
    share = (np.sum([w * p for w, p in zip(weights, present)], axis=0) / whole) if whole else np.zeros(stats.doc_count)
    for expansion in (c for c in concepts if c.expansion):
        share = np.where(sections_holding(table, reader, stats, expansion), 1.0, share)
    return share


def sections_holding(table, reader, stats, concept: Searched) -> np.ndarray:
    """Which sections hold a concept (any of its alternatives, all of its words)."""
    held = np.zeros(stats.doc_count, dtype=bool)
    for words, _weight in concept.alternatives:
        found = np.ones(stats.doc_count, dtype=bool)
        for word in words:
            mask = np.zeros(stats.doc_count, dtype=bool)
            mask[table.word_scores(reader, stats, word)[0]] = True
            found &= mask
        held |= found
    return held


def article_share(table: "ArticleTable", share: np.ndarray) -> np.ndarray:
    """Per article, its best section's share of a sign: an article covers a sign when one of its
    sections holds most of it (its words together, or one of its other names); words scattered
    over an article do not."""
    if not len(table.ids):
        return np.zeros(0)
    return np.maximum.reduceat(share[table.order], table.starts[:-1])


def named_conditions(reader, stats: GenerationStats, words: list[str], longest: int = 8) -> list[tuple[str, ...]]:
    """The runs of ``words`` that are an article's title or other name ("ewing sarcoma")."""
    names = article_table(reader, stats).names(reader)
    return [tuple(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + longest) + 1)
            if tuple(words[i:j]) in names]


def section_evidence(searcher, stats: GenerationStats, concepts: list[Searched]) -> np.ndarray:
    """Every section's evidence for the searched concepts (each concept's best alternative,
    summed; symptoms and overview sections weigh more): which part of an article to show."""
    reader = searcher.reader()
    table = article_table(reader, stats)
    total = np.zeros(stats.doc_count)
    for concept in concepts:
        ids, values = section_scores(table, stats, reader, concept)
        total[ids] += values
    return total * table.kind_weight
