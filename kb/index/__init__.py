"""The index on disk: the Whoosh schema, generations (written, published, read), the SQLite catalogue.

Every use of Whoosh's private names lives in ``whoosh_internals``."""
