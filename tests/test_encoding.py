"""Pages in any encoding come out as clean text and are never rejected for it."""

import codecs
from pathlib import Path

import pytest

from indexer.encoding import decode_page, repair_mojibake
from indexer.extract import extract

TEXT = "Café-au-lait spots – a doctor’s view: naïve questions welcome."


def page_bytes(charset_meta: str, encoding: str) -> bytes:
    return (f"<html><head>{charset_meta}</head><body><article><h2>Overview</h2><p>{TEXT}</p>"
            "</article></body></html>").encode(encoding)


def first_text(data: bytes) -> str:
    return extract(data, Path("p.html")).sections[0].text


@pytest.mark.parametrize("meta, encoding", [
    ('<meta charset="utf-8">', "utf-8"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "cp1252"),
    ('<meta charset="iso-8859-1">', "cp1252"),          # browsers read Latin-1 labels as Windows-1252
    ("", "utf-8"),                                       # no declaration
    ("", "cp1252"),                                      # no declaration, not UTF-8
    ('<meta charset="utf-8">', "cp1252"),               # wrong declaration
])
def test_declared_missing_and_wrong_charsets(meta, encoding):
    assert first_text(page_bytes(meta, encoding)) == TEXT


def test_byte_order_marks():
    assert first_text(codecs.BOM_UTF8 + page_bytes("", "utf-8")) == TEXT
    assert first_text(codecs.BOM_UTF16_LE + page_bytes("", "utf-16-le")) == TEXT


def test_mojibake_is_repaired():
    broken = TEXT.encode("utf-8").decode("cp1252")
    assert "â€™" in broken
    assert repair_mojibake(broken) == TEXT
    assert first_text(page_bytes('<meta charset="utf-8">', "utf-8").replace(TEXT.encode(), broken.encode())) == TEXT


def test_undecodable_bytes_do_not_reject_the_page():
    assert decode_page(b"<p>caf\x81\x8d\x8f</p>")
