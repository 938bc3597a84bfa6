"""Boilerplate removal: what must stay and what must go, on the shipped templates and on tiny pages."""

from pathlib import Path

import pytest

from indexer.extract import extract
from kb.config import shipped_corpus
from kb.errors import ExtractionError


def page_text(article) -> str:
    return "\n".join([s.heading for s in article.sections] + [s.text for s in article.sections])


def extract_file(relative: str):
    path = shipped_corpus() / relative
    return extract(path.read_bytes(), path)


def extract_html(html: str, name: str = "page.html"):
    return extract(html.encode(), Path(name))


# Each shipped site template, with furniture that must be gone and text that must stay.
TEMPLATES = {
    "wellpath/migraine.html": {
        "gone": ["We use cookies", "Share now", "Was this article helpful", "You might also like",
                 "Conditions A–Z", "Medically reviewed by", "Advertisement", "does not replace professional",
                 "Sample content written for", "Tension headache: how it differs"],
        "kept": ["Signs and symptoms", "Treatment options", "aura"],
    },
    "medbrook/bells-palsy.html": {
        "gone": ["Popular Topics", "FREE e-Newsletter", "Read also", "Print this page", "Email to a friend",
                 "Copyright", "Health A-Z", "Last updated", "not a substitute for professional"],
        "kept": ["Symptoms", "When to Seek Medical Care", "Medicines", "corticosteroid"],
    },
    "familydigest/hay-fever.html": {
        "gone": ["This site uses cookies", "Share now", "Recommended for you", "weekly family health tips",
                 "Was this article helpful", "You might also like", "comments", "Popular this week",
                 "Disclaimer", "Follow us"],
        "kept": ["Common symptoms", "Antihistamines", "sneez"],
    },
    "riverside/acne.txt": {
        "gone": ["Skip to main content", "Share this page", "Was this page helpful", "Related pages",
                 "Home > Conditions", "©"],
        "kept": ["What is acne?", "Creams and gels", "blackheads"],
    },
    "editorial/hemifacial-spasm.html": {
        "gone": ["Sample content written for", "Written by"],
        "kept": ["Botulinum toxin injections", "eyelid", "Microvascular decompression"],
    },
}


@pytest.mark.parametrize("relative", sorted(TEMPLATES))
def test_template_furniture_is_dropped_and_article_kept(relative):
    text = page_text(extract_file(relative))
    for phrase in TEMPLATES[relative]["gone"]:
        assert phrase.lower() not in text.lower(), f"{relative}: {phrase!r} should have been dropped"
    for phrase in TEMPLATES[relative]["kept"]:
        assert phrase.lower() in text.lower(), f"{relative}: {phrase!r} should have been kept"


def test_dropped_blocks_name_their_rule():
    article = extract_file("wellpath/migraine.html")
    reasons = {d.reason for d in article.dropped}
    assert any(r.startswith("name:related") for r in reasons), reasons
    assert any(r.startswith("disclaimer:") for r in reasons), reasons


def test_every_shipped_page_yields_the_expected_sections():
    kinds_wanted = {"overview", "symptoms", "causes", "risk-factors", "diagnosis", "treatment", "when-to-see-a-doctor"}
    from indexer.load import walk_corpus

    files = [page.path for page in walk_corpus(shipped_corpus())]
    assert len(files) >= 30
    for path in files:
        article = extract(path.read_bytes(), path)
        kinds = {s.kind for s in article.sections}
        assert kinds_wanted <= kinds, f"{path.name}: missing {kinds_wanted - kinds}"
        assert kinds & {"prevention", "living-with"}, f"{path.name}: no prevention or living-with section"
        assert article.title and "|" not in article.title


@pytest.mark.parametrize("relative, reviewer, date_field, date", [
    ("wellpath/migraine.html", "Dr. Anika Brandstrom", "updated", "2025-06-02"),
    ("medbrook/bells-palsy.html", "Dr. Harriet Lindqvist", "updated", "2023-03-14"),
    ("familydigest/hay-fever.html", "Dr. Tomasz Ekwueme", "published", "2024-04-11"),
    ("riverside/acne.txt", "Lorna Achebe-Quinn", "updated", "2024-09-30"),
    ("editorial/hemifacial-spasm.html", "Dr. Tobias Lindqvist", "reviewed", "2025-03-14"),
])
def test_bylines_become_metadata(relative, reviewer, date_field, date):
    article = extract_file(relative)
    assert article.reviewed_by == [reviewer]
    assert getattr(article, date_field) == date


def test_canonical_url_and_language_are_read():
    article = extract_file("wellpath/migraine.html")
    assert article.url == "https://www.wellpath-health.example/conditions/migraine"
    assert article.language == "en"


def test_teaser_heading_takes_its_list_with_it():
    article = extract_html("""<main><h1>Gout</h1><h2>Symptoms</h2><p>A hot, swollen big toe joint.</p>
        <h2>You might also like</h2><ul><li>Sciatica: shooting leg pain</li><li>Psoriasis: scaly patches</li></ul>
        <h2>Treatment</h2><p>Anti-inflammatory medicines during a flare.</p></main>""")
    text = page_text(article)
    assert "shooting leg pain" not in text and "scaly patches" not in text
    assert [s.heading for s in article.sections] == ["Symptoms", "Treatment"]


def test_link_lists_are_dropped_but_prose_with_a_link_stays():
    article = extract_html("""<body><div><h2>Causes</h2>
        <p>Gout happens when uric acid forms crystals in a joint, as <a href="/x">this page</a> explains in detail for readers.</p>
        <ul><li><a href="/a">Back pain</a></li><li><a href="/b">Cold and flu</a></li></ul></div></body>""")
    text = page_text(article)
    assert "uric acid" in text
    assert "Cold and flu" not in text


def test_hidden_blocks_are_dropped():
    article = extract_html("""<article><h2>Overview</h2><p>Visible text about eczema and dry skin patches.</p>
        <p style="display: none">Secret hidden keyword stuffing.</p><div hidden>Also hidden.</div></article>""")
    assert "hidden" not in page_text(article).lower()


def test_a_page_without_article_text_is_an_error():
    with pytest.raises(ExtractionError, match="no article text"):
        extract_html("<html><body><nav><a href='/'>Home</a></nav><footer>© Site</footer></body></html>")


def test_binary_data_is_an_error():
    with pytest.raises(ExtractionError, match="binary"):
        extract(b"\x00\x01\x02junk", Path("junk.html"))


def test_unsupported_file_type_is_an_error():
    with pytest.raises(ExtractionError, match="unsupported"):
        extract(b"%PDF-1.4", Path("leaflet.pdf"))


PROSE = ("Gout is a form of arthritis that causes sudden, severe attacks of pain, swelling and redness, "
         "often in the joint at the base of the big toe. ")


def page(body: str) -> str:
    return f"<html><body><article><h1>Gout</h1><h2>Symptoms</h2><p>{PROSE}</p>{body}<p>{PROSE}</p></article></body></html>"


@pytest.mark.parametrize("markup", [
    "<nav>Site menu entries</nav>", "<aside>Aside copy for readers</aside>", "<footer>Footer copy for readers</footer>",
    "<form>Search this site now</form>", "<header><p>Header strap line</p></header>",
])
def test_furniture_elements_are_dropped(markup):
    text = page_text(extract_html(page(markup)))
    assert "Site menu" not in text and "copy for readers" not in text and "Search this site" not in text
    assert "Header strap" not in text and "big toe" in text


@pytest.mark.parametrize("attribute", [
    'class="share-bar"', 'class="social-links"', 'id="related-posts"', 'class="recommended"',
    'class="newsletter-box"', 'id="subscribe"', 'class="cookie-notice"', 'class="gdpr-consent"',
    'class="breadcrumbs"', 'id="comments"', 'class="advert"', 'class="ad"', 'class="promo-box"',
    'class="sidebar"', 'class="menu-main"', 'class="toolbar"', 'class="rating-stars"', 'class="feedback"',
    'role="navigation"', 'role="complementary"', 'aria-label="Share this article"',
])
def test_blocks_named_like_furniture_are_dropped(attribute):
    text = page_text(extract_html(page(f"<div {attribute}><p>Furniture words zebra quokka</p></div>")))
    assert "quokka" not in text and "big toe" in text


def test_innocent_names_are_not_furniture():
    text = page_text(extract_html(page(
        '<div class="card-header"><h2 class="header">Causes</h2></div><div class="heading-wrap stage">'
        '<p>Uric acid crystals build up in the joint.</p></div>')))
    assert "Causes" in text and "Uric acid crystals" in text


def test_a_form_wrapping_the_whole_page_is_not_furniture():
    html = f"<html><body><form id='aspnetForm'><div><h1>Gout</h1><p>{PROSE}</p><p>{PROSE}</p></div></form></body></html>"
    assert "big toe" in page_text(extract_html(html))


@pytest.mark.parametrize("phrase", [
    "Share now", "Was this article helpful?", "Read also: Sciatica", "You might also like these pieces",
    "Recommended for you", "Advertisement",
])
def test_boilerplate_phrases_are_dropped(phrase):
    text = page_text(extract_html(page(f"<p>{phrase}</p>")))
    assert phrase.lower() not in text.lower()


def test_byline_is_read_then_dropped():
    article = extract_html(page("<p>Medically reviewed by Dr. Ana Ruiz, MD — Updated on 5 Nov 2020</p>"))
    assert article.reviewed_by == ["Dr. Ana Ruiz"] and article.updated == "2020-11-05"
    assert "reviewed by" not in page_text(article).lower()


def test_breadcrumbs_are_dropped():
    text = page_text(extract_html(page("<p>Home » Conditions » Gout</p><div>Health A-Z › G › Gout</div>")))
    assert "Home »" not in text and "A-Z ›" not in text


def test_copyright_line_ends_the_article():
    text = page_text(extract_html(
        f"<html><body><article><h1>Gout</h1><h2>Symptoms</h2><p>{PROSE}</p><p>{PROSE}</p>"
        "<p>© 1998-2009 Example Health, Inc. All rights reserved.</p><h3>Join our forum</h3>"
        "<p>Share your story with other readers of our community pages.</p></article></body></html>"))
    assert "forum" not in text and "Share your story" not in text and "big toe" in text


def test_a_copyright_credit_at_the_top_does_not_cut_the_article():
    html = (f"<html><body><article><h1>Gout</h1><p>Photo © Example Images</p><h2>Symptoms</h2>"
            f"<p>{PROSE}</p><p>{PROSE} Last words.</p></article></body></html>")
    assert "Last words" in page_text(extract_html(html))


def test_long_hidden_panels_are_article_text():
    article = extract_html(page(f'<div aria-hidden="true"><p>{PROSE} Collapsed panel text.</p><p>{PROSE}</p></div>'))
    assert "Collapsed panel text" in page_text(article)


# Furniture text of the shipped scraped-style templates: none of it may reach any section.
SHIPPED_FURNITURE = [
    "we use cookies", "this site uses cookies", "share now", "share this page", "was this article helpful",
    "was this page helpful", "you might also like", "recommended for you", "read also", "print this page",
    "email to a friend", "medically reviewed by", "reviewed by", "last updated", "skip to main content",
    "follow us", "sign up", "subscribe", "advertisement", "not medical advice", "not a substitute",
    "does not replace", "all rights reserved", "copyright", "©", "home >", "home ›", "conditions a–z",
    "health a-z", "popular topics", "popular this week", "related pages", "tags:", "comments",
]


def test_shipped_pages_index_with_no_boilerplate_line():
    from indexer.build import BuildReport
    from indexer.preview import load_articles

    articles = load_articles(shipped_corpus(), BuildReport())
    assert len(articles) >= 30
    for article in articles:
        for section in article.sections:
            for line in [section.heading, *section.text.splitlines()]:
                lower = line.lower()
                leaked = [phrase for phrase in SHIPPED_FURNITURE if phrase in lower]
                assert not leaked, f"{article.path} › {section.heading}: {line[:80]!r} has {leaked}"


def test_broken_markup_still_yields_sections():
    article = extract_html("<html><body><article><h2>Symptoms<p>Itchy <b>dry <i>skin</b> on the arms</i>"
                           "<ul><li>redness<li>cracking</article></div></span>")
    text = page_text(article)
    assert "Itchy dry skin on the arms" in text and "- redness" in text


def test_oversized_pages_are_refused_with_the_limit_named():
    from indexer.extract import MAX_PAGE_BYTES

    with pytest.raises(ExtractionError, match="byte page limit"):
        extract(b"<p>" + b"x" * (MAX_PAGE_BYTES + 1), Path("huge.html"))


@pytest.mark.parametrize("data", [b"", b"   \n  ", b"<html><body></body></html>", b"<html><body><p> </p></body></html>"])
def test_pages_without_text_are_clear_errors(data):
    with pytest.raises(ExtractionError):
        extract(data, Path("blank.html"))
