"""Letter-sequence similarity between a question and an FAQ entry's whole text."""

from __future__ import annotations

import pytest

from bot.core.faq_chargrams import CharGrams, grams
from bot.core.text import stem


def test_each_word_is_cut_into_padded_sequences_of_three_to_five_letters() -> None:
    assert sorted(grams("Ciao")) == sorted(
        [" ci", "cia", "iao", "ao ", " cia", "ciao", "iao ", " ciao", "ciao "]
    )
    # A word shorter than a sequence counts once, whole, and accents fold away.
    assert grams("è") == {" e ": 1}
    assert grams("pod pod")[" po"] == 2


def _index(texts: dict[str, str]) -> CharGrams:
    index = CharGrams()
    for key, text in texts.items():
        index.add(key, text)
    return index


ENTRIES = {
    "build": "Come ricompilo l'immagine dopo una modifica al Dockerfile?",
    "rete": "Perché il container non raggiunge internet?",
}


def test_a_word_form_the_stemmer_splits_still_matches_its_entry() -> None:
    index = _index(ENTRIES)
    assert stem("compilazione") != stem("ricompilo")
    query = index.vector(grams("la compilazione dell'immagine fallisce"))
    build = index.cosine(query, "build", ENTRIES["build"])
    rete = index.cosine(query, "rete", ENTRIES["rete"])
    assert build > 0.2 > rete


def test_a_question_equal_to_an_entry_matches_it_best_and_unknown_text_not_at_all() -> None:
    index = _index(ENTRIES)
    same = index.vector(grams(ENTRIES["rete"]))
    assert index.cosine(same, "rete", ENTRIES["rete"]) > index.cosine(
        same, "build", ENTRIES["build"]
    )
    assert index.cosine(same, "rete", ENTRIES["rete"]) == pytest.approx(1.0, abs=0.25)
    nothing = index.vector(grams("xyzzy qwfp"))
    assert nothing[1] == 0.0
    assert index.cosine(nothing, "rete", ENTRIES["rete"]) == 0.0


def test_removing_an_entry_takes_back_exactly_what_adding_it_counted() -> None:
    index = _index(ENTRIES)
    before = dict(index._frequency)
    index.add("extra", "Una voce in più sul backup dei volumi")
    index.remove("extra", "Una voce in più sul backup dei volumi")
    assert index._frequency == before
    assert index.cosine(index.vector(grams("backup volumi")), "extra", "backup volumi") == 0.0
