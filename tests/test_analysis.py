"""The index's analysis and the speed-ups around Whoosh: each must give exactly what the
plain Whoosh way gives, or readers' searches would silently change."""

from __future__ import annotations

import tempfile

import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.support.charset import accent_map

from kb.config import shipped_corpus
from kb.search.ranking import read_postings
from kb.index.schema import SPELLING_PATTERN, build_schema, chained_analyzer, spelling_analyzer, text_analyzer
from kb.search.snippets import marked_spans

SAMPLES = [
    "Ménière's disease: vertigo, tinnitus and THE feeling of fullness — type 2 diabetes, x_ray, naïve",
    "What are the symptoms of eyelid twitching? It's often worse when tired; don't rub your eyes.",
    "",
    "   ",
    "Café-au-lait spots (CALS) in 3 of 10 children",
]


def _tokens(analyzer, text: str, **options) -> list[tuple]:
    return [(t.text, getattr(t, "pos", None), getattr(t, "startchar", None), getattr(t, "endchar", None),
             t.stopped, getattr(t, "original", None)) for t in analyzer(text, **options)]


def _corpus_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(shipped_corpus().rglob("*.html"))[:12]]


@pytest.mark.parametrize("options", [{}, {"positions": True, "chars": True}, {"removestops": False, "positions": True},
                                     {"keeporiginal": True, "chars": True}])
def test_fused_text_analyzer_gives_the_chains_tokens(options):
    fused, chain = text_analyzer(), chained_analyzer()
    for text in SAMPLES + _corpus_texts():
        assert _tokens(fused, text, **options) == _tokens(chain, text, **options)


def test_fused_spelling_analyzer_gives_the_chains_tokens():
    chain = RegexTokenizer(SPELLING_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)
    for text in SAMPLES + _corpus_texts():
        assert _tokens(spelling_analyzer(), text, positions=True, chars=True) == \
            _tokens(chain, text, positions=True, chars=True)


def test_postings_read_in_bulk_equal_whooshs_own_across_segments():
    docs = [{"section_id": f"a{i}#s", "article_id": f"a{i}", "title": "Gout", "heading": "Symptoms",
             "body": " ".join(["joint pain"] * (i % 7 + 1) + ["swelling"] * (i % 3)), "kind": "symptoms"}
            for i in range(700)]  # several 128-posting blocks per word
    with tempfile.TemporaryDirectory() as folder:
        ix = whoosh_index.create_in(folder, build_schema())
        for start in (0, 400):  # two segments, like an incremental update
            writer = ix.writer()
            for doc in docs[start:start + (400 if start == 0 else 300)]:
                writer.add_document(**doc)
            writer.commit(merge=False)
        with ix.reader() as reader:
            assert not reader.is_atomic()
            for word in ("joint", "pain", "swell", "gout", "absent"):
                ids, weights = read_postings(reader, "body", word)
                expected = list(reader.postings("body", word).items_as("weight")) \
                    if reader.doc_frequency("body", word) else []
                assert list(ids) == [d for d, _ in expected]
                assert list(weights) == [w for _, w in expected]


def test_marked_words_are_the_ones_whose_index_term_matches():
    text = "Twitching eyelids: an eyelid twitches when tired; twitchy feelings"
    spans = [text[a:b] for a, b in marked_spans(text, {"twitch", "eyelid"})]
    assert spans == ["Twitching", "eyelids", "eyelid", "twitches"]


@pytest.mark.parametrize("text", SAMPLES + _corpus_texts())
def test_marked_words_are_every_word_whose_analysis_matches(text):
    """The quick scan (only words that begin as a searched term does are analysed) marks exactly the
    words that analysing every word marks: accents, capitals, digits, underscores and all."""
    from kb.search.snippets import _TOKEN, analysed

    terms = [analysed(token) for token in _TOKEN.findall(text)]
    for words in ({t for t in terms[::3] if t}, {t for t in terms[1::7] if t} | {"menier", "cafe", "2", "naiv"}):
        every = [match.span() for match in _TOKEN.finditer(text) if analysed(match.group(0)) in words]
        assert marked_spans(text, words) == every


def test_snippet_fragments_never_repeat_text_and_mark_every_shown_word():
    from kb.search.snippets import snippet

    body = ("Common signs include: • blinking more often than usual, or eyes that keep twitching • eyelids that "
            "squeeze shut and are hard to open • eye irritation, grittiness or dry eyes, especially early on • "
            "sensitivity to bright light and eyes watering a lot more than they did before in the day")
    marked = snippet({"body": body}, ["eye", "eyelid", "twitch"])
    plain = marked.replace("<mark>", "").replace("</mark>", "")
    assert plain.count("especially early on") == 1
    assert "dry <mark>eyes</mark>" in marked
