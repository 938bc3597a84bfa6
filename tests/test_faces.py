"""The results page, its JSON twin and `kb search` are three faces of one results function:
they list the same articles in the same order, collapse the same copies and carry the same cards."""

import json
import re

import pytest

from kb_cli import main

READER_MIX = ["eyelid twitching", "botox for face spasm", "what causes gout", "itchy rash on elbows",
              "how is asthma treated", "migrane with aura", "kidney stone pain", "pins and needles in fingers",
              "heartburn after meals", "ringing in ears", "can't sleep", "sneezing and itchy eyes",
              "symptoms of bell's palsy", "chest pain and cant breathe", "zzqx",
              "For a week my knees have been stiff in the morning and they creak when I climb stairs, no fever"]


def page_articles(client, query: str) -> list[str]:
    html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    return re.findall(r'<h2 class="result-title"><a href="/articles/([^"?]+)\?q=', html)


def articles_of(data: dict) -> list[str]:
    return list(dict.fromkeys(hit["article_id"] for hit in data["results"]))


@pytest.mark.parametrize("query", READER_MIX)
def test_page_api_and_cli_list_the_same_articles_in_the_same_order(client, runner, shipped, query):
    on_page = page_articles(client, query)
    api = client.get("/api/search", query_string={"q": query}).get_json()
    result = runner.invoke(main, ["search", query, "--json", "--corpus", str(shipped.corpus),
                                  "--data", str(shipped.data)])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    assert articles_of(api) == on_page
    assert articles_of(cli) == on_page
    assert cli["results"] == api["results"]
    assert (cli["answer"], cli["red_flags"]) == (api["answer"], api["red_flags"])
    assert (cli["understood"], cli["explanations"]) == (api["understood"], api["explanations"])


def test_every_face_shows_the_urgent_card_and_the_answer_card(client, runner, shipped):
    api = client.get("/api/search", query_string={"q": "chest pain and cant breathe"}).get_json()
    assert api["red_flags"] and "emergency" in api["urgent"]
    answer = client.get("/api/search", query_string={"q": "symptoms of hemifacial spasm"}).get_json()["answer"]
    assert answer["article_id"] == "hemifacial-spasm" and answer["kind"] == "symptoms"
    text = runner.invoke(main, ["search", "symptoms of hemifacial spasm", "--corpus", str(shipped.corpus),
                                "--data", str(shipped.data)]).output
    assert "Hemifacial spasm › " in text.split("\n\n")[1]


def test_limit_takes_sections_from_the_same_ranking(client):
    whole = client.get("/api/search", query_string={"q": "knee pain"}).get_json()
    first = client.get("/api/search", query_string={"q": "knee pain", "limit": 4}).get_json()
    assert [h["section_id"] for h in first["results"]] == [h["section_id"] for h in whole["results"]][:4]
    assert all(hit["snippet"] for hit in first["results"])


@pytest.mark.parametrize("query, level", [("migraine", "easy"), ("knee pain", "fairly-easy"),
                                          ("itchy rash, fever, sore joints", "easy")])
def test_faces_agree_on_a_reading_level_filter(client, runner, shipped, query, level):
    api = client.get("/api/search", query_string={"q": query, "level": level}).get_json()
    result = runner.invoke(main, ["search", query, "--level", level, "--json", "--corpus", str(shipped.corpus),
                                  "--data", str(shipped.data)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"] == api["results"]
    html = client.get("/search", query_string={"q": query, "level": level}).get_data(as_text=True)
    assert re.findall(r'<h2 class="result-title"><a href="/articles/([^"?]+)\?q=', html) == articles_of(api)
    assert api["results"] and all(hit["reading"]["level"] == level for hit in api["results"])
