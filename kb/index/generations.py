"""Index generations on disk: build a new one beside the live one, then switch atomically.

Layout of ``<data>/index/``::

    CURRENT        name of the live generation (replaced with os.replace: atomic)
    gen-<stamp>/   one complete Whoosh index + articles.json (what it holds) + meta.json

Readers open whatever CURRENT names; a build never touches the live generation,
so a crash mid-build leaves readers on the previous one.
"""

from __future__ import annotations

import base64
import json
import os
import struct
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh import index as whoosh_index

from kb.index import whoosh_internals
from kb.errors import IndexMissing, IndexOutdated, IndexRefused
from kb.index.schema import SCHEMA_VERSION, build_schema

POINTER = "CURRENT"
META = "meta.json"          # build facts: schema version, counts, the generation it replaced
MANIFEST = "articles.json"  # per article: fingerprint of its documents, source, section counts


def current_generation(index_dir: Path) -> Path | None:
    """Return the live generation's folder, or None when nothing was built yet."""
    try:
        name = (index_dir / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = index_dir / name
    return path if name and path.is_dir() else None


def read_meta(generation: Path) -> dict:
    """Return the build facts stored beside a generation (empty if unreadable)."""
    try:
        return json.loads((generation / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def read_manifest(generation: Path, sketches: bool = True) -> dict[str, dict]:
    """What a generation holds, per article id: fingerprint, source, sections, kinds, sketch.
    ``sketches=False`` leaves the sketches packed (the indexer only copies them along)."""
    try:
        manifest = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    for entry in manifest.values() if sketches else ():
        if isinstance(entry.get("sketch"), str):
            entry["sketch"] = _unpack_sketch(entry["sketch"])
    return manifest


# Each article's near-duplicate sketch (64 unsigned 64-bit hashes) is stored packed, as one
# base64 string: as JSON numbers they made a 100,000-section manifest 11 MB and 0.4 s to read
# and write on every run, even a one-page one.
def _pack_sketch(values: list[int]) -> str:
    return base64.b64encode(struct.pack(f"<{len(values)}Q", *values)).decode("ascii")


def _unpack_sketch(text: str) -> list[int]:
    try:
        data = base64.b64decode(text)
        return list(struct.unpack(f"<{len(data) // 8}Q", data[: len(data) // 8 * 8]))
    except (ValueError, struct.error):
        return []


def _packed(manifest: dict[str, dict]) -> dict[str, dict]:
    return {article: {**entry, "sketch": _pack_sketch(entry["sketch"])} if isinstance(entry.get("sketch"), list)
            else entry for article, entry in manifest.items()}


def _counts(manifest: dict[str, dict]) -> dict:
    by_source: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for entry in manifest.values():
        by_source[entry["source"]] = by_source.get(entry["source"], 0) + entry["sections"]
        for kind, count in entry["kinds"].items():
            by_kind[kind] = by_kind.get(kind, 0) + count
    return {"articles": len(manifest), "sections": sum(by_source.values()),
            "by_source": dict(sorted(by_source.items())), "by_kind": dict(sorted(by_kind.items()))}


def write_generation(index_dir: Path, documents: Iterable[dict], manifest: dict[str, dict], meta: dict,
                     base: Path | None = None, remove: Iterable[str] = (),
                     refuse: Callable[[int], str | None] | None = None, procs: int = 1) -> Path:
    """Write a complete new generation and make it live; return its folder.

    Without ``base`` the generation is built from ``documents`` alone. With ``base``
    it starts as a copy of that generation (hard links: Whoosh never rewrites a
    segment file, deletions live in the table of contents), the articles in
    ``remove`` are deleted and ``documents`` added — an incremental update that
    still publishes as one atomic switch. ``manifest`` describes every article the
    new generation holds. ``refuse(sections)`` may return a reason not to publish:
    the build is then deleted and ``IndexRefused`` raised. The live generation is
    untouched until the final ``os.replace`` of the pointer. ``procs`` > 1 analyses a
    full build's documents on that many processes (one segment each).
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    previous = current_generation(index_dir)
    generation = _new_generation_dir(index_dir)
    try:
        if base is not None:
            _link_copy(base, generation)
            ix = whoosh_index.open_dir(str(generation))
        else:
            ix = whoosh_index.create_in(str(generation), build_schema())
        # Plain segment files, not Whoosh's compound ones: a reader opens a compound segment by
        # copying its postings and terms into memory (~1 MB per 1,000 sections, in every worker);
        # plain files are memory-mapped and shared through the page cache.
        if procs > 1 and base is None:
            writer = ix.writer(limitmb=128, procs=procs, multisegment=True, compound=False)
        else:
            writer = ix.writer(limitmb=256, compound=False)
        with whoosh_internals.fast_flush():
            try:
                for article_id in remove:
                    writer.delete_by_term("article_id", article_id)
                for doc in documents:
                    writer.add_document(**doc)
                counts = _counts(manifest)
                if refuse is not None and (reason := refuse(counts["sections"])):
                    raise IndexRefused(reason)
            except BaseException:
                writer.cancel()  # releases the writer's lock and temporary files
                raise
            writer.commit()
        ix.close()
        meta = {**meta, **counts, "schema_version": SCHEMA_VERSION, "built": time.time(),
                "previous": previous.name if previous else None, "incremental": base is not None}
        _write_json(generation / MANIFEST, _packed(manifest))
        _write_json(generation / META, meta)  # written last: a generation without it is unfinished
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    _switch_to(index_dir, generation)
    prune(index_dir)
    return generation


def _new_generation_dir(index_dir: Path) -> Path:
    now = time.time_ns()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now // 1_000_000_000))
    # Names sort in build order; the pid keeps concurrent builds apart.
    generation = index_dir / f"gen-{stamp}-{now % 1_000_000_000:09d}-{os.getpid()}"
    generation.mkdir()
    return generation


def _link_copy(base: Path, target: Path) -> None:
    """Copy a generation's Whoosh files by hard link (a plain copy where links are refused)."""
    for path in base.iterdir():
        if path.name in (META, MANIFEST) or "LOCK" in path.name.upper() or not path.is_file():
            continue
        try:
            os.link(path, target / path.name)
        except OSError:
            shutil.copy2(path, target / path.name)


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    # Compact: with ``indent`` json falls back to its pure-Python encoder (3 s for 100,000 sections' manifest).
    tmp.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)


def _switch_to(index_dir: Path, generation: Path) -> None:
    tmp = index_dir / f"{POINTER}.{os.getpid()}.tmp"
    tmp.write_text(generation.name + "\n", encoding="utf-8")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / POINTER)


def prune(index_dir: Path) -> list[str]:
    """Delete every generation but the live one and the one it replaced (kept for a rollback),
    including unfinished ones left by a killed build. Call only while holding the writer lock."""
    live = current_generation(index_dir)
    if live is None:
        return []
    keep = {live.name, read_meta(live).get("previous")}
    removed = []
    for path in index_dir.glob("gen-*"):
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    for tmp in index_dir.glob(f"{POINTER}.*.tmp"):
        tmp.unlink(missing_ok=True)
    return removed


def rollback(index_dir: Path) -> tuple[Path, Path]:
    """Serve the generation the live one replaced again; return (from, to).

    Call only while holding the writer lock.
    """
    live = check_index(index_dir)
    name = read_meta(live).get("previous")
    target = index_dir / name if name else None
    if target is None or not (target / META).is_file():
        raise IndexRefused(f"no previous generation to roll back to in {index_dir} "
                           "(one is kept after each build; a rollback uses it up)")
    if read_meta(target).get("schema_version") != SCHEMA_VERSION:
        raise IndexRefused(f"the previous generation {name} was built with another schema; "
                           "run `kb index --full` instead")
    problem = verify_generation(target)
    if problem:
        raise IndexRefused(f"the previous generation {name} is damaged ({problem}); the serving index was "
                           "left unchanged")
    meta = read_meta(target)
    meta["previous"] = None  # a second rollback must not flip back to the one abandoned
    _write_json(target / META, meta)
    _switch_to(index_dir, target)
    return live, target


def verify_generation(generation: Path) -> str | None:
    """Open a generation and read every stored document: None when sound, else what is wrong."""
    import gc
    import warnings

    try:
        ix = whoosh_index.open_dir(str(generation))
        try:
            with ix.searcher() as searcher:
                expected = read_meta(generation).get("sections")
                count = sum(1 for _ in searcher.all_stored_fields())
        finally:
            ix.close()
    except Exception as exc:  # noqa: BLE001 - any failure to read means "damaged"
        with warnings.catch_warnings():  # Whoosh leaves a damaged file open: close it quietly
            warnings.simplefilter("ignore", ResourceWarning)
            exc.__traceback__ = None
            gc.collect()
        return f"{exc.__class__.__name__}: {exc}"[:200]
    if expected is not None and count != expected:
        return f"it holds {count} sections, its record says {expected}"
    return None


def check_index(index_dir: Path) -> Path:
    """Return the live generation's folder, or raise if it is missing or of another schema."""
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexMissing(f"no index in {index_dir}: run `kb index` first")
    version = read_meta(generation).get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexOutdated(
            f"the index in {index_dir} has schema version {version}, this program needs "
            f"{SCHEMA_VERSION}: run `kb index` to rebuild it"
        )
    return generation


def open_generation(index_dir: Path):
    """Open the live generation's Whoosh index, refusing a missing or outdated one."""
    generation = check_index(index_dir)
    return whoosh_index.open_dir(str(generation)), generation
