"""Per-source extraction rules from sources.toml."""


import pytest

from indexer.preview import extract_in_corpus
from kb.config import Settings
from kb.errors import ConfigError
from kb.corpus_config.sources import load_sources

PAGE = """<html><head><link rel="canonical" href="https://www.odd-site.example/gout"></head><body>
<div class="wrap"><div class="x1"><p>Gout is arthritis with sudden attacks of pain in the big toe joint.</p>
<p class="promo-inline">Buy our supplement today and save on every order this week.</p></div>
<div class="x2"><p>Our site newsletter copy that the generic rules would take for article text here.</p>
<p>More of it, long enough to look like prose to a generic extractor, which is the point.</p>
<p>And more of it again, so this block is the densest on the page by a clear margin.</p></div></div></body></html>"""

SOURCES = """[[source]]
id = "odd"
name = "Odd Site"
domains = ["odd-site.example"]
content_selector = "div.x1"
drop_selectors = ["p.promo-inline"]
date_order = "DMY"
"""


def test_content_and_drop_selectors_and_domain_matching(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "sources.toml").write_text(SOURCES)
    page = tmp_path / "elsewhere.html"
    page.write_text(PAGE)
    article = extract_in_corpus(page, Settings(corpus=corpus, data=tmp_path / "d"))
    text = "\n".join(s.text for s in article.sections)
    assert article.source == "odd"  # matched by the canonical URL's domain
    assert "big toe" in text and "supplement" not in text and "newsletter" not in text
    assert any(d.reason == "source:p.promo-inline" for d in article.dropped)


@pytest.mark.parametrize("entry, message", [
    ('content_selector = "div[[["', "invalid CSS selector"),
    ('drop_selectors = "p.x"', "must be a list of strings"),
    ('date_order = "YMD"', "date_order"),
])
def test_bad_rules_name_the_key(tmp_path, entry, message):
    (tmp_path / "sources.toml").write_text(f'[[source]]\nid = "odd"\n{entry}\n')
    with pytest.raises(ConfigError, match=message):
        load_sources(tmp_path)
