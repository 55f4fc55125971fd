"""Italian chat text handling: normalization, tokens, stems and typo repair.

Chat Italian drops accents, elides articles (l'autoscaling), stretches words
(siiii), mixes English jargon and is full of typos. Every string the matcher
compares, from the question or the knowledge base, goes through the same
`normalize` -> `tokenize` -> `stem` pipeline so both sides meet in the middle.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import _lru_cache_wrapper, lru_cache
from typing import Final

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

# Longer inputs are cut: no question worth answering is this long, and the
# cut keeps matching time bounded whatever a user pastes.
MAX_INPUT_CHARS: Final = 2000

# Function words carry no topic. Kept small on purpose: negations and
# question words matter elsewhere and are not listed.
STOPWORDS: Final = frozenset(
    """
    a ad al allo ai agli alla alle all c che chi ci con col coi da dal dallo dai dagli
    dalla dalle dall d de del dello dei degli della delle dell di e ed gli i il in
    l la le lo nel nello nei negli nella nelle nell per su sul sullo sui sugli sulla
    sulle sull tra fra un una uno un' mi ti si vi ne me te se ma o od
    anche poi molto tipo cosa cos come quale quali e'
    dove quando perche faccio fare fa posso puoi puo
    io tu lui lei noi voi loro mio mia tuo tua suo sua nostro vostro
    ho hai ha abbiamo avete hanno sono sei siamo siete era c' e
    the of to is are does do can with for and or on in it how what
    raga ragazzi ciao salve buongiorno grazie ok beh boh vabbe
    """.split()
)

# Frequent Italian words of any question, whatever its topic. With the
# knowledge base's own vocabulary they make a message's known words; what is
# left ("grignetta", "salotto", "amazon") tells of another topic (see
# `Matcher`).
COMMON_WORDS: Final = frozenset(
    """
    non piu meno esiste esistono far vorrei voglio vuoi volevo vogliamo devo deve devi
    devono dovrei dovrebbe potrei potrebbe possono possiamo riesce riesco riesci
    riescono usare uso usa usi usano usate usiamo usato usata usando avere avrei
    avrebbe essere sia siano stato stata stati fatto fatta fare fai fanno facciamo
    dire detto sapere so sai sa sapete capito capire vedere vedo vede trovare trovo
    cercare cerco mettere metto mette mettono prendere prendo dare do da va vanno
    andare venire viene stare sto sta stanno lavorare lavora lavorano funzionare
    funziona funzionano gestire gestisce gestiscono gestisco gestione gestita
    gestiti modo caso qualcosa qualcuno niente tutto ogni altro altra stesso stessa
    primo prima nuovo nuova nuovi vecchio vecchia vecchi grande piccolo tanto tanta
    poco troppo bene male meglio peggio oggi ieri domani ora adesso sempre mai gia
    ancora subito dopo poi notte giorno giorni sera mattina settimana mese volta
    volte tempo minuto minuti secondi ore qual quel quello quella questo questa
    questi queste senza dentro fuori sopra sotto tramite via verso invece quindi
    pero oppure solo possibile fattibile necessario serve servono bisogno problema
    problemi domanda esempio chiedo chiedevo aiuto sistema soluzione strumento tool
    insieme numero base punto ambiente progetto team configurare configuro
    configurazione impostare imposto gestirlo farlo farla usarlo usarla supporta
    supportano supporto fornisce offre permette consente prevede riesce dovrebbero
    succede succedere capita serve bisogna conviene vale pena senso differenza
    meccanismo funzionalita funzione caratteristica cosa cose chi quale quali
    due tre quattro cinque dieci cento mille consigli consiglio consigliate consigli
    consigliereste vince vincere preferite preferisci scegliere scelgo usereste
    scegliereste prendereste
    """.split()
)

# Real Italian words one typo away from our vocabulary ("composte" is not a
# misspelt "compose"); they are never "corrected".
_PROTECTED: Final = frozenset(
    """
    composto composta composti composte componi compone comporre compost
    casa case caso casi cosa cose code coda nodi nodo modo modi mode
    scale scala scalo sale sali salire carica carico carichi
    rete reti retro segno segna secondo secondi sicuro sicura
    porta porte parte parti posto posta poste poi puoi puo
    restare resto resta restano restate restiamo restando partire parto
    """.split()
)

_QUOTES: Final = "’‘`´"
_APOSTROPHES: Final = str.maketrans(dict.fromkeys(_QUOTES, "'"))
# Upper-case acronyms that collide with Italian words once lowercased
# ("HA" is high availability, "ha" is a verb). Expanded before lowercasing.
_ACRONYMS: Final = {
    acronym: (re.compile(rf"(?<![A-Za-z]){acronym}(?![A-Za-z])"), expansion)
    for acronym, expansion in {"HA": " high availability "}.items()
}
# Idioms whose words would read as topics: "ogni tanto" is "sometimes", not
# "tanti container". Removed before matching; `_fold` looks for "tanto", "piu
# o meno", "per caso" and "sommato" first, so keep those in every idiom.
_IDIOMS: Final = re.compile(
    r"\b(?:ogni tanto|di tanto in tanto|piu o meno|per caso|tutto sommato)\b"
)
_REPEATS: Final = re.compile(r"([a-z])\1{2,}")
# What `_REPEATS` squeezes is there at all: searching is cheaper than a `sub`
# that finds nothing, the common case.
_STRETCHED: Final = re.compile(r"([a-z])\1\1")
# Keep letters, digits and the few symbols that make jargon tokens:
# "--scale", ".env", "docker-compose.yml" are split later by `tokenize`.
_NON_WORD: Final = re.compile(r"[^a-z0-9]+")

_stemmer = snowballstemmer.stemmer("italian")


def _is_shouting(text: str) -> bool:
    """All-caps messages make acronyms unreadable: "COMPOSE HA IL ROLLBACK?"."""
    letters = [ch for ch in text if ch.isalpha()]
    upper = sum(1 for ch in letters if ch.isupper())
    return len(letters) >= 6 and upper >= 0.8 * len(letters)


def _fold(text: str) -> str:
    """Lowercase, expand acronyms, strip accents, squeeze repeats; punctuation stays."""
    text = text[:MAX_INPUT_CHARS]
    # Most messages hold no acronym, and need neither search nor shouting check.
    present = [found for acronym, found in _ACRONYMS.items() if acronym in text]
    if present and not _is_shouting(text):
        for pattern, expansion in present:
            text = pattern.sub(expansion, text)
    if text.isascii():
        # Nothing to compose, decompose or strip: the common case, fast.
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text)
        # `translate` looks every character up in a dict: only when needed.
        if any(quote in text for quote in _QUOTES):
            text = text.translate(_APOSTROPHES)
        text = unicodedata.normalize("NFD", text.lower())
        # Each distinct character is tested once, not every character of the
        # message, and each mark found is dropped by a search in C.
        for mark in {ch for ch in set(text) if unicodedata.combining(ch)}:
            text = text.replace(mark, "")
    if _STRETCHED.search(text) is not None:
        text = _REPEATS.sub(r"\1", text)
    if _has_idiom_word(text):
        text = _IDIOMS.sub(" ", text)
    return text


def _has_idiom_word(text: str) -> bool:
    return "tanto" in text or "piu o meno" in text or "per caso" in text or "sommato" in text


def normalize(text: str) -> str:
    """Lowercase, strip accents and symbols, squeeze repeats; return spaced words."""
    return " ".join(_NON_WORD.split(_fold(text))).strip()


def tokenize(text: str) -> list[str]:
    """Normalized words, stopwords kept (phrases like "da solo" need them)."""
    return normalize(text).split()


# Words `tokenize` left as they are, one space apart.
_PLAIN_WORDS: Final = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def retokenize(tokens: Sequence[str]) -> list[str]:
    """`tokenize(" ".join(tokens))` for words that came out of `tokenize` (or the speller).

    They come out unchanged unless the text is cut or a repaired word makes a
    stretched word or an idiom with its neighbours ("ogni tanto"); only then
    is the text folded again. Three scans in C instead of the whole fold.
    """
    text = " ".join(tokens)
    if (
        len(text) > MAX_INPUT_CHARS
        or _PLAIN_WORDS.fullmatch(text) is None
        or _STRETCHED.search(text) is not None
        or _has_idiom_word(text)
    ):
        return tokenize(text)
    return list(tokens)


@dataclass(frozen=True)
class Segmented:
    """A message's tokens with the clause and sentence each one belongs to.

    Punctuation is lost by `tokenize`, but it tells which part of a long
    message asks: "uso compose da anni. k8s ha i secret?" asks about k8s.
    """

    tokens: list[str]
    clause_of: list[int]
    sentence_of: list[int]
    # Sentences that end with a question mark.
    questions: frozenset[int]
    # Tokens inside brackets: an aside ("siamo su k8s (prima compose)").
    aside: list[bool]

    @property
    def asked_sentence(self) -> int:
        """The sentence that asks: the last one with "?", else the last one."""
        if self.questions:
            return max(self.questions)
        return self.sentence_of[-1] if self.sentence_of else 0


# Sentence ends ("." only before a space, so "compose.yml" stays whole) and
# clause breaks inside a sentence. The leading look-ahead only skips ahead:
# without it the engine tries every branch at every character.
_BREAKS: Final = re.compile(
    r"(?=[?!.\n,;:()])"
    r"(?:(?P<q>\?+)|(?P<s>!+|\.+(?=\s|$)|\n)|(?P<c>[,;]|:(?=\s|$))|(?P<o>\()|(?P<e>\)))"
)
_WORD: Final = re.compile(r"[a-z0-9]+")


def segment(text: str) -> Segmented:
    """Tokenize `text` and remember where its clauses and sentences break."""
    text = _fold(text)
    tokens: list[str] = []
    clause_of: list[int] = []
    sentence_of: list[int] = []
    questions: set[int] = set()
    aside: list[bool] = []
    depth = 0
    clause = sentence = 0
    sentence_started = False
    start = 0
    for match in (*_BREAKS.finditer(text), None):
        end = match.start() if match is not None else len(text)
        # The words `_NON_WORD` would leave between the breaks.
        piece = _WORD.findall(text, start, end)
        tokens += piece
        clause_of += [clause] * len(piece)
        sentence_of += [sentence] * len(piece)
        aside += [depth > 0] * len(piece)
        if match is None:
            break
        if match.lastgroup == "o":
            depth += 1
        elif match.lastgroup == "e":
            depth = max(0, depth - 1)
        start = match.end()
        if piece:
            clause += 1
            sentence_started = True
        if match.lastgroup in ("q", "s") and sentence_started:
            if match.lastgroup == "q":
                questions.add(sentence)
            sentence += 1
            sentence_started = False
    return Segmented(tokens, clause_of, sentence_of, frozenset(questions), aside)


def content_tokens(tokens: Iterable[str]) -> list[str]:
    return [token for token in tokens if token not in STOPWORDS]


def stemmer_for(stem_word: Callable[[str], str]) -> _lru_cache_wrapper[str]:
    """Our stemming rules around a word stemmer (the benchmarks swap the library)."""

    @lru_cache(maxsize=65536)
    def stem(token: str) -> str:
        if len(token) <= 3 or token.isdigit():
            return token
        # Italian words almost never end in "s": strip English plurals first so
        # "secrets" meets "secret" and "replicas" meets "repliche".
        if token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        return str(stem_word(token))

    return stem


stem = stemmer_for(_stemmer.stemWord)


def stems(text: str) -> list[str]:
    return [stem(token) for token in content_tokens(tokenize(text))]


def max_typos(token: str) -> int:
    """How many edits a word of this length may carry and still be recognized."""
    if len(token) < 5:
        return 0
    if len(token) < 10:
        return 1
    return 2


class Speller:
    """Repairs misspelt tokens against a vocabulary (optimal string alignment).

    OSA counts a swap of two neighbouring letters as one edit, which is the
    most common chat typo ("docekr", "kuberentes", "clsuter"). A repair must
    keep the first letter (typos rarely hit it, and it stops "rollout" turning
    into "roll"), so words are kept in buckets by first letter and length and
    a lookup only scans the few buckets within reach. The vocabulary can grow
    and shrink, which the FAQ index needs as moderators edit entries.
    """

    def __init__(self, vocabulary: Iterable[str] = (), keep: Iterable[str] = ()) -> None:
        """`keep`: real words never "corrected" and never a correction either
        ("piante" is neither a misspelt "pianta" nor a target for "pianti")."""
        self._keep = frozenset(keep)
        self._counts: dict[str, int] = {}
        self._buckets: dict[tuple[str, int], list[str]] = {}
        self._cache: dict[str, str] = {}
        self.add(vocabulary)

    def add(self, words: Iterable[str]) -> None:
        for word in words:
            if len(word) < 4 or word.isdigit():
                continue
            count = self._counts.get(word, 0)
            self._counts[word] = count + 1
            if count == 0:
                bisect.insort(self._buckets.setdefault((word[0], len(word)), []), word)
                self._cache.clear()

    def remove(self, words: Iterable[str]) -> None:
        for word in words:
            count = self._counts.get(word)
            if count is None:
                continue
            if count > 1:
                self._counts[word] = count - 1
                continue
            del self._counts[word]
            bucket = self._buckets[(word[0], len(word))]
            del bucket[bisect.bisect_left(bucket, word)]
            self._cache.clear()

    def _known(self, token: str) -> bool:
        return (
            token in self._counts
            or token in STOPWORDS
            or token in _PROTECTED
            or token in self._keep
        )

    def correct(self, token: str) -> str:
        if token.isdigit() or self._known(token):
            # Remembered too: a message's known words then cost one lookup each.
            return self._remember(token, token)
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        result = token
        # Chat spells "ch" as "k" ("kiavi", "anke"); jargon with a real "k"
        # (kubectl, k8s) is in the vocabulary and never gets here.
        if "k" in token:
            spelt = token.replace("k", "ch")
            if self._known(spelt):
                return self._remember(token, spelt)
        limit = max_typos(token)
        if limit:
            candidates = [
                word
                for length in range(len(token) - limit, len(token) + limit + 1)
                for word in self._buckets.get((token[0], length), ())
            ]
            match = process.extractOne(token, candidates, scorer=OSA.distance, score_cutoff=limit)
            if match is not None:
                result = match[0]
        return self._remember(token, result)

    def _remember(self, token: str, result: str) -> str:
        if len(self._cache) < 65536:
            self._cache[token] = result
        return result

    def correct_all(self, tokens: Iterable[str]) -> list[str]:
        remembered = self._cache.get
        return [remembered(token) or self.correct(token) for token in tokens]
