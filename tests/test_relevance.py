"""Readers' own words on the shipped corpus: intent, synonyms, aliases, typos, facets, suggestions."""

import json
from pathlib import Path

from kb.search.query import search
from kb_cli import main
from kb.index.handle import IndexHandle
from tests.conftest import indexed_corpus


def ids(page):
    return [hit.section_id for hit in page.results]


def test_lay_words_for_a_treatment(shipped_index):
    page = search("botox for face spasm", index=shipped_index)
    assert "hemifacial-spasm#botulinum-toxin-injections" in ids(page)[:3]


def test_typos_are_corrected_when_nothing_matches(shipped_index):
    page = search("hemifacal spazm", index=shipped_index)
    assert page.corrected == "hemifacial spasm"
    assert page.results[0].article_id == "hemifacial-spasm"


def test_corrections_are_found_in_memory_as_whoosh_finds_them_on_disk(shipped_index, monkeypatch):
    """The in-memory walk over the vocabulary finds exactly the words Whoosh's term table walk does,
    and another Whoosh version (internals off) takes the public walk with the same result."""
    from kb.index import whoosh_internals
    from kb.search.spelling import within

    cases = [("spazm", 1, 1), ("hemifacal", 2, 2), ("migrane", 2, 2), ("twitchng", 2, 2), ("zzzzzz", 1, 1),
             ("eyelid", 1, 1), ("a", 1, 1)]
    with shipped_index.searcher() as searcher:
        reader = searcher.reader()
        on_disk = {case: sorted(w.decode() if isinstance(w, bytes) else w
                                for w in reader.terms_within("spell", case[0], case[1], prefix=case[2]))
                   for case in cases}
        assert on_disk[("spazm", 1, 1)] == ["spasm"]
        for internals in (True, False):
            monkeypatch.setattr(whoosh_internals, "SUPPORTED", internals)
            for case in cases:
                assert sorted(within(reader, *case)) == on_disk[case], (case, internals)


def test_did_you_mean_when_the_rest_matches(shipped_index):
    page = search("migrane aura", index=shipped_index)
    assert page.suggestion == "migraine aura" and page.corrected is None


def test_medicine_names_are_not_fuzzed(shipped_index):
    page = search("celexa", index=shipped_index)
    assert page.suggestion is None and page.corrected is None


def test_intent_puts_the_asked_for_section_first(shipped_index):
    page = search("symptoms of bells palsy", index=shipped_index)
    assert ids(page)[0] == "bells-palsy#symptoms"
    page = search("how is migraine treated", index=shipped_index)
    assert page.intent == "treatment" and page.results[0].kind == "treatment"
    assert page.results[0].article_id == "migraine"


def test_question_words_do_not_change_the_answer(shipped_index):
    assert ids(search("what are the symptoms of asthma", index=shipped_index))[0] == \
        ids(search("asthma symptoms", index=shipped_index))[0]


def test_synonyms_expand_with_less_weight_and_are_reported(shipped_index):
    page = search("high blood sugar", index=shipped_index)
    assert page.results[0].article_id == "type-2-diabetes"
    assert "hyperglycemia" in page.also_searched


def test_article_aliases_find_the_article(shipped_index):
    page = search("spasmodic torticollis", index=shipped_index)
    assert page.results[0].article_id == "cervical-dystonia"


def test_synonym_file_is_reloaded_when_it_changes(shipped, tmp_path):
    synonyms = tmp_path / "synonyms.txt"
    synonyms.write_text("# test\nwobbly, tremor\n")
    handle = IndexHandle(shipped.index_dir, synonyms)
    assert search("zorblax", index=handle).results == []
    synonyms.write_text("# test\nwobbly, tremor\nzorblax, gout\n")
    assert search("zorblax", index=handle).results[0].article_id == "gout"
    handle.close()


def test_facets_and_source_filter(client):
    data = client.get("/api/search?q=migraine").get_json()
    assert data["facets"]["kind"] and data["facets"]["source"]
    filtered = client.get("/api/search?q=headache&source=medbrook").get_json()
    assert filtered["results"] and {r["source"] for r in filtered["results"]} == {"medbrook"}
    assert client.get("/api/search?q=x&source=nope").status_code == 400


def test_results_page_explains_itself(client):
    html = client.get("/search?q=how+is+eczema+treated").get_data(as_text=True)
    assert "Showing treatment sections first" in html
    html = client.get("/search?q=high+blood+sugar").get_data(as_text=True)
    assert "Also searched:" in html and "hyperglycemia" in html
    html = client.get("/search?q=hemifacal+spazm").get_data(as_text=True)
    assert "Showing results for <strong>hemifacial spasm</strong>" in html


def test_suggest_titles_by_prefix(client):
    data = client.get("/api/suggest?q=hemi").get_json()
    assert data["suggestions"][0]["text"] == "Hemifacial spasm"
    assert data["suggestions"][0]["url"] == "/articles/hemifacial-spasm"
    assert client.get("/api/suggest?q=h").get_json()["suggestions"] == []


def test_batch_mode_writes_a_trec_run(runner, shipped, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"qid": "Q1", "query": "botox for face spasm"}) + "\n" +
                       json.dumps({"qid": "Q2", "query": "heartburn"}) + "\n")
    run = tmp_path / "out.run"
    result = runner.invoke(main, ["search", "--queries", str(queries), "--run", str(run), "--limit", "20",
                                  "--data", str(shipped.data)])
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in run.read_text().splitlines()]
    assert lines[0][:2] == ["Q1", "Q0"] and lines[0][2].startswith("hemifacial-spasm.html#")
    q1 = [line[2] for line in lines if line[0] == "Q1"]
    assert len(q1) == len(set(q1)), "each top-level section is listed once"
    assert [int(line[3]) for line in lines if line[0] == "Q1"] == list(range(1, len(q1) + 1))


def test_section_numbers_follow_top_level_headings():
    from indexer.extract import extract

    html = ("<article><h1>T</h1><p>Lead text before any heading here.</p><h2>One</h2><p>a</p>"
            "<h3>One A</h3><p>b</p><h2>Two</h2><p>c</p></article>")
    article = extract(html.encode(), Path("t.html"))
    assert [(s.heading, s.number) for s in article.sections] == [("Overview", 0), ("One", 1), ("One A", 1), ("Two", 2)]


def test_a_real_word_the_corpus_does_not_use_is_not_turned_into_another(shipped_index):
    """"imagine" is no typo of "imaging", nor "strange" of "strong": an English word is left as
    written, and the reader sees that nothing matched rather than a wrong "did you mean"."""
    for query in ("imagine", "strange", "wedding"):
        page = search(query, index=shipped_index)
        assert page.corrected is None and page.suggestion is None and page.results == [], query
    assert search("hemifacal spazm", index=shipped_index).corrected == "hemifacial spasm"  # typos still are


def test_a_british_spelling_finds_the_american_one(tmp_path):
    settings = indexed_corpus(tmp_path, {"gut.html": ("Gut", "The cecum is the first part of the large bowel."),
                                         "steam.html": ("Steam burns", "Hot vapors scald the skin.")})
    handle = IndexHandle(settings.index_dir)
    try:
        assert search("caecum", index=handle).corrected == "cecum"  # beyond one edit from the first letters
        assert search("vapours", index=handle).corrected == "vapors"  # an English word, spelt the other way
        assert search("caecum", index=handle).results[0].article_id == "gut"
    finally:
        handle.close()


def test_a_known_word_in_another_form_is_not_corrected(shipped_index):
    page = search("eyelid twitches paining", index=shipped_index)  # "paining": pain, in another form
    assert page.corrected is None and page.suggestion is None


def test_the_english_word_list_is_read_whole():
    """Read in pieces, the list loses no word at a piece's edge (and invents none)."""
    import gzip
    import importlib.resources
    import re

    from kb.corpus_config.english import RESOURCE, english_hashes, is_english

    listed = json.loads(gzip.decompress(importlib.resources.files(RESOURCE[0]).joinpath(RESOURCE[1]).read_bytes()))
    words = [word for word in listed if re.fullmatch(r"[a-z'-]+", word)]
    assert len(english_hashes()) == len(set(words)) > 100_000
    assert all(is_english(word) for word in words[::97])
    assert not any(is_english(word) for word in ("apetite", "palipatations", "hemifacal", "Woozy"))
