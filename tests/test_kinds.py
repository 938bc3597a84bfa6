import pytest

from kb.model.kinds import classify_heading


@pytest.mark.parametrize("heading, kind", [
    ("Overview", "overview"),
    ("What is migraine?", "overview"),
    ("Signs and symptoms", "symptoms"),
    ("Common symptoms", "symptoms"),
    ("What causes migraine?", "causes"),
    ("Why does it happen?", "causes"),
    ("Risk Factors", "risk-factors"),
    ("Who is more likely to get it?", "risk-factors"),
    ("How is migraine diagnosed?", "diagnosis"),
    ("Getting a diagnosis", "diagnosis"),
    ("Treatment options", "treatment"),
    ("Treatments that can help", "treatment"),
    ("Botulinum toxin injections", "treatment"),
    ("Can migraine be prevented?", "prevention"),
    ("Prevention tips", "prevention"),
    ("Living with migraine", "living-with"),
    ("Self-Care at Home", "living-with"),
    ("Prognosis", "outlook"),
    ("When to see a doctor", "when-to-see-a-doctor"),
    ("When to Seek Medical Care", "when-to-see-a-doctor"),
    ("When to call the doctor about your symptoms", "when-to-see-a-doctor"),
    ("A note on history", "other"),
])
def test_heading_kinds(heading, kind):
    assert classify_heading(heading) == kind
