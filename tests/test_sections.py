"""Sectioning rules, one small page per rule."""

from pathlib import Path

from indexer.extract import extract


def sections(html: str):
    return extract(html.encode(), Path("page.html")).sections


def test_text_before_the_first_heading_is_the_overview():
    result = sections("<article><h1>Hay fever</h1><p>Hay fever is an allergy to pollen and dust.</p>"
                      "<h2>Common symptoms</h2><p>Sneezing and itchy eyes.</p></article>")
    assert [(s.heading, s.kind) for s in result] == [("Overview", "overview"), ("Common symptoms", "symptoms")]


def test_lead_text_joins_an_explicit_overview_heading():
    result = sections("<article><p>Lead words about asthma.</p><h2>What is asthma?</h2><p>More about airways.</p></article>")
    assert len(result) == 1
    assert result[0].text.splitlines() == ["Lead words about asthma.", "More about airways."]


def test_bold_only_paragraphs_are_sub_headings_on_old_sites():
    result = sections("<table><tr><td class='content'><h3>Treatment</h3><p>Care helps recovery in most people.</p>"
                      "<p><b>Medicines</b></p><p>Steroid tablets may be used early on.</p>"
                      "<p><b>Important:</b> this is a bold start in a normal sentence.</p></td></tr></table>")
    assert [(s.heading, s.level) for s in result] == [("Treatment", 3), ("Medicines", 4)]
    assert "bold start in a normal sentence" in result[1].text


def test_sub_sections_inherit_their_parents_kind():
    result = sections("<article><h2>Treatment options</h2><p>Several options exist.</p>"
                      "<h3>Antihistamines</h3><p>Tablets that calm itching.</p>"
                      "<h2>A note on history</h2><p>Old remedies.</p></article>")
    assert [s.kind for s in result] == ["treatment", "treatment", "other"]


def test_anchors_are_unique_slugs():
    result = sections("<article><h2>Symptoms &amp; signs</h2><p>a b c</p><h2>Symptoms &amp; signs</h2><p>d e f</p>"
                      "<h2>¿Qué es?</h2><p>g</p></article>")
    assert [s.anchor for s in result] == ["symptoms-signs", "symptoms-signs-2", "que-es"]


def test_empty_headings_are_dropped_unless_they_hold_sub_sections():
    result = sections("<article><h2>Causes</h2><h2>Treatment</h2><h3>Surgery</h3><p>An operation may help.</p></article>")
    assert [s.heading for s in result] == ["Treatment", "Surgery"]


def test_list_items_keep_their_bullets():
    result = sections("<article><h2>Symptoms</h2><p>These include:</p><ul><li>fever</li><li>a dry <b>cough</b></li></ul></article>")
    assert result[0].text.splitlines() == ["These include:", "- fever", "- a dry cough"]


def test_very_deep_nesting_does_not_crash():
    html = "<article><h2>Overview</h2>" + "<div>" * 5000 + "<p>Deep text about tinnitus.</p>" + "</div>" * 5000 + "</article>"
    result = sections(html)
    assert any("Deep text" in s.text for s in result)
