"""Terminal rendering of answers: the verdict, then the card as two columns."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping
from itertools import zip_longest

from bot import messages
from bot.core.answers import Answer, CellView, plain

MIN_COLUMN = 24


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))


def _column(cell: CellView, width: int) -> list[str]:
    header = f"{cell.emoji} {cell.system_name}: {messages.VERDICT_WORD[cell.verdict]}"
    body = textwrap.wrap(f"{cell.headline}. {plain(cell.text)}", width)
    return [header[:width], "-" * min(width, len(header)), *body]


def render_columns(cells: tuple[CellView, ...], width: int) -> list[str]:
    gap = 3
    column = max(MIN_COLUMN, (width - gap * (len(cells) - 1)) // max(1, len(cells)))
    columns = [_column(cell, column) for cell in cells]
    lines = []
    for parts in zip_longest(*columns, fillvalue=""):
        lines.append((" " * gap).join(part.ljust(column) for part in parts).rstrip())
    return lines


def _wrap(text: str, width: int) -> list[str]:
    return [line for paragraph in text.split("\n") for line in textwrap.wrap(paragraph, width)]


def render(
    answer: Answer, width: int | None = None, titles: Mapping[str, str] | None = None
) -> str:
    """The answer for a terminal; `titles` (feature id -> title) names suggestions."""
    width = width or _width()
    rule = "─" * width
    if answer.kind == "feature":
        lines = [
            *_wrap(plain(answer.lead), width),
            "",
            answer.title,
            rule,
            *render_columns(answer.cells, width),
        ]
    elif answer.kind == "overview":
        lines = [answer.title, rule]
        for row in answer.overview:
            lines.append(row.title)
            for cell in row.cells:
                lines.append(f"  {cell.emoji} {cell.system_name}: {cell.headline}")
    elif answer.kind == "faq" and answer.faq is not None:
        lines = [answer.faq.question, rule, *_wrap(answer.faq.answer, width)]
        if answer.faq_suggestions:
            questions = [f"«{view.question}»" for view in answer.faq_suggestions]
            options = messages.SUGGESTIONS_JOIN.join(questions)
            lines += ["", *_wrap(messages.FAQ_SUGGESTIONS.format(options=options), width)]
    else:
        return "\n".join(_wrap(answer.text, width))
    if answer.footer:
        lines += [rule, answer.footer]
    others = [s for s in answer.suggestions if s != answer.feature]
    if answer.kind == "feature" and others and titles is not None:
        lines.append(messages.CONSOLE_ALSO.format(options=", ".join(titles[s] for s in others)))
    return "\n".join(lines)
