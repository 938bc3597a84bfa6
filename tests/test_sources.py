from pathlib import Path

import pytest

from kb.config import shipped_corpus
from kb.errors import ConfigError
from kb.corpus_config.sources import LOCAL_SOURCE, load_sources, source_for


def test_shipped_sources_name_every_folder_of_the_corpus():
    sources = load_sources(shipped_corpus())
    assert len(sources) >= 4
    for source in sources:
        assert source.name and source.homepage and source.licence
        assert (shipped_corpus() / source.folder).is_dir(), source.id


def test_a_file_belongs_to_the_source_of_its_folder():
    sources = load_sources(shipped_corpus())
    assert source_for(Path("wellpath/migraine.html"), sources).id == "wellpath"
    assert source_for(Path("elsewhere/page.html"), sources) is LOCAL_SOURCE


def test_a_corpus_without_registry_has_no_sources(tmp_path):
    assert load_sources(tmp_path) == []


@pytest.mark.parametrize("text, message", [
    ('[[source]]\nid = "a"\nname = "A"\ncolour = "red"\n', "unknown key 'colour'"),
    ('[[source]]\nid = "Bad Id"\n', "key 'id'"),
    ('[[source]]\nid = "a"\n[[source]]\nid = "a"\n', "duplicate id 'a'"),
    ('[[source]]\nid = "a"\nname = 3\n', "key 'name' must be a string"),
    ("[[source]\n", "not valid TOML"),
])
def test_invalid_registry_names_file_and_key(tmp_path, text, message):
    (tmp_path / "sources.toml").write_text(text)
    with pytest.raises(ConfigError) as info:
        load_sources(tmp_path)
    assert message in str(info.value)
    assert "sources.toml" in str(info.value)


def test_trust_review_policy_and_attribution_are_read_and_checked(tmp_path):
    import pytest

    from kb.errors import ConfigError
    from kb.corpus_config.sources import load_sources

    (tmp_path / "sources.toml").write_text('[[source]]\nid = "a"\nname = "A"\ntrust = "under-review"\n'
                                           'review_months = 24\nattribution = "From A, CC BY"\nlanguage = "EN"\n')
    [source] = load_sources(tmp_path)
    assert (source.trust, source.review_months, source.attribution, source.language) == \
        ("under-review", 24, "From A, CC BY", "en")
    for bad, message in [('trust = "maybe"', "key 'trust' must be one of trusted, under-review, retired"),
                         ('review_months = "soon"', "key 'review_months' must be a whole number"),
                         ('reviewd = 3', "unknown key 'reviewd'")]:
        (tmp_path / "sources.toml").write_text(f'[[source]]\nid = "a"\nname = "A"\n{bad}\n')
        with pytest.raises(ConfigError, match=message) as caught:
            load_sources(tmp_path)
        assert str(tmp_path / "sources.toml") in str(caught.value)
