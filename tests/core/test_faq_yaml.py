"""The YAML exchange format of FAQ entries: round trips, shapes, aliases and caps."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.faq import FaqEntry
from bot.core.faq_yaml import (
    FILE_MAX_ENTRIES,
    InvalidFile,
    dump_entries,
    dump_parts,
    load_entries,
)


def sample_entries() -> list[FaqEntry]:
    return [
        FaqEntry(
            1,
            "installazione",
            "Come installo Kubernetes?",
            "Con **kubeadm**:\n\n```sh\nkubeadm init\n```\n@everyone attenzione",
            ("installare k8s", "setup: kubernetes"),
        ),
        FaqEntry(1, "yes", "no", "null", ()),
        FaqEntry(1, "numeri", "1e3", "0o17 # non un commento", ("- trattino", "'apici'")),
    ]


def test_dump_and_load_round_trip() -> None:
    text = dump_entries(sample_entries())
    assert text.startswith("# FAQ di Timoniere")
    assert "answer: |" in text  # multi-line answers stay readable
    records = load_entries(text)
    assert [r["name"] for r in records] == ["installazione", "yes", "numeri"]
    for record, entry in zip(records, sample_entries(), strict=True):
        assert record["question"] == entry.question
        assert record["answer"] == entry.answer
        assert tuple(record["phrasings"]) == entry.phrasings


_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=_text, answer=_text, phrasings=st.lists(_text, max_size=3))
def test_round_trip_any_text(question: str, answer: str, phrasings: list[str]) -> None:
    entry = FaqEntry(1, "x", question, answer, tuple(phrasings))
    [record] = load_entries(dump_entries([entry]))
    assert record == {
        "name": "x",
        "question": question,
        "answer": answer,
        "phrasings": phrasings,
    }


@pytest.mark.parametrize("text", ["a\x85b", "riga\u2028riga", "a\r\nb", "fine  \nriga", " lead"])
def test_round_trip_unusual_line_breaks(text: str) -> None:
    [record] = load_entries(dump_entries([FaqEntry(1, "x", text, text, (text,))]))
    assert record["question"] == record["answer"] == record["phrasings"][0] == text


def test_load_accepts_a_bare_list_and_missing_phrasings() -> None:
    records = load_entries("- name: a\n  question: D?\n  answer: R.\n")
    assert records == [{"name": "a", "question": "D?", "answer": "R.", "phrasings": []}]


def test_malformed_yaml_gives_the_position() -> None:
    with pytest.raises(InvalidFile) as error:
        load_entries("faq:\n  - name: a\n    question: [non chiusa\n")
    [problem] = error.value.problems
    assert problem.startswith("Il file non è un YAML valido (errore alla riga")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Il file deve contenere un elenco «faq»"),
        ("solo testo", "Il file deve contenere un elenco «faq»"),
        ("faq: 3", "Il file deve contenere un elenco «faq»"),
        ("version: 9\nfaq: []", "Versione del formato non supportata: 9"),
        ("faq: []\naltro: 1", "Campi sconosciuti in cima al file: altro"),
        ("faq: [42]", "Voce n. 1: deve essere una mappa"),
        ("faq:\n- name: a\n  answer: r", "Voce n. 1: manca il campo «question»"),
        ("faq:\n- {name: 12, question: q, answer: r}", "il campo «name» deve essere un testo"),
        ("faq:\n- {name: a, question: sì, answer: yes}", "il campo «answer» deve essere un testo"),
        ("faq:\n- {name: a, question: q, answer: r, phrasings: x}", "«phrasings» deve essere"),
        ("faq:\n- {name: a, question: q, answer: r, risposta: x}", "campi sconosciuti: «risposta»"),
    ],
)
def test_wrong_shapes_are_explained(text: str, expected: str) -> None:
    with pytest.raises(InvalidFile) as error:
        load_entries(text)
    assert expected in error.value.message


def test_every_shape_problem_is_reported() -> None:
    text = "faq:\n- name: a\n- {name: b, question: 1, answer: r}\n- 3\n"
    with pytest.raises(InvalidFile) as error:
        load_entries(text)
    assert len(error.value.problems) == 4


def test_arbitrary_python_objects_are_never_constructed() -> None:
    text = "faq:\n- !!python/object/apply:os.system ['echo pwned']\n"
    with pytest.raises(InvalidFile):
        load_entries(text)


ALIAS_BOMB = "faq:\n- &voce {name: a, question: q, answer: r}\n" + "- *voce\n" * 5_000


def test_aliases_are_refused_before_anything_expands() -> None:
    started = time.perf_counter()
    with pytest.raises(InvalidFile) as error:
        load_entries(ALIAS_BOMB)
    assert time.perf_counter() - started < 0.5
    assert error.value.problems == [
        "Il file usa ancore o alias YAML (& e *; il primo alias è alla riga 3), che non accetto:"
        " scrivi ogni voce per intero."
    ]


def test_anchors_inside_an_entry_are_refused_too() -> None:
    text = "faq:\n- name: a\n  question: &q Q?\n  answer: *q\n"
    with pytest.raises(InvalidFile) as error:
        load_entries(text)
    assert "alias YAML" in error.value.message


def test_too_many_entries_are_refused_naming_the_cap() -> None:
    item = "- {name: a, question: q, answer: r}\n"
    with pytest.raises(InvalidFile) as error:
        load_entries("faq:\n" + item * 11, max_entries=10)
    assert error.value.problems == ["Il file contiene 11 voci: al massimo 10 per importazione."]
    assert len(load_entries("faq:\n" + item * 10, max_entries=10)) == 10
    with pytest.raises(InvalidFile) as error:
        load_entries("faq:\n" + item * (FILE_MAX_ENTRIES + 1))
    assert f"al massimo {FILE_MAX_ENTRIES} per" in error.value.message


def test_big_exports_are_split_into_importable_parts() -> None:
    entries = [
        FaqEntry(1, f"voce-{n}", f"Domanda {n}?", "🐳 " * 1_000, ("variante",)) for n in range(40)
    ]
    whole = dump_entries(entries)
    assert dump_parts(entries, len(whole.encode())) == [whole]

    limit = 40_000
    parts = dump_parts(entries, limit)
    assert len(parts) > 1
    assert all(len(part.encode()) <= limit for part in parts)
    names = [record["name"] for part in parts for record in load_entries(part)]
    assert names == [entry.name for entry in entries]
