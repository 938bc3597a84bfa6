"""Server time of the readers' pages on the shipped corpus: the results page (with the answer
card, facets and pagination), the symptom page and the article page, rendered by the Flask app
in this process (no network), over reader-style queries from the symptom lists and their
single symptoms.

    python -m benchmarks.pages

Prints p50/p95/max per page type and writes benchmarks/results/pages.json.
"""

from __future__ import annotations

import json
import statistics
import time
import tomllib
from pathlib import Path
from urllib.parse import quote

from indexer.build import build_index
from kb.config import Settings, shipped_corpus
from web import create_app

HERE = Path(__file__).parent
CACHE = HERE / "cache" / "shipped"
RESULTS = HERE / "results"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    settings = Settings(corpus=shipped_corpus(), data=CACHE)
    build_index(settings)
    client = create_app({"KB_CORPUS": str(settings.corpus), "KB_DATA": str(settings.data),
                         "KB_RATE_LIMIT": "off"}).test_client()
    lists = [item["symptoms"] for item in tomllib.loads((HERE / "symptom_lists.toml").read_text())["list"]]
    singles = sorted({part.strip() for text in lists for part in text.split(",") if part.strip()})
    questions = [f"what causes {a}" for a in ("gout", "migraine", "kidney stones", "acne")] + \
                [f"how is {a} treated" for a in ("asthma", "eczema", "sciatica", "insomnia")]
    articles = [a["id"] for a in client.get("/api/articles").get_json()["articles"]]
    plan = {
        "/search": [f"/search?q={quote(q)}" for q in singles + questions + lists],
        "/symptoms": [f"/symptoms?q={quote(q)}" for q in lists],
        "/articles/<id>": [f"/articles/{a}?q=pain" for a in articles],
    }
    for urls in plan.values():  # warm caches (searchers, statistics, templates)
        for url in urls[:5]:
            client.get(url)
    figures = {}
    print(f"{'page':16} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, urls in plan.items():
        times = []
        for url in urls:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        row = {"requests": len(times), "p50_ms": round(statistics.median(times), 1),
               "p95_ms": round(percentile(times, 0.95), 1), "max_ms": round(max(times), 1)}
        figures[name] = row
        print(f"{name:16} {row['requests']:8} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['max_ms']:8.1f}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
