"""The catalogue: what the indexer knows about each corpus file and each index run.

A SQLite database in the data folder (``catalogue.sqlite3``), in WAL mode so the web
app and ``kb status`` can read while an index run writes. Its schema is versioned with
``PRAGMA user_version`` and upgraded by the numbered migrations below, in order, each
in its own transaction.

The catalogue describes files (their hash, status, cached extraction); each index
generation carries its own manifest of what it holds (see ``kb.index.generations``). Keeping the two
apart is what makes a crash at any moment harmless: the next run compares them and
redoes whatever differs.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kb.errors import ConfigError

CATALOGUE_FILE = "catalogue.sqlite3"
FILE_STATUSES = ("ok", "failed", "skipped")

MIGRATIONS: tuple[str, ...] = (
    # 1: files, runs, per-source templates, settings
    """
    CREATE TABLE files (
        path TEXT PRIMARY KEY,             -- corpus-relative, forward slashes
        source TEXT NOT NULL,
        hash TEXT NOT NULL,                -- sha256 of the bytes
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        article_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
        error TEXT,
        first_indexed REAL NOT NULL,
        last_indexed REAL NOT NULL,
        generation TEXT,                   -- the generation that last wrote its article
        fingerprint TEXT,                  -- hash of its index documents (after template removal)
        extraction BLOB                    -- zlib-compressed JSON of the extracted article
    );
    CREATE UNIQUE INDEX files_article ON files (article_id);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started REAL NOT NULL,
        finished REAL,
        mode TEXT NOT NULL,                -- full, incremental, rollback
        status TEXT NOT NULL,              -- running, published, unchanged, refused, failed, interrupted
        files INTEGER DEFAULT 0,
        added INTEGER DEFAULT 0,
        updated INTEGER DEFAULT 0,
        removed INTEGER DEFAULT 0,
        unchanged INTEGER DEFAULT 0,
        failed INTEGER DEFAULT 0,
        sections INTEGER DEFAULT 0,
        generation TEXT,
        started_by TEXT NOT NULL,
        message TEXT
    );
    CREATE TABLE templates (source TEXT PRIMARY KEY, hash TEXT NOT NULL);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: searches that found nothing (the content gaps librarians should fill); no addresses kept
    """
    CREATE TABLE zero_results (
        query TEXT PRIMARY KEY,            -- normalised: lower case, accents folded, spaces collapsed
        count INTEGER NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def connect(data_dir: Path) -> sqlite3.Connection:
    """Open (creating and upgrading as needed) the catalogue in ``data_dir``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / CATALOGUE_FILE
    db = sqlite3.connect(path, timeout=30, isolation_level=None)  # explicit transactions only
    db.row_factory = sqlite3.Row
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoints, never corrupt
        db.execute("PRAGMA foreign_keys=ON")
        migrate(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise ConfigError(f"the catalogue {path} is unreadable ({exc}); move it aside and run `kb index --full`") from exc
    return db


def migrate(db: sqlite3.Connection) -> int:
    """Apply the migrations the database lacks; return the version it is now at."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"catalogue schema {version} is newer than this program's {SCHEMA_VERSION}")
    for number in range(version, SCHEMA_VERSION):
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated between our read and our lock.
            if db.execute("PRAGMA user_version").fetchone()[0] > number:
                db.execute("COMMIT")
                continue
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {number + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION


def pack(data: dict) -> bytes:
    """Compress an extracted article for the cache column."""
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 3)


def unpack(blob: bytes) -> dict:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


@dataclass
class FileRow:
    """One corpus file as the catalogue last saw it."""

    path: str
    source: str
    hash: str
    size: int
    mtime_ns: int
    article_id: str
    status: str
    error: str | None
    first_indexed: float
    last_indexed: float
    generation: str | None
    fingerprint: str | None
    cached: bool = False  # an extraction is stored (a failing file keeps its last good one)


_FILE_COLUMNS = ("path", "source", "hash", "size", "mtime_ns", "article_id", "status", "error",
                 "first_indexed", "last_indexed", "generation", "fingerprint")


def file_rows(db: sqlite3.Connection) -> dict[str, FileRow]:
    """Every catalogued file by path (without the cached extraction itself)."""
    query = f"SELECT {', '.join(_FILE_COLUMNS)}, extraction IS NOT NULL AS cached FROM files"
    return {row["path"]: FileRow(**{**dict(row), "cached": bool(row["cached"])}) for row in db.execute(query)}


def extraction(db: sqlite3.Connection, path: str) -> dict | None:
    row = db.execute("SELECT extraction FROM files WHERE path = ?", (path,)).fetchone()
    return unpack(row[0]) if row and row[0] else None


def get_setting(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def templates(db: sqlite3.Connection) -> dict[str, str]:
    return {row[0]: row[1] for row in db.execute("SELECT source, hash FROM templates")}


def start_run(db: sqlite3.Connection, mode: str, started_by: str, started: float) -> int:
    """Record a run as started; a run left 'running' by a killed process is marked interrupted.

    Only the lock holder calls this, so any other 'running' row belongs to a dead process.
    """
    db.execute("BEGIN IMMEDIATE")
    db.execute("UPDATE runs SET status = 'interrupted', message = 'the indexer stopped before finishing' "
               "WHERE status = 'running'")
    run_id = db.execute("INSERT INTO runs (started, mode, status, started_by) VALUES (?, ?, 'running', ?)",
                        (started, mode, started_by)).lastrowid
    db.execute("COMMIT")
    return run_id


def finish_run(db: sqlite3.Connection, run_id: int, **facts) -> None:
    """Store a run's outcome (status, counts, generation, message, finished)."""
    columns = ", ".join(f"{name} = ?" for name in facts)
    db.execute(f"UPDATE runs SET {columns} WHERE id = ?", (*facts.values(), run_id))


def recent_runs(db: sqlite3.Connection, limit: int = 5) -> list[dict]:
    return [dict(row) for row in db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))]


def failures(db: sqlite3.Connection) -> list[dict]:
    """Files that currently cannot be indexed, with the reason."""
    return [dict(row) for row in db.execute(
        "SELECT path, source, error, last_indexed FROM files WHERE status != 'ok' ORDER BY path")]


def save_files(db: sqlite3.Connection, rows: Iterable[FileRow], blobs: dict[str, bytes],
               removed: Iterable[str]) -> None:
    """Delete removed paths, then upsert rows; a row's cached extraction is replaced only
    when ``blobs`` has a new one for it. The caller holds the run's final transaction."""
    db.executemany("DELETE FROM files WHERE path = ?", [(path,) for path in removed])
    columns = ", ".join(_FILE_COLUMNS)
    marks = ", ".join("?" for _ in _FILE_COLUMNS)
    updates = ", ".join(f"{name} = excluded.{name}" for name in _FILE_COLUMNS[1:])
    upsert = f"INSERT INTO files ({columns}) VALUES ({marks}) ON CONFLICT (path) DO UPDATE SET {updates}"
    db.executemany(upsert, [tuple(getattr(row, name) for name in _FILE_COLUMNS) for row in rows])
    db.executemany("UPDATE files SET extraction = ? WHERE path = ?", [(blob, path) for path, blob in blobs.items()])


def save_templates(db: sqlite3.Connection, hashes: dict[str, str], keep: set[str]) -> None:
    """Store the template hash of each source learnt this run; forget sources that are gone."""
    db.executemany("INSERT OR REPLACE INTO templates (source, hash) VALUES (?, ?)", hashes.items())
    for (source,) in db.execute("SELECT source FROM templates").fetchall():
        if source not in keep:
            db.execute("DELETE FROM templates WHERE source = ?", (source,))


def set_setting(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))


MAX_LOGGED_QUERY = 200


def normalise_query(text: str) -> str:
    """The form a zero-result query is counted under: lower case, accents folded, words only."""
    import re
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9']+", folded))[:MAX_LOGGED_QUERY]


def record_zero_result(db: sqlite3.Connection, text: str, when: float) -> None:
    """Count one search that found nothing (only its normalised text and time are kept)."""
    query = normalise_query(text)
    if not query:
        return
    db.execute("INSERT INTO zero_results (query, count, first_seen, last_seen) VALUES (?, 1, ?, ?) "
               "ON CONFLICT (query) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen",
               (query, when, when))


def zero_results(db: sqlite3.Connection, limit: int = 100) -> list[dict]:
    """The queries that found nothing, most frequent first."""
    return [dict(row) for row in db.execute(
        "SELECT query, count, first_seen, last_seen FROM zero_results ORDER BY count DESC, last_seen DESC LIMIT ?",
        (limit,))]
