"""Web-archive benchmark: the same generated pages indexed as files and packed in a .warc.gz.

The pages of ``benchmarks.gencorpus`` are written once as HTML files (the usual corpus) and
once as one gzipped WARC, each page a request and a response record at its canonical
address, as a crawler writes them. Both corpora go through ``kb index --full`` as a real
process; the table shows pages/s for each and their ratio (the aim: the archive within 20%
of the files), the time to scan the archive alone, and a second run on the untouched corpus
(an archive that did not change is not read).

    python -m benchmarks.warc                    # 1,000 generated pages, --jobs 1
    python -m benchmarks.warc --pages 2000 --jobs 1 2

Writes benchmarks/results/warc.json.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from benchmarks.gencorpus import generate
from benchmarks.reindex import run_index
from indexer.warc import scan_archive
from kb.corpus_config.sources import load_sources

CACHE = Path(__file__).with_name("cache")
RESULTS = Path(__file__).with_name("results")
FETCHED = "2024-05-06T07:08:09Z"
_CANONICAL = re.compile(rb'<link rel="canonical" href="([^"]+)"')


def pack(corpus: Path, out: Path) -> int:
    """Write ``out``: a corpus holding the ``.html`` pages of ``corpus`` as one WARC, and its
    sources.toml. Returns the number of pages packed."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy(corpus / "sources.toml", out / "sources.toml")
    homepages = {source.folder: source.homepage for source in load_sources(corpus)}
    pages = sorted(corpus.rglob("*.html"))
    with open(out / "crawl.warc.gz", "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "benchmarks.warc"}))
        for path in pages:
            body = path.read_bytes()
            match = _CANONICAL.search(body)
            # A page without a canonical link is fetched at its site's address, so its source claims it.
            url = match[1].decode() if match else f"{homepages[path.parent.name].rstrip('/')}/{path.stem}"
            dated = {"WARC-Date": FETCHED}
            request = StatusAndHeaders(f"GET {url} HTTP/1.1", [("User-Agent", "benchmarks.warc")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request, warc_headers_dict=dated))
            response = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                   ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                          http_headers=response, warc_headers_dict=dated))
    return len(pages)


def indexed(corpus: Path, jobs: int) -> dict:
    """A full ``kb index`` of ``corpus`` into a fresh data folder, then a run on the untouched corpus."""
    data = Path(tempfile.mkdtemp(prefix="kb-warc-"))
    try:
        full = run_index(corpus, data, "--full", "--jobs", str(jobs), "--quiet")
        again = run_index(corpus, data, "--jobs", str(jobs), "--quiet")
    finally:
        shutil.rmtree(data, ignore_errors=True)
    pages = full["added"] + full["updated"]
    return {"pages": pages, "failed": full["failed"], "sections": full["sections"], "wall_s": full["wall_s"],
            "pages_per_s": round(pages / full["wall_s"], 1), "unchanged_run_s": again["wall_s"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1])
    args = parser.parse_args()
    files = CACHE / f"gen-{args.pages}-{args.seed}"
    if not (files / "sources.toml").is_file():
        print(f"generating {args.pages} pages into {files} …", flush=True)
        generate(files, args.pages, seed=args.seed)
    archived = CACHE / f"gen-{args.pages}-{args.seed}-warc"
    packed = pack(files, archived)
    archive = archived / "crawl.warc.gz"
    started = time.perf_counter()
    scan = scan_archive(archive)
    scan_s = time.perf_counter() - started
    print(f"{packed} pages packed into {archive} ({archive.stat().st_size / 1e6:.1f} MB, {scan.records} records); "
          f"scanning it alone takes {scan_s:.2f}s")

    rows = []
    print(f"\n{'jobs':>4} {'corpus':8} {'pages':>6} {'failed':>6} {'sections':>9} {'wall s':>8} {'pages/s':>8} "
          f"{'unchanged run s':>16}")
    for jobs in args.jobs:
        for name, corpus in (("files", files), ("warc.gz", archived)):
            run = {"jobs": jobs, "corpus": name, **indexed(corpus, jobs)}
            rows.append(run)
            print(f"{jobs:4} {name:8} {run['pages']:6} {run['failed']:6} {run['sections']:9} {run['wall_s']:8.1f} "
                  f"{run['pages_per_s']:8.1f} {run['unchanged_run_s']:16.2f}", flush=True)
        as_files, as_warc = rows[-2], rows[-1]
        ratio = as_warc["pages_per_s"] / as_files["pages_per_s"]
        as_warc["ratio_to_files"] = round(ratio, 3)
        verdict = "within" if ratio >= 0.8 else "NOT within"
        print(f"{'':4} warc.gz / files: {ratio:.2f} ({verdict} the 20% aim)")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "warc.json"
    out.write_text(json.dumps({"pages": packed, "archive_mb": round(archive.stat().st_size / 1e6, 1),
                               "scan_s": round(scan_s, 2), "runs": rows}, indent=2))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
