"""Moderator FAQ entries: the data type, validation and the YAML exchange format.

Pure code: no I/O, no discord. Storage lives in `bot.storage`; rendering (and
therefore escaping of mentions and markdown) is the adapter's job, so text is
kept verbatim here apart from trimming surrounding whitespace.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypedDict

import yaml

from bot import messages as msg

NAME_MAX = 32
QUESTION_MAX = 300
ANSWER_MAX = 4096
PHRASING_MAX = 300
PHRASINGS_MAX = 20
FORMAT_VERSION = 1
YAML_MAX_CHARS = 5_000_000
# Most entries one exchange file may hold (callers pass the per-guild cap when
# they know it): the file is refused before any record is built.
FILE_MAX_ENTRIES = 1_000

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


class InvalidFile(InvalidEntry):
    """An export file that is not valid YAML or does not have the expected shape."""


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


class FaqRecord(TypedDict):
    """One entry as read from an export file, before it belongs to a guild."""

    name: str
    question: str
    answer: str
    phrasings: list[str]


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


# --- YAML exchange format -----------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes multi-line text as literal blocks for readability."""


# Line breaks beyond "\n" that PyYAML may fold when emitted plain or as blocks.
_UNUSUAL_BREAKS = frozenset("\r\x85\u2028\u2029")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style: str | None = None
    if _UNUSUAL_BREAKS.intersection(data):
        style = '"'  # escaped, so it survives a round trip exactly
    elif "\n" in data:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def record_of(entry: FaqEntry) -> FaqRecord:
    return {
        "name": entry.name,
        "question": entry.question,
        "answer": entry.answer,
        "phrasings": list(entry.phrasings),
    }


def dump_entries(entries: Iterable[FaqEntry]) -> str:
    """Serialise entries to the YAML exchange format (guild-independent)."""
    items: list[dict[str, Any]] = []
    for entry in entries:
        item: dict[str, Any] = dict(record_of(entry))
        if not entry.phrasings:
            del item["phrasings"]
        items.append(item)
    body = yaml.dump(
        {"version": FORMAT_VERSION, "faq": items},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return f"{msg.FAQ_YAML_HEADER}\n{body}"


def dump_parts(entries: Sequence[FaqEntry], max_bytes: int) -> list[str]:
    """`dump_entries`, split into complete files of at most `max_bytes` UTF-8 bytes each.

    Import adds or updates by name, so importing the parts one after the other
    is the same as importing one big file. A single entry always fits (it is at
    most a few tens of kilobytes).
    """
    text = dump_entries(entries)
    if len(entries) <= 1 or len(text.encode("utf-8")) <= max_bytes:
        return [text]
    middle = len(entries) // 2
    return dump_parts(entries[:middle], max_bytes) + dump_parts(entries[middle:], max_bytes)


_REQUIRED = ("name", "question", "answer")
_KNOWN = frozenset((*_REQUIRED, "phrasings"))


def _record_from(number: int, item: object, problems: list[str]) -> FaqRecord | None:
    if not isinstance(item, Mapping):
        problems.append(msg.FAQ_YAML_ENTRY_NOT_MAPPING.format(number=number))
        return None
    before = len(problems)
    unknown = sorted(str(k) for k in item if k not in _KNOWN)
    if unknown:
        fields = ", ".join(f"«{k}»" for k in unknown)
        problems.append(msg.FAQ_YAML_UNKNOWN.format(number=number, fields=fields))
    values: dict[str, str] = {}
    for key in _REQUIRED:
        value = item.get(key)
        if value is None:
            problems.append(msg.FAQ_YAML_MISSING.format(number=number, field=key))
        elif not isinstance(value, str):
            problems.append(msg.FAQ_YAML_NOT_TEXT.format(number=number, field=key))
        else:
            values[key] = value
    raw_phrasings = item.get("phrasings")
    phrasings: list[str] = []
    if raw_phrasings is not None:
        if isinstance(raw_phrasings, list) and all(isinstance(p, str) for p in raw_phrasings):
            phrasings = list(raw_phrasings)
        else:
            problems.append(msg.FAQ_YAML_PHRASINGS.format(number=number))
    if len(problems) > before:
        return None
    return {
        "name": values["name"],
        "question": values["question"],
        "answer": values["answer"],
        "phrasings": phrasings,
    }


class _AliasRefused(yaml.MarkedYAMLError):
    """An alias (`*name`) in an import file: one line can expand into thousands."""


class _Loader(yaml.SafeLoader):
    """Safe loader that refuses aliases, so a small file cannot expand on load."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _AliasRefused(problem="alias", problem_mark=event.start_mark)
        return super().compose_node(parent, index)


def load_entries(text: str, *, max_entries: int = FILE_MAX_ENTRIES) -> list[FaqRecord]:
    """Parse the YAML exchange format; raise `InvalidFile` with Italian problems.

    Only the shape is checked here; field rules are applied on import, by
    `validate_entry`, so that every problem is reported together. Files with
    YAML aliases or more than `max_entries` entries are refused outright.
    Parsing a large file takes a while: async callers run this in a thread.
    """
    if len(text) > YAML_MAX_CHARS:
        raise InvalidFile([msg.FAQ_YAML_TOO_BIG.format(max=YAML_MAX_CHARS)])
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except _AliasRefused as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise InvalidFile([msg.FAQ_YAML_ALIASES.format(line=line)]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is None:
            raise InvalidFile([msg.FAQ_YAML_INVALID_NOPOS]) from exc
        problem = msg.FAQ_YAML_INVALID.format(line=mark.line + 1, column=mark.column + 1)
        raise InvalidFile([problem]) from exc
    except yaml.YAMLError as exc:
        raise InvalidFile([msg.FAQ_YAML_INVALID_NOPOS]) from exc

    items: object
    if isinstance(data, list):
        items = data
    elif isinstance(data, Mapping) and "faq" in data:
        version = data.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            problem = msg.FAQ_YAML_VERSION.format(version=version, supported=FORMAT_VERSION)
            raise InvalidFile([problem])
        extra = sorted(str(k) for k in data if k not in ("version", "faq"))
        if extra:
            raise InvalidFile([msg.FAQ_YAML_TOP_KEYS.format(keys=", ".join(extra))])
        items = data["faq"] if data["faq"] is not None else []
    else:
        raise InvalidFile([msg.FAQ_YAML_SHAPE])
    if not isinstance(items, list):
        raise InvalidFile([msg.FAQ_YAML_SHAPE])
    if len(items) > max_entries:
        raise InvalidFile([msg.FAQ_YAML_TOO_MANY.format(count=len(items), max=max_entries)])

    problems: list[str] = []
    records = [_record_from(n, item, problems) for n, item in enumerate(items, start=1)]
    if problems:
        raise InvalidFile(problems)
    return [r for r in records if r is not None]
