"""Search for a reader who describes what they feel instead of naming a condition.

"For two weeks my knees ache and I've had a fever, no rash" is read by ``kb.search.describe``
into the signs it names (story dropped, negation kept), the conditions whose articles describe
those signs are ranked as whole articles (``kb.search.conditions``), and each shows its sections
that hold most of the description. The page carries what was understood, so the reader can see
and remove it, and why each condition ranks where it does.
"""

from __future__ import annotations

import re


from kb.corpus_config.synonyms import Synonyms
from kb.corpus_config.vocabulary import hpo_vocabulary
from kb.model import SearchPage
from kb.index.schema import terms_of
from kb.search.conditions import article_table, named_conditions, rank_articles, rarity_note, section_evidence
from kb.index.schema import fold
from kb.search.describe import Item, is_description, sign_words, understand
from kb.search.evidence import RESCORED, Passages, ordered, rescored
from kb.search.spelling import correct, misspelt
from kb.search.snippets import snippet

MAX_CORRECTED_CHARS = 200  # a part longer than this is not spell-checked (bounds the work)
MAX_CORRECTED_PARTS = 3    # parts with unknown words looked up per description: each lookup walks the vocabulary
ONLY_NEGATED = ("You told us only what you do not have. Add what you do feel — for example "
                "“headache and a stiff neck” — to find conditions that fit.")


# Words that ask for information about something (anywhere in a story, not only at its start).
_ASKS = re.compile(r"\b(?:what (?:is|are)|how (?:is|are|do|does|can)|tell me|explain|information (?:about|on)|"
                   r"overview|(?:want|wanted|would like|like) to (?:ask|know|understand|learn))\b", re.IGNORECASE)


def reads_as_description(searcher, stats, text: str) -> bool:
    """A description of what the reader feels, not a question about a condition they name.

    A long question that names an article and asks something of it ("my mother was told she has
    ewing sarcoma… what are the treatments?") is answered by normal search, which finds the named
    article and the kind of section asked for. A story that only names signs some articles are
    about ("chest pain", "headache") and asks nothing is a description.
    """
    if not is_description(text):
        return False
    asks = "?" in text or bool(_ASKS.search(text))
    return not (asks and named_conditions(searcher.reader(), stats, terms_of(text)))


def understood_items(text: str, synonyms: Synonyms, drop: tuple[str, ...] = (), reader=None) -> list[Item]:
    """The description's understood parts, without the ones the reader removed; with ``reader``,
    words the index has never seen are corrected from its vocabulary ("vomitting")."""
    removed = {part.casefold().strip() for part in drop}
    items = [item for item in understand(text, hpo_vocabulary(), synonyms.joined_terms)
             if item.text.casefold().strip() not in removed]
    if reader is not None:
        correct_items(items, reader, synonyms)
    return items


def correct_items(items: list[Item], reader, synonyms: Synonyms) -> dict[str, str]:
    """Correct each part's misspelt words in place; return {part as written: as searched}."""
    corrected = {}
    budget = MAX_CORRECTED_PARTS
    for item in items:
        if len(item.text) > MAX_CORRECTED_CHARS or not budget:
            continue
        if not misspelt(item.text, reader, synonyms, fold):
            continue  # every word is known: nothing to look up
        budget -= 1
        suggestion = correct(item.text, reader, synonyms, fold)
        if suggestion:
            corrected[item.text] = suggestion
            item.words = sign_words(suggestion) or item.words
            item.phenotypes = hpo_vocabulary().match(item.words)
    return corrected


def description_page(searcher, stats, synonyms: Synonyms, cleaned: str, *, limit: int, filters: dict,
                     per_article: int, snippets: tuple[int, int],
                     drop: tuple[str, ...] = (), only_negations: bool = False,
                     prevalence: dict[str, str] | None = None) -> SearchPage | None:
    """The results for a description, or None when nothing in it names a sign (normal search then).
    With ``only_negations`` (a short query that negates something) only a query made of nothing
    but negated signs ("no fever, no cough") is answered here, with a plain message."""
    items = understood_items(cleaned, synonyms, drop, searcher.reader())
    if not items or (only_negations and not all(item.negated for item in items)):
        return None
    if all(item.negated for item in items):
        return SearchPage(query=cleaned, total=0, results=[], **filters, message=ONLY_NEGATED,
                          understood=[item.to_dict() for item in items], description=True)
    from kb.search.query import facet_counts, hit_of

    ranked = rank_articles(searcher, stats, items, limit=limit, synonyms=synonyms, prevalence=prevalence)
    understood = [item.to_dict() for item in items]  # after ranking: it names what was searched
    evidence = section_evidence(searcher, stats, ranked.concepts)
    matched = evidence > 0
    facets = facet_counts(stats, matched)
    allowed = stats.where(**filters)
    table = article_table(searcher.reader(), stats)
    words = list(dict.fromkeys(w for c in ranked.concepts for words, _weight in c.alternatives for w in words))
    wanted = sum(1 for item in items if not item.negated)
    passages = Passages(searcher, stats, table, items, ranked.concepts)  # a sign is held where its text shows it
    listed = []  # (article id, score, code, sections the filters allow), best first
    for (article_id, _title, score), code in zip(ranked.articles, ranked.codes):
        docs = [int(d) for d in table.sections(code) if allowed[d]]
        if docs:
            listed.append((article_id, score, code, docs))
    # The first RESCORED articles, whatever page is asked (so pages agree), are ordered again by the
    # signs their passages show (``kb.search.evidence.rescored``); each article whose passages are
    # shown has its signs read there too.
    first, last = snippets
    held_of = {}
    for article_id, score, code, docs in listed[:RESCORED] + listed[first:last]:
        if code not in held_of:
            read = ordered(table.sections(code), evidence)
            held_of[code] = [item for item in ranked.held.get(code, [])
                             if passages.first_showing(item, read) is not None]
    first_ten = [(article_id, rescored(score, len(held_of[code]), len(ranked.held.get(code, [])), wanted), code, docs)
                 for article_id, score, code, docs in listed[:RESCORED]]
    listed[:RESCORED] = sorted(first_ten, key=lambda article: -article[1])
    hits, explained = [], {}
    for position, (article_id, score, code, docs) in enumerate(listed):
        best = sorted(docs, key=lambda d: (-evidence[d], d))[:per_article]
        shown = [d for d in best if evidence[d] > 0] or best[:1]
        top = max(evidence[d] for d in shown) or 1.0
        highlighted = first <= position < last
        for docnum in shown:
            fields = searcher.stored_fields(docnum) if highlighted else table.listed_fields(searcher, docnum)
            marked = snippet(fields, words) if highlighted else ""
            hits.append(hit_of(fields, score * evidence[docnum] / top, marked))
        held = held_of.get(code, ranked.held.get(code, []))
        explained[article_id] = {
            "covered": len(held), "of": wanted,
            "signs": [items[i].text for i in held],
            "rare": rarity_note(table, code, prevalence),
            "named_by": ranked.named_by.get(code, []),
            "about_a_sign": code in ranked.echoed,
        }
        if len(hits) >= limit:
            break
    message = "" if hits else "No article describes these signs. Try other words for them, or fewer at a time."
    return SearchPage(query=cleaned, total=int((matched & allowed).sum()), results=hits[:limit], **filters,
                      facets=facets, also_searched=ranked.also_searched, message=message,
                      understood=understood, description=True, explanations=explained)
