"""The Whoosh schema: one document per article section.

Bump SCHEMA_VERSION whenever a field or an analyzer changes: an index built with
another version is refused with a request to rebuild it.
"""

from __future__ import annotations

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.filters import STOP_WORDS
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

SCHEMA_VERSION = 4

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


def text_analyzer():
    """Tokenise on letters and digits only (so ``*``, quotes and colons never reach a term),
    fold accents, lower-case, drop stop words, and stem English words."""
    return (
        RegexTokenizer(r"[^\W_]+")
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=STOPWORDS, minsize=1)  # keep "2" in "type 2 diabetes"
        | StemFilter(lang="en", cachesize=50000)
    )


def spelling_analyzer():
    """Words as written (lower-cased, accents folded, not stemmed): the vocabulary that
    "did you mean" suggestions are drawn from."""
    return RegexTokenizer(r"[^\W\d_]{3,}") | LowercaseFilter() | CharsetFilter(accent_map)


def build_schema() -> Schema:
    """Return the schema; boosts make a word in a title or heading count above one in the body."""
    analyzer = text_analyzer()
    return Schema(
        section_id=ID(stored=True, unique=True),  # "<article_id>#<anchor>", the unit of search
        article_id=ID(stored=True),               # groups sections back into articles
        title=TEXT(analyzer=analyzer, stored=True, field_boost=3.0),
        heading=TEXT(analyzer=analyzer, stored=True, field_boost=2.0),
        aliases=TEXT(analyzer=analyzer, stored=True),  # other names of the subject, weighted like the title
        body=TEXT(analyzer=analyzer, stored=True),  # stored for snippets and the article page
        spell=TEXT(analyzer=spelling_analyzer(), phrase=False),  # unstemmed words, for typo correction
        kind=ID(stored=True),                       # overview, symptoms, … (filter and facet)
        source=ID(stored=True),
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
