"""Which question words point at which entry words, learnt across servers.

Members describe an entry's topic in words the entry never uses: "pieno"
for an entry on "spazio" and "df", "ping" for one on "tagg" moderators,
"youtube" for the rules on self-promotion. From the labelled (question,
right entry) pairs of the fitting servers, a word the question has and the
entry lacks is associated with each word the entry has, by lift: how much
more often the entry word is in the right entry when the question has that
word than in right entries at large. Only pairs seen at least MIN_COUNT
times on at least MIN_SERVERS servers are kept, so what is kept is how
members talk, not one server's entry.

`bridged` is the share of the question's weight that such associations
bridge to an entry: one more piece of evidence for the ranker and the
decision (faq_decision.py), which learn how much it counts. The table is
fitted with the models (`benchmarks/faq_decision.py`) and stored with them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Final

# Question stem -> entry stem -> log lift.
Associations = Mapping[str, Mapping[str, float]]

MIN_COUNT: Final = 2
MIN_SERVERS: Final = 2
MIN_LIFT: Final = 2.0
# The log lift at which a bridged word counts fully (a lift of about 20).
FULL_LOG_LIFT: Final = 3.0


def bridged(
    associations: Associations, weights: Mapping[str, float], entry_stems: frozenset[str]
) -> float:
    """The share of the question's weight in words it lacks that point at the entry's words.

    `weights` are the question's stems and their IDF, as the index weighs them.
    """
    total = sum(weights.values())
    if not total or not associations:
        return 0.0
    found = 0.0
    for value, weight in weights.items():
        if value in entry_stems:
            continue
        pointed = associations.get(value)
        if not pointed:
            continue
        strongest = max(
            (lift for word, lift in pointed.items() if word in entry_stems), default=0.0
        )
        found += weight * min(1.0, strongest / FULL_LOG_LIFT)
    return found / total


def learn_associations(
    pairs: Iterable[tuple[str, frozenset[str], frozenset[str]]],
) -> dict[str, dict[str, float]]:
    """The table from (server, question stems, right entry's stems) pairs."""
    together: dict[tuple[str, str], int] = Counter()
    servers_of: dict[tuple[str, str], set[str]] = {}
    lacking: Counter[str] = Counter()
    in_entries: Counter[str] = Counter()
    count = 0
    for server, question, entry in pairs:
        count += 1
        in_entries.update(entry)
        for value in question - entry:
            lacking[value] += 1
            for word in entry:
                key = (value, word)
                together[key] += 1
                servers_of.setdefault(key, set()).add(server)
    table: dict[str, dict[str, float]] = {}
    for (value, word), seen in together.items():
        if seen < MIN_COUNT or len(servers_of[(value, word)]) < MIN_SERVERS:
            continue
        lift = (seen / lacking[value]) / (in_entries[word] / count)
        if lift >= MIN_LIFT:
            table.setdefault(value, {})[word] = round(math.log(lift), 3)
    return table
