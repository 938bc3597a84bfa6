"""Ship index generations to read-only replicas: copy what a replica lacks, verify, then switch.

A replica's data folder holds only ``index/`` (its generations and the ``CURRENT`` pointer);
web workers serve it read-only. Generations never change once written, so shipping one is a
copy into a folder readers do not look at; only after the copy is verified against the
source, file by file with checksums, does the replica's pointer move (an atomic rename, as
on the indexer). A copy that fails or is killed leaves the replica serving what it served,
and the next run picks up where it stopped.

Copies go through Debian's ``rsync`` (a local folder or ``host:path`` over ssh). Each new
generation is sent with ``--link-dest`` to the replica's copy of the one it was built from:
files the two share (Whoosh never rewrites a segment) become hard links there too, so a
one-page update ships only the new segment files.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import KBError
from kb.index.generations import META, POINTER, check_index, read_meta, verify_generation

LOCK_NAME = ".replicate.lock"
RSYNC_TIMEOUT = 3600  # seconds one copy may take before it counts as failed


class ReplicateError(KBError):
    """A destination could not be brought up to date (it keeps serving what it served)."""


@dataclass
class Shipment:
    """What happened at one destination."""

    destination: str
    generation: str = ""
    status: str = "failed"   # "switched", "current" (already serving it) or "failed"
    reason: str = ""
    files: int = 0           # files sent
    bytes: int = 0           # bytes sent
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def is_remote(destination: str) -> bool:
    """``host:path`` (rsync over ssh) rather than a local folder, by rsync's own rule: a colon
    before the first slash."""
    head = destination.split("/", 1)[0]
    return ":" in head and not destination.startswith(("./", "/"))


def _index_of(destination: str) -> str:
    return destination.rstrip("/") + "/index"


def rsync_path() -> str:
    path = shutil.which("rsync")
    if path is None:
        raise ReplicateError("rsync is not installed (Debian: apt-get install rsync)")
    return path


def _rsync(*args: str) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run([rsync_path(), *args], capture_output=True, text=True, timeout=RSYNC_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ReplicateError(f"rsync took longer than {RSYNC_TIMEOUT} s") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        detail = next((line for line in lines if "rsync error" not in line), lines[-1] if lines else "")
        raise ReplicateError(f"rsync failed (exit {done.returncode}): {detail.strip()}")
    return done


_STAT = re.compile(r"^(Number of regular files transferred|Total transferred file size): ([\d,.]+)", re.M)


def _sent(stats: str) -> tuple[int, int]:
    found = {name: int(value.replace(",", "").replace(".", "")) for name, value in _STAT.findall(stats)}
    return found.get("Number of regular files transferred", 0), found.get("Total transferred file size", 0)


@contextmanager
def destination_lock(destination: str, data: Path) -> Iterator[None]:
    """One copy at a time per destination: a lock at a local destination (whoever copies to
    it), or on this indexer for a remote one. A second run refuses at once."""
    if is_remote(destination):
        digest = hashlib.sha256(destination.encode()).hexdigest()[:16]
        path = data / f"replicate-{digest}.lock"
    else:
        path = Path(_index_of(destination)) / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReplicateError("another `kb replicate` is copying to it; try again when it has finished") from None
        yield
    finally:
        os.close(fd)


def serving(destination: str) -> str | None:
    """The generation a destination serves now (its CURRENT), or None."""
    pointer = _index_of(destination) + "/" + POINTER
    if not is_remote(destination):
        try:
            return Path(pointer).read_text(encoding="utf-8").strip() or None
        except OSError:
            return None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            _rsync("-q", pointer, tmp + "/" + POINTER)
        except ReplicateError:
            return None
        return Path(tmp, POINTER).read_text(encoding="utf-8").strip() or None


def _copy(source: Path, destination: str, generation: str, link_to: str | None, checksum: bool = False) -> tuple[int, int]:
    """Copy one generation's folder; files it shares with ``link_to`` (already there) become hard links."""
    args = ["-a", "--delete", "--stats", "--mkpath", "--exclude", "*.tmp"]
    if link_to:
        args.append(f"--link-dest=../{link_to}")
    if checksum:
        args.append("--checksum")
    done = _rsync(*args, f"{source / generation}/", f"{_index_of(destination)}/{generation}/")
    return _sent(done.stdout)


def differences(source: Path, destination: str, generation: str) -> list[str]:
    """Files of the destination's copy that differ from the source's, by checksum (empty: identical)."""
    done = _rsync("-a", "--delete", "--checksum", "--dry-run", "--itemize-changes",
                  f"{source / generation}/", f"{_index_of(destination)}/{generation}/")
    return [line.split(" ", 1)[-1] for line in done.stdout.splitlines() if line.strip()]


def _switch(destination: str, generation: str) -> None:
    """Point the destination at ``generation``: rsync writes a temporary file and renames it."""
    with tempfile.TemporaryDirectory() as tmp:
        pointer = Path(tmp, POINTER)
        pointer.write_text(generation + "\n", encoding="utf-8")
        _rsync("-q", "--ignore-times", "--chmod=F644", str(pointer), _index_of(destination) + "/" + POINTER)


def _prune(destination: str, keep: list[str]) -> None:
    """Delete the destination's other generations (the live one and its predecessor stay)."""
    with tempfile.TemporaryDirectory() as empty:
        protect = [f"--filter=P /{name}" for name in (POINTER, LOCK_NAME, *keep)]
        _rsync("-r", "--delete", *protect, f"{empty}/", _index_of(destination) + "/")


def ship(index_dir: Path, destination: str, data: Path) -> Shipment:
    """Bring one destination to the indexer's live generation; never raises for the
    destination's own faults (they are in the returned ``Shipment``)."""
    shipment = Shipment(destination)
    try:
        live = check_index(index_dir)
        shipment.generation = live.name
        previous = read_meta(live).get("previous")
        kept = [name for name in (previous, live.name) if name and (index_dir / name / META).is_file()]
        with destination_lock(destination, data):
            before = serving(destination)
            link_to = before
            for name in kept:  # the predecessor first: the live one links to it
                files, size = _copy(index_dir, destination, name, link_to if link_to != name else None)
                shipment.files, shipment.bytes = shipment.files + files, shipment.bytes + size
                link_to = name
            wrong = differences(index_dir, destination, live.name)
            if wrong:  # changed behind rsync's back (same size and time): copy by checksum, then check again
                shipment.notes.append(f"{len(wrong)} file(s) differed from the source after copying "
                                      f"({', '.join(wrong[:3])}); copied again by checksum")
                _copy(index_dir, destination, live.name, None, checksum=True)
                wrong = differences(index_dir, destination, live.name)
                if wrong:
                    raise ReplicateError(f"its copy of {live.name} still differs from the source ({', '.join(wrong[:3])})")
            if not is_remote(destination) and (problem := verify_generation(Path(_index_of(destination)) / live.name)):
                raise ReplicateError(f"its copy of {live.name} does not open as an index: {problem}")
            if before != live.name:
                _switch(destination, live.name)
            _prune(destination, kept)
            shipment.status = "switched" if before != live.name else "current"
    except (KBError, OSError) as exc:
        shipment.status, shipment.reason = "failed", str(exc)
    return shipment


def replicate(index_dir: Path, destinations: list[str], data: Path) -> list[Shipment]:
    """Ship the live generation to every destination, one after the other."""
    return [ship(index_dir, destination, data) for destination in destinations]
