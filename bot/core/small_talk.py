"""Greetings and thanks addressed to the bot.

"@Timoniere ciao!" or "grazie mille" asked directly is not a question the table
failed to answer: the bot greets back instead of saying it found nothing. Only
messages made of these words alone count, so "ciao, compose scala?" is still a
question, and nothing here ever speaks unprompted.
"""

from __future__ import annotations

from typing import Final, Literal

from bot.core.text import tokenize

SmallTalk = Literal["greeting", "thanks"]

_GREETINGS: Final = frozenset(
    "ciao ciaoo salve buongiorno buonasera buon giorno pomeriggio sera hey hei ehi ehy "
    "hello hi yo hola benvenuto eccomi".split()
)
_THANKS: Final = frozenset("grazie grz thx thanks thank you ty merci".split())
# Words that may sit around a greeting or thanks without making it a question.
# "grazie, ma ora mi da permission denied" reports a new problem.
_BUT: Final = frozenset("ma però pero tuttavia invece".split())
# Beyond this, a message that opens with thanks has moved on to something else.
MAX_THANKS_WORDS: Final = 25
_FILLERS: Final = frozenset(
    "a tutti tutte voi te ragazzi gente bot timoniere mille tante tanto davvero infinite "
    "ancora di cuore molto ok okay perfetto gentilissimo gentile sei per la risposta "
    "aiuto e".split()
)


def small_talk(message: str) -> SmallTalk | None:
    """Whether a message is only a greeting or only thanks, or thanks that ask nothing."""
    words = tokenize(message)
    if not words:
        return None
    if _thanks_that_ask_nothing(message, words):
        return "thanks"
    if len(words) > 8:
        return None
    if not set(words) <= _GREETINGS | _THANKS | _FILLERS:
        return None
    if any(word in _THANKS for word in words):
        return "thanks"
    if any(word in _GREETINGS for word in words):
        return "greeting"
    return None


def _thanks_that_ask_nothing(message: str, words: list[str]) -> bool:
    """ "grazie mille per l'aiuto di ieri, risolto tutto": thanks and news, no question.

    Members thank the channel once their problem is solved; the words of the
    solved problem ("con usermod ora funziona") are not a question for the FAQ.
    """
    return (
        words[0] in _THANKS
        and "?" not in message
        and len(words) <= MAX_THANKS_WORDS
        and _BUT.isdisjoint(words)
    )
