"""Conditions the best-matching pages name.

The page of a condition often says little about what a reader feels, while the pages that fit the
description best name it: a story of itching, fever, dark urine and yellow skin fits the hepatitis
and cirrhosis pages, and every one of them names jaundice; a story of sneezing and a sore throat
fits the flu and bronchitis pages, which name the common cold. So after the first scoring the best
articles vote for the conditions they name — another article's title or other name found in the
first characters of their text (``ArticleTable.article_terms``). A vote weighs the naming article's
share of the best scores and how specific the name is (a name whose words few sections hold counts
more: "pain" is named everywhere, "jaundice" is not), spread over the names that article mentions.

Only the corpus's own titles and names are used, so this works on any folder of pages; and only
articles that hold one of the reader's words are re-ranked, so every condition shown still matches
something the reader wrote. The naming articles are kept, so the page can say why a condition ranks
where it does ("named by pages that fit your description: …").
"""

from __future__ import annotations

import math

import numpy as np

from kb.search.ranking import GenerationStats

# Chosen on the dev narratives over a grid (voters 20/30/40 × weight 0.4/0.5): 30 × 0.4 gave the best
# top-3 that kept top-1; heavier weights lifted top-3 but pushed the best match out of first place.
MENTION_ARTICLES = 30   # best articles that vote
MENTION_SHARE = 0.05    # at most this share of the corpus votes: in a small corpus the best thirty are
                        # most of it, and every page names the few others
MENTION_WEIGHT = 0.4    # the votes' part of the final score (scores and votes each scaled to 1)
MIN_VOTERS = 10         # fewer possible voters than this (a corpus under 200 articles): no vote, since one
                        # page naming the condition it is told apart from would decide alone
SHOWN_NAMERS = 3        # naming articles kept per condition, to explain its rank


def name_weight(table, reader, stats: GenerationStats, name: tuple[str, ...]) -> float:
    """How specific a name is: the inverse share of sections holding its rarest word, read from the
    terms' information alone (no postings)."""
    held = min(table.held_by(reader, word) for word in name)
    return math.log(1 + (stats.live_count or 1) / max(1, held))


def named_scores(searcher, reader, stats: GenerationStats, table, total: np.ndarray
                 ) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Each article's votes from the best-scored articles that name it, and for each article voted
    for, the codes of its heaviest voters (best first)."""
    count = len(table.ids)
    votes = np.zeros(count)
    depth = min(MENTION_ARTICLES, int(count * MENTION_SHARE))
    if depth < MIN_VOTERS:
        return votes, {}
    best = np.argsort(-total, kind="stable")[:depth]
    best = best[total[best] > 0]
    if not len(best):
        return votes, {}
    codes_of = table.name_codes(reader)
    voters: dict[int, list[tuple[float, int]]] = {}
    for code, share in zip(best, total[best] / total[best].sum()):
        named = table.article_terms(searcher, int(code))[2]
        for name in named:
            weight = float(share) * name_weight(table, reader, stats, name) / math.sqrt(len(named))
            for other in codes_of.get(name, ()):
                votes[other] += weight
                voters.setdefault(other, []).append((weight, int(code)))
    return votes, {other: [code for _weight, code in sorted(found, reverse=True)[:SHOWN_NAMERS]]
                   for other, found in voters.items()}
