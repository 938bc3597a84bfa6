"""Read the corpus's source registry (``sources.toml``) and tell which source a file belongs to."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from kb.errors import ConfigError
from kb.model import TRUST_LEVELS, Source

SOURCES_FILE = "sources.toml"
LOCAL_SOURCE = Source(id="local", name="Local files")
"""Files of a corpus without a registry, or outside every declared folder, belong here."""

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_STRING_KEYS = ("name", "homepage", "licence", "folder", "content_selector", "attribution", "language")
_LIST_KEYS = ("domains", "drop_selectors")
_KNOWN_KEYS = {"id", "date_order", "trust", "review_months", "prevalence", *_STRING_KEYS, *_LIST_KEYS}
PREVALENCES = ("", "rare", "common")
DATE_ORDERS = ("MDY", "DMY")


def load_sources(corpus: Path) -> list[Source]:
    """Return the sources declared in ``corpus/sources.toml`` (none if the file is absent).

    Raises ConfigError naming the file, the source and the key when the file is invalid.
    """
    path = corpus / SOURCES_FILE
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'source' must be a list of [[source]] tables")
    sources: list[Source] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: source #{number}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: must be a table")
        unknown = sorted(set(entry) - _KNOWN_KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key {unknown[0]!r}")
        source_id = entry.get("id")
        if not isinstance(source_id, str) or not _ID_PATTERN.match(source_id):
            raise ConfigError(f"{where}: key 'id' must be lower-case letters, digits and hyphens")
        if source_id in seen:
            raise ConfigError(f"{where}: duplicate id {source_id!r}")
        seen.add(source_id)
        values: dict = {}
        for key in _STRING_KEYS:
            value = entry.get(key, "")
            if not isinstance(value, str):
                raise ConfigError(f"{path}: source {source_id!r}: key {key!r} must be a string")
            values[key] = value.strip()
        for key in _LIST_KEYS:
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: source {source_id!r}: key {key!r} must be a list of strings")
            values[key] = tuple(v.strip() for v in value if v.strip())
        date_order = entry.get("date_order", "MDY")
        if date_order not in DATE_ORDERS:
            raise ConfigError(f"{path}: source {source_id!r}: key 'date_order' must be one of {', '.join(DATE_ORDERS)}")
        trust = entry.get("trust", "trusted")
        if trust not in TRUST_LEVELS:
            raise ConfigError(f"{path}: source {source_id!r}: key 'trust' must be one of {', '.join(TRUST_LEVELS)}")
        prevalence = entry.get("prevalence", "")
        if prevalence not in PREVALENCES:
            raise ConfigError(f"{path}: source {source_id!r}: key 'prevalence' must be \"rare\" or \"common\"")
        review_months = entry.get("review_months", 0)
        if not isinstance(review_months, int) or isinstance(review_months, bool) or not 0 <= review_months <= 600:
            raise ConfigError(f"{path}: source {source_id!r}: key 'review_months' must be a whole number of "
                              "months from 0 (no policy) to 600")
        for key in ("content_selector", "drop_selectors"):
            for selector in [values[key]] if isinstance(values[key], str) else values[key]:
                if selector and not _valid_selector(selector):
                    raise ConfigError(f"{path}: source {source_id!r}: key {key!r}: invalid CSS selector {selector!r}")
        sources.append(Source(
            id=source_id, name=values["name"] or source_id, homepage=values["homepage"], licence=values["licence"],
            folder=values["folder"].strip("/"), domains=tuple(d.lower().removeprefix("www.") for d in values["domains"]),
            content_selector=values["content_selector"], drop_selectors=values["drop_selectors"], date_order=date_order,
            attribution=values["attribution"], trust=trust, language=values["language"].lower(),
            review_months=review_months, prevalence=prevalence,
        ))
    return sources


def _valid_selector(selector: str) -> bool:
    import soupsieve

    try:
        soupsieve.compile(selector)
    except (soupsieve.SelectorSyntaxError, ValueError):
        return False
    return True


def source_for_url(url: str, sources: list[Source]) -> Source | None:
    """The source whose ``domains`` include the address's host (sub-domains count)."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.") if url else ""
    if not host:
        return None
    for source in sources:
        if any(host == domain or host.endswith("." + domain) for domain in source.domains):
            return source
    return None


def source_for(relative_path: Path, sources: list[Source]) -> Source:
    """Return the source whose folder holds the file (the deepest folder wins)."""
    best: Source | None = None
    for source in sources:
        if not source.folder:
            continue
        folder = Path(source.folder)
        if relative_path.parts[: len(folder.parts)] == folder.parts:
            if best is None or len(folder.parts) > len(Path(best.folder).parts):
                best = source
    return best or LOCAL_SOURCE
