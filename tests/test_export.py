"""`kb export`: every section of the serving index, with its source's licence and attribution,
as JSON lines or CSV; filters; clear errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kb_cli import main

LICENCES = {"clearwords": ("CC BY 4.0", "Clear Words Health, shared under CC BY 4.0"),
            "denseprose": ("CC BY-SA 4.0", "© Dense Prose Library, CC BY-SA 4.0: share alike")}


def export(runner, settings, *args: str):
    return runner.invoke(main, ["export", "--corpus", str(settings.corpus), "--data", str(settings.data), *args])


def jsonl(runner, settings, *args: str) -> list[dict]:
    result = export(runner, settings, *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_jsonl_has_every_section_with_its_licence_and_attribution(runner, levels, levels_client):
    records = jsonl(runner, levels)
    articles = {a: levels_client.get(f"/api/articles/{a}").get_json() for a in ("dry-skin", "chronic-itch")}
    expected = {f"{a}#{s['anchor']}": s for a, data in articles.items() for s in data["sections"]}
    assert sorted(r["section_id"] for r in records) == sorted(expected)
    for record in records:
        section = expected[record["section_id"]]
        assert record["text"] == section["text"] and record["heading"] == section["heading"]
        assert (record["licence"], record["attribution"]) == LICENCES[record["source"]]
        assert record["reading_level"] == (section["reading"] or {}).get("level")
    overview = next(r for r in records if r["section_id"] == "dry-skin#overview")
    assert overview["source_name"] == "Clear Words Health" and overview["url"] == "https://clearwords.example/dry-skin"
    assert (overview["published"], overview["updated"], overview["reviewed"]) == ("2022-01-10", "2023-03-01", "2023-03-02")
    assert overview["page"] == "/articles/dry-skin#overview" and overview["reading_level"] == "easy"


def test_csv_round_trips_every_record(runner, levels):
    records = jsonl(runner, levels)
    result = export(runner, levels, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == list(records[0])  # the header names every field, in order
    as_text = [{key: "" if value is None else str(value) for key, value in record.items()} for record in records]
    assert rows == as_text


def test_filters_and_an_output_file(runner, levels, tmp_path):
    out = tmp_path / "itch.csv"
    result = export(runner, levels, "--source", "denseprose", "--format", "csv", "--output", str(out))
    assert result.exit_code == 0 and result.output == ""
    with out.open(encoding="utf-8", newline="") as lines:
        rows = list(csv.DictReader(lines))
    assert {row["article_id"] for row in rows} == {"chronic-itch"} and len(rows) == 2
    assert [r["section_id"] for r in jsonl(runner, levels, "--kind", "outlook")] == ["dry-skin#outlook"]
    assert jsonl(runner, levels, "--kind", "symptoms") == []


@pytest.mark.parametrize("args, code, message", [
    (["--source", "nowhere"], 2, "unknown source 'nowhere'"),
    (["--kind", "astrology"], 2, "'astrology' is not one of"),
    (["--format", "xml"], 2, "'xml' is not one of"),
])
def test_bad_arguments_are_usage_errors(runner, levels, args, code, message):
    result = export(runner, levels, *args)
    assert result.exit_code == code and message in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_no_index_and_an_unwritable_output_are_clear_errors(runner, levels, tmp_path):
    result = runner.invoke(main, ["export", "--corpus", str(levels.corpus), "--data", str(tmp_path / "empty")])
    assert result.exit_code == 1 and "run `kb index` first" in result.output
    result = export(runner, levels, "--output", str(tmp_path / "missing" / "out.jsonl"))
    assert result.exit_code == 1 and "cannot write" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "missing").exists()
