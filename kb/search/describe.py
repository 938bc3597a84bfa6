"""Understand a reader's first-person description of symptoms.

A description ("For a few weeks I've had …, and I'm worried") wraps a handful of signs in a
story. Searching every word lets the story's words (time, feelings, hedges) pull in
articles that share them. Here the text is split into sentences and clauses, the story
around the signs is dropped, negated signs ("no fever", "I don't have a cough",
"without …") are marked as such, and each remaining clause becomes one understood item
with its analysed words (the index's own stems) and the HPO phenotypes it names.

Every word list below is general English narrative language (how people tell a story
about feeling unwell), never vocabulary of a particular condition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.search.intent import detect_intent
from kb.index.schema import terms_of
from kb.corpus_config.vocabulary import Match, Vocabulary

# Clause boundaries: sentence ends, semicolons, commas, and conjunctions that start a new
# thought. A negation's scope ends at the clause's end (NegEx's termination terms).
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\n+")
_CLAUSES = re.compile(r",|\b(?:but|however|although|though|yet|except|whereas|(?<!\ba )(?<!\bgood )while|and|"
                      r"as well as|along with|"
                      r"which|that is|plus)\b", re.IGNORECASE)
_CLAUSES_KEPT = re.compile(f"({_CLAUSES.pattern})", re.IGNORECASE)  # the same, keeping what split

# Who is telling or told about: the reader, or someone they care for ("my son has had …").
_TELLER = (r"(?:i|we|he|she|they|(?:my|our) (?:(?:little|baby|teenage|teen|young|older|elderly|"
           r"\d+[- ](?:year|month|week)[- ]old) )?(?:kid|son|daughter|child|baby|toddler|boy|girl|husband|wife|"
           r"partner|mother|mom|mum|father|dad|brother|sister|friend|grandmother|grandfather|grandma|grandpa)|"
           r"(?:my|our) \d+[- ](?:year|month|week)[- ]old)")
# The age the person told about has is not a sign but still tells which pages fit ("my toddler" →
# pages about children): these words of a teller are searched with the sign told, though not shown.
_AGE = re.compile(r"\b(?:baby|babies|infant|newborn|toddler|child|kid|teen|teenage|teenager|young|older|elderly|"
                  r"boy|girl|\d+[- ](?:year|month|week)[- ]old)\b", re.IGNORECASE)
_TELLER_FOUND = re.compile(rf"\b{_TELLER}\b", re.IGNORECASE)
# Story frames: phrases that introduce, time or comment on a sign rather than name one.
_FRAMES = re.compile(r"\b(?:" + "|".join([
    rf"{_TELLER}(?:'ve|'s| have| has)? (?:also )?(?:been|am|is|are|was|were) (?:experiencing|having|feeling|noticing|"
    r"getting|suffering from|dealing with)",
    rf"{_TELLER}(?:'ve|'s| have| has)? (?:also )?(?:noticed|experienced|had|developed|started|begun|observed|felt|found|discovered)",
    r"(?:it|this|that)(?:'s| is) (?:driving|making) (?:me|him|her|them|us) (?:crazy|mad|nuts|insane|miserable)",
    r"(?:(?:have|has|'ve) )?been (?:experiencing|having|feeling|noticing|getting|suffering from|dealing with)",
    r"i(?:'m| am) (?:really |very |quite |a bit |a little |kind of )?(?:worried|concerned|scared|afraid|anxious|not sure|unsure)"
    r"(?: (?:about|that|if|what))?",
    r"(?:it|this|that) (?:is|has been|seems|feels|makes me|is making me|started|began|keeps|comes and goes)",
    r"(?:for|over|in|since|during) (?:the )?(?:past |last |about |almost |over |nearly |a |an )*"
    r"(?:\d+ |one |two |three |four |five |six |seven |eight |nine |ten |few |couple of |several |many )?"
    r"(?:days?|weeks?|months?|years?|while|hours?)",
    r"(?:\d+|one|two|three|four|five|six|a few|several|a couple of) (?:days?|weeks?|months?|years?|hours?) ago",
    r"(?:since|from|on|last|this|over the) (?:last |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"weekend|yesterday|night|morning|afternoon|evening|then)",
    r"(?:lately|recently|nowadays|these days|all the time|suddenly|all of a sudden|out of nowhere|sometimes|often|"
    r"constantly|occasionally|frequently)",
    r"(?:a lot|lots|a bit|a little|a great deal|plenty|a ton|tons) of",
    r"(?:especially|particularly|mostly|mainly|usually|typically|even|really|very|extremely|quite|severely|"
    r"pretty|so|a lot|a bit|a little|kind of|sort of|somewhat)",
    r"(?:i|we) (?:think|feel like|believe|wonder|guess)",
    r"(?:i |it |they )?keeps? (?:on )?(?:getting|having|feeling|coming back with)",
    r"(?:i |it |they )?keeps? (?:on )?(?=\w+ing\b)",  # "I keep sneezing": the sign is the -ing word
    r"(?:i am|i'm|im|am) (?:facing|having|getting|going through|dealing with|suffering from)",
    r"(?:what|why) (?:is|could) (?:it|this|wrong)",
    r"(?:(?:that |which )?(?:i |he |she |they |we |you |it )?)?"
    r"(?:can't|cannot|can not|won't|will not|doesn't|does not|don't|do not) (?:seem to )?(?:stop|go away|shake)",
    r"(?:go|goes|going|gone) away|(?:non-?stop|incessantly|barely|hardly|through the roof)",
    r"(?:all )?(?:in|on|around|over|across|throughout) (?:my|the|his|her|their|your) (?:whole |entire )?body|all over$",
    r"(?:feel|feels|feeling|felt|was|were|been|am|i'm) (?:perfectly |completely |totally )?"
    r"(?:fine|ok|okay|normal|alright|all right)|"
    r"(?:while |when )?(?:i was )?(?:out )?(?:for|on) a (?:walk|run|jog|swim|ride|drive|hike)|"
    r"(?:got|get|gets|getting|came|come|comes|coming|been|went|go|going|flew|fly|flying|was|were) back(?= (?:from|home))|"
    r"(?:well |way |far )?(?:above|over|higher than|more than) (?:the )?(?:normal|usual|average)|"
    r"simply put|to be honest|in short|as the (?:day|evening|night|week|afternoon|morning) (?:wore|went|goes|wears|progressed) on|"
    r"(?:my )?symptoms (?:include|included|are|were)|"
    r"(?:on )?(?:rare|some|many|few|several) occasions|from time to time|(?:every )?(?:now and then|now and again)|"
    r"(?:for |with )?no (?:apparent |obvious |particular |real |clear |good )?reason|out of the blue|"
    r"(?:that |which )?(?:i|we) (?:can't|cannot|can not|couldn't|could not|don't|do not|didn't|did not) "
    r"(?:explain|understand|know|figure out)(?: (?:why|what|how|it|this|that)(?:'s| is)?)?",
    rf"(?<!\w ){_TELLER}(?:'s| has| have| is| are| was| were| keeps?)?(?= )",  # last: "my son has …", "she keeps …"
]) + r")\b", re.IGNORECASE)

# Words of the story left after the frames and the analyser's stop words, as stems: they
# name no sign, so they are not searched.
_STORY_WORDS = frozenset(terms_of(
    "experience experiencing experienced noticed notice feel feeling felt having suffer suffering "
    "started start begin began begun develop developed happen happening happened seem seems "
    "day days week weeks month months year years time times past last recent recently lately today "
    "yesterday morning night evening often sometimes usual usually always constantly occasionally "
    "worried worry concerned scared afraid anxious sure unsure think wonder help please doctor "
    "really very extremely quite especially particularly lot little bit kind sort thing things "
    "also even still since ago now going keep keeps kept get gets getting lot lots bad worse "
    "accompanied along well like seem seems sensation no not never without none "
    "after before during when whenever while around about "
    "severe severely intense intensely mild mildly terrible awful horrible unbearable extreme "
    "entire whole because despite make makes made making difficult hard perform daily activities activity "
    "normal normally lately anymore "
    "don doesn didn isn wasn aren weren haven hasn couldn wouldn won cannot "  # what the analyser leaves of "don't", "can't"…
    "am addition additionally moreover furthermore besides these those both become became turned "
    "anything something everything every use used result find found seen almost few myself need "
    "only come came discover discovered present want wanted symptom symptoms way far "
    "cause causes causing caused "  # "no idea what is causing this"
    "alarm alarming alarmed health noticeable noticeably over again idea longer better warning once "
    "take takes took taking fine okay alright saw see sees seeing across meaning trying intending "
    "realise realised realize realized "
    "simply basically honestly generally able unable area areas region regions place places home work job "
    "grow grows growing grew grown include includes including instantly immediately first good great"))

# NegEx-style triggers (before the sign) and pseudo-triggers that only look like negation.
# A part told as normal ("my little finger is fine", "my temperature was normal") is a denial too.
_NORMAL = (r"(?:is|are|was|were|feels?|felt|seems?|looks?) (?:perfectly |completely |totally )?"
           r"(?:fine|ok|okay|normal|unaffected|spared|all right|alright)")
_NEGATION = re.compile(r"\b(?:no|not|never|without|none|neither|nor|absence of|free of|denies|deny|"
                       r"(?:do|does|did|have|has|had|is|are|was|were)(?:n't| not))\b", re.IGNORECASE)
_TOLD_NORMAL = re.compile(rf"\s*(?:my|his|her|their|our|the)\s+(?:\w+\s+){{1,3}}({_NORMAL})\b", re.IGNORECASE)
_PSEUDO = re.compile(r"\b(?:not only|not just|no longer able|not (?:be )?able to|not sure|not certain|no matter|no idea|"
                     # Hedges and conditions (NegEx's pseudo-triggers): "whether or not the joint is swollen".
                     r"whether or not|not always|not necessarily|if not|"
                     r"(?:for |with )?no (?:apparent |obvious |particular |real |clear |good )?reason|"
                     # What the teller cannot explain is story: "bumps on my shins that I don't understand".
                     r"(?:(?:i|we) )?(?:can't|cannot|can not|couldn't|could not|don't|do not|didn't|did not) "
                     r"(?:explain|understand|know|figure out)|"
                     # "it's hard not to scratch", "I can't help scratching": the urge is the sign.
                     r"(?:difficult|hard|impossible|tough)(?: for me)? not to|(?:can't|cannot|can not) help|"
                     r"(?:does|do|did|has|have|is|will|wo)(?:n't| not) (?:(?:seem|appear) to (?:be )?)?"
                     r"(?:go(?:ne)? away|stop|quit|let up|ease|come down|improv\w*|get(?:ting)? better|heal\w*|help\w*)|"
                     r"(?:not|never) (?:go(?:es|ne)? away|stop\w*|quits?|ends?|lets? up|improv\w*|get(?:s|ting)? better|heal\w*|help\w*)|"
                     # Feeling unwell told as a denial is a sign: "I don't feel well", "not feeling myself".
                     r"(?:(?:do|does|did)(?:n't| not) feel|not feeling) (?:\w+ )?(?:well|good|great|right|myself|himself|herself)|"
                     r"without (?:any )?warning|without (?:even )?(?:meaning|trying|wanting|intending)(?: to)?|"
                     # A feeling told as a denial is a sign: "it feels like I haven't finished".
                     r"feel(?:s|ing)? (?:like|as if|as though) (?:i|it|they|he|she)(?:'ve| have|'m| am| is)? "
                     r"(?:haven't|hasn't|didn't|can't|cannot|won't|isn't|not|never)|"
                     # A lost wish told as an absence is a sign: "he doesn't feel like eating", "won't get up".
                     r"(?:(?:do|does|did)(?:n't| not)|never|no longer) (?:feel like|want to) "
                     r"(?:eat\w*|drink\w*|do\w* anything|get\w* up|go\w* out|see\w* (?:anyone|people|friends)|have sex)|"
                     r"(?:not|never|no longer) (?:very |that |really |much |even )?hungry|"
                     # A body's lost function told as an absence is a sign: "no energy", "no feeling in my toes".
                     r"(?:no|not any|(?:do|does|did)(?:n't| not) have (?:any|much)|never have (?:any)?|not much|little|(?:have|has|had) lost (?:my|his|her|their|all)?)"
                     r"\s*(?:of (?:an? )?)?(?:real |more )?(?:energy|app?e?tite|strength|stamina|interest|motivation|desire|drive|"
                     r"sense of (?:taste|smell|balance)|feeling|sensation|sleep|voice|control))\b", re.IGNORECASE)

_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|im|ive|my|me|myself|we|our|us)\b", re.IGNORECASE)
_CUE = re.compile(r"\b(?:symptoms?|signs?|causes?|treatments?|treated|diagnos\w*|prognosis|outlook|inherit\w*|"
                  r"what is|what are|how is|how are|how common|tell me|risk factors?|run in famil\w*|genetic|"
                  r"related to|information|research|medicines?|drugs? for)\b", re.IGNORECASE)
MAX_CUED_WORDS = 12  # a question cue with up to this many analysed words is a question about a named condition


@dataclass
class Item:
    """One understood clause: its text, the analysed words kept, HPO phenotypes named, and negation."""

    text: str
    words: list[str]
    negated: bool = False
    phenotypes: list[Match] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # synonym-group members searched for it

    def to_dict(self) -> dict:
        """``matched_terms``: the other names searched for this part (synonyms, then HPO phenotypes)."""
        names = list(dict.fromkeys(self.also + [m.phenotype.name for m in self.phenotypes]))
        return {"text": self.text, "matched_terms": names, "words": self.words, "negated": self.negated}


# Readers type "don’t" (a phone's curly apostrophe) and "dont", "cant", "im": read as "don't", "can't", "i'm".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_BARE = re.compile(r"\b(?:(do|does|did|is|are|was|were|have|has|had|could|would|should|wo|ca)nt|(i)m|(i)ve|(there|that|what)s)\b",
                   re.IGNORECASE)


def _contraction(match: re.Match) -> str:
    verb, i_am, i_have, pointer = match.groups()
    if verb:
        return f"{verb}n't"
    return f"{i_am}'m" if i_am else f"{i_have}'ve" if i_have else f"{pointer}'s"


def normalised(text: str) -> str:
    """The text with one kind of apostrophe and contractions typed without one restored, so that
    "i dont have a fever" is read as a denial and "dont" is never searched."""
    return _BARE.sub(_contraction, text.translate(_APOSTROPHES))


def is_description(text: str) -> bool:
    """A first-person story or a long list of signs, not a short named-condition query.

    "symptoms of bell's palsy" or "ewing sarcoma treatment" (a cue word, few words) is not;
    "my knees ache and I've had a fever for days" is. Cheap: two regexes and the analyser.
    """
    words = terms_of(text)
    if len(words) < 4:
        return False
    if (_CUE.search(text) or detect_intent(text).kind) and len(words) <= MAX_CUED_WORDS:
        return False
    if _FIRST_PERSON.search(text) and len(words) >= 5:
        return True
    clauses = len([c for c in _CLAUSES.split(text) if c and c.strip()])
    return clauses >= 3 and len(words) >= 6


def shown(clause: str) -> str:
    """A clause as a chip shows it: the story around the sign dropped ("For two weeks I have had
    a rash on my arms" → "a rash on my arms"), the writer's own words otherwise kept."""
    kept = " ".join(_FRAMES.sub(" ", clause).split()).strip(" .,;:!?-")
    kept = re.sub(r"^(?:(?:i|i've|i'm|am|have|has|had|get|gets|got|and|also|then|now|but|there's|there is|there are|"
                  r"been|developed|noticed|saw|seen|spotted|experienced|experiencing|both(?: of)?|with|just|from|"
                  r"reali[sz]ed(?: that)?|symptoms (?:such as|like|including))\s+)+",
                  "", kept, flags=re.IGNORECASE)
    # A clause cut before its denial or a dropped frame ends in a linking word ("headache with | no fever",
    # "a cough that | won't go away").
    kept = re.sub(r"(?:\s+(?:with|and|or|but|of|in|on|at|to|by|that|which|who|never|is|are|was|were))+$", "", kept,
                  flags=re.IGNORECASE)
    return kept if len(kept) >= 3 else clause.strip(" .,;:!?")


def sign_words(text: str) -> list[str]:
    """The analysed words of a symptom, without the story around it ("I've been having", "lately"),
    and the age of the person told about ("my toddler has …": toddler). A lone letter is no sign:
    what is left of "<b>x</b>" or an "x" between emoji would match every page with an X-ray."""
    text = normalised(text)
    ages = [age.group(0) for teller in _TELLER_FOUND.finditer(text) for age in _AGE.finditer(teller.group(0))]
    words = [w for w in terms_of(_FRAMES.sub(" ", text))
             if w not in _STORY_WORDS and not w.isdigit() and len(w) > 1]
    if not words:
        return words  # an age alone is not a sign
    return words + [w for w in terms_of(" ".join(ages)) if w not in words and w not in _STORY_WORDS and not w.isdigit()]


def negates(text: str) -> bool:
    """Does the text deny a sign anywhere ("no fever", "I don't have a cough")?"""
    return _negated(normalised(text))


# "and" joins two signs, except inside these (and inside multi-word synonyms such as
# "pins and needles", passed in as ``keep``).
KEPT_AND = ("on and off", "off and on", "back and forth", "in and out", "up and down", "now and then",
            "aches and pains", "hot and cold", "sick and tired", "coming and going", "comes and goes",
            "come and go", "came and went", "over and over", "again and again", "more and more", "on and on",
            "by and large", "here and there", "every now and again")
_JOINED = "\x00"
_COMMA = "\x01"

# Parts of the body (general anatomy, singular and plural): "my skin and eyes have turned yellow",
# "a rash on my arms, legs and face" tell one sign at several places, not a sign per place. Joined
# only after "my", "the", "both"…, so "a sore throat and chest pain" stays two signs.
_PARTS = ("skin|eyes?|ears?|nose|mouth|lips?|tongue|gums?|teeth|tooth|throat|neck|face|cheeks?|forehead|"
          "head|scalp|hair|chest|breasts?|back|shoulders?|arms?|elbows?|wrists?|hands?|fingers?|"
          "fingernails?|nails?|thumbs?|stomach|belly|abdomen|tummy|sides?|hips?|groin|buttocks|legs?|"
          "thighs?|knees?|calf|calves|shins?|ankles?|feet|foot|toes?|toenails?|heels?|joints?|muscles?|"
          "bones?|armpits?|eyelids?|jaw|torso|trunk|limbs?|body|spine|temples?|palms?|soles?")
_SITES = re.compile(rf"\b(?:my|the|his|her|their|our|both|all|your)\s+(?:{_PARTS})"
                    rf"(?:\s*,\s*(?:my\s+|the\s+)?(?:{_PARTS}))*\s*,?\s+and\s+(?:my\s+|the\s+|his\s+|her\s+)?"
                    rf"(?:{_PARTS})\b", re.IGNORECASE)

# Two subjects told one thing ("his eyes and his skin look yellow", "her lips and fingertips turned
# blue"): one sign, so the predicate stays with both.
_SUBJECTS = re.compile(r"\b(?:both\s+)?(?:my|the|his|her|their|our)\s+\w+\s+and\s+(?:(?:my|the|his|her|their|our)\s+)?\w+"
                       r"(?=\s+(?:is|are|was|were|has|have|had|look|looks|looked|feel|feels|felt|seem|seems|turned|"
                       r"became|become|got|get|gets|keep|keeps)\b)", re.IGNORECASE)


# The analysed words of places alone ("legs", "on my lower back", "knees, elbows, and scalp").
_SITE_WORDS = frozenset(terms_of(_PARTS.replace("s?", "").replace("|", " ")
                                 + " lower upper left right both side inner outer whole entire"))


def protect(text: str, keep: tuple[str, ...] = ()) -> str:
    """Hide the "and" of fixed expressions and of places on the body ("on my arms and legs") from
    splitting (``restore`` brings it back)."""
    lowered = text.lower()
    for phrase in sorted({*KEPT_AND, *keep}, key=len, reverse=True):
        start = lowered.find(phrase)
        while start != -1:
            joined = phrase.replace(" and ", _JOINED)
            text = text[:start] + joined + text[start + len(phrase):]
            lowered = text.lower()
            start = lowered.find(phrase, start + len(joined))
    text = _SITES.sub(lambda m: re.sub(r"\s+and\s+", _JOINED, m.group(0).replace(",", _COMMA)), text)
    return _SUBJECTS.sub(lambda m: re.sub(r"\s+and\s+", _JOINED, m.group(0)), text)


def restore(text: str) -> str:
    return text.replace(_JOINED, " and ").replace(_COMMA, ",")


def joined_clauses(text: str, keep: tuple[str, ...] = ()) -> list[tuple[str, tuple[str, ...]]]:
    """Sentences split into clauses at commas and clause-starting conjunctions, each with what joins it to the clause before it in its sentence (",", "and",
    ", and"… as a tuple of separators; none at a sentence's start)."""
    pieces: list[tuple[str, tuple[str, ...]]] = []
    for sentence in _SENTENCES.split(protect(text, keep)):
        separators: list[str] = []
        for at, part in enumerate(_CLAUSES_KEPT.split(sentence)):
            if at % 2:  # a separator
                separators.append(part.strip().lower())
            elif part and part.strip():
                pieces.append((restore(part).strip(), tuple(separators) if pieces and separators else ()))
                separators = []
    return pieces


# A clause that starts a statement of its own (a subject, a verb after "and": "… and feel weak", or
# a sign with its article: "… and a lump in her neck") does not inherit the negation of the clause
# before it; a bare list of signs does ("no fever, chills or aches").
_NEW_PREDICATE = (r"\s*(?:i|my|it|this|that|there|a|an|the|some|he|she|they|we|his|her|their|our|also|then|now|"
                  r"(?:feel|get|have|has|had|am|keep|seem|look)\w*|been|start\w*|develop\w*|notic\w*|experienc\w*|"
                  r"suffer\w*|lost|losing|gain\w*|put|got|can|could)\b")


# What joins a clause that turns against the one before it ("no fever, but for days my wrist tingles").
_CONTRAST = frozenset(("but", "however", "although", "though", "yet", "except", "whereas", "while"))


# Triggers that negate only what follows them: in "headache without fever" or "a cough with no
# phlegm" the sign before the trigger is told as present. (A negated verb, "my nose isn't running",
# negates its subject too, so it is not split.)
_FORWARD = re.compile(r"\b(?:without|no|absence of|free of|neither|nor)\b", re.IGNORECASE)
# A relative clause that denies something of the sign before it ("a lump that doesn't hurt").
_RELATIVE_DENIAL = re.compile(r"\b(?:that|which|but)\s+(?:it\s+|they\s+)?(?=(?:do|does|did|is|are|was|were|has|have)"
                              r"(?:n't| not)\b|never\b)", re.IGNORECASE)


# A clause that says something of the sign before it ("that doesn't hurt", "but it itches").
_RELATIVE_START = re.compile(r"\s*(?:that|which|who|but)\b", re.IGNORECASE)


def _hidden(clause: str) -> str:
    """The clause with its pseudo-negations blanked out, same length so positions hold."""
    return _PSEUDO.sub(lambda m: "\x02" * len(m.group(0)), clause)


def negation_start(clause: str) -> int | None:
    """Where a clause that denies only its end ("headache without fever", "a lump that doesn't
    hurt") starts denying, else None."""
    hidden = _hidden(clause)
    match = _FORWARD.search(hidden) or _RELATIVE_DENIAL.search(hidden)
    if match is None or _NEGATION.search(hidden[:match.start()]) or not sign_words(hidden[:match.start()]):
        return None
    return match.start()


def denied(clause: str) -> str:
    """A denied clause as a chip shows it after "not:": the sign denied, without the denial ("I don't
    have a fever" → "a fever", "neither cough nor fever" → "cough or fever"). A clause whose subject
    is the sign ("my nose isn't running") or that denies what a sign does ("that doesn't hurt") is
    kept whole."""
    normal = _TOLD_NORMAL.match(clause)
    if normal:
        return shown(clause[:normal.start(1)])  # "my little finger is fine": not my little finger
    match = _NEGATION.search(_hidden(clause))
    if match is None or _RELATIVE_START.match(clause):
        return shown(clause)
    if sign_words(clause[:match.start()]):
        return shown(clause)
    rest = re.sub(r"\b(?:nor|neither)\b", "or", clause[match.end():], flags=re.IGNORECASE)
    rest = re.sub(r"^\s*(?:(?:or|have|has|had|get|gets|got|feel|feels|felt|been|see|seen|notic\w*|experienc\w*|"
                  r"think|believe|it|it's|is|any|a single)\s+)+", "", rest, flags=re.IGNORECASE)
    told = shown(rest)
    return told if sign_words(told) else shown(clause)


def told(text: str) -> list[tuple[str, bool]]:
    """A text's clauses in order, each with whether it is denied; a clause denying only its end
    ("headache without fever") is two parts. For a page's own denials ("it does not cause a
    fever"), read as a reader's are."""
    parts: list[tuple[str, bool]] = []
    for clause, _joined_by in joined_clauses(text):
        start = negation_start(clause)
        if start is not None:
            parts += [(clause[:start], False), (clause[start:], True)]
        else:
            parts.append((clause, _negated(clause)))
    return parts


def _negated(clause: str) -> bool:
    cleaned = _PSEUDO.sub(" ", clause)
    return bool(_NEGATION.search(cleaned) or _TOLD_NORMAL.match(clause))


# A describing word alone after "a"/"an" ("an itchy, red rash", "a throbbing, dull ache") opens a
# list of describing words: it joins the clause after it instead of standing as a sign of its own.
_DESCRIBING_ENDS = "y|ish|ing|ed|ful|ous|ive|en|al|ic"  # how English describing words end ("itchy", "swollen")
_DESCRIBING = re.compile(rf"\b(?:an?|the|my|this|that)\s+\w+(?:{_DESCRIBING_ENDS})$", re.IGNORECASE)
_NOUN_PHRASE = re.compile(r"\s*(?:an?|the|my|his|her|their|our|some|i|it|this|that|there)\b", re.IGNORECASE)


def _describing_joined(clauses: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """The clauses, each lone opening describing word joined to the clause it describes."""
    joined: list[tuple[str, tuple[str, ...]]] = []
    for clause, joined_by in clauses:
        if joined and joined_by and _DESCRIBING.search(joined[-1][0].strip(" .,;:!?")) \
                and len(sign_words(joined[-1][0])) == 1 and not _NOUN_PHRASE.match(clause) \
                and len(sign_words(clause)) >= 2:
            opened, opened_by = joined.pop()
            clause, joined_by = f"{opened}{',' if ',' in joined_by else ' and'} {clause}", opened_by
        joined.append((clause, joined_by))
    return joined


_LONE_DESCRIBING = re.compile(r"(?:(?:it|they|that)(?:'s|'re| is| are| was| were|) )?(?:and |also )?"
                              rf"\w+(?:{_DESCRIBING_ENDS}|able)", re.IGNORECASE)


def _describes(clause: str, joined_by: tuple[str, ...], words: list[str], vocabulary: Vocabulary | None) -> bool:
    """One describing word joined by "and" that names no sign by itself ("red, and runny", "… and
    inflamed"). Not a state of the reader ("… and I'm exhausted") nor an item of a comma list
    ("sneezing, exhausted, feverish"): those are signs."""
    return "and" in joined_by and len(words) == 1 and vocabulary is not None and not vocabulary.match(words) \
        and bool(_LONE_DESCRIBING.fullmatch(clause.strip(" .,;:!?")))


def _parts(clauses: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """The clauses, each that denies only its end cut in two: the sign told, then the denial."""
    parts = []
    for clause, joined_by in clauses:
        start = negation_start(clause)
        parts.extend([(clause, joined_by)] if start is None else [(clause[:start], joined_by), (clause[start:], ())])
    return parts


def understand(text: str, vocabulary: Vocabulary | None = None, keep: tuple[str, ...] = ()) -> list[Item]:
    """The description as understood items, in reading order (clauses naming no sign are left out).
    ``keep``: expressions whose "and" does not split ("pins and needles")."""
    items: list[Item] = []
    negate_next = False
    for clause, joined_by in _parts(_describing_joined(joined_clauses(normalised(text), keep))):
        negated = _negated(clause)
        if not negated and negate_next and joined_by and not _CONTRAST & set(joined_by) \
                and not re.match(_NEW_PREDICATE, clause, re.IGNORECASE):
            negated = True  # "no fever, chills or cough": a list after a negation shares it (not a new sentence)
        words = sign_words(clause)
        # A list goes on after a denied sign ("no fever, chills"), not after what a sign does not do.
        negate_next = negated and bool(words) and not _RELATIVE_START.match(clause)
        if not words:
            continue
        if items and not negated and not items[-1].negated and not _PSEUDO.search(clause) \
                and (set(words) <= _SITE_WORDS or _describes(clause, joined_by, words, vocabulary)):
            # Only places ("a sore jaw and neck", "flaky patches, mostly on my shins and wrists") or one describing
            # word ("my ankle is swollen, and bruised"): where or how the sign before them is felt, not a sign of their
            # own. ("no feeling in my toes" is a sign told as an absence.)
            last = items[-1]
            last.text, last.words = f"{last.text}, {shown(clause)}", last.words + words
            last.phenotypes = vocabulary.match(last.words) if vocabulary is not None else []
            continue
        matches = vocabulary.match(words) if vocabulary is not None else []
        items.append(Item(denied(clause) if negated else shown(clause), words, negated, matches))
    return items
