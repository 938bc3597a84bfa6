"""Web archives (WARC files from wget --warc-file, browsertrix, Heritrix, Common Crawl) as
part of the corpus: find the HTML pages an archive holds, and read one page back by its offset.

An archive is scanned once per run, in the indexing process, keeping only where each page's
record starts and its payload digest; a worker then reads just its own record. Every record
that is not a page is counted by why (a redirect, an error, not HTML, a request…), and what
cannot be read is named by its offset, so a damaged archive still gives its readable pages.
An archive whose size and modification time are those the catalogue recorded is not read at
all: its pages are the ones the catalogue remembers (``remembered_archives``).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections import Counter
from collections.abc import Iterable
from contextlib import redirect_stderr
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from indexer.encoding import known_charset
from indexer.extract import Fetch
from kb.config import archive_member, is_archive_file
from kb.index.catalogue import FileRow

HTML_TYPES = ("text/html", "application/xhtml+xml")
CHUNK = 1 << 16
# Why a record is not a page: (one, many), as the run's note counts them.
SKIP_LABELS = {
    "redirect": ("redirect", "redirects"),
    "error": ("error response", "error responses"),
    "non-HTML": ("non-HTML response", "non-HTML responses"),
    "other status": ("response of another status", "responses of other statuses"),
    "revisit": ("revisit", "revisits"),
    "request": ("request", "requests"),
    "metadata": ("metadata record", "metadata records"),
    "warcinfo": ("warcinfo record", "warcinfo records"),
    "other record": ("record of another type", "records of other types"),
    "earlier capture": ("earlier capture of an address captured again", "earlier captures of addresses captured again"),
}


@dataclass(frozen=True)
class Capture:
    """One page of a web archive: how it was fetched, where its record starts and its payload
    digest (its identity across runs). ``problem`` marks a part of the archive that could not
    be read: it becomes a failure naming that part, never a page."""

    fetch: Fetch
    offset: int | None = None  # None: remembered from the last run, not read in this one
    digest: str = ""
    length: int = -1           # payload bytes as recorded (before any Content-Encoding is undone)
    problem: str | None = None
    summary: str = field(default="", compare=False)  # the scan's counts, for the run's notes

    def member(self, archive: str) -> str:
        """This page's corpus path: ``archives/site.warc.gz#https://site.example/a``; a problem
        at an offset is ``…#@1234``; a problem of the whole archive is the archive's own path."""
        if self.fetch.url:
            return f"{archive}#{self.fetch.url}"
        return f"{archive}#@{self.offset}" if self.offset is not None and self.offset > 0 else archive


@dataclass(frozen=True)
class Skip:
    """A record that is not a page, and why."""

    offset: int
    url: str
    reason: str  # a key of SKIP_LABELS
    detail: str = ""


@dataclass
class ArchiveScan:
    """What one reading of an archive found."""

    records: int = 0
    pages: list[Capture] = field(default_factory=list)     # by address; the last capture of each
    skipped: list[Skip] = field(default_factory=list)
    problems: list[Capture] = field(default_factory=list)  # unreadable parts, by offset
    odd_charsets: list[tuple[str, str]] = field(default_factory=list)  # (address, label) no decoder knows

    def to_dict(self, name: str) -> dict:
        """The scan as data, for ``kb extract ARCHIVE --json``."""
        return {"archive": name, "records": self.records, "summary": self.summary(name),
                "pages": [{"url": c.fetch.url, "fetched": c.fetch.date, "offset": c.offset, "digest": c.digest}
                          for c in self.pages],
                "skipped": [{"offset": s.offset, "url": s.url, "reason": s.reason, "detail": s.detail}
                            for s in self.skipped],
                "unreadable": [{"offset": c.offset, "reason": c.problem} for c in self.problems]}

    def counts(self) -> Counter:
        return Counter(skip.reason for skip in self.skipped)

    def summary(self, name: str) -> str:
        """One line for the editor: ``site.warc.gz: 1,000 records, 870 pages; skipped 80 redirects, …``."""
        line = f"{name}: {self.records:,} records, {len(self.pages):,} pages"
        counts = self.counts()
        parts = [f"{counts[reason]:,} {SKIP_LABELS[reason][counts[reason] != 1]}" for reason in SKIP_LABELS
                 if counts[reason]]
        if parts:
            line += "; skipped " + ", ".join(parts)
        if self.problems:
            line += f"; {len(self.problems)} unreadable part{'s' if len(self.problems) != 1 else ''}"
        for url, label in self.odd_charsets[:5]:
            line += f"; {url} names an unknown charset {label!r} (read as the page declares, else UTF-8)"
        if len(self.odd_charsets) > 5:
            line += f"; {len(self.odd_charsets) - 5} more pages name unknown charsets"
        return line


def scan_archive(path: Path, name: str | None = None) -> ArchiveScan:
    """Read an archive from end to end and sort its records into pages, skips and problems.

    Never raises for what the file holds: an unreadable stretch becomes a problem at its offset.
    """
    name = name or path.name
    scan = ArchiveScan()
    latest: dict[str, Capture] = {}  # the last capture of each address
    size = path.stat().st_size
    # warcio writes warnings about odd records straight to stderr: the editor sees the counts instead.
    with open(path, "rb") as handle, redirect_stderr(io.StringIO()):
        records = ArchiveIterator(handle)
        offset = 0
        try:
            for record in records:
                offset = records.offset
                if record.format != "warc":
                    scan.problems.append(_problem(offset, "not a WARC file: its first record has no WARC header"
                                                  if offset == 0 else "a record without a WARC header"))
                    break
                scan.records += 1
                capture, skip = _sort(record, offset)
                digest = hashlib.sha256() if capture is not None and not capture.digest else None
                while chunk := record.raw_stream.read(CHUNK):
                    if digest is not None:
                        digest.update(chunk)
                if getattr(record.raw_stream, "limit", 0) > 0:  # the file ended inside this record
                    scan.problems.append(_problem(offset, f"the archive is truncated: the record of "
                                                  f"{_address(record) or 'no address'} stops "
                                                  f"{record.raw_stream.limit:,} bytes short"))
                    break
                if skip is not None:
                    scan.skipped.append(skip)
                    continue
                if digest is not None:
                    capture = Capture(capture.fetch, offset, "sha256:" + digest.hexdigest(), capture.length)
                url = capture.fetch.url
                if url in latest:
                    scan.skipped.append(Skip(latest[url].offset or 0, url, "earlier capture"))
                latest[url] = capture
                if capture.fetch.charset and not known_charset(capture.fetch.charset):
                    scan.odd_charsets.append((url, capture.fetch.charset))
            end = records.offset
        # warcio's parsers raise whatever damaged bytes provoke (zlib.error, ValueError, ArchiveLoadFailed…)
        except Exception as exc:  # noqa: BLE001
            end = None
            scan.problems.append(_problem(records.offset or offset, _damage(exc, size - (records.offset or offset))))
        if end is not None and end < size and not scan.problems:  # gzip data that stops mid-member reads as a clean end
            scan.problems.append(_problem(end, _lost(size - end, "not a whole gzip member")))
    scan.pages = [latest[url] for url in sorted(latest)]
    scan.odd_charsets = sorted(set(scan.odd_charsets))
    if not scan.pages and not scan.problems:
        skipped = scan.summary(name).partition("; skipped ")[2]
        scan.problems.append(_problem(0, f"no HTML pages among its {scan.records:,} records"
                                         + (f" (skipped {skipped})" if skipped else "") if scan.records
                                         else "holds no WARC records (an empty file?)"))
    summary = scan.summary(name)
    scan.pages = [_with_summary(capture, summary) for capture in scan.pages]
    scan.problems = [_with_summary(capture, summary) for capture in scan.problems]
    return scan


def _with_summary(capture: Capture, summary: str) -> Capture:
    return Capture(capture.fetch, capture.offset, capture.digest, capture.length, capture.problem, summary)


def _address(record) -> str:
    return record.rec_headers.get_header("WARC-Target-URI") or ""


def _sort(record, offset: int) -> tuple[Capture | None, Skip | None]:
    """A response record that is a page (HTTP 200, HTML) as a capture; any other record as a skip."""
    url, kind = _address(record), record.rec_type
    if kind in ("revisit", "request", "metadata", "warcinfo"):
        return None, Skip(offset, url, kind)
    if kind != "response" or record.http_headers is None or not url.startswith(("http:", "https:")):
        return None, Skip(offset, url, "other record", kind or "no WARC-Type")
    status = record.http_headers.get_statuscode() or ""
    content_type = record.http_headers.get_header("Content-Type") or ""
    if status.startswith("3"):
        return None, Skip(offset, url, "redirect", f"{status} to {record.http_headers.get_header('Location') or '?'}")
    if status.startswith(("4", "5")):
        return None, Skip(offset, url, "error", status)
    if status != "200":
        return None, Skip(offset, url, "other status", status)
    if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        return None, Skip(offset, url, "non-HTML", content_type or "no Content-Type")
    fetch = Fetch(url, record.rec_headers.get_header("WARC-Date") or "", content_type)
    return Capture(fetch, offset, record.rec_headers.get_header("WARC-Payload-Digest") or "",
                   record.payload_length), None


def _problem(offset: int, reason: str) -> Capture:
    digest = "problem:" + hashlib.sha256(f"{offset}\n{reason}".encode()).hexdigest()[:16]
    return Capture(Fetch(""), offset, digest, problem=f"byte {offset:,}: {reason}" if offset else reason)


def _damage(exc: Exception, remaining: int) -> str:
    """Why the rest of an archive could not be read, in the editor's terms."""
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    if "non-chunked gzip" in text:
        return ("the archive is compressed as one gzip stream, not one per record, so its records cannot be read "
                "one by one; repack it with `warcio recompress`")
    if "first line" in text or not text.isprintable():  # warcio quotes the junk it met: no use to the editor
        text = "no WARC record starts here"
    return _lost(remaining, text[:200])


def _lost(remaining: int, why: str) -> str:
    return f"the last {remaining:,} bytes are unreadable ({why}): the archive is truncated or damaged there"


def read_capture(path: Path, capture: Capture, max_bytes: int) -> bytes:
    """The page's bytes (its HTTP payload, with any Content-Encoding undone), read by offset.

    Raises ValueError with a reason an editor can act on: the part was unreadable when
    scanned, the page is over the size limit, or the archive changed since the scan.
    """
    if capture.problem:
        raise ValueError(capture.problem)
    if capture.offset is None:
        raise ValueError("the archive was not scanned in this run; run `kb index --full`")
    if capture.length > max_bytes:
        raise ValueError(f"record is {capture.length:,} bytes, over the {max_bytes:,}-byte page limit "
                         "(--max-page-bytes)")
    try:
        with open(path, "rb") as handle, redirect_stderr(io.StringIO()):
            handle.seek(capture.offset)
            record = next(iter(ArchiveIterator(handle)), None)
            found = record is not None and _address(record) == capture.fetch.url
            data = record.content_stream().read(max_bytes + 1) if found else b""
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 — as in scan_archive: damaged bytes, whatever the parser says
        detail = " ".join(str(exc).split())[:200] or exc.__class__.__name__
        raise ValueError(f"record at byte {capture.offset:,} is unreadable: {detail}") from exc
    if not found:
        raise ValueError(f"no record of this address at byte {capture.offset:,}: the archive changed while being "
                         "indexed; run `kb index` again")
    if len(data) > max_bytes:
        raise ValueError(f"record's content is over the {max_bytes:,}-byte page limit (--max-page-bytes) "
                         "once decompressed")
    return data


@dataclass(frozen=True)
class ArchiveMemory:
    """An archive as the catalogue last recorded it: its size and time, and each of its
    pages' (and problems') corpus paths with their digests."""

    size: int
    mtime_ns: int
    members: dict[str, str]


def remembered_archives(rows: Iterable[FileRow]) -> dict[str, ArchiveMemory]:
    """The catalogue's rows grouped by archive; an archive whose rows disagree about its size
    or time (a run stopped half-way) is left out, so it is scanned again."""
    grouped: dict[str, list[FileRow]] = {}
    for row in rows:
        parts = archive_member(row.path)
        archive = parts[0] if parts else (row.path if is_archive_file(Path(row.path)) else None)
        if archive is not None:
            grouped.setdefault(archive, []).append(row)
    memories = {}
    for archive, members in grouped.items():
        stats = {(row.size, row.mtime_ns) for row in members}
        if len(stats) == 1:
            (size, mtime_ns), = stats
            memories[archive] = ArchiveMemory(size, mtime_ns, {row.path: row.hash for row in members})
    return memories


def archive_captures(path: Path, relative: str, stat: os.stat_result,
                     memory: ArchiveMemory | None = None) -> list[tuple[str, Capture]]:
    """(corpus path, capture) of each page and problem of one archive: the remembered ones when
    the archive's size and time are those remembered, else a fresh scan's."""
    if memory is not None and (memory.size, memory.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
        remembered = []
        for member, digest in sorted(memory.members.items()):
            parts = archive_member(member)
            url = parts[1] if parts and not parts[1].startswith("@") else ""
            remembered.append((member, Capture(Fetch(url), None, digest)))
        return remembered
    try:
        scan = scan_archive(path, relative)
    except OSError as exc:
        problem = _problem(0, f"could not be read: {exc.strerror or exc}")
        return [(relative, problem)]
    return [(capture.member(relative), capture) for capture in scan.pages + scan.problems]
