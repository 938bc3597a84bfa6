"""Finding the article's container: one small page per rule."""

from pathlib import Path

from indexer.extract import extract

PROSE = ("Gout is a form of arthritis that causes sudden, severe attacks of pain, swelling and redness, "
         "often in the joint at the base of the big toe. ")


def texts(html: str) -> str:
    article = extract(html.encode(), Path("page.html"))
    return "\n".join(s.heading + "\n" + s.text for s in article.sections)


def test_article_element_is_preferred_over_the_rest_of_the_page():
    text = texts(f"""<body><div class="col"><p>{PROSE} Sidebar copy about our clinic's opening hours and parking.</p></div>
        <article><h1>Gout</h1><p>{PROSE}</p><p>{PROSE}</p></article></body>""")
    assert "parking" not in text and "big toe" in text


def test_a_teaser_card_article_is_not_the_article():
    text = texts(f"""<body><article class="card"><p>{PROSE[:150]}… and more on our blog today for readers.</p></article>
        <div id="story"><p>{PROSE} First real paragraph.</p><p>{PROSE} Second real paragraph.</p>
        <p>{PROSE} Third real paragraph.</p></div></body>""")
    assert "Third real paragraph" in text


def test_densest_block_wins_on_table_layouts():
    text = texts(f"""<body><table><tr><td><a href="/">Home</a><br><a href="/az">A-Z</a><br><a href="/x">Drugs</a></td>
        <td><h3>Gout</h3><p>{PROSE}</p><p>{PROSE}</p></td></tr></table></body>""")
    assert "big toe" in text and "A-Z" not in text


def test_an_article_split_into_panels_is_kept_whole():
    panel = "<div class='panel'><div class='inner'><h2>{0}</h2><div class='text'>{1}</div></div></div>"
    html = "<body><div id='app'>" + "".join(panel.format(h, PROSE * 2) for h in ("Symptoms", "Causes", "Treatment")) + "</div></body>"
    article = extract(html.encode(), Path("page.html"))
    assert [s.heading for s in article.sections] == ["Symptoms", "Causes", "Treatment"]


def test_a_stand_first_beside_the_body_is_kept_and_a_link_list_is_not():
    text = texts(f"""<body><div id="body"><h3>Coffee may protect the liver</h3>
        <span class="blurb">A new study of adults with long-term liver disease suggests a possible benefit, researchers say</span>
        <span class="story"><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></span>
        <span class="more"><a href="/a">More news on the liver</a> <a href="/b">More news on coffee</a></span></div></body>""")
    assert "possible benefit" in text
    assert "More news" not in text
