"""Italian chat normalization, stemming and typo repair."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.knowledge import load_knowledge
from bot.core.matcher import Matcher
from bot.core.text import (
    MAX_INPUT_CHARS,
    Speller,
    content_tokens,
    max_typos,
    normalize,
    retokenize,
    stem,
    stems,
    tokenize,
)

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "kubernetes-vs-compose.yaml"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_knowledge(SHIPPED))


# --- normalize ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Kubernetes", "kubernetes"),
        ("KUBERNETES", "kubernetes"),
        ("scalabilità", "scalabilita"),
        ("SCALABILITÀ", "scalabilita"),
        ("perché c'è più", "perche c e piu"),
        ("naïve Çà", "naive ca"),
        ("l'autoscaling", "l autoscaling"),
        ("L’autoscaling", "l autoscaling"),  # typographic apostrophe
        ("dell`autoscaling", "dell autoscaling"),
        ("dell'HA", "dell high availability"),
        ("k8s, compose!!! ??", "k8s compose"),
        ("docker-compose.yml", "docker compose yml"),
        ("--scale", "scale"),
        ("🚀🚀 rollback 🔥", "rollback"),
        ("siiiiii", "si"),
        ("dockerrrr", "docker"),
        ("scalabilitàààà", "scalabilita"),
        ("ＫＵＢＥ", "kube"),  # full-width letters
        ("a\x00b\tc\nd", "a b c d"),
        ("", ""),
        ("   ", ""),
        ("🙂🙂", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_keeps_double_letters() -> None:
    # Only runs of three or more are squeezed: Italian doubles are real spelling.
    assert normalize("rollback cluster") == "rollback cluster"
    assert normalize("rolllback") == "rolback"


def test_ha_is_expanded_only_in_upper_case() -> None:
    assert normalize("compose ha l'HA?") == "compose ha l high availability"
    assert normalize("HAProxy") == "haproxy"


def test_normalize_cuts_long_input() -> None:
    text = "a" * (MAX_INPUT_CHARS - 1) + " kubernetes"
    assert "kubernetes" not in normalize(text)
    assert len(normalize("x y " * 100_000)) <= MAX_INPUT_CHARS


def test_tokenize_keeps_stopwords_and_content_tokens_drops_them() -> None:
    tokens = tokenize("Compose ha l'autoscaling da solo?")
    assert tokens == ["compose", "ha", "l", "autoscaling", "da", "solo"]
    assert content_tokens(tokens) == ["compose", "autoscaling", "solo"]


@pytest.mark.parametrize(
    "words",
    [
        ["compose", "scala", "da", "solo"],
        ["ogni", "tanto", "il", "pod", "muore"],  # a repaired word can make an idiom
        ["piu", "o", "meno", "quanto"],
        ["un", "podddd", "per", "caso"],
        ["k8s", "1", "31"],
        ["x" * 1500, "y" * 600],  # the join is longer than the fold keeps
        ["Compose", "HA"],
        [],
    ],
)
def test_retokenize_is_tokenize_of_the_joined_words(words: list[str]) -> None:
    assert retokenize(words) == tokenize(" ".join(words))


def test_retokenize_of_tokenized_chat_gives_the_same_words() -> None:
    for text in ("Kubernetes fa l'autoscaling?? siiii", "ogni tanto compose... per caso cade"):
        tokens = tokenize(text)
        assert retokenize(tokens) == tokenize(" ".join(tokens))


def test_stem_meets_accented_and_plain_spellings() -> None:
    assert stems("scalabilità") == stems("scalabilita") == stems("SCALABILITA'")
    assert stem("repliche") == stem("replicas")
    assert stem("secrets") == stem("secret")
    assert stem("class") != "clas"  # "ss" is not an English plural
    assert stem("k8s") == "k8s"  # short tokens are left alone
    assert stem("2024") == "2024"


# --- typo repair ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "allowed"),
    [("kube", 0), ("compo", 1), ("kubernets", 1), ("kubernetes", 2), ("autoscalling", 2)],
)
def test_max_typos_grows_with_word_length(word: str, allowed: int) -> None:
    assert max_typos(word) == allowed


def test_speller_fixes_swaps_insertions_and_deletions() -> None:
    speller = Speller(["kubernetes", "compose", "docker", "rollback", "cluster", "secret"])
    assert speller.correct_all(
        ["kuberentes", "docekr", "compse", "rollbak", "clsuter", "secrt"]
    ) == [
        "kubernetes",
        "docker",
        "compose",
        "rollback",
        "cluster",
        "secret",
    ]


def test_speller_leaves_alone_what_it_should_not_touch() -> None:
    speller = Speller(["kubernetes", "compose", "rollback", "roll"])
    assert speller.correct("composte") == "composte"  # real Italian word, protected
    assert speller.correct("xompose") == "xompose"  # first letter differs
    assert speller.correct("kbue") == "kbue"  # four letters: too short to repair
    assert speller.correct("kbrnetes") == "kbrnetes"  # two edits in an eight-letter word
    assert speller.correct("2024") == "2024"
    assert speller.correct("del") == "del"


@pytest.mark.parametrize(
    ("question", "feature", "system"),
    [
        ("kubernets fa failover?", "failover", "kubernetes"),
        ("kuberentes segreti", "segreti", "kubernetes"),
        ("docekr fa autoscaling?", "autoscaling", "compose"),
        ("docekr compose fa autoscaling?", "autoscaling", "compose"),
        ("compsoe segreti", "segreti", "compose"),
        ("autoscalling", "autoscaling", "both"),
        ("autoscalling con k8s", "autoscaling", "kubernetes"),
        ("rollbak", "rolling-update", "both"),
        ("rollbak su compose", "rolling-update", "compose"),
        ("clsuter", "cluster", "both"),
        ("clsuter kubernetes", "cluster", "kubernetes"),
        ("secrt", "segreti", "both"),
        ("secrt in compose", "segreti", "compose"),
        ("kubernetes scalabilitaaaa", "scalabilita", "kubernetes"),
        ("KUBERNETES SCALABILITÀ!!!", "scalabilita", "kubernetes"),
        ("k8s fa l'autoscaling???", "autoscaling", "kubernetes"),
        ("compose fa failover 🤔", "failover", "compose"),
        ("dell'HA su k8s", "failover", "kubernetes"),
    ],
)
def test_matcher_reads_through_typos_and_chat_noise(
    matcher: Matcher, question: str, feature: str, system: str
) -> None:
    intent = matcher.match(question)
    assert (intent.kind, intent.feature, intent.system) == ("feature", feature, system)


def test_misspelt_system_name_is_still_recognized(matcher: Matcher) -> None:
    typo = matcher.match("docekr fa autoscaling?")
    clean = matcher.match("docker fa autoscaling?")
    assert typo == clean


def test_protected_word_is_not_turned_into_compose(matcher: Matcher) -> None:
    # "composte" is one edit from "compose" but means stewed fruit.
    assert matcher.match("composte autoscaling?").system == "both"
    assert matcher.match("compse autoscaling?").system == "compose"
    assert matcher.match("le composte di frutta").kind == "unknown"


def test_first_letter_typo_is_not_repaired(matcher: Matcher) -> None:
    assert matcher.match("xompose fa autoscaling?").system == "both"
