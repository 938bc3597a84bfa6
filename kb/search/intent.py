"""What a reader's query asks about, beyond the topic: "how is X treated" wants treatment.

The rules are data: (kind, pattern) in priority order; the first pattern found in the
lower-cased query gives the intended section kind, and the words it matched are cues,
not topic (they are dropped from the words searched when others remain). Words that
name the kind a second time in a disease's name ("hereditary pancreatitis treatment")
stay in the topic, since only the first match is a cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INTENT_RULES: list[tuple[str, str]] = [
    ("when-to-see-a-doctor", r"\bwhen (to|should i|do i) (see|call|visit|go to) (a|the|my) (doctor|gp|hospital)\b|\bsee a doctor\b"),
    ("symptoms", r"\bsigns? and symptoms?\b|\bsymptoms?\b|\bwarning signs?\b|\bsigns? of\b|\bwhat does .{1,40} feel like\b"),
    ("treatment", r"\btreat(ed|ing|ments?|s)?\b|\btherap(y|ies)\b|\bcure[sd]?\b|\bmedications?\b|\bmedicines?\b|"
                  r"\bremed(y|ies)\b|\bget rid of\b|\bmanag(e|ed|ing|ement)\b"),
    ("diagnosis", r"\bdiagnos(e|ed|is|ing)\b|\btests?\b|\btesting\b|\bexams?\b|\bscreening\b|\bstages?\b|\bstaging\b"),
    # Before "inheritance": "genetic changes related to X" asks for the cause.
    ("causes", r"\bcaus(e|es|ed|ing)\b|\bwhy (do|does|did|am|is|are|would)\b|\btriggers?\b|\bgenetic (changes?|causes?)\b|"
               r"\bgenes?\b|\bmutations?\b"),
    ("prevention", r"\bprevent(ed|ion|ing|s)?\b|\bavoid(ed|ing)?\b"),
    ("risk-factors", r"\brisk factors?\b|\brisks?\b|\bwho (gets|is at risk|can get|is likely|are at risk)\b|\bat risk\b|"
                     r"\bsusceptib\w*\b"),
    ("frequency", r"\bhow (common|many|rare|often|frequent)\b|\bprevalence\b|\bincidence\b|\bstatistics\b"),
    ("outlook", r"\boutlook\b|\bprognosis\b|\blife expectancy\b|\bsurvival( rate)?\b|\bcomplications?\b|\blong[- ]term\b|"
                r"\brecover(y)?\b"),
    ("research", r"\bresearch\b|\bclinical trials?\b|\bstudies\b"),
    ("living-with", r"\bliv(e|ing) with\b|\bcop(e|ing)( with)?\b|\bwhat (to|can i|should i) do (for|about)\b|\bself[- ]care\b|"
                    r"\bdaily life\b|\bdiet (for|with)\b"),
    ("inheritance", r"\bhereditary\b|\binherit(ed|ance)?\b|\bgenetic\b|\bruns? in (the )?famil(y|ies)\b|\bpassed down\b"),
    ("overview", r"^\s*(what (is|are)( an?| the)?|tell me about|information (about|on)|(an )?overview( of)?|about|"
                 r"define|definition of|meaning of)\b|\b(overview|definition)\s*$"),
]

_COMPILED = [(kind, re.compile(pattern)) for kind, pattern in INTENT_RULES]


@dataclass(frozen=True)
class Intent:
    """The section kind a query asks for, and the query with its cue words taken out."""

    kind: str | None
    topic: str


def detect_intent(text: str) -> Intent:
    """Return the intended section kind (or None) and the topic words of the query."""
    lowered = " ".join(text.lower().replace("’", "'").split())
    for kind, pattern in _COMPILED:
        match = pattern.search(lowered)
        if match:
            topic = (lowered[: match.start()] + " " + lowered[match.end():]).strip()
            return Intent(kind=kind, topic=topic)
    return Intent(kind=None, topic=lowered)
