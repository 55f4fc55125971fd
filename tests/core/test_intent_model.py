"""The learned intent model: the shipped file, training, and `kb check`'s staleness rules."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.intent_model import (
    NONE,
    OFFSET,
    OVERVIEW,
    IntentModel,
    IntentModelError,
    extract,
    load_for,
    model_path,
)
from bot.core.intent_training import (
    Labelled,
    check_model,
    classes_for,
    serialize,
    train,
    train_table,
    training_examples,
)
from bot.core.knowledge import KnowledgeBase, KnowledgeError, load_knowledge_dir

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"
PODMAN = ROOT / "tests/fixtures/podman-vs-docker.yaml"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_dir(KNOWLEDGE)


@pytest.fixture(scope="module")
def shipped(kb: KnowledgeBase) -> IntentModel:
    return IntentModel.load(model_path(KNOWLEDGE, kb.id))


def labelled_line(number: int, question: str, feature: str | None) -> str:
    item = {
        "id": f"t{number}",
        "q": question,
        "feature": feature,
        "accept": [],
        "system": None if feature is None else "both",
        "tags": [],
    }
    return json.dumps(item, ensure_ascii=False)


@pytest.fixture
def podman_dir(tmp_path: Path) -> Path:
    """A second table with a few labelled questions of its own, in a fresh knowledge folder."""
    folder = tmp_path / "knowledge"
    (folder / "training").mkdir(parents=True)
    shutil.copy(PODMAN, folder / PODMAN.name)
    kb = load_knowledge_dir(folder)
    lines = [
        labelled_line(1, f"domanda su {feature.title.lower()}", feature.id)
        for feature in kb.features
    ]
    lines.append(labelled_line(len(lines) + 1, "buongiorno a tutti", None))
    (folder / "training" / "mine.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


# --- the shipped model ---------------------------------------------------------


def test_shipped_model_is_fresh_and_knows_the_tables_classes(
    kb: KnowledgeBase, shipped: IntentModel
) -> None:
    assert check_model(kb, KNOWLEDGE) is not None
    assert shipped.classes == (*(feature.id for feature in kb.features), OVERVIEW, NONE)
    assert shipped.feature_ids == tuple(feature.id for feature in kb.features)


def test_load_for_finds_the_model_beside_the_yaml(kb: KnowledgeBase, podman_dir: Path) -> None:
    model = load_for(kb)
    assert model is not None and model.table_id == kb.id
    podman = load_knowledge_dir(podman_dir)
    assert load_for(podman) is None
    train_table(podman, podman_dir)
    assert load_for(podman) is not None
    table = podman_dir / PODMAN.name
    table.write_text(table.read_text("utf-8").replace("id: daemon", "id: demone"), "utf-8")
    with pytest.raises(IntentModelError, match="differ"):
        load_for(load_knowledge_dir(podman_dir))


def test_predict_gives_a_probability_for_every_class(shipped: IntentModel) -> None:
    for text in ("", "???", "compose ha i secret?", "x" * 5000, "ciao " * 400):
        probabilities = shipped.predict(text)
        assert tuple(probabilities) == shipped.classes
        assert all(0.0 <= value <= 1.0 for value in probabilities.values())
        assert math.isclose(sum(probabilities.values()), 1.0)


def reference_scores(model: IntentModel, text: str) -> list[float]:
    """The scores as the model file defines them, straight from `extract`, weights and idf."""
    width = len(model.classes)
    start = {key: number * width for number, key in enumerate(model.weight_keys)}
    totals = [value / model.scale for value in model.bias]
    for keys in extract(text).groups():
        weighted = [start[key] for key in keys if key in start]
        if not weighted:
            continue
        length = sum(model.idf.get(key, model.default_idf) ** 2 for key in keys)
        factor = 1.0 / math.sqrt(length)
        totals = [
            total + factor * sum(model.weights[row + lane] - OFFSET for row in weighted)
            for lane, total in enumerate(totals)
        ]
    return totals


@pytest.mark.parametrize(
    "text",
    [
        "compose ha i secret?",
        "scala scala scala, scalare e scalabilita",  # words repeated and sharing n-grams
        "kubernetes kubernetes",
        "supercalifragilistichespiralidoso" * 3 + " compose",  # cut to MAX_TOKEN_CHARS
        " ".join(f"parola{number}" for number in range(120)),  # past MAX_TOKENS
        "",
        "zzqx",
    ],
)
def test_scores_are_the_models_definition(shipped: IntentModel, text: str) -> None:
    # Twice: the second time from the remembered word sums.
    assert shipped.scores(text) == reference_scores(shipped, text)
    assert shipped.scores(text) == reference_scores(shipped, text)


def test_shipped_model_fits_its_own_training_data(kb: KnowledgeBase, shipped: IntentModel) -> None:
    examples = training_examples(kb, KNOWLEDGE)
    right = sum(shipped.best(example.text)[0] == example.label for example in examples)
    assert right / len(examples) >= 0.95


def test_features_are_char_grams_stems_and_stem_bigrams() -> None:
    groups = extract("Le Repliche?")
    assert {"<l", "le>", "<re", "<repl", "che>"} <= set(groups.chars)
    assert all(len(gram) <= 5 for gram in groups.chars)
    assert "w:le" in groups.words and "b:le replic" in groups.words
    assert extract("") == extract("?!")


# --- training ------------------------------------------------------------------


def test_training_is_deterministic_and_learns_a_tiny_set() -> None:
    classes = ("uno", "due", OVERVIEW, NONE)
    examples = [
        Labelled("le repliche del servizio", "uno"),
        Labelled("quante repliche posso avere", "uno"),
        Labelled("password e chiavi api", "due"),
        Labelled("dove metto le password", "due"),
        Labelled("differenze tra i due", OVERVIEW),
        Labelled("buongiorno a tutti", NONE),
    ]
    first = serialize(train(examples, classes, "tiny"))
    second = serialize(train(list(examples), classes, "tiny"))
    assert first == second
    model = IntentModel.from_json(json.loads(first), "tiny")
    assert [model.best(example.text)[0] for example in examples] == [
        example.label for example in examples
    ]
    reordered = serialize(train(examples[::-1], classes, "tiny"))
    assert json.loads(reordered)["inputs_sha256"] != json.loads(first)["inputs_sha256"]


def test_train_table_writes_a_model_that_loads_and_passes_the_check(podman_dir: Path) -> None:
    kb = load_knowledge_dir(podman_dir)
    path, model, count = train_table(kb, podman_dir)
    assert path == model_path(podman_dir, kb.id) and path.exists()
    assert count == len(training_examples(kb, podman_dir))
    assert IntentModel.load(path).classes == classes_for(kb) == model.classes
    assert check_model(kb, podman_dir) is not None
    before = path.read_bytes()
    train_table(kb, podman_dir)
    assert path.read_bytes() == before


# --- kb check ------------------------------------------------------------------


def test_check_flags_new_training_data(podman_dir: Path) -> None:
    kb = load_knowledge_dir(podman_dir)
    train_table(kb, podman_dir)
    extra = podman_dir / "training" / "more.jsonl"
    extra.write_text(labelled_line(99, "ciao ciao", None) + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"non è aggiornato.*kb train"):
        check_model(kb, podman_dir)


def test_check_flags_a_changed_yaml_example(podman_dir: Path) -> None:
    table = podman_dir / PODMAN.name
    train_table(load_knowledge_dir(podman_dir), podman_dir)
    text = table.read_text(encoding="utf-8")
    marker = "    examples:\n"
    table.write_text(text.replace(marker, marker + "      - un esempio nuovo\n", 1), "utf-8")
    with pytest.raises(KnowledgeError, match="kb train"):
        check_model(load_knowledge_dir(podman_dir), podman_dir)


def test_check_flags_classes_that_differ_from_the_table(podman_dir: Path) -> None:
    kb = load_knowledge_dir(podman_dir)
    train_table(kb, podman_dir)
    table = podman_dir / PODMAN.name
    renamed = table.read_text(encoding="utf-8").replace("id: daemon", "id: demone")
    table.write_text(renamed, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"demone.*kb train"):
        check_model(load_knowledge_dir(podman_dir), podman_dir)


def test_check_needs_a_model_once_there_is_training_data(podman_dir: Path) -> None:
    kb = load_knowledge_dir(podman_dir)
    with pytest.raises(KnowledgeError, match="Manca il modello"):
        check_model(kb, podman_dir)
    shutil.rmtree(podman_dir / "training")
    assert check_model(kb, podman_dir) is None


def test_check_reports_an_unreadable_model(podman_dir: Path) -> None:
    kb = load_knowledge_dir(podman_dir)
    path = model_path(podman_dir, kb.id)
    path.parent.mkdir()
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="non si legge"):
        check_model(kb, podman_dir)


def test_unknown_training_label_names_file_and_line(podman_dir: Path) -> None:
    kb = load_knowledge_dir(podman_dir)
    bad = podman_dir / "training" / "bad.jsonl"
    bad.write_text("\n" + labelled_line(1, "boh", "segreti") + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"bad\.jsonl:2: .*segreti"):
        training_examples(kb, podman_dir)


def test_cli_train_then_check_then_stale(podman_dir: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}

    def bot(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "bot", *args]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=120, cwd=ROOT, env=environment
        )

    trained = bot("kb", "train", str(podman_dir))
    assert trained.returncode == 0, trained.stderr
    assert "Modello addestrato" in trained.stdout
    ok = bot("kb", "check", str(podman_dir / PODMAN.name))
    assert ok.returncode == 0, ok.stderr
    (podman_dir / "training" / "mine.jsonl").write_text(
        labelled_line(1, "solo questa", None) + "\n", encoding="utf-8"
    )
    stale = bot("kb", "check", str(podman_dir))
    assert stale.returncode == 1
    assert "python -m bot kb train" in stale.stderr and "Traceback" not in stale.stderr
