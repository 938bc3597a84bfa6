"""Web archives in the corpus: each HTML page an archive recorded is searchable, every other
record is skipped and counted, ids come from addresses, re-indexing follows each record's
payload digest, and a damaged archive gives what it can and names the rest."""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from indexer.build import build_index
from indexer.limits import PageLimits
from kb.config import Settings
from kb.errors import IndexRefused
from kb.index.generations import current_generation, read_manifest
from kb.index.handle import IndexHandle
from kb_cli import main
from tests.conftest import search_index

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Example Health</title>{head}
</head><body><nav><a href="/">Home</a> <a href="/a-z">Conditions A to Z</a></nav><main><h1>{title}</h1>
<p>{title} is a condition this page explains in plain words. {body}</p>
<h2>Symptoms</h2><p>People with {title} notice {symptom}. It can start over a day or two.</p>
<h2>Treatment</h2><p>Most people with {title} get better with rest and time; a doctor can help when it lasts.</p>
</main><footer>Example Health, a made-up site for tests</footer></body></html>"""

SITE = "https://health.example"


@dataclass
class Record:
    """One record to write: a response (HTTP status and Content-Type) or another WARC type."""

    url: str
    body: bytes = b""
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"
    kind: str = "response"
    date: str = "2024-03-05T10:20:30Z"
    headers: list[tuple[str, str]] = field(default_factory=list)


def page(title: str, symptom: str, body: str = "", head: str = "") -> bytes:
    return PAGE.format(title=title, symptom=symptom, body=body, head=head).encode("utf-8")


def write_warc(path, records: list[Record], *, digests: bool = True) -> None:
    """Write ``records`` with warcio, gzipped per record when the name ends in .gz; without
    ``digests`` no record carries a WARC-Payload-Digest (as some crawlers write them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    before = path.stat().st_mtime_ns if path.exists() else 0
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        if not digests:
            writer.ensure_digest = lambda *args, **kwargs: None
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for item in records:
            warc_headers = {"WARC-Date": item.date}
            if item.kind == "response":
                http = StatusAndHeaders(item.status, [("Content-Type", item.content_type), *item.headers],
                                        protocol="HTTP/1.1")
                record = writer.create_warc_record(item.url, "response", payload=io.BytesIO(item.body),
                                                   length=len(item.body), http_headers=http,
                                                   warc_headers_dict=warc_headers)
            elif item.kind == "request":
                http = StatusAndHeaders(f"GET {item.url} HTTP/1.1", [("Host", "health.example")], is_http_request=True)
                record = writer.create_warc_record(item.url, "request", http_headers=http, warc_headers_dict=warc_headers)
            elif item.kind == "revisit":
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                record = writer.create_revisit_record(item.url, "sha1:AAAA", item.url, item.date, http_headers=http,
                                                      warc_headers_dict=warc_headers)
            else:
                record = writer.create_warc_record(item.url, item.kind, payload=io.BytesIO(item.body),
                                                   length=len(item.body), warc_content_type="text/plain",
                                                   warc_headers_dict=warc_headers)
            writer.write_record(record)
    if path.stat().st_mtime_ns == before:  # a rewrite within the clock's tick still reads as a change
        os.utime(path, ns=(before + 1000, before + 1000))


def condition_pages() -> list[Record]:
    return [
        Record(f"{SITE}/conditions/bells-palsy/", page("Bell's palsy", "a drooping face on one side")),
        Record(f"{SITE}/conditions/shingles/", page("Shingles", "a band of painful blisters")),
        Record(f"{SITE}/conditions/gout.html", page("Gout", "a hot swollen big toe")),
    ]


def skipped_records() -> list[Record]:
    return [
        Record(f"{SITE}/conditions/bells-palsy/", kind="request"),
        Record(f"{SITE}/bells", status="301 Moved Permanently", headers=[("Location", f"{SITE}/conditions/bells-palsy/")]),
        Record(f"{SITE}/conditions/shingles/", kind="revisit"),
        Record(f"{SITE}/leaflet.pdf", b"%PDF-1.4 not really", content_type="application/pdf"),
        Record(f"{SITE}/gone/", b"<html><body><h1>Not found</h1></body></html>", status="404 Not Found"),
        Record(f"{SITE}/busy/", b"<html><body><h1>Try later</h1></body></html>", status="503 Service Unavailable"),
        Record(f"{SITE}/conditions/gout.html", b"crawler notes", kind="metadata"),
    ]


@pytest.fixture()
def archive_corpus(tmp_path) -> Settings:
    """A corpus whose only content is one web archive: three pages and seven other records."""
    write_warc(tmp_path / "corpus" / "archives" / "health.warc.gz", condition_pages() + skipped_records())
    return Settings(corpus=tmp_path / "corpus", data=tmp_path / "data")


def found(settings: Settings, query: str) -> list:
    return search_index(settings, query).results


def manifest(settings: Settings) -> dict:
    """What the serving index holds, per article id."""
    return read_manifest(current_generation(settings.index_dir))


def bodies(settings: Settings) -> str:
    """The text of every indexed section."""
    handle = IndexHandle(settings.index_dir)
    try:
        with handle.searcher() as searcher:
            return "\n".join(document["body"] for document in searcher.documents())
    finally:
        handle.close()


# -- what an editor gets from an archive ----------------------------------------------------

def test_pages_of_an_archive_are_searchable_with_their_address(archive_corpus):
    report = build_index(archive_corpus)
    assert (report.added, report.failures) == (3, [])
    hits = found(archive_corpus, "painful blisters")
    assert hits and hits[0].article_id == "shingles"
    assert hits[0].original_url == f"{SITE}/conditions/shingles/"
    assert hits[0].path == f"archives/health.warc.gz#{SITE}/conditions/shingles/"


def test_ids_come_from_the_addresses(archive_corpus):
    build_index(archive_corpus)
    assert set(manifest(archive_corpus)) == {"bells-palsy", "shingles", "gout"}


def test_every_record_that_is_not_a_page_is_skipped_and_counted(archive_corpus, runner):
    result = runner.invoke(main, ["index", "--corpus", str(archive_corpus.corpus), "--data", str(archive_corpus.data)])
    assert result.exit_code == 0, result.output
    assert ("note: archives/health.warc.gz: 11 records, 3 pages; skipped 1 redirect, 2 error responses, "
            "1 non-HTML response, 1 revisit, 1 request, 1 metadata record, 1 warcinfo record") in result.output
    assert "0 failed" in result.output


def test_the_same_address_twice_keeps_the_last_capture(tmp_path):
    corpus = tmp_path / "corpus"
    write_warc(corpus / "crawl.warc", [
        Record(f"{SITE}/conditions/gout/", page("Gout", "an old symptom wording of sandpaper")),
        Record(f"{SITE}/conditions/gout/", page("Gout", "a hot swollen big toe"), date="2024-06-01T00:00:00Z"),
    ])
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    report = build_index(settings)
    assert report.added == 1
    assert found(settings, "swollen toe") and not found(settings, "sandpaper")
    assert any("1 earlier capture of an address captured again" in note for note in report.notes)


def test_colliding_addresses_get_distinct_ids_and_a_home_page_its_host(tmp_path):
    corpus = tmp_path / "corpus"
    write_warc(corpus / "crawl.warc.gz", [
        Record(f"{SITE}/adults/gout/", page("Gout", "a hot swollen big toe")),
        Record(f"{SITE}/children/gout/", page("Gout in children", "a sore ankle after sport")),
        Record(f"{SITE}/", page("Health Example", "whatever they look up here")),
    ])
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    build_index(settings)
    assert set(manifest(settings)) == {"gout", "local-gout", "health-example"}


def test_the_page_own_address_and_dates_win_over_the_fetch(tmp_path, runner):
    canonical = '<link rel="canonical" href="https://health.example/conditions/gout/">'
    dated = '<meta property="article:modified_time" content="2021-02-03">'
    corpus = tmp_path / "corpus"
    write_warc(corpus / "crawl.warc.gz", [
        Record(f"{SITE}/conditions/gout/?utm_source=mail", page("Gout", "a hot swollen big toe", head=canonical + dated)),
        Record(f"{SITE}/conditions/shingles/", page("Shingles", "a band of painful blisters")),
    ])

    def shown(url: str) -> dict:
        result = runner.invoke(main, ["extract", str(corpus / "crawl.warc.gz"), "--url", url, "--json",
                                      "--corpus", str(corpus)])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    gout = shown(f"{SITE}/conditions/gout/?utm_source=mail")
    assert (gout["url"], gout["updated"]) == (f"{SITE}/conditions/gout/", "2021-02-03")
    shingles = shown(f"{SITE}/conditions/shingles/")  # no canonical link and no date: the fetch's
    assert (shingles["url"], shingles["updated"]) == (f"{SITE}/conditions/shingles/", "2024-03-05")


def test_a_source_claims_archive_pages_by_their_domain(archive_corpus):
    (archive_corpus.corpus / "sources.toml").write_text(
        '[[source]]\nid = "examplehealth"\nname = "Example Health"\ndomains = ["health.example"]\n', encoding="utf-8")
    build_index(archive_corpus)
    assert {entry["source"] for entry in manifest(archive_corpus).values()} == {"examplehealth"}


def test_a_charset_the_server_names_decodes_the_page_and_a_bogus_one_is_noted(tmp_path):
    corpus = tmp_path / "corpus"
    latin = page("Eczema", "dry skin that itches, worse in winter", body="Café workers often get it.")
    write_warc(corpus / "crawl.warc.gz", [
        Record(f"{SITE}/eczema/", latin.replace(b'<meta charset="utf-8">', b"").decode().encode("latin-1"),
               content_type="text/html; charset=ISO-8859-1"),
        Record(f"{SITE}/hives/", page("Hives", "raised itchy welts on the skin"), content_type="text/html; charset=no-such"),
    ])
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    report = build_index(settings)
    assert (report.added, report.failures) == (2, [])
    assert found(settings, "itchy welts")
    assert "Café workers" in bodies(settings)
    assert any(f"{SITE}/hives/ names an unknown charset 'no-such'" in note for note in report.notes)


# -- re-indexing ------------------------------------------------------------------------------

def test_an_untouched_archive_is_not_read(archive_corpus):
    build_index(archive_corpus)
    path = archive_corpus.corpus / "archives" / "health.warc.gz"
    stat = path.stat()
    path.write_bytes(b"\0" * stat.st_size)  # the same size and time: only reading it would notice
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    report = build_index(archive_corpus)
    assert (report.unchanged, report.added, report.updated, report.failures, report.published) == (3, 0, 0, [], False)


@pytest.mark.parametrize("digests", [True, False], ids=["payload-digest", "no-digest"])
def test_a_changed_record_is_the_only_page_parsed_again(archive_corpus, digests):
    path = archive_corpus.corpus / "archives" / "health.warc.gz"
    write_warc(path, condition_pages() + skipped_records(), digests=digests)
    build_index(archive_corpus)
    pages = condition_pages()
    pages[1] = Record(pages[1].url, page("Shingles", "a stripe of stinging blisters"))
    write_warc(path, pages + skipped_records(), digests=digests)
    report = build_index(archive_corpus)
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 1, 2, 0)
    assert found(archive_corpus, "stinging") and "painful blisters" not in bodies(archive_corpus)


def test_a_record_removed_from_the_archive_leaves_the_index(archive_corpus):
    build_index(archive_corpus)
    assert found(archive_corpus, "swollen toe")
    write_warc(archive_corpus.corpus / "archives" / "health.warc.gz", condition_pages()[:2] + skipped_records())
    report = build_index(archive_corpus, force=True)  # a third of the sections go: past the gate's 10%
    assert (report.removed, report.unchanged) == (1, 2)
    assert not found(archive_corpus, "swollen toe") and "gout" not in manifest(archive_corpus)


def test_two_jobs_read_records_by_offset_into_the_same_index(tmp_path):
    records = [Record(f"{SITE}/conditions/c{n}/", page(f"Condition {n}", f"symptom number {n} of the list"))
               for n in range(20)]
    write_warc(tmp_path / "corpus" / "crawl.warc.gz", records)
    one, two = (Settings(corpus=tmp_path / "corpus", data=tmp_path / name) for name in ("one", "two"))
    assert build_index(one, jobs=1).added == build_index(two, jobs=2).added == 20
    assert manifest(one) == manifest(two)


# -- damaged and odd archives -----------------------------------------------------------------

def test_a_truncated_archive_keeps_its_readable_pages_and_names_the_rest(archive_corpus):
    build_index(archive_corpus)
    path = archive_corpus.corpus / "archives" / "health.warc.gz"
    pages = condition_pages()
    pages[1] = Record(pages[1].url, page("Shingles", "a stripe of stinging blisters"))
    write_warc(path, pages + [Record(f"{SITE}/conditions/asthma/", page("Asthma", "wheezing at night"))])
    path.write_bytes(path.read_bytes()[:-300])  # the download stopped inside the last record
    with pytest.raises(IndexRefused) as refused:  # one of four pages failed: over the 5% limit
        build_index(archive_corpus)
    assert "painful blisters" in bodies(archive_corpus)  # the serving index is untouched
    [failure] = refused.value.report.failures
    assert failure.relative.startswith("archives/health.warc.gz#@")
    assert f"the archive is truncated: the record of {SITE}/conditions/asthma/ stops" in failure.reason
    report = build_index(archive_corpus, force=True)
    assert report.published and found(archive_corpus, "stinging") and not found(archive_corpus, "wheezing")
    assert [failure.relative for failure in report.failures] == [refused.value.report.failures[0].relative]


def test_an_archive_cut_between_gzip_members_reports_the_lost_bytes(archive_corpus):
    path = archive_corpus.corpus / "archives" / "health.warc.gz"
    write_warc(path, condition_pages())
    data = path.read_bytes()
    path.write_bytes(data + data[-200:-100])  # a stray piece of a gzip member after the last whole one
    report = build_index(archive_corpus, force=True)
    assert report.articles == 3
    [failure] = report.failures
    assert failure.relative == f"archives/health.warc.gz#@{len(data)}"
    assert "the last 100 bytes are unreadable" in failure.reason


def test_a_record_over_the_page_limit_is_refused_by_name(archive_corpus):
    big = page("Migraine", "a throbbing headache with flashing lights", body="More about migraine. " * 2000)
    write_warc(archive_corpus.corpus / "archives" / "health.warc.gz",
               condition_pages() + [Record(f"{SITE}/conditions/migraine/", big)])
    report = build_index(archive_corpus, force=True, limits=PageLimits(max_bytes=20_000))
    [failure] = report.failures
    assert failure.relative == f"archives/health.warc.gz#{SITE}/conditions/migraine/"
    assert "over the 20,000-byte page limit (--max-page-bytes)" in failure.reason
    assert report.articles == 3


def test_an_archive_without_html_and_a_file_that_is_no_archive_are_named(tmp_path):
    corpus = tmp_path / "corpus"
    write_warc(corpus / "images.warc.gz", [Record(f"{SITE}/logo.png", b"\x89PNG", content_type="image/png")])
    (corpus / "junk.warc").write_bytes(b"this is not a web archive\r\n\r\n")
    (corpus / "gout.html").write_bytes(page("Gout", "a hot swollen big toe"))
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    report = build_index(settings, force=True)
    reasons = {failure.relative: failure.reason for failure in report.failures}
    assert reasons.keys() == {"images.warc.gz", "junk.warc"}
    assert "no HTML pages among its 2 records (skipped 1 non-HTML response, 1 warcinfo record)" in reasons["images.warc.gz"]
    assert "not a WARC file" in reasons["junk.warc"]
    assert found(settings, "swollen toe")


# -- kb extract -------------------------------------------------------------------------------

def test_extract_with_url_shows_a_record_as_extract_shows_a_page(tmp_path, runner):
    html = page("Gout", "a hot swollen big toe", head='<link rel="canonical" href="https://health.example/gout/">'
                                                       '<meta name="date" content="2022-01-02">')
    write_warc(tmp_path / "crawl.warc.gz", [Record(f"{SITE}/gout/", html)])
    (tmp_path / "gout.html").write_bytes(html)
    as_page = runner.invoke(main, ["extract", str(tmp_path / "gout.html"), "--corpus", str(tmp_path / "none")])
    as_record = runner.invoke(main, ["extract", str(tmp_path / "crawl.warc.gz"), "--url", f"{SITE}/gout/",
                                     "--corpus", str(tmp_path / "none")])
    assert as_record.exit_code == 0, as_record.output
    assert as_record.output == as_page.output
    assert "Symptoms" in as_record.output


def test_extract_of_an_archive_lists_its_pages_and_skipped_records(archive_corpus, runner):
    path = archive_corpus.corpus / "archives" / "health.warc.gz"
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{SITE}/conditions/gout.html  fetched 2024-03-05" in result.output
    assert f"{SITE}/bells  redirect (301 to {SITE}/conditions/bells-palsy/)" in result.output
    assert f"{SITE}/busy/  error response (503)" in result.output
    missing = runner.invoke(main, ["extract", str(path), "--url", f"{SITE}/leaflet.pdf"])
    assert missing.exit_code == 1
    assert "is not a page: its record at byte" in missing.output and "non-HTML response (application/pdf)" in missing.output
    assert "Traceback" not in missing.output


def test_url_is_only_for_archives(tmp_path, runner):
    (tmp_path / "gout.html").write_bytes(page("Gout", "a hot swollen big toe"))
    result = runner.invoke(main, ["extract", str(tmp_path / "gout.html"), "--url", f"{SITE}/gout/"])
    assert result.exit_code == 2 and "--url picks a page of a web archive" in result.output


def test_the_curation_report_does_not_measure_archive_pages_against_the_archive(tmp_path, runner):
    padding = "<p>More words about gout, its flares and the foods that bring them on.</p>" * 3000
    corpus = tmp_path / "corpus"
    write_warc(corpus / "crawl.warc", condition_pages() + [Record(f"{SITE}/bulk/", page("Bulk", "x", body=padding))])
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    build_index(settings)
    result = runner.invoke(main, ["report", "--json", "--corpus", str(corpus), "--data", str(settings.data)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["little_kept"] == []
