"""The knowledge loader: the shipped table, malformed files, directories."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.knowledge import (
    VERDICTS,
    KnowledgeError,
    knowledge_files,
    load_knowledge,
    load_knowledge_dir,
    parse_knowledge,
)

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE_DIR = ROOT / "knowledge"
SHIPPED = KNOWLEDGE_DIR / "kubernetes-vs-compose.yaml"
FIXTURES = ROOT / "tests" / "fixtures"
BROKEN = FIXTURES / "broken"

VALID = """\
id: alfa-vs-beta
title: Alfa vs Beta
systems:
  - id: alfa
    name: Alfa
    aliases: [alfa]
  - id: beta
    name: Beta
    aliases: [beta]
features:
  - id: velocita
    title: Velocità
    cells:
      alfa: {verdict: si, headline: Veloce, text: Alfa è veloce.}
      beta: {verdict: no, headline: Lento, text: Beta è lento.}
"""


# --- the shipped table ----------------------------------------------------------


def test_shipped_file_loads_with_the_six_features_and_two_systems() -> None:
    kb = load_knowledge(SHIPPED)
    assert kb.id == "kubernetes-vs-compose"
    assert [f.id for f in kb.features] == [
        "scalabilita",
        "failover",
        "rolling-update",
        "segreti",
        "cluster",
        "autoscaling",
    ]
    assert kb.system_ids == ("kubernetes", "compose")
    assert kb.path == SHIPPED


def test_shipped_file_has_a_valid_verdict_and_text_in_every_cell() -> None:
    kb = load_knowledge(SHIPPED)
    for feature in kb.features:
        assert set(feature.cells) == {"kubernetes", "compose"}
        for cell in feature.cells.values():
            assert cell.verdict in VERDICTS
            assert cell.headline and cell.text


def test_shipped_systems_keep_look_alikes_apart() -> None:
    kb = load_knowledge(SHIPPED)
    compose = kb.system("compose")
    assert "docker compose" in compose.aliases
    assert {"swarm", "podman"} <= set(compose.not_aliases)
    with pytest.raises(KeyError):
        kb.system("swarm")
    with pytest.raises(KeyError):
        kb.feature("volumi")


def test_load_knowledge_dir_reads_the_shipped_directory() -> None:
    assert load_knowledge_dir(KNOWLEDGE_DIR) == load_knowledge(SHIPPED)


# --- malformed files ------------------------------------------------------------

# file name -> (line in the message or None, words the message must contain)
BROKEN_CASES = {
    "syntax-error.yaml": (6, "invalid YAML"),
    "unknown-key.yaml": (13, "unknown key 'sinonimi'"),
    "missing-cell.yaml": (14, "missing key 'beta'"),
    "duplicate-feature.yaml": (16, "duplicate feature id 'velocita'"),
    "bad-verdict.yaml": (15, "verdict 'forse' is not one of si, no, parziale"),
    "empty.yaml": (None, "the file is empty"),
    "wrong-type.yaml": (6, "system aliases must be a list"),
}


def test_every_broken_fixture_is_covered() -> None:
    assert {path.name for path in BROKEN.glob("*.yaml")} == set(BROKEN_CASES)


@pytest.mark.parametrize("name", sorted(BROKEN_CASES))
def test_broken_file_names_path_line_and_problem(name: str) -> None:
    line, problem = BROKEN_CASES[name]
    path = BROKEN / name
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(path)
    message = str(caught.value)
    location = f"{path}:{line}: " if line is not None else f"{path}: "
    assert message.startswith(location), message
    assert problem in message


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("id: velocita", "id: Velocità", "feature id 'Velocità' must use lowercase ascii"),
        ("  - id: beta\n    name: Beta\n    aliases: [beta]\n", "", "at least two systems"),
        ("aliases: [beta]", "aliases: []", "system 'beta' needs at least one alias"),
        ("title: Velocità", "title: ''", "title must not be empty"),
        ("title: Velocità", "title:", "title must be a text value"),
        ("title: Velocità", "title: [Velocità]", "title must be a text value"),
        ("- id: alfa", "- id: beta", "duplicate system id 'beta'"),
        ("headline: Lento, ", "headline: Lento, colore: blu, ", "unknown key 'colore'"),
    ],
)
def test_parse_knowledge_rejects_bad_values(old: str, new: str, problem: str) -> None:
    assert old in VALID
    with pytest.raises(KnowledgeError, match=r"^alfa\.yaml:\d+: ") as caught:
        parse_knowledge(VALID.replace(old, new, 1), "alfa.yaml")
    assert problem in str(caught.value)


def test_parse_knowledge_accepts_the_minimal_file_and_fills_defaults() -> None:
    kb = parse_knowledge(VALID)
    feature = kb.feature("velocita")
    assert kb.source == kb.title == "Alfa vs Beta"
    assert feature.description == feature.title == "Velocità"
    assert feature.synonyms == feature.examples == feature.related == ()
    assert feature.cells["beta"].verdict == "no"
    assert kb.path is None


def test_a_yaml_list_at_the_top_is_rejected() -> None:
    with pytest.raises(KnowledgeError, match=r"^x\.yaml:1: knowledge file must be a mapping"):
        parse_knowledge("- a\n- b\n", "x.yaml")


def test_missing_file_is_a_knowledge_error(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(KnowledgeError, match="file not found") as caught:
        load_knowledge(path)
    assert str(path) in str(caught.value)


def test_non_utf8_file_is_a_knowledge_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(VALID.replace("Velocità", "Velocit\xe0").encode("latin-1"))
    with pytest.raises(KnowledgeError, match="cannot read the file"):
        load_knowledge(path)


# --- directories ----------------------------------------------------------------


def test_load_knowledge_dir_accepts_a_single_file_path() -> None:
    kb = load_knowledge_dir(FIXTURES / "podman-vs-docker.yaml")
    assert kb.id == "podman-vs-docker"


def test_load_knowledge_dir_reads_yml_files_too(tmp_path: Path) -> None:
    (tmp_path / "alfa.yml").write_text(VALID, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not knowledge", encoding="utf-8")
    assert load_knowledge_dir(tmp_path).id == "alfa-vs-beta"


def test_load_knowledge_dir_with_two_tables_names_both(tmp_path: Path) -> None:
    shutil.copy(SHIPPED, tmp_path / "a.yaml")
    shutil.copy(FIXTURES / "podman-vs-docker.yaml", tmp_path / "b.yml")
    assert [p.name for p in knowledge_files(tmp_path)] == ["a.yaml", "b.yml"]
    with pytest.raises(
        KnowledgeError, match=r"expected one comparison file, found a\.yaml, b\.yml"
    ):
        load_knowledge_dir(tmp_path)


def test_load_knowledge_dir_without_yaml_files(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match=r"no \.yaml knowledge file found"):
        load_knowledge_dir(tmp_path)


def test_load_knowledge_dir_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="knowledge directory not found"):
        load_knowledge_dir(tmp_path / "missing")


def test_load_knowledge_dir_reports_the_broken_file(tmp_path: Path) -> None:
    shutil.copy(BROKEN / "bad-verdict.yaml", tmp_path / "table.yaml")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge_dir(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'table.yaml'}:15: ")


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("- id: failover", "- id: aiuto", "'aiuto' is the name of a built-in command"),
        (
            "headline: Mononodo",
            "headline: " + "M" * 121,
            "headline is 121 characters long (at most 120)",
        ),
        (
            "text: Se un container si ferma, è necessario avviarlo manualmente.",
            "text: " + "x" * 801,
            "text is 801 characters long (at most 800)",
        ),
    ],
)
def test_limits_that_keep_commands_and_cards_valid(old: str, new: str, problem: str) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(KnowledgeError) as caught:
        parse_knowledge(text.replace(old, new, 1), "kb.yaml")
    assert problem in str(caught.value)
    assert str(caught.value).startswith("kb.yaml:")


# --- issue 8: senses, tools, topic pairs and refinements ---------------------------

SENSES = """\
tools: &tools [kubectl, ubuntu]
out_of_scope_pairs:
  - words: [aggiornare, upgrade]
    near: *tools
domain: [server, deploy]
off_domain: [dieta, partita]
objects: [statefulset]
"""


def test_senses_tools_and_pairs_load() -> None:
    kb = parse_knowledge(VALID + SENSES)
    assert kb.tools == ("kubectl", "ubuntu")
    assert kb.out_of_scope_pairs[0].words == ("aggiornare", "upgrade")
    assert kb.out_of_scope_pairs[0].near == ("kubectl", "ubuntu")
    assert (kb.domain, kb.off_domain) == (("server", "deploy"), ("dieta", "partita"))
    assert kb.objects == ("statefulset",)


def test_shipped_auto_scaling_refines_scaling() -> None:
    autoscaling = load_knowledge(SHIPPED).feature("autoscaling")
    assert autoscaling.refines == "scalabilita"
    assert "in automatico" in autoscaling.refine_cues


REFINING = """\
  - id: turbo
    title: Turbo
    refines: {target}
{cues}    cells:
      alfa: {{verdict: si, headline: Sì, text: Sì.}}
      beta: {{verdict: no, headline: No, text: No.}}
"""


@pytest.mark.parametrize(
    ("target", "cues", "problem"),
    [
        ("nessuna", "    refine_cues: [da solo]\n", "refines 'nessuna', which is not another"),
        ("turbo", "    refine_cues: [da solo]\n", "refines 'turbo', which is not another"),
        ("velocita", "", "refines without refine_cues"),
    ],
)
def test_a_refinement_must_name_another_feature_and_cues(
    target: str, cues: str, problem: str
) -> None:
    text = VALID + REFINING.format(target=target, cues=cues)
    with pytest.raises(KnowledgeError, match=problem):
        parse_knowledge(text, "t.yaml")


def test_a_topic_pair_needs_both_groups() -> None:
    text = VALID + "out_of_scope_pairs:\n  - words: [aggiornare]\n    near: []\n"
    with pytest.raises(KnowledgeError, match="needs words and near"):
        parse_knowledge(text, "t.yaml")
