"""FAQ entries: names, validation and phrasings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.faq import (
    ANSWER_MAX,
    NAME_MAX,
    PHRASINGS_MAX,
    QUESTION_MAX,
    DuplicateName,
    FaqEntry,
    HistoryRecord,
    InvalidEntry,
    check_entry,
    clean_answer,
    free_name,
    is_valid_name,
    new_entry,
    parse_phrasings,
    slugify,
    validate_entry,
)


def valid(**overrides: object) -> list[str]:
    fields: dict[str, object] = {
        "name": "installazione",
        "question": "Come installo Kubernetes?",
        "answer": "Segui la guida ufficiale.",
        "phrasings": (),
    }
    fields.update(overrides)
    return validate_entry(
        str(fields["name"]),
        str(fields["question"]),
        str(fields["answer"]),
        tuple(fields["phrasings"]),  # type: ignore[call-overload]
    )


# --- names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Come Installo K8s?", "come-installo-k8s"),
        ("Perché è così lento?", "perche-e-cosi-lento"),
        ("  --già__fatto--  ", "gia-fatto"),
        ("Città   dell'Ètna", "citta-dell-etna"),
        ("Straße", "strasse"),
        ("🚀🚀", ""),
        ("a" * 40, "a" * 32),
        ("abc " * 10, "abc-abc-abc-abc-abc-abc-abc-abc"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert slug == "" or is_valid_name(slug)


@given(st.text(max_size=80))
def test_slugify_always_gives_a_valid_name_or_nothing(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or is_valid_name(slug)
    assert slugify(slug) == slug


@pytest.mark.parametrize("name", ["a", "k8s", "come-installo", "a" * NAME_MAX, "v2-0"])
def test_valid_names(name: str) -> None:
    assert valid(name=name) == []


@pytest.mark.parametrize(
    "name",
    ["Maiuscolo", "con spazio", "-inizio", "fine-", "doppio--trattino", "perché", "a_b", "a.b"],
)
def test_invalid_names_are_refused_with_a_suggestion(name: str) -> None:
    [problem] = valid(name=name)
    assert f"«{name}» non va bene" in problem
    suggestion = slugify(name)
    assert f"«{suggestion}»" in problem


def test_name_length_limits() -> None:
    assert valid(name="") == ["Il nome della FAQ è obbligatorio."]
    [problem] = valid(name="a" * (NAME_MAX + 1))
    assert "al massimo 32 caratteri" in problem and "33" in problem


def test_duplicate_name_suggests_a_free_one() -> None:
    problems = validate_entry(
        "installazione", "Domanda?", "Risposta.", (), existing_names={"installazione"}
    )
    assert problems == [
        "Esiste già una FAQ chiamata «installazione». Scegli un altro nome,"
        " per esempio «installazione-2»."
    ]
    taken = {"installazione", "installazione-2", "installazione-3"}
    assert free_name("installazione", taken) == "installazione-4"


def test_free_name_stays_within_the_length_limit() -> None:
    base = "a" * NAME_MAX
    suggestion = free_name(base, {base})
    assert len(suggestion) == NAME_MAX and suggestion.endswith("-2")
    assert is_valid_name(suggestion)


# --- text fields ----------------------------------------------------------------


@pytest.mark.parametrize("blank", ["", "   ", "\n\t ", "\u200b", "\u00a0"])
def test_blank_fields_are_refused(blank: str) -> None:
    assert valid(question=blank) == ["La domanda non può essere vuota."]
    assert valid(answer=blank) == ["La risposta non può essere vuota."]
    assert valid(phrasings=["ok", blank]) == ["La variante n. 2 non può essere vuota."]


def test_length_limits() -> None:
    assert valid(question="d" * QUESTION_MAX, answer="r" * ANSWER_MAX) == []
    [problem] = valid(question="d" * (QUESTION_MAX + 1))
    assert problem == "La domanda può avere al massimo 300 caratteri (ora ne ha 301)."
    [problem] = valid(answer="r" * (ANSWER_MAX + 1))
    assert problem == "La risposta può avere al massimo 4096 caratteri (ora ne ha 4097)."
    [problem] = valid(phrasings=["p" * 301])
    assert problem.startswith("La variante n. 1 può avere al massimo 300 caratteri")


def test_at_most_twenty_phrasings() -> None:
    assert valid(phrasings=[f"variante {i}" for i in range(PHRASINGS_MAX)]) == []
    [problem] = valid(phrasings=[f"variante {i}" for i in range(PHRASINGS_MAX + 1)])
    assert problem == "Puoi indicare al massimo 20 varianti della domanda (ne hai indicate 21)."


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u202e"])
def test_control_characters_are_refused(bad: str) -> None:
    assert valid(question=f"Domanda{bad}?") == [
        "La domanda contiene caratteri di controllo non ammessi."
    ]
    assert valid(answer=f"Risposta{bad}") == [
        "La risposta contiene caratteri di controllo non ammessi."
    ]


def test_newlines_only_in_the_answer() -> None:
    assert valid(answer="riga uno\n\triga due\r\n") == []
    assert valid(question="prima\nseconda") == ["La domanda deve stare su una sola riga."]


def test_every_problem_is_reported_at_once() -> None:
    problems = validate_entry("Nome Sbagliato", "", "x" * 5000, ["\x00"])
    assert len(problems) == 4


@pytest.mark.parametrize(
    "text",
    [
        "@everyone leggete qui",
        "<@123456789012345678> e <#987654321> e <@&42>",
        "**grassetto** _corsivo_ `codice` ||spoiler|| > citazione",
        "'); DROP TABLE faq_entries;--",
        "{name} {0} %s",
    ],
)
def test_mentions_markdown_and_sql_are_just_text(text: str) -> None:
    assert valid(question=text, answer=text, phrasings=[text]) == []
    entry = new_entry(1, "x", text, text, [text])
    assert entry.question == text and entry.answer == text and entry.phrasings == (text,)


def test_new_entry_cleans_surroundings_only() -> None:
    entry = new_entry(
        7,
        "  Installazione ",
        "  Come si fa?  ",
        "\n\n    codice\r\n  indentato  \n\n",
        ["  una ", "Una", "", "due"],
        author_id=3,
    )
    assert entry == FaqEntry(
        guild_id=7,
        name="installazione",
        question="Come si fa?",
        answer="codice\n  indentato",
        phrasings=("una", "due"),
        author_id=3,
    )
    assert clean_answer("a\rb") == "a\nb"


def test_check_entry_raises_typed_errors() -> None:
    with pytest.raises(InvalidEntry) as invalid:
        check_entry(new_entry(1, "ok", "", "risposta"))
    assert invalid.value.message == "La domanda non può essere vuota."
    with pytest.raises(DuplicateName, match="installazione-2"):
        check_entry(new_entry(1, "installazione", "d", "r"), existing_names=["installazione"])


def test_parse_phrasings() -> None:
    text = "  Come installo k8s? \n\n come installo K8S?\r\nInstallare kubernetes\n   \n"
    assert parse_phrasings(text) == ("Come installo k8s?", "Installare kubernetes")
    assert parse_phrasings("") == ()


def test_history_record_changed_fields() -> None:
    before = {"name": "a", "question": "q", "answer": "r", "phrasings": []}
    after = {**before, "answer": "nuova", "phrasings": ["p"]}
    record = HistoryRecord("edit", 1, None, before, after)  # type: ignore[arg-type]
    assert record.changed_fields() == ["answer", "phrasings"]
    assert record.name == "a"
    assert HistoryRecord("remove", None, None, before, None).changed_fields() == []  # type: ignore[arg-type]


# --- masked links -------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "target"),
    [
        ("Scarica da [https://discord.com/download](https://evil.example)", "https://evil.example"),
        ("[discord.com/download](<https://evil.example/x>)", "https://evil.example/x"),
        (
            "Vai su **[www.kubernetes.io](http://kubernetes.io.evil.example)**",
            "http://kubernetes.io.evil.example",
        ),
        (
            "[HTTPS://Docs.Docker.com](https://docs.docker.com.attacker.net/)",
            "https://docs.docker.com.attacker.net/",
        ),
        ("[https://github.com](mailto:aiuto@evil.example)", "mailto:aiuto@evil.example"),
        ('[https://github.com](https://evil.example "GitHub")', "https://evil.example"),
    ],
)
def test_a_link_that_hides_its_real_target_is_refused(answer: str, target: str) -> None:
    [problem] = valid(answer=answer)
    assert problem.startswith("La risposta contiene un link ingannevole")
    assert target in problem


@pytest.mark.parametrize(
    "answer",
    [
        "[la guida ufficiale](https://kubernetes.io/docs)",
        "[https://kubernetes.io/docs](https://kubernetes.io/docs/setup)",
        "[kubernetes.io](https://www.kubernetes.io/)",
        "[discord.com](https://support.discord.com/hc)",
        "[v1.29](https://kubernetes.io/releases)",
        "https://evil.example scritto in chiaro",
    ],
)
def test_honest_links_are_accepted(answer: str) -> None:
    assert valid(answer=answer) == []


def test_a_masked_link_in_the_question_is_refused_too() -> None:
    [problem] = valid(question="Dov'è [https://a.example](https://b.example)?")
    assert problem.startswith("La domanda contiene un link ingannevole")
