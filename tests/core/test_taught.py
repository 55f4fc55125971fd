"""Lessons moderators teach: paraphrase matching, the engine's use of them, undo, export.

Every question here is written for these tests (none comes from the dev set).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.engine import Engine
from bot.core.faq import new_entry
from bot.core.knowledge import KnowledgeBase, load_knowledge, parse_knowledge
from bot.core.taught import PARAPHRASE_MIN, Lesson, TaughtIndex, closest_entries
from bot.core.taught_export import dump_taught_examples, taught_examples

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "kubernetes-vs-compose.yaml"
GUILD = 7
OTHER_GUILD = 8

SERVER_DIES = "se il server dove gira il database muore cosa succede?"
THESIS = "kubernetes è meglio per la mia tesi di laurea?"
NIGHT = "come faccio a spegnere i container di notte per risparmiare?"

# Rewordings of a taught question: the same words, reordered, trimmed or with a typo.
PARAPHRASES = [
    (SERVER_DIES, "cosa succede se muore il server dove gira il database"),
    (SERVER_DIES, "se il server del database muore che succede?"),
    (THESIS, "per la tesi di laurea è meglio kubernetes?"),
    (THESIS, "meglio kubernetes per la tesi?"),
    (NIGHT, "posso spegnere i container la notte per risparmiare soldi?"),
    (NIGHT, "come spengo i contaner di notte per risparmiare?"),
]
# Questions that share a word or two with a taught one but ask something else.
NOT_PARAPHRASES = [
    "il database è lento cosa faccio?",
    "cosa succede se un nodo muore?",
    "come installo kubernetes?",
    "kubernetes è meglio di compose?",
    "come faccio a risparmiare?",
    "compose è meglio per la mia tesi di laurea?",  # the other system
    "è meglio per la mia tesi di laurea?",  # no system: about both
]


@pytest.fixture
def fresh_engine(kb: KnowledgeBase) -> Engine:
    return Engine(kb)


def lesson(lesson_id: int, question: str, choice: str = "silence", **kw: str | None) -> Lesson:
    return Lesson(lesson_id, GUILD, question, choice, **kw)  # type: ignore[arg-type]


def index(engine: Engine, *lessons: Lesson) -> TaughtIndex:
    return TaughtIndex(lessons, engine._aliases, engine._faq_words()[0])


@pytest.mark.parametrize(("taught", "asked"), PARAPHRASES)
def test_close_paraphrases_fall_under_the_lesson(
    fresh_engine: Engine, taught: str, asked: str
) -> None:
    found = index(fresh_engine, lesson(1, SERVER_DIES), lesson(2, THESIS), lesson(3, NIGHT)).match(
        asked
    )
    assert found is not None and found.lesson.question == taught
    assert PARAPHRASE_MIN <= found.similarity <= 1.0


@pytest.mark.parametrize("asked", NOT_PARAPHRASES)
def test_questions_on_another_point_do_not(fresh_engine: Engine, asked: str) -> None:
    taught = index(fresh_engine, lesson(1, SERVER_DIES), lesson(2, THESIS), lesson(3, NIGHT))
    assert taught.match(asked) is None


def test_the_same_question_matches_exactly(fresh_engine: Engine) -> None:
    found = index(fresh_engine, lesson(1, THESIS)).match(
        "Kubernetes è MEGLIO per la mia tesi di laurea??"
    )
    assert found is not None and found.similarity == 1.0


def test_newest_lesson_holds_and_undo_brings_back_the_previous(fresh_engine: Engine) -> None:
    taught = index(
        fresh_engine,
        lesson(1, SERVER_DIES, "feature", feature="failover", system="kubernetes"),
        lesson(2, SERVER_DIES, "silence"),
    )
    assert [item.id for item in taught.lessons()] == [2]
    hit = taught.match(SERVER_DIES)
    assert hit is not None and hit.lesson.id == 2
    taught.remove(2)
    hit = taught.match(SERVER_DIES)
    assert hit is not None and hit.lesson.id == 1
    taught.remove(1)
    assert taught.match(SERVER_DIES) is None and len(taught) == 0


def test_dismissals_do_not_change_answers(fresh_engine: Engine) -> None:
    assert index(fresh_engine, lesson(1, THESIS, "dismiss")).match(THESIS) is None


def test_engine_answers_a_paraphrase_as_taught_and_as_before_after_undo(
    fresh_engine: Engine,
) -> None:
    asked = "cosa succede se muore il server dove gira il database"
    before = fresh_engine.ask(asked, guild_id=GUILD)
    assert before.feature != "segreti"  # the lesson below must be what changes it
    taught = lesson(5, SERVER_DIES, "feature", feature="segreti", system="compose")
    fresh_engine.teach(GUILD, taught)

    answer = fresh_engine.ask(asked, guild_id=GUILD)
    assert (answer.kind, answer.feature, answer.system) == ("feature", "segreti", "compose")
    assert fresh_engine.lesson_for(GUILD, asked) == taught
    # Lessons belong to one server.
    assert fresh_engine.ask(asked, guild_id=OTHER_GUILD) == before

    fresh_engine.unteach(GUILD, 5)
    assert fresh_engine.ask(asked, guild_id=GUILD) == before
    assert fresh_engine.lesson_for(GUILD, asked) is None


def test_a_paraphrase_names_the_same_systems(fresh_engine: Engine) -> None:
    taught = index(fresh_engine, lesson(1, "i container ripartono da soli dopo un crash?"))
    assert taught.match("dopo un crash i container ripartono da soli?") is not None
    for asked in (
        "con compose i container ripartono da soli dopo un crash?",
        "i container ripartono da soli dopo un crash, su kubernetes e su compose?",
    ):
        assert taught.match(asked) is None, asked


def test_silence_is_declined_and_faq_lessons_follow_the_entry(fresh_engine: Engine) -> None:
    fresh_engine.teach(GUILD, lesson(1, THESIS, "silence"))
    declined = fresh_engine.ask("meglio kubernetes per la tesi?", guild_id=GUILD)
    assert declined.kind == "unknown" and declined.declined

    entry = new_entry(GUILD, "notte", "Si possono spegnere i servizi?", "Sì, con lo scheduler.", ())
    fresh_engine.set_faq(GUILD, [entry])
    fresh_engine.teach(GUILD, lesson(2, NIGHT, "faq", faq_name="notte"))
    answer = fresh_engine.ask("come spengo i container di notte per risparmiare?", guild_id=GUILD)
    assert answer.kind == "faq" and answer.faq is not None and answer.faq.name == "notte"
    # The entry removed: the lesson no longer applies, the bot answers as it would anyway.
    fresh_engine.remove_faq(GUILD, "notte")
    assert fresh_engine.ask(NIGHT, guild_id=GUILD).kind != "faq"


def test_lessons_survive_a_knowledge_reload(fresh_engine: Engine, kb: KnowledgeBase) -> None:
    fresh_engine.teach(GUILD, lesson(1, THESIS, "silence"))
    reloaded = fresh_engine.with_knowledge(load_knowledge(SHIPPED))
    assert reloaded.ask(THESIS, guild_id=GUILD).declined


def test_export_fits_the_knowledge_file(kb: KnowledgeBase) -> None:
    existing = kb.feature("failover").examples[0]
    lessons = [
        lesson(1, SERVER_DIES, "feature", feature="failover", system="kubernetes"),
        lesson(
            2,
            "  quanti   container posso lanciare per servizio? ",
            "feature",
            feature="scalabilita",
        ),
        lesson(3, existing, "feature", feature="failover"),  # already in the table
        lesson(4, THESIS, "silence"),
        lesson(5, NIGHT, "feature", feature="rimossa"),  # no longer in the table
    ]
    examples = taught_examples(lessons, kb)
    # The table's order, one space between words, nothing the table already has.
    assert examples == {
        "scalabilita": ["quanti container posso lanciare per servizio?"],
        "failover": [SERVER_DIES],
    }
    text = dump_taught_examples(examples, kb, header="prima riga\nseconda riga")
    assert text.startswith("# prima riga\n# seconda riga\n")
    exported = yaml.safe_load(text)
    assert exported["id"] == kb.id

    # Merged into the shipped file, the examples load with the table (read
    # with every scalar as text, so the verdict "no" stays a word).
    source = yaml.load(SHIPPED.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    for item in exported["features"]:
        feature = next(f for f in source["features"] if f["id"] == item["id"])
        feature["examples"].extend(item["examples"])
    merged = parse_knowledge(yaml.safe_dump(source, allow_unicode=True), "merged.yaml")
    assert SERVER_DIES in merged.feature("failover").examples


def test_a_lesson_whose_feature_left_the_table_no_longer_applies(fresh_engine: Engine) -> None:
    before = fresh_engine.ask(SERVER_DIES, guild_id=GUILD)
    fresh_engine.teach(GUILD, lesson(1, SERVER_DIES, "feature", feature="rimossa"))
    assert fresh_engine.ask(SERVER_DIES, guild_id=GUILD) == before


def test_the_faq_menu_offers_the_closest_entries_first() -> None:
    entries = [(f"voce-{n}", f"domanda generica numero {n}") for n in range(30)]
    entries.append(("vocale", "Quando è aperto il canale vocale?"))
    closest = closest_entries("a che ora apre il canale vocale?", entries, 25)
    assert len(closest) == 25 and closest[0] == ("vocale", "Quando è aperto il canale vocale?")
    # When they all fit, the menu keeps their order.
    assert closest_entries("qualsiasi", entries[:3], 25) == entries[:3]
