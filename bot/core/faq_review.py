"""Moderator checks on FAQ entries, shared by the console and Discord.

* `probe_lines`: which entry would answer a question, with what confidence,
  and the runner-up (`faq prova`), as Italian lines;
* `answerable_questions`: which logged unanswered questions an entry answers
  now, after an add or an edit.

Pure: it takes an engine that already holds the server's entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot import messages as msg
from bot.core.engine import Engine, FaqProbe
from bot.core.faq_index import FaqHit


@dataclass(frozen=True)
class Answerable:
    question: str
    entry: str  # name of the FAQ entry that would answer it
    confidence: float


def answerable_questions(
    engine: Engine, guild_id: int, questions: Iterable[str], entry: str | None = None
) -> list[Answerable]:
    """The questions the engine would now answer from the FAQ (from `entry` only, if given)."""
    found = []
    for question in questions:
        answer = engine.ask(question, guild_id=guild_id)
        if answer.kind != "faq" or answer.faq is None:
            continue
        if entry is None or answer.faq.name == entry:
            found.append(Answerable(question, answer.faq.name, answer.confidence))
    return found


def _number(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def probe_lines(probe: FaqProbe, titles: dict[str, str]) -> list[str]:
    """The probe as Italian lines, for the console and for a private Discord reply."""
    answer = probe.answer
    lines = []
    if answer.kind == "faq" and answer.faq is not None:
        lines.append(
            msg.FAQ_PROBE_FAQ.format(name=answer.faq.name, confidence=_number(answer.confidence))
        )
        if answer.faq_suggestions:
            names = ", ".join(f"«{view.name}»" for view in answer.faq_suggestions)
            lines.append(msg.FAQ_PROBE_ALSO.format(names=names))
    else:
        if answer.kind in ("feature", "overview"):
            title = titles.get(answer.feature or "", answer.title)
            confidence = _number(answer.confidence)
            lines.append(msg.FAQ_PROBE_TABLE.format(title=title, confidence=confidence))
        else:
            lines.append(msg.FAQ_PROBE_NOTHING.format(threshold=_number(probe.threshold)))
        if probe.best is None:
            lines.append(msg.FAQ_PROBE_NO_FAQ)
        else:
            lines.append(_hit_line(msg.FAQ_PROBE_CLOSEST, probe.best))
    if probe.runner_up is not None:
        lines.append(_hit_line(msg.FAQ_PROBE_RUNNER_UP, probe.runner_up))
    return lines


def _hit_line(template: str, hit: FaqHit) -> str:
    return template.format(name=hit.entry.name, confidence=_number(hit.confidence))
