from pathlib import Path

from kb.config import Settings, shipped_corpus


def test_shipped_corpus_is_found_from_the_checkout():
    corpus = shipped_corpus()
    assert (corpus / "sources.toml").is_file()
    assert len(list(corpus.rglob("*.html"))) + len(list(corpus.glob("*/*.txt"))) >= 30


def test_defaults_without_flags_or_environment():
    settings = Settings.load(env={})
    assert settings.corpus == shipped_corpus()
    assert settings.data == Path("kb-data")


def test_environment_overrides_defaults():
    settings = Settings.load(env={"KB_CORPUS": "/srv/corpus", "KB_DATA": "/srv/data"})
    assert settings.corpus == Path("/srv/corpus")
    assert settings.data == Path("/srv/data")
    assert settings.index_dir == Path("/srv/data/index")


def test_flags_win_over_environment():
    settings = Settings.load(corpus="/mine", data="/mydata", env={"KB_CORPUS": "/srv/corpus", "KB_DATA": "/srv/data"})
    assert settings.corpus == Path("/mine")
    assert settings.data == Path("/mydata")
