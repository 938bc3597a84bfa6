"""Readers who describe what they feel, on the shipped corpus: what was understood (removable
without JavaScript), whole-article evidence, negation, red flags first, and bad input."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from kb.corpus_config.vocabulary import hpo_vocabulary
from kb.search.describe import is_description, understand
from kb.search.query import search
from tests.conftest import indexed_corpus

STORY = ("For the past two weeks I have had a burning feeling in my chest after meals and a sour taste "
         "in my mouth. I don't have a fever.")


def test_named_condition_queries_are_not_read_as_descriptions():
    for query in ["symptoms of bell's palsy", "botox for face spasm", "how is asthma treated", "hemifacial spasm",
                  "ewing sarcoma treatment", "what causes gout"]:
        assert not is_description(query), query
    assert is_description(STORY)
    assert is_description("itchy rash on my arms, fever, sore joints, tired all the time")


def test_the_story_is_dropped_the_signs_kept_and_negation_honoured():
    parts = [(item.text, item.negated) for item in understand(STORY)]
    assert parts == [("a burning feeling in my chest after meals", False), ("a sour taste in my mouth", False),
                     ("a fever", True)]
    assert [(item.text, item.negated) for item in understand("no fever, chills or cough; my knee is swollen")] == \
        [("fever", True), ("chills or cough", True), ("my knee is swollen", False)]
    # "doesn't go away" is not a negation of the sign, nor is "hard not to scratch"; "what's causing it" is story.
    assert [item.negated for item in understand("a cough that doesn't go away")] == [False]
    assert [(item.words, item.negated) for item in understand("It's hard not to scratch. I'm not sure what's causing it.")] \
        == [(["scratch"], False)]


def test_one_sign_at_several_places_on_the_body_stays_one_sign():
    assert [item.text for item in understand("For weeks I've had a red rash on my arms and legs, and it itches.")] == \
        ["a red rash on my arms and legs", "it itches"]
    assert [item.text for item in understand("My skin and eyes have turned yellow and my pee is dark.")] == \
        ["My skin and eyes have turned yellow", "my pee is dark"]
    assert [item.text for item in understand("I get a rash on my arms, legs, and face plus a fever")] == \
        ["a rash on my arms, legs, and face", "a fever"]
    # A clause of places only says where the sign before it is felt.
    assert [item.words for item in understand("I have a sore jaw and neck.")] == [["sore", "jaw", "neck"]]
    assert [item.text for item in understand("I have flaky patches, mostly on my shins, wrists, and scalp.")] == \
        ["flaky patches, on my shins, wrists, and scalp"]
    # Two signs that happen to name places stay two.
    assert [item.text for item in understand("I have a sore throat and chest pain")] == ["a sore throat", "chest pain"]


def test_words_of_degree_name_the_same_sign(shipped):
    """"increased thirst" is the ontology's "Extreme thirst", "losing weight" its "Weight loss"; a
    sign two of its terms name ("Weight loss", "Decreased body weight") is searched once."""
    ranked = ranked_story(shipped, "I have been losing weight and I have increased thirst")
    assert ranked.also_searched == ["Weight loss", "Polydipsia"]
    assert ranked.articles[0][1] == "Type 2 diabetes"
    assert [item.to_dict()["matched_terms"] for item in understand("I have lost my appetite", hpo_vocabulary())] == \
        [["Poor appetite"]]


def test_listed_results_carry_the_same_fields_whether_highlighted_or_not(shipped_index):
    """Sections beyond the highlighted articles come from a cache of their listed fields, not a full read."""
    from dataclasses import replace

    story = "For two weeks my eyelid keeps twitching and one side of my face pulls, worse when I'm tired"
    pages = [search(story, index=shipped_index, limit=60, snippet_articles=span) for span in ((0, 100), (0, 0), (0, 0))]
    assert pages[0].description and len(pages[0].results) > 10
    plain = [[replace(hit, snippet="") for hit in page.results] for page in pages]
    assert plain[0] == plain[1] == plain[2]  # the second list filled the cache, the third read it
    assert all(hit.snippet for hit in pages[0].results) and not any(hit.snippet for hit in pages[1].results)


def test_a_described_story_finds_the_condition_and_says_what_was_understood(client):
    data = client.get("/api/search", query_string={"q": STORY}).get_json()
    assert data["description"] is True
    assert [(part["text"], part["negated"]) for part in data["understood"]][-1] == ("a fever", True)
    assert all(set(part) >= {"text", "matched_terms", "negated"} for part in data["understood"])
    assert data["results"][0]["article_id"] == "gerd"
    why = data["explanations"]["gerd"]
    assert why["covered"] == why["of"] == 2 and why["rare"] == ""
    assert "heartburn" in data["also_searched"]  # the reader's words, in the articles' words, shown


def test_negated_signs_are_not_evidence(shipped_index):
    with_fever = search("I have a fever, chills and a sore throat and my nose is blocked", index=shipped_index)
    without = search("I have chills and a sore throat and my nose is blocked, no fever", index=shipped_index)
    assert "fever" in {w for part in with_fever.understood for w in part["words"]}
    assert not any("fever" in part["words"] for part in without.understood if not part["negated"])


def test_only_negations_get_a_plain_message(client):
    data = client.get("/api/search", query_string={"q": "no fever, no cough"}).get_json()
    assert data["results"] == [] and data["message"].startswith("You told us only what you do not have")
    page = client.get("/symptoms", query_string={"q": "no fever, no cough"}).get_data(as_text=True)
    assert "You told us only what you do not have" in page


def test_chips_are_removable_with_plain_links(client):
    page = client.get("/search", query_string={"q": STORY}).get_data(as_text=True)
    assert "What we understood" in page and "not a diagnosis" in page
    links = re.findall(r'<a class="chip-remove" href="([^"]+)"', page)
    assert len(links) == 3
    removed = client.get(htmllib.unescape(links[1])).get_data(as_text=True)
    assert removed.count('class="chip-remove"') == 2
    assert "Put back what you removed (a sour taste in my mouth)" in removed
    data = client.get("/api/search", query_string={"q": STORY, "drop": "a sour taste in my mouth"}).get_json()
    assert [part["text"] for part in data["understood"]] == ["a burning feeling in my chest after meals",
                                                            "a fever"]


def test_symptoms_page_reads_a_description_with_whole_article_evidence(client):
    story = "I keep getting pins and needles in my hand at night and my grip feels weak"
    data = client.get("/api/symptoms", query_string={"q": story}).get_json()
    assert data["symptoms"] == ["pins and needles in my hand at night", "my grip feels weak"]
    first = data["conditions"][0]
    assert first["article_id"] == "carpal-tunnel-syndrome" and first["summary"] == "matches 2 of your 2 symptoms"
    assert all(e["covered"] and e["url"].startswith("/articles/carpal-tunnel-syndrome#") for e in first["evidence"])
    page = client.get("/symptoms", query_string={"q": story}).get_data(as_text=True)
    assert page.count('class="chip-remove"') == 2 and "not a diagnosis" in page


def test_red_flags_in_a_description_come_first(client):
    story = "For an hour I have had a crushing chest pain and I can't breathe properly, I am sweating a lot"
    for path in ("/search", "/symptoms"):
        page = client.get(path, query_string={"q": story}).get_data(as_text=True)
        assert 'role="alert"' in page and page.index("Get help now") < page.index("What we understood"), path
    assert client.get("/api/search", query_string={"q": story}).get_json()["red_flags"] == \
        ["chest pain", "trouble breathing"]


def test_a_rare_condition_is_labelled_from_its_own_page(tmp_path):
    from indexer.build import build_index
    from kb.config import Settings
    from web import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    page = ("<html><head><title>{0}</title></head><body><main><h1>{0}</h1><h2>Overview</h2><p>{1}</p>"
            "<h2>How common is it?</h2><p>{2}</p></main></body></html>")
    (corpus / "rare.html").write_text(page.format("Marble skin syndrome", "Itchy red patches on the elbows and knees "
                                                  "with silvery scales.", "It affects about 1 in 100,000 people."))
    (corpus / "common.html").write_text(page.format("Elbow eczema", "Itchy red patches on the elbows and knees, "
                                                    "dry skin.", "It is very common: about 1 in 10 people."))
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    build_index(settings)
    client = create_app({"KB_CORPUS": str(corpus), "KB_DATA": str(settings.data), "TESTING": True}).test_client()
    data = client.get("/api/search", query_string={"q": "I have itchy red patches on my elbows and knees"}).get_json()
    assert data["explanations"]["rare"]["rare"] == "rare condition (about 1 in 100,000 people)"
    assert data["explanations"]["common"]["rare"] == ""
    html = client.get("/search", query_string={"q": "I have itchy red patches on my elbows and knees"}).get_data(as_text=True)
    assert "Rare condition (about 1 in 100,000 people)" in html


@pytest.mark.parametrize("text", [
    "I have been feeling unwell and tired " * 140,                       # a 5,000-character story
    "Tengo fiebre y me duele la cabeza desde hace tres días",            # another language
    "I feel bad",                                                        # only filler
    "🤒🤕 🤧🤧 my 🦵 hurts",                                              # emoji
    "<script>alert(1)</script> my <b>knees</b> hurt <img src=x onerror=alert(2)>",  # HTML
])
@pytest.mark.parametrize("path", ["/search", "/symptoms", "/api/search", "/api/symptoms"])
def test_bad_descriptions_get_a_normal_page(client, path, text):
    response = client.get(path, query_string={"q": text})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    if path.startswith("/api/"):  # JSON carries the reader's text as data
        data = response.get_json()
        assert data.get("results", data.get("conditions")) is not None
    else:  # a page shows it escaped
        assert "<script>alert" not in body and "<img src=x" not in body


def test_a_lone_letter_between_emoji_and_tags_lists_no_condition(client):
    """What is left of "<b>x</b>" among emoji is no symptom: the reader is asked for one, rather
    than shown every page that mentions an X-ray."""
    data = client.get("/api/symptoms", query_string={"q": "😀😀 <b>x</b> 🙂"}).get_json()
    assert data["conditions"] == [] and data["symptoms"] == []
    assert data["message"].startswith("List what you feel")


def test_a_librarian_can_say_a_source_publishes_rare_conditions(tmp_path):
    from indexer.build import build_index
    from kb.config import Settings
    from web import create_app

    corpus = tmp_path / "corpus"
    for folder, title in (("rarepages", "Marble skin syndrome"), ("everyday", "Elbow eczema")):
        (corpus / folder).mkdir(parents=True)
        (corpus / folder / "page.html").write_text(
            f"<html><head><title>{title}</title></head><body><main><h1>{title}</h1><h2>Overview</h2>"
            "<p>Itchy red patches on the elbows and knees, dry flaky skin.</p></main></body></html>")
    (corpus / "sources.toml").write_text(
        '[[source]]\nid = "rarepages"\nname = "Rare pages"\nfolder = "rarepages"\nprevalence = "rare"\n\n'
        '[[source]]\nid = "everyday"\nname = "Everyday health"\nfolder = "everyday"\n')
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    build_index(settings)
    client = create_app({"KB_CORPUS": str(corpus), "KB_DATA": str(settings.data), "TESTING": True}).test_client()
    data = client.get("/api/search", query_string={"q": "I have itchy red patches on my elbows and knees"}).get_json()
    assert [hit["source"] for hit in data["results"]][:1] == ["everyday"]  # same evidence: the common one first
    assert data["explanations"]["rarepages-page"]["rare"].startswith("rare condition")
    symptoms = client.get("/api/symptoms", query_string={"q": "itchy red patches on elbows, dry flaky skin"}).get_json()
    assert [c["source"] for c in symptoms["conditions"]] == ["everyday", "rarepages"]


def test_a_long_description_from_the_symptoms_form_is_served_by_gunicorn(shipped):
    """The form takes 2,000 characters; encoded, that is longer than gunicorn's default request line."""
    import urllib.parse
    import urllib.request

    from tests.processes import gunicorn

    story = ("My knees “ache” — it’s worse on stairs; très mal… " * 50)[:2000]
    assert len(urllib.parse.quote(story)) > 4094  # gunicorn's default limit of a request line
    with gunicorn(shipped) as base:
        with urllib.request.urlopen(base + "/symptoms?q=" + urllib.parse.quote(story), timeout=30) as response:
            assert response.status == 200 and "What we understood" in response.read().decode()


def ranked_story(settings, story: str, limit: int = 10, **switches):
    """``rank_articles`` for ``story`` on the settings' index (``switches`` turn its steps off)."""
    from kb.index.handle import IndexHandle
    from kb.search.conditions import rank_articles
    from kb.search.description import understood_items

    index = IndexHandle.for_settings(settings)
    try:
        with index.session() as (searcher, stats):
            items = understood_items(story, index.synonyms.current())
            return rank_articles(searcher, stats, items, limit=limit, **switches)
    finally:
        index.close()


def page_text(tmp_path, path: str, story: str) -> str:
    """The HTML the web app answers ``path?q=story`` with, over the corpus of ``indexed_corpus``."""
    from web import create_app

    app = create_app({"KB_CORPUS": str(tmp_path / "corpus"), "KB_DATA": str(tmp_path / "data"), "TESTING": True,
                      "KB_RATE_LIMIT": "off"})
    return app.test_client().get(path, query_string={"q": story}).get_data(as_text=True)


def ranked_with_and_without(tmp_path, pages: dict[str, tuple[str, str]], story: str, switch: str):
    """Index ``pages`` (id → title, text) beside 300 filler pages in words of their own (so the best
    matches are a small share of the corpus, as in a real one), then rank ``story``'s conditions
    with the step ``switch`` of ``rank_articles`` off and on: (ids without, ranked with)."""
    import random

    syllables = ["ka", "lo", "mi", "ru", "te", "vo", "zu", "pe", "qa", "ni", "so", "fe"]
    chance = random.Random(7)
    files = {f"{name}.html": page for name, page in pages.items()}
    for number in range(300):
        words = [("".join(chance.choice(syllables) for _ in range(3))) for _ in range(25)]
        files[f"topic-{number}.html"] = (f"Topic {' '.join(words[:2])}", " ".join(words) + ".")
    settings = indexed_corpus(tmp_path, files)
    without = ranked_story(settings, story, **{switch: False})
    return [article_id for article_id, _title, _score in without.articles], ranked_story(settings, story)


def test_words_the_best_matches_share_lift_a_condition_told_in_other_words(tmp_path):
    """Pseudo-relevance feedback: the pages that fit the description best share words the reader
    did not use (here "bilirubin", "liver"); a page using those words, and only one of the reader's,
    comes before a page that merely repeats that one word."""
    pages = {
        "yellowing": ("Yellowing", "Yellow skin and dark urine happen when bilirubin builds up because the liver "
                                   "struggles. People also feel tired."),
        "blocked-bile": ("Blocked bile flow", "Yellow skin, dark urine and pale stools: bilirubin backs up from the "
                                              "liver when bile cannot drain."),
        "newborn-yellowing": ("Yellowing in newborns", "Yellow skin in a baby's first week as the young liver clears "
                                                       "bilirubin slowly; dark urine is rare."),
        "liver-inflammation": ("Liver inflammation", "The liver swells; blood tests show raised bilirubin and liver "
                                                     "enzymes. Many people feel tired."),
        "sleep-debt": ("Sleep debt", "Short nights leave people tired; tired drivers and tired workers make mistakes "
                                     "after night shifts."),
    }
    without, ranked = ranked_with_and_without(tmp_path, pages, "My skin has turned yellow, my urine is dark and "
                                              "I feel tired", "feedback")
    with_feedback = [article_id for article_id, _title, _score in ranked.articles]
    assert without.index("sleep-debt") < without.index("liver-inflammation")
    assert with_feedback.index("liver-inflammation") < with_feedback.index("sleep-debt")
    assert with_feedback[0] == "yellowing"


def test_a_condition_the_best_matches_name_comes_up_and_says_who_named_it(tmp_path):
    """The page of a condition may say little of what the reader feels while the pages that fit the
    story best all name it: here three liver pages describe the itching, fever and dark urine and
    name "Yellow skin disease", whose own page holds only the yellow skin. It rises above a page
    that holds more of the reader's words but that nobody names, and says which pages named it."""
    liver = ("Itching, fever and dark urine are common; many people then develop yellow skin disease, and "
             "some lose weight.")
    pages = {
        "liver-swelling": ("Liver swelling", "The liver swells. " + liver),
        "bile-duct-blockage": ("Bile duct blockage", "Bile cannot drain. " + liver),
        "liver-scarring": ("Liver scarring", "Scar tissue replaces liver tissue. " + liver),
        "yellow-skin-disease": ("Yellow skin disease", "Bilirubin builds up in the blood and the skin and the whites "
                                                       "of the eyes turn yellow."),
        "heat-rash": ("Heat rash", "Itching skin, fever in hot weather and dark urine from too little water; "
                                   "the itching spreads."),
    }
    without, ranked = ranked_with_and_without(tmp_path, pages, "I have itching and a fever, my urine is dark and "
                                              "my skin has turned yellow", "mentions")
    with_mentions = [article_id for article_id, _title, _score in ranked.articles]
    assert without.index("heat-rash") < without.index("yellow-skin-disease")
    assert with_mentions.index("yellow-skin-disease") < with_mentions.index("heat-rash")
    code = ranked.codes[with_mentions.index("yellow-skin-disease")]
    assert set(ranked.named_by[code]) == {"Liver swelling", "Bile duct blockage", "Liver scarring"}
    for path, said in (("/symptoms", "Named by pages that fit your symptoms: "),
                       ("/search", "Named by pages that fit your description: ")):
        page = page_text(tmp_path, path, "I have itching and a fever, my urine is dark and my skin has turned yellow")
        assert said in page and "Liver scarring" in page.split(said, 1)[1][:200], path


def test_a_condition_published_by_two_sources_is_listed_once(tmp_path):
    """Two sources' pages on hay fever are one condition to the reader: the best of them stands for
    it, and the next condition takes the other's place."""
    settings = indexed_corpus(tmp_path, {
        "one/hay-fever.html": ("Hay fever", "Sneezing, a runny nose and itchy eyes each spring when pollen is in the air."),
        "two/hay-fever.html": ("Hay fever", "Itchy eyes, sneezing and a runny nose come with pollen; some people cough."),
        "one/cold.html": ("Common cold", "A runny nose and sneezing for a week.")})
    ranked = ranked_story(settings, "I keep sneezing, my nose is runny and my eyes are itchy", limit=2)
    titles = [title for _id, title, _score in ranked.articles]
    assert titles == ["Hay fever", "Common cold"]


def test_a_page_named_after_one_of_the_readers_signs_gives_way_to_one_that_explains_them(tmp_path):
    """A reader who tells of a rash, a fever and aching joints is better served by a condition
    whose page explains them together than by the page about rashes, which repeats one of them."""
    pages = {
        "rashes": ("Rashes", "A rash changes the skin. A rash may itch; a rash can follow a fever or an "
                             "allergy, and some rashes are red and raised."),
        "spotted-fever": ("Spotted fever", "A fever comes first, then a red rash; aching joints and "
                                           "tiredness follow for a week."),
    }
    without, ranked = ranked_with_and_without(tmp_path, pages, "I have a rash all over, a high fever and my "
                                              "joints ache", "echoes")
    with_echoes = [article_id for article_id, _title, _score in ranked.articles]
    assert without[0] == "rashes"
    assert with_echoes[:2] == ["spotted-fever", "rashes"]
    assert ranked.echoed == {ranked.codes[1]}
    page = page_text(tmp_path, "/symptoms", "I have a rash all over, a high fever and my joints ache")
    assert page.index("Spotted fever") < page.index("Rashes") < page.index("A page about one of your symptoms")
