"""A ✓ beside a condition means its passage shows the sign, not only holds one of its words."""

from contextlib import contextmanager

from kb.index.handle import IndexHandle
from kb.search.query import search
from kb.search.symptoms import symptom_search
from tests.conftest import indexed_corpus


@contextmanager
def _corpus(tmp_path, files):
    """An index of ``files`` (path → title, text) and a handle on it, closed afterwards."""
    settings = indexed_corpus(tmp_path, files)
    handle = IndexHandle(settings.index_dir)
    try:
        yield handle, settings
    finally:
        handle.close()


def _ticks(page, article_id):
    condition = next(c for c in page.conditions if c.article_id == article_id)
    return {e.symptom: e.covered for e in condition.evidence}


def test_a_sign_inside_another_conditions_name_or_denied_is_no_evidence(shipped_index, shipped):
    """On the shipped pages: pink eye names hay fever ("anyone with hay fever"), the hay fever page
    says it does not cause a fever, and psoriasis has a rash that may "feel sore" and a throat
    infection further on. None of these shows a fever or a sore throat."""
    page = symptom_search("fever, sore throat", index=shipped_index, settings=shipped)
    assert _ticks(page, "pink-eye") == {"fever": False, "sore throat": True}  # "comes with a cold or sore throat"
    assert _ticks(page, "psoriasis")["sore throat"] is False
    hay_fever = [c for c in page.conditions if c.article_id == "hay-fever"]
    assert not hay_fever or _ticks(page, "hay-fever")["fever"] is False


def test_the_whole_name_written_by_the_reader_counts(tmp_path):
    with _corpus(tmp_path, {
        "hay.html": ("Hay fever", "Sneezing and a runny nose in spring. It does not cause a fever."),
        "eyes.html": ("Pink eye", "Red, gritty eyes. People with hay fever get it more often."),
        "back.html": ("Back pain", "Back pain is an ache low in the back, stiffness after sitting."),
        "hips.html": ("Hip wear", "An ache in the hip and, in many people, back pain that comes and goes."),
    }) as (handle, settings):
        fever = symptom_search("fever, red eyes", index=handle, settings=settings)
        assert _ticks(fever, "eyes") == {"fever": False, "red eyes": True}
        told = symptom_search("hay fever, red eyes", index=handle, settings=settings)
        assert _ticks(told, "eyes") == {"hay fever": True, "red eyes": True}
        # Back pain is a pain (the HPO says so): on the hip page it shows the reader's pain.
        pain = symptom_search("pain, stiffness", index=handle, settings=settings)
        assert _ticks(pain, "hips")["pain"] is True


def test_a_described_sign_is_held_only_where_its_passage_shows_it(shipped_index):
    page = search("For three days I have had a fever and a sore throat, and my eyes are red",
                  index=shipped_index)
    assert page.description
    signs = {article: why["signs"] for article, why in page.explanations.items()}
    assert "a fever" not in signs.get("pink-eye", [])
    assert not any("sore throat" in sign for sign in signs.get("psoriasis", []))


def test_a_name_made_of_signs_still_tells_them(tmp_path):
    """A page titled "Nausea and vomiting" makes that phrase a name in the corpus, but it is signs
    listed, not another condition: "nausea and vomiting" on the stomach bug page shows vomiting."""
    with _corpus(tmp_path, {
        "nv.html": ("Nausea and vomiting", "Feeling sick and being sick have many causes."),
        "bug.html": ("Stomach bug", "Sudden nausea and vomiting, then watery diarrhea for a day or two."),
    }) as (handle, settings):
        page = symptom_search("vomiting, diarrhea", index=handle, settings=settings)
        assert _ticks(page, "bug") == {"vomiting": True, "diarrhea": True}


def test_a_condition_whose_passages_bear_out_fewer_signs_moves_down(tmp_path):
    """Both pages hold "fever" and "red eyes"; only the second tells a fever. Ranking by counts
    alone puts the pink eye page first; read in its passages it shows one sign of two and moves down."""
    with _corpus(tmp_path, {
        "hay.html": ("Hay fever", "Sneezing in spring."),
        "eyes.html": ("Pink eye", "Red eyes. Anyone with hay fever gets it more often."),
        "strain.html": ("Screen fatigue", "Red eyes after long hours at a screen, and in some "
                                          "people a mild fever with aches, headaches and a stiff neck."),
    }) as (handle, settings):
        page = symptom_search("fever, red eyes", index=handle, settings=settings)
        assert [c.article_id for c in page.conditions][:2] == ["strain", "eyes"]
        assert [c.covered for c in page.conditions][:2] == [2, 1]
        told = search("Since yesterday I have had a fever and my eyes are red", index=handle)
        assert told.description and [hit.article_id for hit in told.results][:1] == ["strain"]
        assert told.explanations["eyes"]["covered"] == 1
