"""kb.search.describe and kb.corpus_config.vocabulary on made-up descriptions (no dev-set text)."""

from kb.search.describe import is_description, understand
from kb.corpus_config.vocabulary import hpo_vocabulary, ANY_ORDER_SPAN, Phenotype, Vocabulary, near_groups, kept_names, loose, parse_obo
from kb.search.query import terms_of

OBO = """format-version: 1.2
data-version: hp/releases/test

[Term]
id: HP:0000118
name: Phenotypic abnormality

[Term]
id: HP:0000952
name: Jaundice
synonym: "Icterus" EXACT []
synonym: "Yellow skin" EXACT layperson []
synonym: "JD" EXACT abbreviation []
is_a: HP:0000118 ! Phenotypic abnormality

[Term]
id: HP:0000005
name: Mode of inheritance
"""


def vocabulary() -> Vocabulary:
    terms, version = parse_obo(OBO.splitlines(True))
    assert version == "hp/releases/test"
    term = terms["HP:0000952"]
    assert kept_names(term) == ("Jaundice", "Icterus", "Yellow skin")  # no abbreviation
    return Vocabulary([Phenotype("HP:0000952", term["name"], kept_names(term))], terms_of, version)


def test_named_queries_are_not_descriptions():
    for text in ("symptoms of bell's palsy", "ewing sarcoma treatment", "signs of pachygyria",
                 "tell me about primary biliary cirrhosis, scleroderma, and telangiectasia"):
        assert not is_description(text)


def test_first_person_story_is_a_description():
    assert is_description("For two weeks my ankles have been swollen and I get tired climbing stairs")


def test_negated_clause_is_marked_and_story_words_dropped():
    items = understand("My ankles are swollen, but I don't have a fever. I'm worried.")
    assert [item.negated for item in items] == [False, True]
    assert "worri" not in {word for item in items for word in item.words}


def test_keep_before_a_sign_is_story():
    assert [item.text for item in understand("I keep sneezing and it keeps itching at night, and I have a mild "
                                             "fever")] == ["sneezing", "itching at night", "a mild fever"]


def test_pseudo_negation_is_not_negation():
    (item,) = understand("the cough does not go away")
    assert not item.negated


def test_hedges_and_conditions_are_not_denials():
    """A page's "whether or not the joint is swollen" or "fever is not always present" tells the
    sign; so does a reader's "if not treated it spreads". A plain denial still denies."""
    from kb.search.describe import told

    assert told("Look at whether or not the knee is swollen.") == [("Look at whether or not the knee is swollen.", False)]
    assert told("A high temperature is not always present.") == [("A high temperature is not always present.", False)]
    assert [denied for _part, denied in told("If not treated, the redness spreads. It does not cause a fever.")] \
        == [False, False, True]


def test_a_lost_function_told_as_an_absence_is_a_sign():
    items = understand("I have no energy, there is no feeling in my toes and I don't have any appetite. No fever.")
    assert [(item.words, item.negated) for item in items] == [
        (["energi"], False), (["toe"], False), (["appetit"], False), (["fever"], True)]
    items = understand("I am not able to think clearly, and I'm not able to sleep. No rash.")
    assert [(item.text, item.negated) for item in items] == [
        ("not able to think clearly", False), ("not able to sleep", False), ("rash", True)]


def test_lay_name_maps_to_phenotype_in_any_order():
    found = understand("my skin turned yellow", vocabulary())
    assert [m.phenotype.name for item in found for m in item.phenotypes] == ["Jaundice"]


def test_a_name_told_in_any_order_is_looked_for_among_near_words_only():
    voc = vocabulary()
    near = terms_of("skin that slowly turned a bright yellow")
    far = terms_of("skin that slowly turned red, sore, tender, cracked and blistered, then yellow")
    assert [m.phenotype.name for m in voc.match(near)] == ["Jaundice"]
    assert voc.match(far) == []
    # A long clause with no punctuation costs in proportion to its length (500 words: 5,000 groups
    # of three looked up, not the 20 million of every three words in any order).
    assert len(list(near_groups(500, 3, ANY_ORDER_SPAN))) <= 500 * 10


def test_loose_key():
    assert loose("itchi") == loose("itch") and loose("scali") == loose("scale")


def test_linking_words_of_a_story_are_not_searched():
    items = understand("In addition, my skin has turned yellow. Moreover I am tired and both my knees hurt.")
    assert [item.words for item in items] == [["skin", "yellow"], ["tire"], ["knee", "hurt"]]


def test_a_sign_that_will_not_stop_is_a_sign_without_the_story():
    items = understand("I can't stop sneezing, and this cough won't go away")
    assert [(item.words, item.negated) for item in items] == [(["sneez"], False), (["cough"], False)]


def test_a_sign_that_comes_and_goes_stays_one_sign():
    items = understand("My temperature has come and go with a dull ache, over and over.")
    assert [item.text for item in items] == ["My temperature has come and go with a dull ache"]


def test_a_chip_shows_the_sign_not_the_quantity_before_it():
    items = understand("Lately I get a lot of sneezing and lots of phlegm")
    assert [item.text for item in items] == ["sneezing", "phlegm"]
    assert [item.text for item in understand("he's been burping and my nose has been running")] == [
        "burping", "my nose has been running"]


def test_a_negation_does_not_reach_a_statement_of_its_own_after_it():
    items = understand("I never get headaches these days and feel sick, no fever, chills or aches")
    assert [(item.text, item.negated) for item in items] == [
        ("headaches", True), ("feel sick", False), ("fever", True), ("chills or aches", True)]


def test_a_lost_wish_told_as_an_absence_is_a_sign():
    items = understand("She doesn't feel like eating at all")
    assert [(item.words, item.negated) for item in items] == [(["eat"], False)]


def test_a_story_told_about_someone_else_keeps_only_the_signs():
    items = understand("My daughter has had a sore ear since Monday and she's been feeling sick; it's driving her crazy")
    assert [item.text for item in items] == ["a sore ear", "sick"]


def test_a_denial_at_the_end_of_a_clause_leaves_the_sign_before_it():
    items = understand("For a month I've had a dry cough without any phlegm, and lost weight without eating less")
    assert [(item.text, item.negated) for item in items] == [
        ("a dry cough", False), ("phlegm", True), ("lost weight", False), ("eating less", True)]
    assert [(item.words, item.negated) for item in understand("I've lost weight without trying")] == [(["lost", "weight"], False)]


def test_the_person_told_about_is_not_a_sign():
    items = understand("My 6-year-old has a blotchy rash, no fever, and she keeps rubbing her eyes. Suddenly got worse.")
    assert [(item.text, item.negated) for item in items][:3] == [
        ("a blotchy rash", False), ("fever", True), ("rubbing her eyes", False)]


def test_a_denial_reaches_a_bare_list_not_a_statement_of_its_own():
    items = understand("Bloating, not much of an appetite and a dull ache on my left side. No fever, chills or sweats.")
    assert [(item.text, item.negated) for item in items] == [
        ("Bloating", False), ("not much of an appetite", False), ("a dull ache on my left side", False),
        ("fever", True), ("chills or sweats", True)]
    items = understand("He doesn't have a temperature, and there's a rash on his back, no cough and aches")
    assert [(item.text, item.negated) for item in items] == [
        ("a temperature", True), ("a rash on his back", False), ("cough", True),
        ("aches", True)]


def test_describing_words_before_a_sign_stay_with_it():
    items = understand("There's a crusty, weeping patch behind my ear and a throbbing and nagging ache in my hip, plus a cough, sore ribs")
    assert [item.text for item in items] == [
        "a crusty, weeping patch behind my ear", "a throbbing and nagging ache in my hip", "a cough", "sore ribs"]


def test_a_lone_describing_word_describes_the_sign_before_it():
    items = understand("My elbow is swollen, and itchy. Also a rash, and jaundice", vocabulary())
    assert [item.text for item in items] == ["My elbow is swollen, itchy", "a rash", "jaundice"]


def test_a_denial_typed_without_apostrophe_or_with_a_curly_one_is_a_denial():
    for typed in ("i dont have a fever", "I don\u2019t have a fever", "I havent got a fever"):
        [item] = understand(typed)
        assert item.negated and item.words == ["fever"], typed
    assert [item.words for item in understand("im so dizzy and cant stop sneezing")] == [["dizzi"], ["sneez"]]


def test_a_sign_told_with_what_it_does_not_do_is_a_sign():
    items = understand("There's a small lump in my neck that doesn't hurt, and a cough that won't go away")
    assert [(item.text, item.negated) for item in items] == [
        ("a small lump in my neck", False), ("that doesn't hurt", True), ("a cough", False)]


def test_a_state_of_the_reader_or_an_item_of_a_list_is_a_sign_of_its_own():
    items = understand("My knee is swollen, and I'm exhausted. Coughing, feverish, bloated.", vocabulary())
    assert [item.text for item in items] == ["My knee is swollen", "exhausted", "Coughing", "feverish", "bloated"]


def test_the_age_of_the_person_told_about_is_searched_with_the_sign_not_shown():
    [item] = understand("My toddler has had a runny nose for days")
    assert item.text == "a runny nose"
    assert item.words == ["runni", "nose", "toddler"]
    [item] = understand("My husband has had a runny nose for days")
    assert item.words == ["runni", "nose"]


def test_a_denied_chip_shows_the_sign_denied_not_the_denial():
    told = "I haven't had any chills, neither a cough nor a runny nose, my ear isn't sore and a bump that doesn't itch"
    assert [(item.text, item.negated) for item in understand(told)] == [
        ("chills", True), ("a cough or a runny nose", True), ("my ear isn't sore", True),
        ("a bump", False), ("that doesn't itch", True)]
    assert [(item.text, item.negated) for item in understand("I never want to eat and I don't think it's a fever")] == [
        ("never want to eat", False), ("a fever", True)]


def test_what_the_teller_cannot_explain_is_story_not_a_denial():
    told = "Tiny bumps on my shins that I don't understand, I bruise for no reason. I don't know why my hips hurt"
    assert [(item.text, item.negated) for item in understand(told)] == [
        ("Tiny bumps on my shins", False), ("bruise", False), ("my hips hurt", False)]


def test_a_sign_that_goes_on_or_feeling_unwell_is_not_a_denial():
    told = "I don't feel well, my nose won't quit running and the grazes don't appear to heal"
    assert [(item.text, item.negated) for item in understand(told)] == [
        ("my nose won't quit running", False), ("the grazes don't appear to heal", False)]
    assert [(item.words, item.negated) for item in understand("I don't feel well since I've got a fever")] == [(["fever"], False)]
    assert [item.negated for item in understand("He has almost no control over his bladder")] == [False]


def test_a_denial_does_not_reach_into_the_next_sentence():
    items = understand("No rash. Sore knees, stiff in the morning")
    assert [(item.text, item.negated) for item in items] == [("rash", True), ("Sore knees", False), ("stiff in the morning", False)]


def test_a_while_is_a_time_not_a_clause_break():
    assert [item.text for item in understand("My gums bleed and my grazes need a while to heal")] == [
        "My gums bleed", "my grazes need a while to heal"]
    assert [item.words for item in understand("once in a while my heart races")] == [["heart", "race"]]


def test_the_story_around_a_sign_is_not_shown_or_searched():
    told = "I felt fine in the morning, but then I saw a blotchy rash across my chest while out for a walk"
    assert [(item.text, item.words) for item in understand(told)] == [("a blotchy rash across my chest", ["blotchi", "rash", "chest"])]


def test_a_place_told_after_its_sign_joins_it():
    assert [(item.text, item.words) for item in understand("I have an itchy rash. On my legs too.")] == [
        ("an itchy rash, On my legs too", ["itchi", "rash", "leg"])]


def test_waking_is_a_sign_not_story():
    assert [item.words for item in understand("I keep waking through the night and lie awake at dawn")] == [
        ["wake", "through"], ["lie", "awak", "dawn"]]


def test_a_sign_that_never_ends_is_told_not_denied():
    items = understand("My back pain never goes away and I have a cough that never lets up")
    assert [(item.text, item.negated) for item in items] == [("My back pain", False), ("a cough that never lets up", False)]


def test_coming_back_from_a_trip_is_not_a_back():
    items = understand("We just got back from a trip to Ghana and my back aches")
    assert [(item.text, item.words) for item in items] == [("a trip to Ghana", ["trip", "ghana"]), ("my back aches", ["back", "ach"])]


def test_two_subjects_told_one_thing_are_one_sign():
    items = understand("Both his eyes and his skin look yellow. His hunger and thirst have grown", hpo_vocabulary())
    assert [item.words for item in items] == [["eye", "skin", "look", "yellow"], ["hunger", "thirst"]]
    assert "Jaundice" in [match.phenotype.name for match in items[0].phenotypes]
    assert [item.text for item in understand("I have a rash and my knees are swollen")] == ["a rash", "my knees are swollen"]


def test_how_often_is_story():
    assert [item.words for item in understand("On rare occasions I see blood in my pee")] == [["blood", "pee"]]


def test_comparisons_and_asides_are_story():
    told = "my temperature is way above normal, my vision is growing blurry and simply put I am only able to sleep at home"
    assert [(item.text, item.words) for item in understand(told)] == [
        ("my temperature", ["temperatur"]), ("my vision is growing blurry", ["vision", "blurri"]), ("only able to sleep at home", ["sleep"])]


def test_a_list_of_symptoms_is_introduced_not_searched():
    assert [item.words for item in understand("My symptoms include a headache and, as the evening went on, dizziness")] == [
        ["headach"], ["dizzi"]]


def test_a_denial_stops_at_but():
    items = understand("I haven't had any fever but for two weeks my wrist tingles at night, no rash but chills")
    assert [(item.text, item.negated) for item in items] == [
        ("fever", True), ("my wrist tingles at night", False), ("rash", True), ("chills", False)]


def test_a_part_told_as_normal_is_denied_not_a_place_of_the_sign():
    items = understand("Tingling in my right hand at night. My little finger is fine though")
    assert [(item.text, item.negated) for item in items] == [("Tingling in my right hand at night", False), ("My little finger", True)]
    assert [item.negated for item in understand("I'm always cold when others are fine")] == [False]
