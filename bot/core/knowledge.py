"""Comparison tables as data: the model and a validating YAML loader.

The loader walks YAML *nodes* rather than plain Python values, so every
problem is reported with the file and line it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import yaml

VERDICTS: Final = ("si", "no", "parziale")
MAX_FEATURE_ID: Final = 32
# Feature ids become slash commands beside the built-in ones.
RESERVED_FEATURE_IDS: Final = frozenset(
    {"chiedi", "confronto", "aiuto", "faq", "faq-mostra", "faq-elenco", "kb"}
)
# Sizes that keep every card within Discord's embed limits (a field value
# holds 1,024 characters, a whole embed 6,000).
MAX_TITLE: Final = 100
MAX_HEADLINE: Final = 120
MAX_CELL_TEXT: Final = 800
MAX_SYSTEMS: Final = 4
# The `absence_cues` key whose phrases hold for every feature.
ABSENCE_ANY: Final = "any"


class KnowledgeError(Exception):
    """A knowledge file is malformed; the message names file, line and problem."""


@dataclass(frozen=True)
class Cell:
    verdict: str
    headline: str
    text: str


@dataclass(frozen=True)
class System:
    id: str
    name: str
    aliases: tuple[str, ...]
    # Look-alike products that are *not* this system (Swarm is not Compose).
    not_aliases: tuple[str, ...] = ()
    # Jargon that implies the system only when no system is named: "se un pod
    # crasha" is about Kubernetes, "compose fa hpa?" is about Compose.
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feature:
    id: str
    title: str
    description: str
    synonyms: tuple[str, ...]
    examples: tuple[str, ...]
    cells: Mapping[str, Cell]
    # Weak cues: words that hint at the feature but are common elsewhere.
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    id: str
    title: str
    source: str
    systems: tuple[System, ...]
    features: tuple[Feature, ...]
    out_of_scope: tuple[str, ...] = ()
    path: Path | None = None
    # Feature id (or ABSENCE_ANY) -> phrases asserting the feature is missing
    # or manual; they decide how a question is answered, not what it is about.
    absence_cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def feature(self, feature_id: str) -> Feature:
        for feature in self.features:
            if feature.id == feature_id:
                return feature
        raise KeyError(feature_id)

    def system(self, system_id: str) -> System:
        for system in self.systems:
            if system.id == system_id:
                return system
        raise KeyError(system_id)

    @property
    def system_ids(self) -> tuple[str, ...]:
        return tuple(system.id for system in self.systems)


# --- loading ------------------------------------------------------------------

_Node = yaml.Node


class _Reader:
    """Typed access to YAML nodes that fails with file:line messages."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: _Node | None, problem: str) -> KnowledgeError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return KnowledgeError(f"{self.path}{line}: {problem}")

    def mapping(
        self,
        node: _Node,
        what: str,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> dict[str, _Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        required = tuple(required)
        allowed = set(required) | set(optional)
        result: dict[str, _Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise self.fail(key_node, f"{what}: keys must be strings")
            if key not in allowed:
                raise self.fail(
                    key_node,
                    f"{what}: unknown key '{key}' (allowed: {', '.join(sorted(allowed))})",
                )
            if key in result:
                raise self.fail(key_node, f"{what}: duplicate key '{key}'")
            result[key] = value_node
        for key in required:
            if key not in result:
                raise self.fail(node, f"{what}: missing key '{key}'")
        return result

    def text(self, node: _Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            raise self.fail(node, f"{what} must be a text value")
        value = str(node.value).strip()
        if not value:
            raise self.fail(node, f"{what} must not be empty")
        return value

    def sequence(self, node: _Node, what: str) -> list[_Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return list(node.value)

    def texts(self, node: _Node | None, what: str) -> tuple[str, ...]:
        if node is None:
            return ()
        return tuple(self.text(item, f"{what} item") for item in self.sequence(node, what))


def _identifier(reader: _Reader, node: _Node, what: str) -> str:
    value = reader.text(node, what)
    if (
        not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in value)
        or value != value.lower()
    ):
        raise reader.fail(
            node, f"{what} '{value}' must use lowercase ascii letters, digits and '-'"
        )
    return value


def _load_system(reader: _Reader, node: _Node) -> tuple[System, _Node]:
    fields = reader.mapping(node, "system", ("id", "name", "aliases"), ("not", "hints"))
    system = System(
        id=_identifier(reader, fields["id"], "system id"),
        name=reader.text(fields["name"], "system name"),
        aliases=reader.texts(fields["aliases"], "system aliases"),
        not_aliases=reader.texts(fields.get("not"), "system 'not'"),
        hints=reader.texts(fields.get("hints"), "system hints"),
    )
    if not system.aliases:
        raise reader.fail(fields["aliases"], f"system '{system.id}' needs at least one alias")
    return system, fields["id"]


def _load_cell(reader: _Reader, node: _Node, where: str) -> Cell:
    fields = reader.mapping(node, where, ("verdict", "headline", "text"))
    verdict = reader.text(fields["verdict"], f"{where} verdict")
    if verdict not in VERDICTS:
        raise reader.fail(
            fields["verdict"],
            f"{where}: verdict '{verdict}' is not one of {', '.join(VERDICTS)}",
        )
    return Cell(
        verdict=verdict,
        headline=_bounded(reader, fields["headline"], f"{where} headline", MAX_HEADLINE),
        text=_bounded(reader, fields["text"], f"{where} text", MAX_CELL_TEXT),
    )


def _bounded(reader: _Reader, node: _Node, what: str, limit: int) -> str:
    value = reader.text(node, what)
    if len(value) > limit:
        raise reader.fail(node, f"{what} is {len(value)} characters long (at most {limit})")
    return value


def _load_feature(reader: _Reader, node: _Node, system_ids: tuple[str, ...]) -> Feature:
    fields = reader.mapping(
        node,
        "feature",
        ("id", "title", "cells"),
        ("description", "synonyms", "related", "examples"),
    )
    feature_id = _identifier(reader, fields["id"], "feature id")
    if len(feature_id) > MAX_FEATURE_ID:
        # Feature ids become slash command names, which Discord caps at 32.
        raise reader.fail(fields["id"], f"feature id '{feature_id}' is longer than 32 characters")
    if feature_id in RESERVED_FEATURE_IDS:
        raise reader.fail(
            fields["id"], f"feature id '{feature_id}' is the name of a built-in command"
        )
    where = f"feature '{feature_id}'"
    cells_node = fields["cells"]
    cell_fields = reader.mapping(cells_node, f"{where} cells", system_ids)
    title = _bounded(reader, fields["title"], f"{where} title", MAX_TITLE)
    description_node = fields.get("description")
    return Feature(
        id=feature_id,
        title=title,
        description=(
            reader.text(description_node, f"{where} description") if description_node else title
        ),
        synonyms=reader.texts(fields.get("synonyms"), f"{where} synonyms"),
        examples=reader.texts(fields.get("examples"), f"{where} examples"),
        related=reader.texts(fields.get("related"), f"{where} related"),
        cells={
            system_id: _load_cell(reader, cell_fields[system_id], f"{where} cell '{system_id}'")
            for system_id in system_ids
        },
    )


def parse_knowledge(text: str, path: str = "<knowledge>") -> KnowledgeBase:
    """Parse and validate one comparison table from YAML text."""
    reader = _Reader(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise KnowledgeError(f"{path}{line}: invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: invalid YAML: {exc}") from None
    if root is None:
        raise KnowledgeError(f"{path}: the file is empty")
    fields = reader.mapping(
        root,
        "knowledge file",
        ("id", "title", "systems", "features"),
        ("source", "out_of_scope", "absence_cues"),
    )

    systems: list[System] = []
    for system_node in reader.sequence(fields["systems"], "systems"):
        system, id_node = _load_system(reader, system_node)
        if any(existing.id == system.id for existing in systems):
            raise reader.fail(id_node, f"duplicate system id '{system.id}'")
        systems.append(system)
    if len(systems) < 2:
        raise reader.fail(fields["systems"], "a comparison needs at least two systems")
    if len(systems) > MAX_SYSTEMS:
        raise reader.fail(fields["systems"], f"at most {MAX_SYSTEMS} systems fit on a card")
    system_ids = tuple(system.id for system in systems)

    features: list[Feature] = []
    for feature_node in reader.sequence(fields["features"], "features"):
        feature = _load_feature(reader, feature_node, system_ids)
        if any(existing.id == feature.id for existing in features):
            raise reader.fail(feature_node, f"duplicate feature id '{feature.id}'")
        features.append(feature)
    if not features:
        raise reader.fail(fields["features"], "at least one feature is needed")

    title = reader.text(fields["title"], "title")
    return KnowledgeBase(
        id=_identifier(reader, fields["id"], "id"),
        title=title,
        source=reader.text(fields["source"], "source") if "source" in fields else title,
        systems=tuple(systems),
        features=tuple(features),
        out_of_scope=reader.texts(fields.get("out_of_scope"), "out_of_scope"),
        path=Path(path) if path != "<knowledge>" else None,
        absence_cues=_load_absence_cues(reader, fields.get("absence_cues"), features),
    )


# --- absence cues (question form, read by bot/core/lead.py) --------------------


def _load_absence_cues(
    reader: _Reader, node: _Node | None, features: list[Feature]
) -> dict[str, tuple[str, ...]]:
    if node is None:
        return {}
    keys = (ABSENCE_ANY, *(feature.id for feature in features))
    fields = reader.mapping(node, "absence_cues", (), keys)
    cues: dict[str, tuple[str, ...]] = {}
    for key, cue_node in fields.items():
        phrases = reader.texts(cue_node, f"absence_cues '{key}'")
        for item, phrase in zip(reader.sequence(cue_node, key), phrases, strict=True):
            # A cue of punctuation only would match nothing, silently.
            if not any(ch.isalnum() for ch in phrase):
                raise reader.fail(item, f"absence_cues '{key}': '{phrase}' has no words")
            if phrases.count(phrase) > 1:
                raise reader.fail(item, f"absence_cues '{key}': duplicate cue '{phrase}'")
        cues[key] = phrases
    return cues


def load_knowledge(path: str | Path) -> KnowledgeBase:
    """Load one comparison YAML file; raise KnowledgeError on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot read the file: {exc}") from None
    return parse_knowledge(text, str(path))


def knowledge_files(directory: str | Path) -> list[Path]:
    directory = Path(directory)
    if directory.is_file():
        return [directory]
    if not directory.is_dir():
        raise KnowledgeError(f"{directory}: knowledge directory not found")
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


def load_knowledge_dir(directory: str | Path) -> KnowledgeBase:
    """Load the comparison that a knowledge directory (or a single file) holds.

    One engine answers one comparison, so a directory must hold exactly one
    table; the error says which files compete otherwise.
    """
    files = knowledge_files(directory)
    if not files:
        raise KnowledgeError(f"{directory}: no .yaml knowledge file found")
    if len(files) > 1:
        names = ", ".join(file.name for file in files)
        raise KnowledgeError(f"{directory}: expected one comparison file, found {names}")
    return load_knowledge(files[0])
