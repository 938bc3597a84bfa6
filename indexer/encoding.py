"""Turn a page's bytes into text without mojibake, whatever its charset claims.

Order: a byte-order mark; else the charset the server named (for a page read from a web
archive), then the one the page declares, if the bytes really are in it; else UTF-8 if they
decode as UTF-8; else Windows-1252 (what browsers assume for Latin-1 and for undeclared
Western pages). Finally, text that was UTF-8 read as
Windows-1252 somewhere upstream ("â€™" for "’") is repaired.
"""

from __future__ import annotations

import codecs
import re

_BOMS = [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I)
# Browsers read these labels as Windows-1252, which is a superset of them.
_AS_CP1252 = {"iso-8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "iso8859-1", "iso_8859-1", "cp819"}
# Two or three characters that are the Windows-1252 reading of one UTF-8 character.
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                       "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first few kilobytes, normalised, or None."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    return known_charset((match.group(1) or match.group(2)).decode("ascii", "ignore"))


def known_charset(label: str) -> str | None:
    """A charset label as Python names it (Latin-1 and ASCII as Windows-1252, as browsers
    read them), or None when no such charset exists."""
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if label in _AS_CP1252 or name in _AS_CP1252 else name


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Windows-1252 ("cafÃ©" → "café"), run by run."""
    if not _MOJIBAKE.search(text):
        return text

    def fix(match: re.Match) -> str:
        try:
            return match.group(0).encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return match.group(0)

    return _MOJIBAKE.sub(fix, text)


def decode_page(data: bytes, declared: bool = True, served_as: str | None = None) -> str:
    """Decode a page's bytes to text; never fails, never leaves mojibake it can repair.

    ``served_as`` is the charset the web server named (HTTP Content-Type), which browsers
    trust before the page's own declaration; an unknown label is ignored.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return repair_mojibake(data[len(bom):].decode(encoding, errors="replace"))
    candidates = []
    if served_as and (charset := known_charset(served_as)):
        candidates.append(charset)
    if declared and (charset := declared_charset(data)):
        candidates.append(charset)
    candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            return repair_mojibake(data.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
    return repair_mojibake(data.decode("cp1252", errors="replace"))
