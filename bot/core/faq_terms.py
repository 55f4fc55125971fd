"""Words members mix when they ask the FAQ: English and Italian, chat spellings.

A server's FAQ is written in one register ("i log del container", "l'immagine")
and its members ask in another ("l'output del container", "la image"). The
groups live as data in `knowledge/faq/terms.yaml`; every word of a group reads
as the group's first word, in the entries and in the questions alike, so the
FAQ search counts them as one word.

Words are matched by stem, so one spelling covers its plural and verb forms
("riavvia", "riavvio", "riavviare").
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

import yaml

from bot.core.knowledge import KnowledgeError
from bot.core.text import stem, tokenize

TERMS_FILE: Final = Path("faq") / "terms.yaml"
MAX_GROUPS: Final = 500


def parse_faq_terms(text: str, path: str = "<faq terms>") -> dict[str, str]:
    """The groups as a map from each word's stem to its group's first word."""
    try:
        root = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(root, dict) or set(root) != {"terms"}:
        raise KnowledgeError(f"{path}: expected one key, 'terms', holding a list of groups")
    groups = root["terms"]
    if not isinstance(groups, list) or len(groups) > MAX_GROUPS:
        raise KnowledgeError(f"{path}: 'terms' must be a list of at most {MAX_GROUPS} groups")
    canonical: dict[str, str] = {}
    for number, group in enumerate(groups, start=1):
        if not isinstance(group, list) or len(group) < 2:
            raise KnowledgeError(f"{path}: group {number} must list at least two words")
        words = []
        for word in group:
            tokens = tokenize(str(word)) if isinstance(word, str) else []
            # One token each: the index maps words, not phrases.
            if len(tokens) != 1:
                raise KnowledgeError(f"{path}: group {number}: '{word}' is not one word")
            words.append(tokens[0])
        first = words[0]
        for word in words:
            key = stem(word)
            if canonical.get(key, first) != first:
                raise KnowledgeError(
                    f"{path}: group {number}: '{word}' is already in the group of "
                    f"'{canonical[key]}'"
                )
            canonical[key] = first
    return canonical


def load_faq_terms(knowledge: str | Path) -> dict[str, str]:
    """The terms next to a knowledge file or directory; none when there is no file."""
    knowledge = Path(knowledge)
    directory = knowledge.parent if knowledge.is_file() else knowledge
    path = directory / TERMS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot read the file: {exc}") from None
    return parse_faq_terms(text, str(path))


def canonical_word(terms: Mapping[str, str], token: str) -> str:
    return terms.get(stem(token), token) if terms else token
