"""Words and phrases members mix when they ask the FAQ: English and Italian, chat spellings.

A server's FAQ is written in one register ("i log del container", "la GPU")
and its members ask in another ("l'output del container", "la scheda video").
The groups live as data in `knowledge/faq/terms.yaml`; every item of a group
reads as the group's first item, in the entries and in the questions alike,
so the FAQ search counts them as one word.

Items are matched by stem, so one spelling covers its plural and verb forms
("riavvia", "riavvio", "riavviare"). An item may be a short phrase ("scheda
video", "out of memory"); it is matched on the words the search keeps (so
"foto dello schermo" also matches "foto schermo"), longest phrase first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import yaml

from bot.core.faq_tokens import clean_tokens
from bot.core.knowledge import KnowledgeError
from bot.core.text import stem, tokenize

TERMS_FILE: Final = Path("faq") / "terms.yaml"
MAX_GROUPS: Final = 1000
MAX_PHRASE_WORDS: Final = 4


@dataclass(frozen=True)
class FaqTerms:
    """The groups: each item's stems mapped to its group's one reading."""

    words: Mapping[str, str] = field(default_factory=dict)
    phrases: Mapping[tuple[str, ...], str] = field(default_factory=dict)
    # Every word of every item, so the spell-checker knows them and does not
    # "repair" a member's "scheda" into an entry's "schema".
    vocabulary: tuple[str, ...] = ()

    # The most words in a phrase: how far ahead folding looks.
    longest: int = field(init=False, default=1)

    def __post_init__(self) -> None:
        object.__setattr__(self, "longest", max(map(len, self.phrases), default=1))

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    def fold(self, tokens: Sequence[str], aliases: Mapping[str, str] | None = None) -> list[str]:
        """The tokens with each item of a group read as the group's reading.

        `aliases` (system names) come first: "k8s" reads "kubernetes" whatever
        the groups say.
        """
        aliases = aliases or {}
        if not self:
            return [aliases.get(token) or token for token in tokens]
        stems = [stem(token) for token in tokens]
        longest = min(self.longest, len(tokens))
        folded: list[str] = []
        position = 0
        while position < len(tokens):
            token = tokens[position]
            system = aliases.get(token)
            if system is not None:
                folded.append(system)
                position += 1
                continue
            for size in range(min(longest, len(tokens) - position), 1, -1):
                reading = self.phrases.get(tuple(stems[position : position + size]))
                if reading is not None:
                    folded.append(reading)
                    position += size
                    break
            else:
                folded.append(self.words.get(stems[position], token))
                position += 1
        return folded


def _item_stems(item: object, path: str, number: int) -> tuple[tuple[str, ...], list[str]]:
    """An item's kept words' stems, and its words as written."""
    written = tokenize(item) if isinstance(item, str) else []
    kept = clean_tokens(written)
    if not written or len(written) > MAX_PHRASE_WORDS or not kept:
        raise KnowledgeError(
            f"{path}: group {number}: '{item}' must be one word or a phrase of at most "
            f"{MAX_PHRASE_WORDS} words, not only stopwords"
        )
    return tuple(stem(word) for word in kept), written


def parse_faq_terms(text: str, path: str = "<faq terms>") -> FaqTerms:
    """The groups as maps from each item's stems to its group's reading."""
    try:
        # libyaml's parser where PyYAML has it: ten times faster on 470 groups.
        root = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(root, dict) or set(root) != {"terms"}:
        raise KnowledgeError(f"{path}: expected one key, 'terms', holding a list of groups")
    groups = root["terms"]
    if not isinstance(groups, list) or len(groups) > MAX_GROUPS:
        raise KnowledgeError(f"{path}: 'terms' must be a list of at most {MAX_GROUPS} groups")
    readings: dict[tuple[str, ...], str] = {}
    vocabulary: list[str] = []
    for number, group in enumerate(groups, start=1):
        if not isinstance(group, list) or len(group) < 2:
            raise KnowledgeError(f"{path}: group {number} must list at least two items")
        items = [_item_stems(item, path, number) for item in group]
        # A phrase's reading is one token, so the index still counts one word.
        reading = "_".join(clean_tokens(items[0][1]))
        for (key, written), item in zip(items, group, strict=True):
            if readings.get(key, reading) != reading:
                raise KnowledgeError(
                    f"{path}: group {number}: '{item}' is already in the group of '{readings[key]}'"
                )
            readings[key] = reading
            vocabulary.extend(written)
    words = {key[0]: reading for key, reading in readings.items() if len(key) == 1}
    phrases = {key: reading for key, reading in readings.items() if len(key) > 1}
    return FaqTerms(words, phrases, tuple(dict.fromkeys(vocabulary)))


def load_faq_terms(knowledge: str | Path) -> FaqTerms:
    """The terms next to a knowledge file or directory; none when there is no file."""
    knowledge = Path(knowledge)
    directory = knowledge.parent if knowledge.is_file() else knowledge
    path = directory / TERMS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return FaqTerms()
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot read the file: {exc}") from None
    return parse_faq_terms(text, str(path))
