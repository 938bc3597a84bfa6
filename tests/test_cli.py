"""The `kb` command through click's runner."""

import json

from kb_cli import main


def test_index_then_search_json(runner, tmp_path):
    data = tmp_path / "data"
    result = runner.invoke(main, ["index", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "36 added" in result.output and "0 failed" in result.output
    result = runner.invoke(main, ["search", "botulinum toxin injections", "--json", "--data", str(data)])
    assert result.exit_code == 0, result.output
    page = json.loads(result.output)
    assert page["results"][0]["kind"] == "treatment"
    assert "<mark>" in page["results"][0]["snippet"]


def test_environment_is_used_when_no_flag(runner, shipped):
    result = runner.invoke(main, ["search", "heartburn", "--limit", "2"], env={"KB_DATA": str(shipped.data)})
    assert result.exit_code == 0, result.output
    assert "\nGERD (gastroesophageal reflux disease)  (WellPath Health)" in result.output


def test_search_kind_filter_and_text_output(runner, shipped):
    result = runner.invoke(main, ["search", "migraine", "--kind", "treatment", "--data", str(shipped.data)])
    assert result.exit_code == 0, result.output
    assert "[treatment]" in result.output and "[diagnosis]" not in result.output


def test_search_without_index_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["search", "migraine", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "kb index" in result.output


def test_bad_flags_are_usage_errors(runner, shipped):
    result = runner.invoke(main, ["search", "x", "--kind", "astrology", "--data", str(shipped.data)])
    assert result.exit_code == 2
    result = runner.invoke(main, ["search", "x", "--limit", "0", "--data", str(shipped.data)])
    assert result.exit_code == 2


def test_index_reports_bad_files_and_goes_on(runner, trap, tmp_path):
    args = ["index", "--corpus", str(trap.corpus), "--data", str(tmp_path), "--force"]
    result = runner.invoke(main, args)
    assert result.exit_code == 1, result.output  # published, but files failed
    assert "skipped site/binary-junk.html: binary" in result.output
    assert "2 articles" in result.output and "published" in result.output
    assert result.output.rstrip().endswith("--allow-failures to accept them)")
    assert "failed files:\n  site/binary-junk.html" in result.output
    result = runner.invoke(main, args + ["--allow-failures"])
    assert result.exit_code == 0, result.output
    assert "2 failed" in result.output and "nothing changed" in result.output


def test_gate_refuses_a_corpus_where_many_files_fail(runner, trap, tmp_path):
    result = runner.invoke(main, ["index", "--corpus", str(trap.corpus), "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "not published: 2 of 4 files failed" in result.output and "--force" in result.output
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_index_of_missing_corpus_fails_clearly(runner, tmp_path):
    result = runner.invoke(main, ["index", "--corpus", str(tmp_path / "nope"), "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "corpus folder not found" in result.output


def test_extract_shows_kept_and_dropped(runner):
    from kb.config import shipped_corpus
    page = shipped_corpus() / "wellpath" / "migraine.html"
    result = runner.invoke(main, ["extract", str(page), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["source"] == "wellpath"
    assert data["sections"][1]["kind"] == "symptoms"
    assert any(d["reason"].startswith("name:related") for d in data["dropped"])
    result = runner.invoke(main, ["extract", str(page)])
    assert "## Signs and symptoms  [symptoms]" in result.output and "Dropped" in result.output
