"""Reading levels as readers and librarians meet them: the grade of a section, its band on the
article page, in results and in the API, the level= filter, and the hardest articles in the report."""

from __future__ import annotations

import json
import re

import pytest

from indexer.readability import reading_grade, sentence_count, syllables
from kb.model import reading_level
from kb_cli import main

PLAIN = ("Drink water through the day. Rest when you feel tired. Eat small meals if your tummy is upset. "
         "Wash your hands often. Ask a nurse if you are not sure what to do. Most people get better in a week "
         "or two. Call a doctor if you feel worse.")
DENSE = ("Pharmacological management of persistent inflammatory conditions necessitates individualised "
         "consideration of comorbidities, concomitant medications and anticipated therapeutic responses. "
         "Immunosuppressive interventions, particularly corticosteroids administered systemically, "
         "may precipitate considerable metabolic, cardiovascular and musculoskeletal complications. "
         "Consequently, specialists generally recommend the minimum effective dosage for the shortest "
         "appropriate duration, accompanied by regular monitoring.")


@pytest.mark.parametrize("word, count", [("rest", 1), ("make", 1), ("table", 2), ("loved", 1), ("needed", 2),
                                         ("takes", 1), ("doses", 2), ("rhythm", 1), ("medication", 4)])
def test_syllables_are_estimated_from_vowel_groups_and_silent_endings(word, count):
    assert syllables(word) == count


def test_plain_text_grades_easy_and_dense_text_difficult():
    assert reading_level(reading_grade(PLAIN)) == "easy"
    assert reading_level(reading_grade(DENSE)) == "difficult"


def test_a_section_too_short_to_judge_gets_no_grade():
    assert reading_grade("Most people recover within a week. Rest helps.") is None
    assert reading_grade(" ".join(["word"] * 60)) is None  # one sentence, however long


def test_list_items_and_lines_are_sentences_but_abbreviations_and_decimals_do_not_end_one():
    assert sentence_count("You may notice:\n- a rash\n- a fever") == 3
    assert sentence_count("Take 2.5 ml, e.g. with food. Then rest.") == 2


@pytest.mark.parametrize("grade, level", [(0.0, "easy"), (8.9, "easy"), (9.0, "fairly-easy"), (12.9, "fairly-easy"),
                                          (13.0, "difficult"), (None, None)])
def test_bands_cut_at_grades_9_and_13(grade, level):
    assert reading_level(grade) == level


def band_of(html: str, anchor: str) -> str | None:
    """The band shown under a section's heading on the article page (None: no band)."""
    part = html.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]
    found = re.search(r'<span class="reading reading--[a-z-]+" title="([^"]+)">([^<]+)<', part)
    return found and f"{found.group(2)} | {found.group(1)}"


def test_article_page_shows_each_sections_band_with_the_grade_in_a_tooltip(levels_client):
    html = levels_client.get("/articles/dry-skin").get_data(as_text=True)
    assert band_of(html, "overview").startswith("Easy to read | Flesch–Kincaid reading grade ")
    assert band_of(html, "how-dry-skin-is-assessed").startswith("Difficult | ")
    assert band_of(html, "outlook") is None  # one sentence: no level rather than a misleading one
    assert "(reading grade " in html  # spoken by screen readers, not only in the tooltip


def test_article_api_gives_each_section_its_reading(levels_client):
    sections = {s["anchor"]: s for s in levels_client.get("/api/articles/dry-skin").get_json()["sections"]}
    easy = sections["overview"]["reading"]
    assert easy["level"] == "easy" and easy["label"] == "Easy to read" and easy["grade"] < 9
    assert sections["how-dry-skin-is-assessed"]["reading"]["level"] == "difficult"
    assert sections["outlook"]["reading"] is None and "grade" not in sections["outlook"]


def test_results_show_bands_and_the_api_gives_the_reading(levels_client):
    html = levels_client.get("/search", query_string={"q": "dry skin"}).get_data(as_text=True)
    assert ">Easy to read<" in html and ">Difficult<" in html
    hits = levels_client.get("/api/search", query_string={"q": "dry skin"}).get_json()["results"]
    by_id = {hit["section_id"]: hit["reading"] for hit in hits}
    assert by_id["dry-skin#overview"]["level"] == "easy"
    assert by_id["dry-skin#how-dry-skin-is-assessed"]["label"] == "Difficult"


def test_level_easy_keeps_only_easy_sections_on_every_face(levels_client, runner, levels):
    query = {"q": "skin", "level": "easy"}
    api = levels_client.get("/api/search", query_string=query).get_json()
    assert api["results"] and {hit["reading"]["level"] for hit in api["results"]} == {"easy"}
    assert api["filters"]["level"] == "easy"
    assert "chronic-itch" not in {hit["article_id"] for hit in api["results"]}
    result = runner.invoke(main, ["search", "skin", "--level", "easy", "--json", "--corpus", str(levels.corpus),
                                  "--data", str(levels.data)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"] == api["results"]
    html = levels_client.get("/search", query_string=query).get_data(as_text=True)
    shown = re.findall(r'<a class="section-link" href="/articles/([^"?]+)\?q=skin#([^"]+)"', html)
    assert [f"{a}#{b}" for a, b in shown] == [hit["section_id"] for hit in api["results"]]
    assert ">Difficult<" not in html


def test_the_level_filter_is_a_plain_link_that_can_be_removed(levels_client):
    html = levels_client.get("/search", query_string={"q": "skin", "kind": "overview"}).get_data(as_text=True)
    nav = html.split('aria-label="Filter by reading level"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/search?q=skin&amp;kind=overview&amp;level=easy"' in nav
    filtered = levels_client.get("/search?q=skin&kind=overview&level=easy").get_data(as_text=True)
    nav = filtered.split('aria-label="Filter by reading level"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/search?q=skin&amp;kind=overview">Any reading level</a>' in nav
    assert 'level=easy" aria-current="page">Easy to read' in nav


def test_an_unknown_level_is_the_readers_error_not_a_crash(levels_client, runner, levels):
    assert levels_client.get("/api/search?q=skin&level=hard").get_json()["status"] == 400
    assert levels_client.get("/search?q=skin&level=%3Cscript%3E").status_code == 400
    result = runner.invoke(main, ["search", "skin", "--level", "hard", "--data", str(levels.data)])
    assert result.exit_code == 2 and "easy" in result.output


def test_report_lists_the_hardest_article_first(runner, levels):
    result = runner.invoke(main, ["report", "--json", "--corpus", str(levels.corpus), "--data", str(levels.data)])
    assert result.exit_code == 0, result.output
    hardest = json.loads(result.output)["hardest"]
    assert [item["id"] for item in hardest] == ["chronic-itch", "dry-skin"]
    assert hardest[0]["grade"] > hardest[1]["grade"] and hardest[1]["sections_graded"] == 3
    text = runner.invoke(main, ["report", "--corpus", str(levels.corpus), "--data", str(levels.data)]).output
    assert "Hardest to read (average reading grade): 2\n  id=chronic-itch" in text
