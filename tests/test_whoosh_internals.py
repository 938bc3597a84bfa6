"""kb's reach into Whoosh's internals (kb.index.whoosh_internals) must give exactly what Whoosh's
public API gives: the same index written, the same lengths and postings read."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from kb.index import whoosh_internals
from kb.index.schema import build_schema
from kb.search.ranking import _field_lengths, read_postings


def documents(count: int = 300) -> list[dict]:
    words = "joint pain swelling rash fever itch tired headache nausea stiffness morning knee".split()
    return [{"section_id": f"a{i}#s{i % 4}", "article_id": f"a{i}", "title": f"Condition {i % 17}",
             "heading": ["Overview", "Symptoms", "Causes", "Treatment"][i % 4], "kind": "symptoms",
             "body": " ".join(words[(i * k) % len(words)] for k in range(1, 5 + i % 40))}
            for i in range(count)]


def build(folder: str, docs: list[dict], fast: bool) -> None:
    ix = whoosh_index.create_in(folder, build_schema())
    writer = ix.writer(compound=False)
    if fast:
        with whoosh_internals.fast_flush():
            for doc in docs:
                writer.add_document(**doc)
            writer.commit()
    else:
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
    ix.close()


def segment_files(folder: str) -> dict[str, bytes]:
    # Segment names are random: key each file by what follows the name (one segment per build).
    return {path.name.split(".", 1)[1]: path.read_bytes() for path in Path(folder).iterdir()
            if path.name.startswith("MAIN_") and "." in path.name}


def test_the_pinned_version_is_the_one_installed():
    assert whoosh_internals.SUPPORTED, "whoosh-reloaded 2.7.5 is pinned: its internals must be reachable"


def test_an_index_written_with_the_fast_flush_is_byte_for_byte_whooshs_own():
    docs = documents()
    with tempfile.TemporaryDirectory() as fast, tempfile.TemporaryDirectory() as plain:
        build(fast, docs, fast=True)
        build(plain, docs, fast=False)
        assert segment_files(fast) == segment_files(plain)
        assert {"pst", "trm", "_body_len.col"} <= set(segment_files(fast))


def test_the_fast_flush_is_undone_after_the_build():
    original = SegmentWriter.__dict__["_flush_segment"]
    with whoosh_internals.fast_flush():
        assert SegmentWriter.__dict__["_flush_segment"] is not original
    assert SegmentWriter.__dict__["_flush_segment"] is original


def test_bulk_field_lengths_equal_whooshs_own_across_segments():
    docs = documents(500)
    with tempfile.TemporaryDirectory() as folder:
        ix = whoosh_index.create_in(folder, build_schema())
        for part in (docs[:320], docs[320:]):
            writer = ix.writer()
            for doc in part:
                writer.add_document(**doc)
            writer.commit(merge=False)
        with ix.reader() as reader:
            assert not reader.is_atomic()
            for field in ("title", "heading", "body"):
                bulk = _field_lengths(reader, field, reader.doc_count_all())
                own = np.array([reader.doc_field_length(d, field, 0) for d in range(reader.doc_count_all())])
                assert np.array_equal(bulk, own.astype(np.float32)), field


def test_the_public_way_gives_the_same_postings_when_internals_are_off(monkeypatch):
    docs = documents(400)
    with tempfile.TemporaryDirectory() as folder:
        build(folder, docs, fast=True)
        ix = whoosh_index.open_dir(folder)
        with ix.reader() as reader:
            fast = {word: read_postings(reader, "body", word) for word in ("joint", "pain", "knee", "absent")}
            monkeypatch.setattr(whoosh_internals, "SUPPORTED", False)
            for word, (ids, weights) in fast.items():
                slow_ids, slow_weights = read_postings(reader, "body", word)
                assert list(ids) == list(slow_ids) and list(weights) == list(slow_weights)
            assert np.array_equal(_field_lengths(reader, "body", reader.doc_count_all()),
                                  np.array([reader.doc_field_length(d, "body", 0) for d in range(len(docs))],
                                           dtype=np.float32))
        ix.close()
