"""Plain data passed between the indexer, the search core and the web app.

``extraction`` is what the indexer makes of a page; ``results`` is what search returns.
"""

from kb.model.extraction import KIND_LABELS, SECTION_KINDS, TRUST_LEVELS, Article, Dropped, Section, Source
from kb.model.reading import READING_LABELS, READING_LEVELS, reading_level, reading_of
from kb.model.results import ArticleGroup, Hit, SearchPage

__all__ = ["KIND_LABELS", "READING_LABELS", "READING_LEVELS", "SECTION_KINDS", "TRUST_LEVELS", "Article",
           "ArticleGroup", "Dropped", "Hit", "SearchPage", "Section", "Source", "reading_level", "reading_of"]
