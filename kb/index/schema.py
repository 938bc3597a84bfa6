"""The Whoosh schema: one document per article section.

Bump SCHEMA_VERSION whenever a field or an analyzer changes: an index built with
another version is refused with a request to rebuild it.
"""

from __future__ import annotations

import re

from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, Token
from whoosh.analysis.filters import STOP_WORDS
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from kb.index import whoosh_internals

SCHEMA_VERSION = 6

# Words that carry no meaning in a reader's question ("what are the symptoms of …").
# Whoosh's English list plus question words and fillers.
STOPWORDS = frozenset(STOP_WORDS) | {
    "what", "whats", "which", "who", "whom", "why", "how", "does", "do", "did", "done",
    "i", "im", "me", "my", "mine", "our", "he", "she", "his", "her", "its", "they", "them", "their",
    "there", "here", "about", "some", "any", "get", "got", "has", "had", "was", "were", "been", "being",
    "should", "would", "could", "might", "must", "shall", "than", "then", "so", "such", "into", "onto",
    "also", "very", "just", "too", "own", "much", "many", "more", "most", "other", "all", "each",
    # Fragments left when the tokenizer splits contractions ("bell's", "don't", "I've").
    "s", "t", "d", "ll", "re", "ve", "m",
}


def fold(text: str) -> str:
    """Replace accented letters by their plain forms, as the analyzer does ("Ménière" → "Meniere")."""
    return text.translate(accent_map)


SPELLING_PATTERN = r"[^\W\d_]{3,}"  # words of three letters or more, no digits
TOKEN_PATTERN = r"[^\W_]+"  # letters and digits only: ``*``, quotes and colons never reach a term


def chained_analyzer():
    """The analysis as Whoosh's filter chain: tokenise on letters and digits, lower-case, fold
    accents, drop stop words (keeping "2" in "type 2 diabetes"), stem English words.
    ``TextAnalyzer`` does the same in one loop; this chain is its reference."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOPWORDS, minsize=1)
        | StemFilter(lang="en", cachesize=50000)
    )


class TextAnalyzer(Analyzer):
    """``chained_analyzer`` fused into one loop, token for token the same.

    Whoosh runs each token through five generators; at ~550,000 tokens for 1,700 sections
    that was a third of index writing. Only the stemmer's cache is shared with the chain.
    """

    def __init__(self):
        self._expression = re.compile(TOKEN_PATTERN)
        self._stemmer = StemFilter(lang="en", cachesize=50000)

    def __eq__(self, other):
        return isinstance(other, TextAnalyzer)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        if not tokenize:  # a whole value as one token: rare (Whoosh's own query paths)
            yield from chained_analyzer()(value, positions=positions, chars=chars, keeporiginal=keeporiginal,
                                          removestops=removestops, start_pos=start_pos, start_char=start_char,
                                          tokenize=False, mode=mode, **kwargs)
            return
        stem = whoosh_internals.cached_stemmer(self._stemmer)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position = None
        for number, match in enumerate(self._expression.finditer(value)):
            text = match.group(0).lower().translate(accent_map)
            if text in STOPWORDS:
                if removestops:
                    continue
                token.stopped = True
                token.text = text
                if positions:
                    token.pos = start_pos + number
            else:
                token.stopped = False
                token.text = stem(text)
                if positions:  # as StopFilter renumbers: no gaps where stop words were
                    position = start_pos + number if position is None else position + 1
                    token.pos = position
            token.boost = 1.0
            if keeporiginal:
                token.original = match.group(0)
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


def text_analyzer() -> TextAnalyzer:
    """The analysis of every searchable field and of every query (see ``chained_analyzer``)."""
    return TextAnalyzer()


_ANALYZER = TextAnalyzer()


def terms_of(text: str) -> list[str]:
    """Analyse text exactly as the index does (tokens, stop words, stems)."""
    return [token.text for token in _ANALYZER(text)]


def terms_with_starts(text: str) -> tuple[list[str], list[int]]:
    """``terms_of`` and where in ``text`` each term's word starts."""
    terms, starts = [], []
    for token in _ANALYZER(text, chars=True):
        terms.append(token.text)
        starts.append(token.startchar)
    return terms, starts


class SpellingAnalyzer(Analyzer):
    """Words as written (three letters or more, lower-cased, accents folded, not stemmed): the
    vocabulary "did you mean" draws from. One loop; the same tokens as Whoosh's
    ``RegexTokenizer(SPELLING_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)``."""

    def __init__(self):
        self._expression = re.compile(SPELLING_PATTERN)

    def __eq__(self, other):
        return isinstance(other, SpellingAnalyzer)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            matches = [(value, 0, len(value))]
        else:
            matches = ((m.group(0), m.start(), m.end()) for m in self._expression.finditer(value))
        for number, (text, start, end) in enumerate(matches):
            token.text = text.lower().translate(accent_map)
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + number
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def spelling_analyzer() -> SpellingAnalyzer:
    return SpellingAnalyzer()


def build_schema() -> Schema:
    """Return the schema; boosts make a word in a title or heading count above one in the body."""
    analyzer = text_analyzer()
    return Schema(
        section_id=ID(stored=True, unique=True),  # "<article_id>#<anchor>", the unit of search
        article_id=ID(stored=True),               # groups sections back into articles
        # No positions (phrase=False): kb reads term frequencies only (a quoted phrase means
        # all its words), and positions made reading a common word's postings 3× slower.
        title=TEXT(analyzer=analyzer, stored=True, field_boost=3.0, phrase=False),
        heading=TEXT(analyzer=analyzer, stored=True, field_boost=2.0, phrase=False),
        aliases=TEXT(analyzer=analyzer, stored=True, phrase=False),  # other names of the subject, weighted like the title
        body=TEXT(analyzer=analyzer, stored=True, phrase=False),  # stored for snippets and the article page
        spell=TEXT(analyzer=spelling_analyzer(), phrase=False),  # unstemmed words, for typo correction
        kind=ID(stored=True),                       # overview, symptoms, … (filter and facet)
        source=ID(stored=True),
        # Reading grade (Flesch–Kincaid) and its band (easy, fairly-easy, difficult: the
        # ``level=`` filter and facet); both absent for a section too short to judge. One
        # indexed term per grade (shift_step=0): nothing asks for ranges of grades yet.
        grade=NUMERIC(numtype=float, stored=True, shift_step=0),
        reading=ID(stored=True),
        anchor=STORED,
        level=STORED,
        number=STORED,                                 # top-level section position in the file
        position=NUMERIC(stored=True, sortable=True),  # reading order inside the article
        url=STORED,                                    # the page's original address
        path=STORED,                                   # corpus-relative file the section came from
        language=STORED,
        published=STORED,
        updated=STORED,
        reviewed=STORED,
        authors=STORED,
        reviewed_by=STORED,
    )
