"""The exceptions the core raises, so callers can tell user mistakes from bugs.

KBError                 base class of everything below.
├── ConfigError         raised when the corpus configuration (e.g. sources.toml) is unreadable or invalid.
├── IndexMissing        raised when no index has been built in the data directory yet.
├── IndexOutdated       raised when the index on disk was built with another schema version.
├── IndexRefused        raised when a finished build is not published (e.g. it holds nothing).
├── IndexBusy           raised when another index run holds the writer lock.
└── ExtractionError     raised when one page cannot be turned into an article; carries the reason.
"""


class KBError(Exception):
    """Base class of the knowledge base's own errors."""


class ConfigError(KBError):
    """Raised when the corpus configuration is unreadable or invalid."""


class IndexMissing(KBError):
    """Raised when no index has been built in the data directory yet."""


class IndexOutdated(KBError):
    """Raised when the index on disk was built with an older schema version."""


class IndexRefused(KBError):
    """Raised when a finished build is not published; the serving index is left as it was."""


class IndexBusy(KBError):
    """Raised when another ``kb index`` is running on the same data folder."""


class ExtractionError(KBError):
    """Raised when a page cannot be turned into an article."""
