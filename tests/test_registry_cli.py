"""`kb sources list | show | check` for librarians."""

from __future__ import annotations

import json
import shutil

from indexer.build import build_index
from kb_cli import main
from kb.config import Settings, shipped_corpus


def test_list_and_show_on_the_shipped_corpus(runner, shipped):
    result = runner.invoke(main, ["sources", "list", "--json", "--data", str(shipped.data)])
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.output)}
    assert rows["wellpath"]["articles"] == 9 and rows["wellpath"]["sections"] > 50
    assert rows["familydigest"]["trust"] == "under-review" and rows["wellpath"]["last_indexed"]
    text = runner.invoke(main, ["sources", "show", "medbrook", "--data", str(shipped.data)]).output
    assert "review_months  36" in text and "Medbrook Clinic Library" in text
    missing = runner.invoke(main, ["sources", "show", "nope", "--data", str(shipped.data)])
    assert missing.exit_code == 1 and "no source 'nope'" in missing.output


def test_check_passes_on_the_shipped_corpus(runner, shipped):
    result = runner.invoke(main, ["sources", "check", "--data", str(shipped.data)])
    assert result.exit_code == 0 and "agree" in result.output


def test_check_reports_what_is_wrong(runner, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(shipped_corpus(), corpus)
    sources = corpus / "sources.toml"
    sources.write_text(sources.read_text() + '\n[[source]]\nid = "ghost"\nname = "Ghost"\nfolder = "ghost"\n'
                       '\n[[source]]\nid = "claims"\nname = "Claims"\ndomains = ["kb.example"]\n')
    (corpus / "loose.txt").write_text("Title: Loose page\n\nOverview\n\nA page outside every folder.\n")
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    build_index(settings)
    result = runner.invoke(main, ["sources", "check", "--corpus", str(corpus), "--data", str(settings.data)])
    assert result.exit_code == 1
    assert "source 'ghost': folder 'ghost' does not exist" in result.output
    assert "loose.txt: matches no source" in result.output
    assert "editorial/hemifacial-spasm.html: matches two sources: 'kb-editorial' by folder and 'claims'" \
        in result.output
    sources.write_text(sources.read_text() + '\n[[source]]\nid = "ghost"\nname = "Again"\n')
    duplicate = runner.invoke(main, ["sources", "check", "--corpus", str(corpus), "--data", str(settings.data)])
    assert duplicate.exit_code == 1 and "duplicate id 'ghost'" in duplicate.output
