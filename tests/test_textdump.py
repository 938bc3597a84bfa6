from pathlib import Path

from indexer.extract import extract

DUMP = """URL: https://notes.example/sinus
Title: Sinus trouble
Updated: 2024-03-05
Reviewed-By: Jo Marsh, nurse

Skip to main content
Home > Conditions > Sinus trouble
Sinus trouble

What is sinus trouble?

Sinus trouble is swelling of the air spaces behind the face.

Treatment

Most people get better on their own.

Nasal sprays

A pharmacist can suggest a spray.
- saline spray
- decongestant spray

When to see a doctor

See a doctor if it lasts more than ten days.

Was this page helpful? Yes / No
"""


def test_dump_header_becomes_metadata():
    article = extract(DUMP.encode(), Path("sinus.txt"))
    assert article.title == "Sinus trouble"
    assert article.url == "https://notes.example/sinus"
    assert article.updated == "2024-03-05"
    assert article.reviewed_by == ["Jo Marsh"]


def test_dump_headings_levels_and_furniture():
    article = extract(DUMP.encode(), Path("sinus.txt"))
    assert [(s.heading, s.level, s.kind) for s in article.sections] == [
        ("What is sinus trouble?", 2, "overview"),
        ("Treatment", 2, "treatment"),
        ("Nasal sprays", 3, "treatment"),
        ("When to see a doctor", 2, "when-to-see-a-doctor"),
    ]
    text = "\n".join(s.text for s in article.sections)
    assert "- saline spray" in text
    assert "Skip to" not in text and "helpful" not in text and "Home >" not in text


def test_dump_in_windows_encoding_is_read():
    data = DUMP.replace("swelling", "café swelling").encode("cp1252")
    article = extract(data, Path("sinus.txt"))
    assert "café" in article.sections[0].text
