"""Settings shared by the CLI, the indexer and the web app.

Precedence, lowest to highest: built-in defaults < ``KB_*`` environment
variables < explicit arguments (CLI flags or a test mapping). Nothing else in
the project reads ``os.environ``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kb.errors import ConfigError

DEFAULT_DATA_DIR = Path("kb-data")
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt"})
PAGE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES
ARCHIVE_SUFFIXES = (".warc", ".warc.gz")  # web archives: each HTML response recorded in one is a page
# Files at the top of a corpus that configure it rather than hold an article.
CORPUS_CONFIG_FILES = frozenset({"synonyms.txt", "emergency.txt", "readme.txt"})
DEFAULT_RATE_LIMIT = "120/minute"  # searches per client address (per web worker); "off" disables


def shipped_corpus() -> Path:
    """Return the default corpus, from a checkout or from an installed package.

    In a checkout the corpus is the top-level ``corpus/`` folder beside ``kb/``;
    an installed wheel carries the same files as the ``kb/corpus`` data folder.
    """
    checkout = Path(__file__).resolve().parent.parent / "corpus"
    if (checkout / "sources.toml").is_file():
        return checkout
    return Path(str(resources.files("kb") / "corpus"))


@dataclass(frozen=True)
class Settings:
    """Where the corpus is read from and where the index is kept."""

    corpus: Path
    data: Path
    rate_limit: str = DEFAULT_RATE_LIMIT
    admin_user: str = ""            # the librarians' admin area is off unless both are set
    admin_password_hash: str = ""   # a werkzeug hash: `kb admin-hash` makes one
    secret_key: str = ""            # signs admin sessions; a random one kept in the data folder when unset
    zero_results_log: str = ""      # a replica's log of searches that found nothing ("off": none kept)
    proxy_hops: int = 0             # trusted reverse proxies in front (nginx: 1): their X-Forwarded-* are believed
    answer_cache_mb: float = 48     # each web worker's cache of finished answers (0: none)
    warm: bool = False              # web workers score each generation's most common words at start (KB_WARM, on by default)

    @classmethod
    def load(
        cls,
        corpus: str | os.PathLike[str] | None = None,
        data: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        rate_limit: str | None = None,
    ) -> "Settings":
        """Resolve settings: arguments win over ``KB_CORPUS``/``KB_DATA``/``KB_RATE_LIMIT``,
        which win over defaults."""
        env = os.environ if env is None else env
        corpus_dir = corpus or env.get("KB_CORPUS") or shipped_corpus()
        data_dir = data or env.get("KB_DATA") or DEFAULT_DATA_DIR
        limit = rate_limit if rate_limit is not None else env.get("KB_RATE_LIMIT", DEFAULT_RATE_LIMIT)
        return cls(corpus=Path(corpus_dir), data=Path(data_dir), rate_limit=limit,
                   admin_user=env.get("KB_ADMIN_USER", ""), admin_password_hash=env.get("KB_ADMIN_PASSWORD_HASH", ""),
                   secret_key=env.get("KB_SECRET_KEY", ""), zero_results_log=env.get("KB_ZERO_RESULTS_LOG", ""),
                   proxy_hops=parse_proxy_hops(env.get("KB_PROXY_HOPS", "0")),
                   answer_cache_mb=parse_megabytes(env.get("KB_ANSWER_CACHE_MB", "48")),
                   warm=env.get("KB_WARM", "1").strip().lower() not in ("0", "off", "no", "false"))

    @property
    def synonyms_file(self) -> Path:
        """The librarians' synonym groups, kept with the corpus."""
        return self.corpus / "synonyms.txt"

    @property
    def index_dir(self) -> Path:
        """The folder holding index generations and the pointer to the live one."""
        return self.data / "index"


def parse_proxy_hops(text: str | int) -> int:
    """KB_PROXY_HOPS: how many reverse proxies stand in front (0 to 5)."""
    text = str(text)
    if not text.strip().isdigit() or int(text) > 5:
        raise ConfigError(f"KB_PROXY_HOPS={text!r}: the number of reverse proxies in front of the site (0 to 5)")
    return int(text)


def parse_megabytes(text: str | float) -> float:
    """KB_ANSWER_CACHE_MB: a size in megabytes, 0 for none."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = -1.0
    if not 0 <= value <= 4096:
        raise ConfigError(f"KB_ANSWER_CACHE_MB={text!r}: a size in megabytes from 0 (no cache) to 4096")
    return value


SECRET_FILE = "secret_key"


def stored_secret(data: Path) -> str:
    """The data folder's own random session secret, made on first use (mode 0600).

    Written to a temporary file and linked into place, so workers starting together all end
    up with the one that won. Raises OSError when the folder cannot be written (a read-only
    replica): such a server needs ``KB_SECRET_KEY``.
    """
    path = data / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    data.mkdir(parents=True, exist_ok=True)
    tmp = data / f".{SECRET_FILE}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # another worker was first: use its secret
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text(encoding="ascii").strip()


def is_page_file(relative: Path) -> bool:
    """Whether a corpus-relative path names an article page by its name: a page suffix, no
    hidden part, and not one of the corpus's own configuration files."""
    if any(part.startswith(".") for part in relative.parts) or relative.suffix.lower() not in PAGE_SUFFIXES:
        return False
    return not (len(relative.parts) == 1 and relative.name.lower() in CORPUS_CONFIG_FILES)


def is_archive_file(relative: Path) -> bool:
    """Whether a corpus-relative path names a web archive (``.warc`` or ``.warc.gz``), not hidden."""
    return not any(part.startswith(".") for part in relative.parts) and relative.name.lower().endswith(ARCHIVE_SUFFIXES)


def archive_member(relative: str) -> tuple[str, str] | None:
    """Split the corpus path of a page read from a web archive into the archive's path and what
    follows the ``#`` (``archives/site.warc.gz#https://site.example/a`` → ``archives/site.warc.gz``,
    ``https://site.example/a``); None for a file of its own."""
    lowered = relative.lower()
    ends = [at + len(suffix) for suffix in ARCHIVE_SUFFIXES if (at := lowered.find(suffix + "#")) > 0]
    if not ends:
        return None
    end = min(ends)  # the first archive name: an address may itself mention ".warc#"
    return relative[:end], relative[end + 1:]
