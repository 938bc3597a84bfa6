"""Find the corpus's pages, in sorted order, each with the source it belongs to."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from indexer.extract import MAX_PAGE_BYTES
from kb.config import is_page_file
from kb.models import Source
from kb.sources import load_sources, source_for


@dataclass(frozen=True)
class PageFile:
    """A corpus file to index."""

    path: Path
    relative: str  # corpus-relative, with forward slashes: shown to editors and stored in the index
    source: Source


@dataclass(frozen=True)
class Skipped:
    """A corpus file that was not indexed, and why."""

    relative: str
    reason: str


def walk_corpus(corpus: Path) -> Iterator[PageFile]:
    """Yield every page file under ``corpus`` in sorted order (so builds are deterministic).

    Hidden files and folders are ignored; symbolic links are followed only when
    they stay inside the corpus.
    """
    corpus = corpus.resolve()
    sources = load_sources(corpus)
    found: list[str] = []
    for folder, dirs, files in os.walk(corpus):  # os.walk, not rglob: ~10× cheaper at 10,000 files
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        base = os.path.relpath(folder, corpus)
        for name in files:
            relative = name if base == "." else f"{base}/{name}".replace(os.sep, "/")
            if is_page_file(PurePosixPath(relative)) and os.path.isfile(os.path.join(folder, name)):
                found.append(relative)
    by_folder: dict[str, Source] = {}  # a file's source depends only on its folder
    for relative in sorted(found, key=lambda text: text.split("/")):  # the order of sorted Paths
        folder = relative.rpartition("/")[0]
        if folder not in by_folder:
            by_folder[folder] = source_for(PurePosixPath(folder, "page"), sources)
        yield PageFile(path=corpus / relative, relative=relative, source=by_folder[folder])


def read_page(page: PageFile, corpus: Path, max_bytes: int = MAX_PAGE_BYTES) -> bytes:
    """Read a page's bytes, refusing files outside the corpus and files over the size limit."""
    real = page.path.resolve()
    if not real.is_relative_to(corpus.resolve()):
        raise ValueError("links outside the corpus folder")
    size = real.stat().st_size
    if size > max_bytes:
        raise ValueError(f"file is {size:,} bytes, over the {max_bytes:,}-byte page limit (--max-page-bytes)")
    with open(real, "rb") as handle:  # read no more than the limit, even if the file grows meanwhile
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"file grew past the {max_bytes:,}-byte page limit while being read")
    return data
