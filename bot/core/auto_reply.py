"""When the bot speaks unprompted in an auto-answer channel.

Nobody addressed the bot there, so a wrong reply is noise in someone else's
conversation. It replies only when the engine found an answer and the message
asks something in its own words. Most channel traffic that mentions our
features is not a question: status updates ("il cluster è tornato su"),
opinions, jokes, pasted YAML and logs, links, rhetorical questions
("l'errore più comune? mettere le password nel repo"). The console
(`ask --json --auto`) and the Discord cog share this one rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.core.answers import Answer
from bot.core.text import tokenize

# Answers worth posting unprompted.
_ANSWER_KINDS: Final = frozenset({"feature", "overview", "faq"})
# Pasted code, commands, quotes and links are not the writer's own words.
_CODE_BLOCK: Final = re.compile(r"```.*?(?:```|$)", re.DOTALL)
_INLINE_CODE: Final = re.compile(r"`[^`\n]*`")
_URL: Final = re.compile(r"https?://\S+|www\.\S+")
_QUOTE_LINE: Final = re.compile(r"^\s*>.*$", re.MULTILINE)
# A question mark followed by this many words of statement is rhetorical.
RHETORICAL_TAIL_WORDS: Final = 5
# Words that open a question even without a question mark
# ("come faccio a scalare con compose"). "chi", "che" and "quando" are left
# out: they open statements just as often ("chi dice che compose..."), and so
# do "quanto"/"quanta" ("quanto mi manca compose").
_OPENERS: Final = frozenset(
    """
    come cosa cos quale quali quanti quante perche dove posso possiamo
    puoi potete esiste esistono conviene serve servono sapete differenza differenze
    how what why which can does is are should
    """.split()
)
_QUESTION_PHRASES: Final = (
    "come funziona",
    "come funzionano",
    "come si fa",
    "come si configura",
    "come si crea",
    "come si usa",
    "come si imposta",
    "come faccio",
    "come fare",
    "a che serve",
    "a che servono",
    "a cosa serve",
    "a cosa servono",
    "vorrei sapere",
    "vorrei capire",
    "volevo sapere",
    "volevo capire",
    "mi chiedevo",
    "capire se",
    "sapere se",
    "cosa fa",
    "cosa fanno",
    "vs",
    "versus",
    "differenze",
    "differenza",
)
MAX_KEYWORD_QUERY_WORDS: Final = 4
# Openers that poll the channel for experience or opinions.
_POLLS: Final = (
    "qualcuno usa",
    "qualcuno ha usato",
    "qualcuno ha provato",
    "qualcuno ha mai",
    "chi usa",
    "chi ha usato",
    "chi ha provato",
    "avete usato",
    "avete provato",
    "avete mai",
    "voi usate",
    "usate",
    "qualcuno ha esperienza",
    "avete esperienza",
    # Plans and people, not knowledge: "chi viene al meetup di giovedì?"
    "chi viene",
    "qualcuno viene",
    "qualcuno va",
    "qualcuno vuole",
    "chi organizza",
)
# Anywhere in the message, these ask the people for an opinion: "gitlab ci o
# github actions secondo voi?" wants their taste, not an FAQ entry on CI.
_OPINION_PHRASES: Final = (
    "secondo voi",
    "voi cosa usate",
    "voi che usate",
    "voi come",
    "come vi trovate",
)
# A question without "?" is short; a longer message without one is a statement.
MAX_UNMARKED_QUESTION_WORDS: Final = 15


@dataclass(frozen=True)
class Sensitivity:
    """How readily the bot speaks unprompted: the thresholds of the rule below.

    A server picks one of `SENSITIVITIES` by name; "normale" is the rule as
    measured on the chatter and conversation sets.
    """

    # Below this confidence an answer stays unsaid (the engine's own threshold
    # already applies; 0 adds nothing).
    min_confidence: float = 0.0
    # A bare search without "?" ("autoscaling dkc") of at most this many words.
    keyword_query_words: int = MAX_KEYWORD_QUERY_WORDS
    # A message without "?" that opens like a question, of at most this many words.
    unmarked_question_words: int = MAX_UNMARKED_QUESTION_WORDS
    # This many words of statement after the last "?" make it rhetorical.
    rhetorical_tail_words: int = RHETORICAL_TAIL_WORDS


NORMAL: Final = Sensitivity()
SENSITIVITIES: Final[dict[str, Sensitivity]] = {
    # Only clear questions with a "?" or an opener, and only answers backed by
    # more than one strong phrase (one phrase alone scores 0.73).
    "bassa": Sensitivity(
        min_confidence=0.75,
        keyword_query_words=0,
        unmarked_question_words=10,
        rhetorical_tail_words=3,
    ),
    "normale": NORMAL,
    # Longer searches and unmarked questions, and a longer tail after "?".
    "alta": Sensitivity(keyword_query_words=6, unmarked_question_words=25, rhetorical_tail_words=8),
}
DEFAULT_SENSITIVITY: Final = "normale"


def own_words(text: str) -> str:
    """The message without pasted code, links and quoted lines."""
    for pattern in (_CODE_BLOCK, _INLINE_CODE, _URL, _QUOTE_LINE):
        text = pattern.sub(" ", text)
    return text


def asks_a_question(text: str, sensitivity: Sensitivity = NORMAL) -> bool:
    prose = own_words(text).strip()
    if not prose:
        return False
    if "?" in prose:
        tail = prose[prose.rindex("?") + 1 :]
        return len(tokenize(tail)) < sensitivity.rhetorical_tail_words
    tokens = tokenize(prose)
    if not tokens or len(tokens) > sensitivity.unmarked_question_words or "\n" in prose:
        return False
    if tokens[0] in _OPENERS:
        return True
    # "k8s failover come funziona", "hpa su k8s a che serve": the question
    # comes after the topic.
    joined = f" {' '.join(tokens)} "
    if any(f" {phrase} " in joined for phrase in _QUESTION_PHRASES):
        return True
    # "scalabilita compose": a search, typed; not a comment on pasted code or a
    # link, nor an exclamation ("passato l'esame cka!!").
    return (
        len(tokens) <= sensitivity.keyword_query_words
        and prose.split() == text.split()
        and "!" not in prose
    )


def asks_for_experience(text: str) -> bool:
    """ "qualcuno usa lens per i cluster?": a poll of the channel, not a question for us."""
    tokens = tokenize(own_words(text))
    joined = " ".join(tokens[:4])
    if any(f"{opener} " in f"{joined} " for opener in _POLLS if joined.startswith(opener)):
        return True
    whole = f" {' '.join(tokens)} "
    return any(f" {phrase} " in whole for phrase in _OPINION_PHRASES)


def should_auto_reply(answer: Answer, text: str, sensitivity: Sensitivity = NORMAL) -> bool:
    """Would the bot post `answer` to `text` in an auto-answer channel, unprompted?

    `answer` must come from the engine, which only returns a table or FAQ
    answer above its confidence threshold; `sensitivity` may ask for more.
    """
    return (
        answer.kind in _ANSWER_KINDS
        and answer.confidence >= sensitivity.min_confidence
        and asks_a_question(text, sensitivity)
        and not asks_for_experience(text)
    )
