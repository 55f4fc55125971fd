"""Comparison tables as data: the model and a validating YAML loader.

The loader reads YAML nodes (see `yaml_nodes`), so every problem is reported
with the file and line it comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from bot import messages
from bot.core.yaml_nodes import KnowledgeError as KnowledgeError
from bot.core.yaml_nodes import Node, NodeReader, bounded, compose_yaml, identifier

VERDICTS: Final = ("si", "no", "parziale")
MAX_FEATURE_ID: Final = 32
# Feature ids become slash commands beside the built-in ones.
RESERVED_FEATURE_IDS: Final = frozenset(
    {
        "chiedi",
        "confronto",
        "aiuto",
        "faq",
        "faq-mostra",
        "faq-elenco",
        "kb",
        "diagnostica",
        "impostazioni",
        "insegna",
    }
)
# Discord registers at most 100 global chat-input commands per application: a
# table with more rows than fit beside the built-in commands could not start.
MAX_COMMANDS: Final = 100
MAX_FEATURES: Final = MAX_COMMANDS - len(RESERVED_FEATURE_IDS)
# A feature's description is its slash command's description (Discord: 1-100).
MAX_DESCRIPTION: Final = 100
# Sizes that keep every card within Discord's embed limits (a field value
# holds 1,024 characters, a whole embed 6,000).
MAX_TITLE: Final = 100
MAX_HEADLINE: Final = 120
MAX_CELL_TEXT: Final = 800
MAX_SYSTEMS: Final = 4
# The `absence_cues` key whose phrases hold for every feature.
ABSENCE_ANY: Final = "any"


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
    # A narrower form of another feature: evidence for `refines` plus one of
    # `refine_cues` means this feature ("repliche" + "da sole" is
    # auto-scaling, not plain scaling).
    refines: str | None = None
    refine_cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicPair:
    """An out-of-scope topic made of two word groups used close together.

    "aggiornare" + "kubectl" is upgrading a tool, not a rolling update; each
    word alone means nothing of the kind.
    """

    words: tuple[str, ...]
    near: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeBase:
    id: str
    title: str
    source: str
    systems: tuple[System, ...]
    features: tuple[Feature, ...]
    out_of_scope: tuple[str, ...] = ()
    path: Path | None = None
    out_of_scope_pairs: tuple[TopicPair, ...] = ()
    # Word senses: words that put a question in computing ("server", "deploy")
    # and words of everyday life ("dieta", "partita") that make feature words
    # like "rollback" or "replica" mean something else.
    domain: tuple[str, ...] = ()
    off_domain: tuple[str, ...] = ()
    # Tools, operating systems, databases: one named with a version number
    # ("node 18") is about upgrading it, which the table does not cover.
    tools: tuple[str, ...] = ()
    # Objects the table has no row for ("statefulset", "configmap"): named
    # alone they are out-of-scope topics; acted on by a feature's own phrase
    # ("scalare uno statefulset") they are what the feature is about.
    objects: tuple[str, ...] = ()
    # Feature id (or ABSENCE_ANY) -> phrases asserting the feature is missing
    # or manual; they decide how a question is answered, not what it is about.
    absence_cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # What a "parziale" cell lacks, per feature ("su più server" for scaling
    # on one host only): a question about that part gets the answer "no".
    partial_gaps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

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


def _load_system(reader: NodeReader, node: Node) -> tuple[System, Node]:
    fields = reader.mapping(node, "system", ("id", "name", "aliases"), ("not", "hints"))
    system = System(
        id=identifier(reader, fields["id"], "system id"),
        name=reader.text(fields["name"], "system name"),
        aliases=reader.texts(fields["aliases"], "system aliases"),
        not_aliases=reader.texts(fields.get("not"), "system 'not'"),
        hints=reader.texts(fields.get("hints"), "system hints"),
    )
    if not system.aliases:
        raise reader.fail(fields["aliases"], f"system '{system.id}' needs at least one alias")
    return system, fields["id"]


def _load_cell(reader: NodeReader, node: Node, where: str) -> Cell:
    fields = reader.mapping(node, where, ("verdict", "headline", "text"))
    verdict = reader.text(fields["verdict"], f"{where} verdict")
    if verdict not in VERDICTS:
        raise reader.fail(
            fields["verdict"],
            f"{where}: verdict '{verdict}' is not one of {', '.join(VERDICTS)}",
        )
    return Cell(
        verdict=verdict,
        headline=bounded(reader, fields["headline"], f"{where} headline", MAX_HEADLINE),
        text=bounded(reader, fields["text"], f"{where} text", MAX_CELL_TEXT),
    )


def _load_feature(reader: NodeReader, node: Node, system_ids: tuple[str, ...]) -> Feature:
    fields = reader.mapping(
        node,
        "feature",
        ("id", "title", "cells"),
        ("description", "synonyms", "related", "examples", "refines", "refine_cues"),
    )
    feature_id = identifier(reader, fields["id"], "feature id")
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
    title = bounded(reader, fields["title"], f"{where} title", MAX_TITLE)
    description_node = fields.get("description")
    return Feature(
        id=feature_id,
        title=title,
        description=(
            bounded(reader, description_node, f"{where} description", MAX_DESCRIPTION)
            if description_node
            else title
        ),
        synonyms=reader.texts(fields.get("synonyms"), f"{where} synonyms"),
        examples=reader.texts(fields.get("examples"), f"{where} examples"),
        related=reader.texts(fields.get("related"), f"{where} related"),
        refines=reader.text(fields["refines"], f"{where} refines") if "refines" in fields else None,
        refine_cues=reader.texts(fields.get("refine_cues"), f"{where} refine_cues"),
        cells={
            system_id: _load_cell(reader, cell_fields[system_id], f"{where} cell '{system_id}'")
            for system_id in system_ids
        },
    )


def parse_knowledge(text: str, path: str = "<knowledge>") -> KnowledgeBase:
    """Parse and validate one comparison table from YAML text."""
    reader = NodeReader(path)
    reader = NodeReader(path)
    root = compose_yaml(text, path)
    fields = reader.mapping(
        root,
        "knowledge file",
        ("id", "title", "systems", "features"),
        (
            "source",
            "out_of_scope",
            "out_of_scope_pairs",
            "domain",
            "off_domain",
            "tools",
            "objects",
            "absence_cues",
            "partial_gaps",
        ),
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
    if len(features) > MAX_FEATURES:
        raise reader.fail(
            fields["features"],
            messages.KB_TOO_MANY_FEATURES.format(
                count=len(features),
                builtin=len(RESERVED_FEATURE_IDS),
                limit=MAX_COMMANDS,
                most=MAX_FEATURES,
            ),
        )
    feature_ids = {feature.id for feature in features}
    for feature, feature_node in zip(
        features, reader.sequence(fields["features"], "features"), strict=True
    ):
        if feature.refines is not None and (
            feature.refines not in feature_ids or feature.refines == feature.id
        ):
            raise reader.fail(
                feature_node,
                f"feature '{feature.id}' refines '{feature.refines}', which is not another feature",
            )
        if feature.refines is not None and not feature.refine_cues:
            raise reader.fail(feature_node, f"feature '{feature.id}' refines without refine_cues")

    title = reader.text(fields["title"], "title")
    return KnowledgeBase(
        id=identifier(reader, fields["id"], "id"),
        title=title,
        source=reader.text(fields["source"], "source") if "source" in fields else title,
        systems=tuple(systems),
        features=tuple(features),
        out_of_scope=reader.texts(fields.get("out_of_scope"), "out_of_scope"),
        path=Path(path) if path != "<knowledge>" else None,
        out_of_scope_pairs=_topic_pairs(reader, fields.get("out_of_scope_pairs")),
        domain=reader.texts(fields.get("domain"), "domain"),
        off_domain=reader.texts(fields.get("off_domain"), "off_domain"),
        tools=reader.texts(fields.get("tools"), "tools"),
        objects=reader.texts(fields.get("objects"), "objects"),
        absence_cues=_load_cue_lists(
            reader, fields.get("absence_cues"), "absence_cues", (ABSENCE_ANY,), features
        ),
        partial_gaps=_load_cue_lists(
            reader, fields.get("partial_gaps"), "partial_gaps", (), features
        ),
    )


def _topic_pairs(reader: NodeReader, node: Node | None) -> tuple[TopicPair, ...]:
    if node is None:
        return ()
    pairs: list[TopicPair] = []
    for item in reader.sequence(node, "out_of_scope_pairs"):
        fields = reader.mapping(item, "out_of_scope_pairs item", ("words", "near"))
        pair = TopicPair(
            words=reader.texts(fields["words"], "out_of_scope_pairs words"),
            near=reader.texts(fields["near"], "out_of_scope_pairs near"),
        )
        if not pair.words or not pair.near:
            raise reader.fail(item, "out_of_scope_pairs item needs words and near")
        pairs.append(pair)
    return tuple(pairs)


# --- absence cues and partial gaps (question form, read by bot/core/lead.py) ---


def _load_cue_lists(
    reader: NodeReader,
    node: Node | None,
    name: str,
    extra_keys: tuple[str, ...],
    features: list[Feature],
) -> dict[str, tuple[str, ...]]:
    """A mapping of feature id (or one of `extra_keys`) to a list of phrases."""
    if node is None:
        return {}
    keys = (*extra_keys, *(feature.id for feature in features))
    fields = reader.mapping(node, name, (), keys)
    cues: dict[str, tuple[str, ...]] = {}
    for key, cue_node in fields.items():
        phrases = reader.texts(cue_node, f"{name} '{key}'")
        for item, phrase in zip(reader.sequence(cue_node, key), phrases, strict=True):
            # A cue of punctuation only would match nothing, silently.
            if not any(ch.isalnum() for ch in phrase):
                raise reader.fail(item, f"{name} '{key}': '{phrase}' has no words")
            if phrases.count(phrase) > 1:
                raise reader.fail(item, f"{name} '{key}': duplicate cue '{phrase}'")
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
