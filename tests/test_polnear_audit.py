"""The audit on real data: the PolNeAR dev set (84 US news articles, 2,320 hand-annotated attributions).

Sources that are other outlets ("The New York Post reports") come in as hops via that outlet, so
their chains end at an intermediary (no-primary-source); "sources said" and "officials" come in
as vague sources; unresolved pronouns ("he", "she") as anonymous speakers; the reporter's own
voice (attributions without a source) as unattributed statements.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

#: the audit's counts per rule on the dev set, as imported by claimtrack.formats.polnear
EXPECTED = {
    "unattributed": 133,
    "vague-source": 52,
    "anonymous-speaker": 786,
    "no-primary-source": 38,
    "time-order": 0,
    "circular-citation": 0,
    "echo": 0,
    "quote-drift": 0,
    "missing-dates": 0,
}


def test_polnear_dev_set_audit_counts(cli: Any, database: Any, shared_data: Any) -> None:
    from claimtrack.formats import READERS

    source = shared_data / "polnear" / "polnear_dev_attributions.tsv"
    if not source.is_file():
        pytest.skip(f"PolNeAR dev attributions not found at {source}")
    if "polnear" not in READERS:
        pytest.skip("the PolNeAR importer (claimtrack.formats.polnear) is not in this claimtrack")
    cli.ok("import", str(source), "--format", "polnear")
    result = cli("audit", "--json", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    problems = json.loads(result.stdout)
    counts = Counter(p["rule"] for p in problems)
    assert {rule: counts.get(rule, 0) for rule in EXPECTED} == EXPECTED
    # outlets cited as sources: each no-primary-source problem ends at an outlet
    ends = [end for p in problems if p["rule"] == "no-primary-source" for end in p["details"]["ends"]]
    assert ends and all(end["intermediary"] for end in ends)
    vague = {o["label"].split(":")[0] for p in problems if p["rule"] == "vague-source" for o in p["objects"]
             if o["type"] == "statement"}
    assert '"sources"' in vague and '"a source"' in vague
    # every problem is one sentence naming real objects; nothing failed at error level
    assert all(p["message"] and p["objects"] for p in problems)
    assert not [p for p in problems if p["severity"] == "error"]
