import pytest

from claimtrack.normalize import claim_hash, normalize_name, normalize_url


@pytest.mark.parametrize(
    ("a", "b"),
    [("Alexeï Navalny", "Alexei Navalny"), ("OVD Info", "OVD-Info"), ("  Леонид  Волков ", "леонид волков")],
)
def test_name_spellings_meet(a, b):
    assert normalize_name(a) == normalize_name(b)


def test_different_names_stay_apart():
    assert normalize_name("Alexei Navalny") != normalize_name("Alexey Navalny")  # a fuzzy match, not identity


def test_claim_texts_differing_only_in_form_share_a_hash():
    assert claim_hash("Police visited Navalny's supporters.") == claim_hash("police visited navalny s supporters")
    assert claim_hash("20 people") != claim_hash("200 people")


@pytest.mark.parametrize(
    "variant",
    [
        "http://www.newindianexpress.com/world/2021/jul/28/story.html",
        "https://newindianexpress.com/world/2021/jul/28/story.html/",
        "https://www.NewIndianExpress.com/world/2021/jul/28/story.html?utm_source=twitter&fbclid=abc#top",
    ],
)
def test_url_variants_are_one_document(variant):
    assert normalize_url(variant) == "https://newindianexpress.com/world/2021/jul/28/story.html"


def test_meaningful_query_parameters_are_kept_and_sorted():
    assert normalize_url("https://x.org/a?b=2&a=1&utm_medium=x") == "https://x.org/a?a=1&b=2"
