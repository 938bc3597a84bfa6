"""The health knowledge base's core: settings, models, the index on disk, and search.

``kb.search("eyelid twitching")`` answers a query against the configured index.
"""

from kb.config import Settings
from kb.models import Article, Hit, SearchPage, Section, Source


def __getattr__(name: str):
    # ``kb.search`` loads the search stack (numpy, Whoosh) only when used: `kb index` does not need it.
    if name == "search":
        from kb.query import search
        return search
    raise AttributeError(f"module 'kb' has no attribute {name!r}")


__all__ = ["Article", "Hit", "SearchPage", "Section", "Settings", "Source", "search"]
