"""Symptom search: splitting a reader's list, coverage ranking, the lay vocabulary, the
explanation, and the red-flag card — on the shipped corpus."""

from __future__ import annotations

import json

import pytest

from kb_cli import main
from kb.corpus_config.emergency import EmergencyList
from kb.search.symptoms import split_symptoms, symptom_search


def test_splitting_on_commas_semicolons_lines_and_and():
    assert split_symptoms("eyelid twitching, one side of the face; worse when tired\nringing in ears and dizziness") == \
        ["eyelid twitching", "one side of the face", "worse when tired", "ringing in ears", "dizziness"]


def test_and_inside_an_expression_does_not_split():
    assert split_symptoms("pins and needles in my fingers, pain on and off", keep=("pins and needles",)) == \
        ["pins and needles in my fingers", "pain on and off"]
    assert split_symptoms("itchy rash on my arms and legs, fever") == ["itchy rash on my arms and legs", "fever"]
    assert split_symptoms(" , ;\n") == []
    assert split_symptoms("Headache, headache") == ["Headache"]


def test_the_issue_example_ranks_hemifacial_spasm_first_with_evidence(shipped_index, shipped):
    page = symptom_search("eyelid twitching, one side of the face, worse when tired", index=shipped_index,
                          settings=shipped)
    first = page.conditions[0]
    assert first.article_id == "hemifacial-spasm"
    assert first.summary == "matches 3 of your 3 symptoms"
    for item in first.evidence:
        assert item.covered and "<mark>" in item.snippet and item.url.startswith("/articles/hemifacial-spasm#")
    assert [e.heading for e in first.evidence[:2]] == ["Symptoms", "Symptoms"]  # its symptoms section, first
    # Blepharospasm twitches both eyes: its article names "one side of the face" only to tell the two
    # apart, outside its symptoms section, and it ranks below.
    bleph = next(c for c in page.conditions if c.article_id == "blepharospasm")
    assert page.conditions.index(bleph) > 0
    side = next(e for e in bleph.evidence if e.symptom == "one side of the face")
    assert not side.covered or "symptom" not in side.heading.lower()


def test_conditions_are_ranked_by_how_many_symptoms_they_cover(shipped_index, shipped):
    page = symptom_search("burning in the chest after meals, sour taste in the mouth, cough at night",
                          index=shipped_index, settings=shipped)
    assert page.conditions[0].article_id == "gerd"
    counts = [c.covered for c in page.conditions]
    assert counts == sorted(counts, reverse=True)


def test_evidence_comes_from_the_whole_article_symptoms_sections_first(shipped_index, shipped):
    """A symptoms section is the preferred evidence; an overview that describes the signs counts too."""
    page = symptom_search("headache, tiredness, nausea, stiffness", index=shipped_index, settings=shipped)
    covered = [e for c in page.conditions for e in c.evidence if e.covered]
    assert len(covered) > 5
    with shipped_index.searcher() as searcher:
        kinds = [searcher.document(section_id=e.section_id)["kind"] for e in covered]
    assert kinds.count("symptoms") > len(kinds) / 2
    assert set(kinds) <= {"symptoms", "overview", "when-to-see-a-doctor", "causes", "other", "living-with"}


def test_lay_words_reach_medical_ones_through_synonyms(shipped_index, shipped):
    page = symptom_search("pins and needles in my fingers at night, weak grip", index=shipped_index, settings=shipped)
    assert page.symptoms == ["pins and needles in my fingers at night", "weak grip"]
    assert page.conditions[0].article_id == "carpal-tunnel-syndrome"


def test_typos_are_corrected(shipped_index, shipped):
    page = symptom_search("eyelid twiching, one side of the face", index=shipped_index, settings=shipped)
    assert page.corrected == {"eyelid twiching": "eyelid twitching"}
    assert page.conditions[0].article_id == "hemifacial-spasm"


def test_two_swapped_letters_are_one_slip(shipped_index, shipped):
    """"rahs" is rash with two letters swapped, not rays with one changed: the reader typed every
    letter of rash. Corrected, the rash is searched and skin conditions come first."""
    page = symptom_search("itchy rahs on my elbows, no fever", index=shipped_index, settings=shipped)
    assert page.corrected == {"itchy rahs on my elbows": "itchy rash on my elbows"}
    assert {"eczema", "psoriasis"} & {c.article_id for c in page.conditions[:2]}
    assert "hay-fever" not in [c.article_id for c in page.conditions[:3]]


def test_red_flags_bring_the_urgent_card(shipped_index, shipped):
    page = symptom_search("chest pain, sweating, feeling sick", index=shipped_index, settings=shipped)
    assert page.red_flags == ["chest pain"] and "emergency number" in page.urgent
    calm = symptom_search("itchy eyes, sneezing", index=shipped_index, settings=shipped)
    assert calm.red_flags == [] and calm.urgent == ""


def test_emergency_list_matching_ignores_fillers_and_endings():
    flags = EmergencyList.parse("# comment\nchest pain, pain in chest\ntrouble breathing, can't breathe\n")
    assert flags.match("Pain in my chest") == ["chest pain"]
    assert flags.match("I cant breathe properly") == ["trouble breathing"]
    assert flags.match("chest infection, painful knee") == []


def test_nothing_found_and_nothing_typed(shipped_index, shipped):
    page = symptom_search("zzqx blorf", index=shipped_index, settings=shipped)
    assert page.conditions == [] and "see a doctor" in page.message
    empty = symptom_search(" , ", index=shipped_index, settings=shipped)
    assert empty.symptoms == [] and "separated by commas" in empty.message


def test_no_certainty_language(shipped_index, shipped):
    page = symptom_search("eyelid twitching, one side of the face", index=shipped_index, settings=shipped)
    text = json.dumps(page.to_dict()).lower()
    assert "not a diagnosis" in text and "you have" not in text


def test_api_and_page(client):
    data = client.get("/api/symptoms?q=eyelid twitching, one side of the face, worse when tired").get_json()
    assert data["conditions"][0]["article_id"] == "hemifacial-spasm"
    assert data["conditions"][0]["summary"] == "matches 3 of your 3 symptoms"
    fields = client.get("/api/symptoms?s=eyelid twitching&s=one side of the face").get_json()
    assert fields["symptoms"] == ["eyelid twitching", "one side of the face"]
    html = client.get("/symptoms?q=eyelid twitching, one side of the face").get_data(as_text=True)
    assert "Hemifacial spasm" in html and "matches 2 of your 2 symptoms" in html and "not a diagnosis" in html
    assert "✓" in html and 'href="/articles/hemifacial-spasm#symptoms"' in html
    urgent = client.get("/symptoms?q=crushing chest pain, sweating").get_data(as_text=True)
    assert 'role="alert"' in urgent and urgent.index("Get help now") < urgent.index("Find matching conditions")
    assert client.get("/symptoms").status_code == 200


def test_symptom_text_is_escaped(client):
    html = client.get('/symptoms?q=<script>alert(1)</script>, eyelid twitching').get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_search_page_shows_the_urgent_card_too(client):
    html = client.get("/search?q=I can't breathe").get_data(as_text=True)
    assert "Get help now" in html
    assert client.get("/api/search?q=pain in my chest").get_json()["red_flags"] == ["chest pain"]
    assert "Get help now" not in client.get("/search?q=migraine").get_data(as_text=True)


@pytest.mark.parametrize("as_json", [False, True])
def test_cli(runner, shipped, as_json):
    args = ["symptoms", "eyelid twitching, one side of the face", "--data", str(shipped.data)]
    result = runner.invoke(main, args + (["--json"] if as_json else []))
    assert result.exit_code == 0, result.output
    if as_json:
        assert json.loads(result.output)["conditions"][0]["article_id"] == "hemifacial-spasm"
    else:
        assert "Hemifacial spasm: matches 2 of your 2 symptoms" in result.output and "✓ eyelid twitching" in result.output
