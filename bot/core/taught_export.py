"""Taught phrasings as YAML a maintainer can move into the knowledge file.

Only lessons that point to a feature have a place there: each question becomes
one of that feature's `examples`, in the same layout as the knowledge file
(`id`, then `features: [{id, examples}]`), so the lists can be pasted under the
matching features. Questions the table already lists, and features the table
no longer has, are left out.
"""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from bot.core.knowledge import KnowledgeBase
from bot.core.taught import Lesson
from bot.core.text import normalize


def taught_examples(lessons: Iterable[Lesson], kb: KnowledgeBase) -> dict[str, list[str]]:
    """Feature id -> new example questions, in the table's feature order."""
    found: dict[str, dict[str, str]] = {}
    for lesson in sorted(lessons, key=lambda item: item.id):
        if lesson.choice == "feature" and lesson.feature is not None:
            text = " ".join(lesson.question.split())
            found.setdefault(lesson.feature, {}).setdefault(normalize(text), text)
    result: dict[str, list[str]] = {}
    for feature in kb.features:
        known = {normalize(example) for example in feature.examples}
        new = [text for key, text in found.get(feature.id, {}).items() if key not in known]
        if new:
            result[feature.id] = new
    return result


def dump_taught_examples(
    examples: dict[str, list[str]], kb: KnowledgeBase, header: str = ""
) -> str:
    """The examples as YAML; `header` (one or more lines) goes on top as comments."""
    document = {
        "id": kb.id,
        "features": [{"id": feature, "examples": texts} for feature, texts in examples.items()],
    }
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)
    comments = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    return comments + body
