"""Search as a library call: readers' questions, bad input, kind filter, safe snippets."""

import re

import pytest

from kb.search.query import search
from kb.errors import IndexMissing
from kb.config import Settings


def articles_in_order(page):
    return list(dict.fromkeys(hit.article_id for hit in page.results))


def test_lay_description_finds_hemifacial_spasm_first(shipped_index):
    page = search("eyelid twitching on one side of the face", index=shipped_index, limit=30)
    assert articles_in_order(page)[0] == "hemifacial-spasm"
    group = page.grouped()[0]
    assert "symptoms" in [hit.kind for hit in group.hits]


def test_question_words_do_not_stop_a_multi_word_question(shipped_index):
    page = search("what are the symptoms of hemifacial spasm", index=shipped_index)
    assert page.total > 0
    assert articles_in_order(page)[0] == "hemifacial-spasm"
    assert "hemifacial-spasm#symptoms" in [hit.section_id for hit in page.results]


def test_unknown_words_do_not_hide_the_rest(shipped_index):
    page = search("zzqxj migraine aura", index=shipped_index)
    assert articles_in_order(page)[0] == "migraine"


def test_treatment_query_returns_treatment_sections_with_marks(shipped_index):
    page = search("botulinum toxin injections", index=shipped_index)
    best_of_each = [group.hits[0] for group in page.grouped()[:4]]
    assert all(hit.kind == "treatment" for hit in best_of_each), [(h.section_id, h.kind) for h in best_of_each]
    assert all("<mark>" in hit.snippet for hit in best_of_each)
    assert {"hemifacial-spasm", "blepharospasm"} <= {hit.article_id for hit in page.results}


def test_kind_filter_keeps_only_that_kind(shipped_index):
    page = search("migraine", index=shipped_index, kind="diagnosis", limit=20)
    assert page.results and all(hit.kind == "diagnosis" for hit in page.results)


def test_unknown_kind_is_refused(shipped_index):
    with pytest.raises(ValueError, match="unknown section kind"):
        search("migraine", index=shipped_index, kind="astrology")


def test_one_article_cannot_fill_the_page(shipped_index):
    page = search("migraine", index=shipped_index, limit=20)
    counts = {}
    for hit in page.results:
        counts[hit.article_id] = counts.get(hit.article_id, 0) + 1
    assert max(counts.values()) <= 3
    assert len(counts) > 1


def test_result_shape_and_urls(shipped_index):
    hit = search("heartburn", index=shipped_index).results[0]
    data = hit.to_dict()
    for key in ("article_id", "title", "section_id", "heading", "kind", "score", "snippet", "url"):
        assert key in data
    article_id, anchor = hit.section_id.split("#")
    assert hit.url == f"/articles/{article_id}#{anchor}"


@pytest.mark.parametrize("query", [
    "AND", "OR", "NOT", "*", "field:", "a" * 5000, "%E0%A4%A", "\ud800", "🙂🙂", "   ", "", "- + ~ ^ ?",
])
def test_weird_queries_get_a_plain_message(shipped_index, query):
    page = search(query, index=shipped_index)
    assert page.results == [] and page.total == 0
    assert page.message.startswith(("Type a few words", "Those words are too common", "No sections match"))


@pytest.mark.parametrize("query", ['"unbalanced quote', "(unbalanced paren"])
def test_stray_quotes_and_parentheses_change_nothing(shipped_index, query):
    plain = search(query.strip('"('), index=shipped_index)
    assert articles_in_order(search(query, index=shipped_index)) == articles_in_order(plain)


@pytest.mark.parametrize("query", ["title:migraine)", "migraine\x00\x07\x1b[31m", "*migraine* AND (aura"])
def test_syntax_around_a_real_word_is_read_as_words(shipped_index, query):
    page = search(query, index=shipped_index)
    assert articles_in_order(page)[0] == "migraine"
    assert "\x00" not in page.query and "\x1b" not in page.query


def test_quoted_phrase_still_finds_its_words(shipped_index):
    page = search('"acid reflux"', index=shipped_index)
    assert articles_in_order(page)[0] == "gerd"


def test_snippets_escape_page_text(trap_index):
    page = search("xss onerror script alert", index=trap_index)
    assert page.results
    for hit in page.results:
        # The only tags are our own <mark>s; the page's own markup arrives as text.
        assert re.fullmatch(r"(?:[^<>]|</?mark>)*", hit.snippet), hit.snippet
    assert any("&lt;" in hit.snippet for hit in page.results)


def test_search_without_an_index_says_so(tmp_path):
    with pytest.raises(IndexMissing, match="kb index"):
        search("migraine", settings=Settings(corpus=tmp_path, data=tmp_path))
