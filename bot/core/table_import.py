"""Turn a Markdown comparison table into a knowledge YAML skeleton.

The input is a table like the one in the project's seed file::

    # Differenze tra Kubernetes e Docker Compose

    | **Caratteristica** | **Kubernetes** | **Docker Compose** |
    |--------------------|----------------|--------------------|
    | **Auto-scaling**   | **Auto-scaling integrato**: Kubernetes può ... | **Nessuna ...**: ... |

The first column names the features, every other column is a system. A cell
written as ``**Headline**: text`` is split into its headline and its text;
the text is kept word for word, inner ``**bold**`` included.

The output loads with `parse_knowledge` as it is, but everything the table
cannot say (verdicts, aliases beyond the name, synonyms, examples) is left as
a visible ``TODO`` for the owner to fill in: verdicts default to ``parziale``
and the lists start empty.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import yaml

from bot.core.knowledge import MAX_FEATURE_ID, RESERVED_FEATURE_IDS

VERDICT_PLACEHOLDER: Final = "parziale"

# A separator row: | --- | :---: | ---: |  (outer pipes optional).
_SEPARATOR_CELL: Final = re.compile(r"^\s*:?-{3,}:?\s*$")
_HEADING: Final = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$")
# "**Headline**: text" and the variant with the colon inside the bold.
_HEADLINE_OUTSIDE: Final = re.compile(r"^\*\*(?P<headline>.+?)\*\*\s*:\s*(?P<text>.*)$", re.DOTALL)
_HEADLINE_INSIDE: Final = re.compile(r"^\*\*(?P<headline>.+?):\*\*\s*(?P<text>.*)$", re.DOTALL)


# How a cell opens tells its verdict: "Sì, ...", "No: ...", "In parte ...".
# The check is on the headline, where the source table states it.
_VERDICT_OPENERS: Final = (
    (re.compile(r"^(?:s[iì]|yes|supportat[oa]|integrat[oa]|nativ[oa])\b", re.IGNORECASE), "si"),
    (re.compile(r"^(?:no|nessun[oa]?|non|assente|manca)\b", re.IGNORECASE), "no"),
    (
        re.compile(r"^(?:in parte|parziale|parzialmente|limitat[oa]|solo)\b", re.IGNORECASE),
        "parziale",
    ),
)


def infer_verdict(headline: str) -> str | None:
    """The verdict a cell states in its first words, or None when it does not say."""
    opening = strip_bold(headline).strip().lstrip("*_ ").strip()
    for pattern, verdict in _VERDICT_OPENERS:
        if pattern.match(opening):
            return verdict
    return None


def todo_lines(target: str | Path) -> list[tuple[Path, int]]:
    """Where a knowledge file (or folder) still holds a TODO left by `kb import`.

    YAML drops comments, so the loader cannot see them: this reads the text.
    """
    target = Path(target)
    paths = [target] if target.is_file() else sorted(target.glob("*.yaml"))
    found: list[tuple[Path, int]] = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [(path, n) for n, line in enumerate(text.splitlines(), 1) if "TODO" in line]
    return found


class TableImportError(ValueError):
    """The Markdown holds no usable comparison table; the message names the line."""


@dataclass(frozen=True)
class _Row:
    line: int
    cells: list[str]


@dataclass(frozen=True)
class _ImportedCell:
    headline: str
    text: str
    split: bool


def slugify(text: str) -> str:
    """An id of lowercase ascii letters, digits and '-'.

    "Scalabilità orizzontale" -> "scalabilita-orizzontale"; "" when nothing is left.
    """
    decomposed = unicodedata.normalize("NFKD", strip_bold(text))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _shorten(slug: str, limit: int) -> str:
    """Cut a slug to `limit` characters, at a word boundary when there is one.

    Feature ids become slash command names (at most 32 characters); the
    margin leaves room for a "-N" suffix that makes a duplicate unique.
    """
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut).strip("-")


def strip_bold(text: str) -> str:
    """Remove ``**`` emphasis markers and surrounding blanks."""
    return text.replace("**", "").strip()


def _split_row(line: str) -> list[str]:
    """The cells of a table line; ``\\|`` is a literal pipe inside a cell."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body) and body[index + 1] == "|":
            current.append("|")
            index += 2
            continue
        if char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    cells.append("".join(current).strip())
    return cells


def _is_table_line(line: str) -> bool:
    return line.strip().startswith("|")


def _is_separator(line: str) -> bool:
    cells = _split_row(line)
    return bool(cells) and all(_SEPARATOR_CELL.match(cell) for cell in cells)


def _find_table(lines: list[str]) -> tuple[_Row, list[_Row]]:
    """The header row and the body rows of the first table (line numbers 1-based)."""
    for index, line in enumerate(lines):
        if not _is_table_line(line):
            continue
        if index + 1 >= len(lines) or not _is_separator(lines[index + 1]):
            raise TableImportError(
                f"line {index + 1}: a table header must be followed by a separator row "
                "like |---|---|---|"
            )
        header = _Row(index + 1, _split_row(line))
        width = len(header.cells)
        separator_width = len(_split_row(lines[index + 1]))
        if separator_width != width:
            raise TableImportError(
                f"line {index + 2}: the separator row has {separator_width} cells, "
                f"the header has {width}"
            )
        rows: list[_Row] = []
        for number, row_line in enumerate(lines[index + 2 :], start=index + 3):
            if not _is_table_line(row_line):
                break
            row = _Row(number, _split_row(row_line))
            if len(row.cells) != width:
                raise TableImportError(
                    f"line {number}: the row has {len(row.cells)} cells, expected {width} "
                    f"like the header on line {header.line}"
                )
            rows.append(row)
        return header, rows
    raise TableImportError("no Markdown table found (expected a '| ... |' header row)")


def _heading(lines: list[str], before: int) -> str | None:
    """The first '# Title' heading above the table, if any."""
    for line in lines[: before - 1]:
        match = _HEADING.match(line)
        if match:
            return strip_bold(match.group(1))
    return None


def _cell(raw: str) -> _ImportedCell:
    for pattern in (_HEADLINE_OUTSIDE, _HEADLINE_INSIDE):
        match = pattern.match(raw)
        if match and match.group("text").strip():
            return _ImportedCell(
                headline=match.group("headline").strip(),
                text=match.group("text").strip(),
                split=True,
            )
    return _ImportedCell(headline=strip_bold(raw), text=raw, split=False)


def _unique(slug: str, fallback: str, taken: set[str]) -> str:
    base = slug or fallback
    candidate = base
    counter = 2
    while candidate in taken:
        candidate = f"{base}-{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


def _scalar(value: str) -> str:
    """One YAML scalar on one line, quoted only when YAML needs it."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_flow_style=True)
    dumped = dumped.removesuffix("\n").removesuffix("\n...").strip()
    if "\n" in dumped or not _reads_back(f"key: {dumped}", value):
        # A JSON string is a valid YAML double-quoted scalar and stays on one line.
        # PyYAML's emitter and parser disagree on a few plain scalars (":" before
        # a no-break space), so the plain form is kept only if it reads back.
        return json.dumps(value, ensure_ascii=False)
    return dumped


def _reads_back(line: str, value: str) -> bool:
    try:
        loaded = yaml.safe_load(line)
    except yaml.YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get("key") == value


def markdown_table_to_yaml(markdown: str, *, source: str) -> str:
    """Convert the first Markdown comparison table in `markdown` to knowledge YAML.

    `source` is recorded as the table's source (shown in answer footers).
    Raises TableImportError, naming the line, when no table is found, a row
    has the wrong number of cells, or a cell is empty.
    """
    lines = markdown.splitlines()
    header, rows = _find_table(lines)
    if len(header.cells) < 3:
        raise TableImportError(
            f"line {header.line}: a comparison needs a feature column and at least two "
            f"system columns, found {len(header.cells)} columns"
        )
    if not rows:
        raise TableImportError(f"line {header.line}: the table has no rows after the header")

    system_names: list[str] = []
    system_ids: list[str] = []
    taken_systems: set[str] = set()
    for position, raw in enumerate(header.cells[1:], start=1):
        name = strip_bold(raw)
        if not name:
            raise TableImportError(f"line {header.line}: header column {position + 1} is empty")
        slug = slugify(name)
        if slug in taken_systems:
            raise TableImportError(
                f"line {header.line}: two columns give the same system id '{slug}'"
            )
        system_ids.append(_unique(slug, f"system-{position}", taken_systems))
        system_names.append(name)

    heading = _heading(lines, header.line)
    title = heading or " vs ".join(system_names)
    knowledge_id = slugify(title) or "-vs-".join(system_ids)

    out: list[str] = [
        "# Knowledge base imported from a Markdown table by bot/core/table_import.py.",
        "# Headlines and texts are copied from the table; fill in every TODO",
        "# (verdicts, aliases, synonyms, examples) before using it.",
        f"id: {_scalar(knowledge_id)}",
        f"title: {_scalar(title)}",
        f"source: {_scalar(source)}",
        "",
        "systems:",
    ]
    for system_id, name in zip(system_ids, system_names, strict=True):
        out += [
            f"  - id: {_scalar(system_id)}",
            f"    name: {_scalar(name)}",
            f"    aliases: [{_scalar(name.lower())}]  # TODO: chat spellings and abbreviations",
        ]

    out += ["", "features:"]
    # Built-in command names are taken too: a row titled "Chiedi" must not
    # become a feature id that clashes with /chiedi.
    taken_features: set[str] = set(RESERVED_FEATURE_IDS)
    for number, row in enumerate(rows, start=1):
        feature_title = strip_bold(row.cells[0])
        if not feature_title:
            raise TableImportError(f"line {row.line}: the feature name (first cell) is empty")
        feature_id = _unique(
            _shorten(slugify(feature_title), MAX_FEATURE_ID - 3),
            f"feature-{number}",
            taken_features,
        )
        out += [
            f"  - id: {_scalar(feature_id)}",
            f"    title: {_scalar(feature_title)}",
            "    synonyms: []  # TODO: words and phrases that name this feature",
            "    examples: []  # TODO: whole example questions",
            "    cells:",
        ]
        for system_id, name, raw in zip(system_ids, system_names, row.cells[1:], strict=True):
            if not raw:
                raise TableImportError(
                    f"line {row.line}: the cell for '{name}' in row '{feature_title}' is empty"
                )
            cell = _cell(raw)
            verdict = infer_verdict(cell.headline)
            out += [
                f"      {_scalar(system_id)}:",
                f"        verdict: {verdict}  # from the cell's opening words: check it"
                if verdict
                else f"        verdict: {VERDICT_PLACEHOLDER}  # TODO: si, no o parziale",
                f"        headline: {_scalar(cell.headline)}"
                + ("" if cell.split else "  # TODO: no '**Headline**:' in the cell, shorten it"),
                f"        text: {_scalar(cell.text)}",
            ]
        out.append("")
    out.append("out_of_scope: []  # TODO: nearby topics the table does not cover")
    return "\n".join(out) + "\n"
