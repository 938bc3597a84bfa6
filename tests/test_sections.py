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


def test_sub_sections_keep_their_parents_kind_unless_their_heading_names_one():
    result = sections("<article><h2>Treatment options</h2><p>Several options exist.</p>"
                      "<h3>Antihistamines</h3><p>Tablets that calm itching.</p>"
                      "<h3>When to see a doctor</h3><p>If tablets do not help.</p>"
                      "<h2>A note on history</h2><p>Old remedies.</p></article>")
    assert [s.kind for s in result] == ["treatment", "treatment", "when-to-see-a-doctor", "other"]


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
    html = "<article><h2>Overview</h2>" + "<div>" * 10000 + "<p>Deep text about tinnitus.</p>" + "</div>" * 10000 + "</article>"
    result = sections(html)
    assert any("Deep text" in s.text for s in result)


def test_bold_line_before_a_line_break_is_a_heading():
    result = sections("<div><h2>Overview</h2><p>Intro about anemia and tiredness.</p>"
                      "<p><b>Incidence and Prevalence</b><br>About a quarter of people may be affected.</p></div>")
    assert [s.heading for s in result] == ["Overview", "Incidence and Prevalence"]
    assert result[1].text == "About a quarter of people may be affected."


def test_a_short_question_line_is_a_heading():
    result = sections("<div><p>Swine flu is a respiratory illness caused by a virus.</p>"
                      "<p>How is swine flu spread?</p><p>It spreads from person to person through coughs.</p></div>")
    assert [s.heading for s in result] == ["Overview", "How is swine flu spread?"]


def test_a_class_the_page_uses_for_headings_is_learnt():
    para = "<p>" + "Targeted drugs act on specific changes in cancer cells and their surroundings. " * 2 + "</p>"
    result = sections(f"<div>{para}<p class='t7'>Types in use today</p>{para}<p class='t7'>Looking ahead</p>{para}</div>")
    assert [s.heading for s in result] == ["Overview", "Types in use today", "Looking ahead"]


def test_a_class_named_like_a_heading_is_a_heading():
    result = sections("<div><div class='subhead'>Causes</div><p>A blocked duct may be the cause here.</p></div>")
    assert [s.heading for s in result] == ["Causes"]


def test_a_heading_equal_to_the_title_is_not_a_section():
    result = sections("<html><head><title>Gout | Example</title></head><body><div><h3>Gout</h3>"
                      "<p>Gout is a type of arthritis with sudden painful attacks in joints.</p></div></body></html>")
    assert [s.heading for s in result] == ["Overview"]


def test_table_rows_stay_readable():
    result = sections("<article><h2>Doses</h2><table><tr><th>Age</th><th>Visits</th></tr>"
                      "<tr><td>Under 5</td><td>Every year</td></tr></table></article>")
    assert result[0].text.splitlines() == ["Age | Visits", "Under 5 | Every year"]


def test_a_named_anchor_is_not_a_link():
    result = sections("<div><h2>Overview</h2><p>Anemia means too few red blood cells in the blood.</p>"
                      "<p><a name='alt'><b>Other Treatment</b></a></p><p>Injections may help the marrow.</p></div>")
    assert [s.heading for s in result] == ["Overview", "Other Treatment"]
