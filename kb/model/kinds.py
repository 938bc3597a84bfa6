"""Which kind of section a heading introduces ("Signs and symptoms" → symptoms).

The rules are data: an ordered list of (kind, pattern). The first pattern that
matches the lower-cased heading wins, so the order settles overlaps.
"""

from __future__ import annotations

import re

KIND_RULES: list[tuple[str, str]] = [
    # First: "When to see a doctor about your symptoms" must not become "symptoms".
    # "When should I see my doctor?" under Symptoms names its own kind: it is not a symptom.
    ("when-to-see-a-doctor", r"\bwhen (to |should |do |must |can |might |is it worth )?(i |you |we |they |my child |your child )?"
                             r"(see|call|contact|visit|seek|ring|get (help|medical|advice|care|checked)|getting (checked|help|medical)|go to (a|the|your) (doctor|gp|hospital|er)|"
                             r"(talk|speak) to (a|your|the) (doctor|gp))\b|\bseek(ing)? (medical|emergency|urgent)|"
                             r"\b(see|call|contact|visit|talk to|speak to|ring) (a|your|my|the) (doctor|gp|physician|nurse|"
                             r"pharmacist|health ?care (provider|professional)|provider|specialist|midwife)|"
                             r"\bmedical (care|help|attention|advice)\b|\bget(ting)? (medical )?help\b|\bemergency\b|\burgent\b"),
    # Before "living-with": "Prevention tips" is prevention, not tips for living with it.
    ("prevention", r"\bprevent|\bavoid(ing)?\b|\breduc(e|ing) (your |the )?risk"),
    ("living-with", r"\bliving with\b|\bliving well\b|\bcop(e|ing)\b|\bself[- ](care|help)\b|\blooking after (yourself|your)\b|\blife with\b|\bdaily life\b|"
                    r"\bday[- ]to[- ]day\b|\blifestyle\b|\bat home\b|\bhome care\b|\bsupport\b|\bwhat to do for\b"),
    ("symptoms", r"\bsymptom|\bsigns?\b|\bfeel like\b|\bwhat happens\b"),
    # Before "causes": "Who is at risk?" and "Risk factors".
    ("risk-factors", r"\brisk\b|\bwho (gets|is|are|can get)\b|\bmore likely\b|\bsusceptib"),
    ("frequency", r"\bhow (common|many|rare|often)\b|\bprevalence\b|\bincidence\b|\bstatistics\b|\bepidemiology\b"),
    # "Is X inherited?" and "Inheritance" — but not the word "hereditary" inside a disease's name.
    ("inheritance", r"\binherit|\b(is|are) .{0,80}\b(hereditary|genetic)\s*\??$|\bruns? in famil|\bgenetic counsel"),
    ("causes", r"\bcause|\bwhy (does|do|is|are)\b|\btrigger|\bhow (does|do) .* (happen|start|develop)|\bhappen|"
               r"\bgenetic changes?\b|\bgenes?\b|\bmutation"),
    ("research", r"\bresearch\b|\bclinical trials?\b|\bstudies\b"),
    ("diagnosis", r"\bdiagnos|\btests?\b|\btesting\b|\bexam(ination)?s?\b|\bscreening\b|\bstages?\b|\bstaging\b"),
    ("treatment", r"\btreat|\btherap|\bmedication|\bmedicine|\bmanag|\bremed|\bsurgery\b|\bsurgical\b|\brelief\b|"
                  r"\bwhat (can )?helps?\b|\bthat can help\b|\binjection|\bprocedure"),
    ("outlook", r"\boutlook\b|\bprognosis\b|\bcomplication|\brecovery\b|\bwhat to expect\b|\blong[- ]term\b"),
    ("overview", r"\boverview\b|\bwhat (is|are)\b|\babout\b|\bintroduction\b|\bsummary\b|\bdefinition\b|"
                 r"\bat a glance\b|\bkey (facts|points)\b|\bin brief\b"),
]

_COMPILED = [(kind, re.compile(pattern)) for kind, pattern in KIND_RULES]


def classify_heading(heading: str) -> str:
    """Return the section kind a heading announces, or ``"other"``."""
    text = " ".join(heading.lower().replace("’", "'").split())
    for kind, pattern in _COMPILED:
        if pattern.search(text):
            return kind
    return "other"
