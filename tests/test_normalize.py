import re

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


def test_percent_escapes_have_one_form_and_repeated_parameters_stay():
    assert normalize_url("https://x.org/caf%c3%a9/%7Euser") == normalize_url("https://x.org/caf%C3%A9/~user")
    assert normalize_url("https://x.org/a%2fb") == "https://x.org/a%2Fb"  # an escaped / stays escaped
    assert normalize_url("https://x.org/a?id=2&id=1") == "https://x.org/a?id=1&id=2"
    assert normalize_url("https://x.org/a?id=1") != normalize_url("https://x.org/a?id=2")
    # keys built from URLs keep the old form, so keys already stored still match
    assert normalize_url("https://x.org/caf%c3%a9", canonical_escapes=False) == "https://x.org/caf%c3%a9"


@pytest.mark.parametrize(("url", "said"), [
    ("https://example.com:8o8o/", "the port '8o8o' is not a number"),
    ("javascript:alert(1)", "only http and https URLs"),
    ("mailto:someone@example.org", "only http and https URLs"),
    ("ftp://example.org/file", "only http and https URLs"),
    ("http://[::1/", "Invalid IPv6 URL"),
    ("https://", "names no host"),
    ("https://x.org/\x1b[2J", "control characters"),
])
def test_malformed_urls_are_clear_errors(url, said):
    from claimtrack.normalize import InvalidURL

    with pytest.raises(InvalidURL, match=re.escape(said)):
        normalize_url(url)


def test_host_with_port_and_ipv6_are_web_addresses():
    assert normalize_url("example.com:8080/x") == "https://example.com:8080/x"
    assert normalize_url("http://[::1]:8080/a") == "https://[::1]:8080/a"
