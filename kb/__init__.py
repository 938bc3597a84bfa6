"""The health knowledge base's core, in rooms:

- ``kb.model``: plain data (what the indexer extracts apart from what search returns);
- ``kb.corpus_config``: what a corpus folder configures (sources, synonyms, red flags);
- ``kb.index``: the schema, index generations and the catalogue;
- ``kb.search``: query, ranking, snippets, symptoms and the results page;
- ``kb.curation``: report, duplicates, freshness, status.

``config`` and ``errors`` serve every room. The core imports nothing from ``indexer`` or ``web``.
"""
