"""Terminal rendering of answers: the verdict, then the card as two columns.

The width is the terminal's (or `COLUMNS`), 80 when the output is not a
terminal, and at most `MAX_WIDTH` so prose stays readable. Text is wrapped at
spaces only: a URL or a long word is never cut, even if it overflows. Two
columns that do not fit side by side are stacked.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping
from itertools import zip_longest

from bot import messages
from bot.core.answers import Answer, CellView, plain

MIN_COLUMN = 24
MIN_WIDTH = 20
MAX_WIDTH = 120
PIPED_WIDTH = 80
GAP = 3


def terminal_width() -> int:
    """`COLUMNS`, else the terminal's width, else 80 (piped), within readable bounds."""
    columns = shutil.get_terminal_size((PIPED_WIDTH, 24)).columns
    return max(MIN_WIDTH, min(columns, MAX_WIDTH))


def wrap(text: str, width: int) -> list[str]:
    """Wrap at spaces, never inside a word, a URL or a hyphenated name."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def _faq_suggestion_lines(answer: Answer, width: int) -> list[str]:
    """ "Forse cercavi: «…»?", after a blank line, when entries are offered."""
    if not answer.faq_suggestions:
        return []
    questions = [f"«{view.question}»" for view in answer.faq_suggestions]
    options = messages.SUGGESTIONS_JOIN.join(questions)
    return ["", *wrap(messages.FAQ_SUGGESTIONS.format(options=options), width)]


def _wrap_paragraphs(text: str, width: int) -> list[str]:
    return [line for paragraph in text.split("\n") for line in wrap(paragraph, width) or [""]]


def _column(cell: CellView, width: int, *, said: bool) -> list[str]:
    """One system's cell; `said` cells only repeat their headline, since the
    verdict line above already gave their whole text."""
    header = f"{cell.emoji} {cell.system_name}: {messages.VERDICT_WORD[cell.verdict]}"
    body = f"{cell.headline}." if said else f"{cell.headline}. {plain(cell.text)}"
    return [*wrap(header, width), "-" * min(width, len(header)), *wrap(body, width)]


def render_columns(
    cells: tuple[CellView, ...], width: int, said: frozenset[str] = frozenset()
) -> list[str]:
    count = max(1, len(cells))
    column = (width - GAP * (count - 1)) // count
    if count > 1 and column >= MIN_COLUMN:
        columns = [_column(cell, column, said=cell.system_id in said) for cell in cells]
        if all(len(line) <= column for lines in columns for line in lines):
            return [
                (" " * GAP).join(part.ljust(column) for part in parts).rstrip()
                for parts in zip_longest(*columns, fillvalue="")
            ]
    # Too narrow for side by side (or a URL would push the next column): stack.
    stacked: list[str] = []
    for cell in cells:
        if stacked:
            stacked.append("")
        stacked += _column(cell, width, said=cell.system_id in said)
    return stacked


def _said_in_lead(answer: Answer) -> frozenset[str]:
    """Systems whose whole cell text the verdict line already quotes."""
    lead = plain(answer.lead)
    return frozenset(
        cell.system_id for cell in answer.cells if cell.text and plain(cell.text) in lead
    )


def render(
    answer: Answer, width: int | None = None, titles: Mapping[str, str] | None = None
) -> str:
    """The answer for a terminal; `titles` (feature id -> title) names suggestions."""
    width = width or terminal_width()
    rule = "─" * width
    if answer.kind == "feature":
        lines = [
            *_wrap_paragraphs(plain(answer.lead), width),
            "",
            *wrap(answer.title, width),
            rule,
            *render_columns(answer.cells, width, _said_in_lead(answer)),
        ]
    elif answer.kind == "overview":
        lines = [*wrap(answer.title, width), rule]
        for row in answer.overview:
            lines += wrap(row.title, width)
            for cell in row.cells:
                item = f"{cell.emoji} {cell.system_name}: {cell.headline}"
                lines += textwrap.wrap(
                    item,
                    width,
                    initial_indent="  ",
                    subsequent_indent="    ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
    elif answer.kind == "faq" and answer.faq is not None:
        lines = [
            *wrap(answer.faq.question, width),
            rule,
            *_wrap_paragraphs(answer.faq.answer, width),
        ]
        lines += _faq_suggestion_lines(answer, width)
    else:
        lines = _wrap_paragraphs(answer.text, width) + _faq_suggestion_lines(answer, width)
        return "\n".join(lines)
    if answer.footer:
        lines += [rule, *wrap(answer.footer, width)]
    others = [s for s in answer.suggestions if s != answer.feature]
    if answer.kind == "feature" and others and titles is not None:
        also = messages.CONSOLE_ALSO.format(options=", ".join(titles[s] for s in others))
        lines += wrap(also, width)
    return "\n".join(lines)
