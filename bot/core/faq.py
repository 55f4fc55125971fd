"""Moderator FAQ entries: the data type, cleaning, names and validation.

Pure code: no I/O, no discord. The YAML exchange format is in `bot.core.faq_yaml`,
storage in `bot.storage`; rendering (and
therefore escaping of mentions and markdown) is the adapter's job, so text is
kept verbatim here apart from trimming surrounding whitespace.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot import messages as msg
from bot.core.faq_links import masked_links

NAME_MAX = 32
QUESTION_MAX = 300
ANSWER_MAX = 4096
PHRASING_MAX = 300
PHRASINGS_MAX = 20

_NAME_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SLUG_SPLIT_RE = re.compile(r"[^a-z0-9]+")
# Bidirectional overrides/isolates can make text display differently from what
# is stored; they are refused together with the C0/C1 control characters.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

Action = Literal["add", "edit", "remove", "restore", "import"]


class FaqError(Exception):
    """A problem the user can fix; `message` is Italian and ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidEntry(FaqError):
    """One or more validation problems; each one is in `problems`."""

    def __init__(self, problems: Sequence[str], *, intro: str | None = None) -> None:
        lines = [intro] if intro else []
        lines.extend(f"- {p}" if intro else p for p in problems)
        super().__init__("\n".join(lines))
        self.problems = list(problems)


class EntryNotFound(FaqError):
    pass


class DuplicateName(FaqError):
    pass


class LimitReached(FaqError):
    pass


class NoChanges(FaqError):
    pass


@dataclass(frozen=True)
class FaqEntry:
    guild_id: int
    name: str
    question: str
    answer: str
    phrasings: tuple[str, ...] = ()
    author_id: int | None = None
    created_at: datetime | None = field(default=None, compare=False)
    updated_at: datetime | None = field(default=None, compare=False)

    def snapshot(self) -> dict[str, Any]:
        """The content of the entry as plain JSON-friendly data (for history)."""
        return {
            "name": self.name,
            "question": self.question,
            "answer": self.answer,
            "phrasings": list(self.phrasings),
            "author_id": self.author_id,
        }

    def same_content(self, other: FaqEntry) -> bool:
        return (self.name, self.question, self.answer, self.phrasings) == (
            other.name,
            other.question,
            other.answer,
            other.phrasings,
        )


@dataclass(frozen=True)
class HistoryRecord:
    """One append-only change of an entry; `before`/`after` are `FaqEntry.snapshot()`s."""

    action: Action
    actor_id: int | None
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def name(self) -> str:
        state = self.after if self.after is not None else self.before
        return str(state["name"]) if state else ""

    def changed_fields(self) -> list[str]:
        """Which content fields differ between before and after (edit and import)."""
        if self.before is None or self.after is None:
            return []
        keys = ("name", "question", "answer", "phrasings")
        return [k for k in keys if self.before.get(k) != self.after.get(k)]


# --- cleaning -----------------------------------------------------------------


def clean_name(text: str) -> str:
    return text.strip().lower()


def clean_line(text: str) -> str:
    """Question and phrasings: surrounding whitespace removed, nothing else touched."""
    return text.strip()


def clean_answer(text: str) -> str:
    """Normalise line endings and trim the whole text (inner lines stay as written).

    Discord has no indented code blocks, so leading spaces carry no meaning.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def dedupe(items: Iterable[str]) -> tuple[str, ...]:
    """Drop empty items and case-insensitive repeats, keeping the first spelling."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return tuple(out)


def parse_phrasings(text: str) -> tuple[str, ...]:
    """One phrasing per line: trimmed, empty lines dropped, repeats removed."""
    return dedupe(line.strip() for line in text.splitlines())


def new_entry(
    guild_id: int,
    name: str,
    question: str,
    answer: str,
    phrasings: Iterable[str] = (),
    *,
    author_id: int | None = None,
) -> FaqEntry:
    """Build an entry from raw user input, cleaned but not validated."""
    return FaqEntry(
        guild_id=guild_id,
        name=clean_name(name),
        question=clean_line(question),
        answer=clean_answer(answer),
        phrasings=dedupe(clean_line(p) for p in phrasings),
        author_id=author_id,
    )


# --- names --------------------------------------------------------------------


def slugify(text: str) -> str:
    """Turn free text into a valid entry name: "Come Installo K8s?" -> "come-installo-k8s"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = "-".join(part for part in _SLUG_SPLIT_RE.split(ascii_only) if part)
    return slug[:NAME_MAX].strip("-")


def is_valid_name(name: str) -> bool:
    return 1 <= len(name) <= NAME_MAX and _NAME_RE.fullmatch(name) is not None


def free_name(name: str, taken: Iterable[str]) -> str:
    """The first of `name`, `name-2`, `name-3`, ... that is not taken and fits."""
    used = set(taken)
    base = slugify(name) or "faq"
    if base not in used:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: NAME_MAX - len(suffix)].rstrip("-") + suffix
        if candidate not in used:
            return candidate
        number += 1


# --- validation ---------------------------------------------------------------


def _is_blank(text: str) -> bool:
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def _has_control(text: str, allowed: str) -> bool:
    return any(
        (unicodedata.category(c) in ("Cc", "Cs") and c not in allowed) or c in _BIDI_CONTROLS
        for c in text
    )


def _check_text(
    text: str, label: str, maximum: int, *, multiline: bool, problems: list[str]
) -> None:
    if _is_blank(text):
        problems.append(msg.FAQ_FIELD_EMPTY.format(field=label))
        return
    if len(text) > maximum:
        problems.append(msg.FAQ_FIELD_TOO_LONG.format(field=label, max=maximum, length=len(text)))
    if not multiline and ("\n" in text or "\r" in text):
        problems.append(msg.FAQ_FIELD_NEWLINE.format(field=label))
    elif _has_control(text, "\n\r\t" if multiline else "\t"):
        problems.append(msg.FAQ_FIELD_CONTROL.format(field=label))
    for link in masked_links(text):
        problems.append(
            msg.FAQ_FIELD_MASKED_LINK.format(field=label, label=link.label, target=link.target)
        )


def validate_name(name: str, *, existing_names: Iterable[str] = ()) -> list[str]:
    if not name:
        return [msg.FAQ_NAME_EMPTY]
    if len(name) > NAME_MAX:
        return [msg.FAQ_NAME_TOO_LONG.format(max=NAME_MAX, length=len(name))]
    if not is_valid_name(name):
        text = msg.FAQ_NAME_INVALID.format(name=name)
        suggestion = slugify(name)
        if suggestion:
            text += msg.FAQ_NAME_INVALID_SUGGEST.format(suggestion=suggestion)
        return [text]
    taken = set(existing_names)
    if name in taken:
        return [msg.FAQ_NAME_TAKEN.format(name=name, suggestion=free_name(name, taken))]
    return []


def validate_entry(
    name: str,
    question: str,
    answer: str,
    phrasings: Sequence[str],
    *,
    existing_names: Iterable[str] = (),
) -> list[str]:
    """Every problem with the given fields, in Italian; an empty list means valid.

    Values are checked as given: clean them first (`new_entry`) to forgive
    surrounding whitespace and upper-case names.
    """
    problems = validate_name(name, existing_names=existing_names)
    _check_text(question, msg.FAQ_FIELD_QUESTION, QUESTION_MAX, multiline=False, problems=problems)
    _check_text(answer, msg.FAQ_FIELD_ANSWER, ANSWER_MAX, multiline=True, problems=problems)
    if len(phrasings) > PHRASINGS_MAX:
        problems.append(msg.FAQ_PHRASINGS_TOO_MANY.format(max=PHRASINGS_MAX, count=len(phrasings)))
    for number, phrasing in enumerate(phrasings, start=1):
        label = msg.FAQ_FIELD_PHRASING.format(number=number)
        _check_text(phrasing, label, PHRASING_MAX, multiline=False, problems=problems)
    return problems


def check_entry(entry: FaqEntry, *, existing_names: Iterable[str] = ()) -> None:
    """Raise `InvalidEntry` (or `DuplicateName`) if `entry` is not valid."""
    taken = set(existing_names)
    problems = validate_entry(
        entry.name, entry.question, entry.answer, entry.phrasings, existing_names=()
    )
    if problems:
        raise InvalidEntry(problems)
    if entry.name in taken:
        raise DuplicateName(validate_name(entry.name, existing_names=taken)[0])


def rank_names(candidates: Iterable[tuple[str, str]], typed: str, limit: int) -> list[str]:
    """Order names for autocomplete: prefix matches, then substrings, then question words."""
    needle = typed.strip().casefold()
    slug = slugify(typed)
    if not needle:
        return [name for name, _ in candidates][: max(0, limit)]
    scored: list[tuple[int, str]] = []
    for name, question in candidates:
        if name.startswith(needle) or (slug and name.startswith(slug)):
            scored.append((0, name))
        elif needle in name or (slug and slug in name):
            scored.append((1, name))
        elif needle in question.casefold():
            scored.append((2, name))
    scored.sort()
    return [name for _, name in scored[: max(0, limit)]]
