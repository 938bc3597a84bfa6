"""What librarians ask of the corpus: the report, duplicates, freshness, status, the source registry's figures."""
