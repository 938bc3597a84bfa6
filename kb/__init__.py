"""The health knowledge base's core: settings, models, the index on disk, and search.

``kb.search("eyelid twitching")`` answers a query against the configured index.
"""

from kb.config import Settings
from kb.models import Article, Hit, SearchPage, Section, Source
from kb.query import search

__all__ = ["Article", "Hit", "SearchPage", "Section", "Settings", "Source", "search"]
