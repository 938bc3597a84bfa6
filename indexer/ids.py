"""Article ids: the file's name (or, for a page of a web archive, the end of its address) as a
slug, made unique; kept for the page's whole life."""

from __future__ import annotations

from indexer.extract import article_id_for, article_id_for_url
from indexer.load import PageFile


def allocate_id(page: PageFile, used: set[str]) -> str:
    """A new id for ``page`` that no other article holds (the name, then the source-prefixed
    name, then numbered), added to ``used``."""
    article_id = article_id_for_url(page.fetch.url) if page.fetch and page.fetch.url else article_id_for(page.path)
    if article_id in used:
        article_id = f"{page.source.id}-{article_id}"
    base, n = article_id, 2
    while article_id in used:
        article_id, n = f"{base}-{n}", n + 1
    used.add(article_id)
    return article_id
