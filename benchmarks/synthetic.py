"""Synthetic moderator FAQ entries for scale benchmarks.

The entries read like the FAQ of an Italian DevOps Discord server: chat-style
questions about Docker, Compose, Kubernetes, the server itself and everyday
ops trouble, with 0-3 alternative phrasings each. Words are drawn with a
Zipf-like skew (a few topics and systems are everywhere, most are rare), and
a long tail of identifiers (project names, ports, versions, error codes) makes
the vocabulary keep growing with the number of entries, as it does in a real
FAQ. The generator is seeded, so every run builds the same entries.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class SyntheticFaq:
    name: str
    question: str
    answer: str
    phrasings: tuple[str, ...]


_TOPICS: Final = """
volume|volumi persistenti|bind mount|rete|rete bridge|rete overlay|ingress|ingress controller
certificato tls|certificati let's encrypt|reverse proxy|traefik|nginx|caddy|haproxy
database|postgres|mysql|mariadb|mongodb|redis|rabbitmq|kafka|elasticsearch|minio
backup del database|dump di postgres|restore del volume|snapshot del disco
log dei container|log rotation|loki|prometheus|grafana|alertmanager|metriche|dashboard
healthcheck|readiness probe|liveness probe|restart policy|limiti di memoria|limiti di cpu
variabili d'ambiente|file .env|configmap|secret|vault|chiavi ssh|token di accesso
immagine docker|dockerfile|build multi stage|cache della build|registry privato|harbor
tag delle immagini|immagine alpine|immagine distroless|layer dell'immagine
namespace|pod|deployment|statefulset|daemonset|cronjob|job|service|nodeport
load balancer|service mesh|istio|linkerd|helm chart|kustomize|argocd|flux|gitops
pipeline ci|github actions|gitlab ci|jenkins|runner self hosted|ambiente di staging
cluster k3s|minikube|kind|microk8s|nodo worker|control plane|etcd|kubelet|kubectl
dns interno|coredns|porta esposta|port forwarding|firewall|iptables|vpn|wireguard
utente root|permessi dei file|rootless|selinux|apparmor|capabilities|seccomp
crash loop|oom killer|uso della memoria|uso del disco|spazio su disco|swap|inode
orario dei container|fuso orario|locale|encoding utf8|cron dentro il container
websocket|grpc|http2|timeout del proxy|header x forwarded|cors|rate limit
ruoli del server|canale di supporto|regolamento|ticket di supporto|meetup mensile
live coding|webinar|mentorship|offerte di lavoro|canale annunci|bot del server
wsl2|docker desktop|podman|colima|rancher desktop|lima|portainer|watchtower
aggiornamento di docker|versione di compose|compose v2|plugin di compose|buildx
""".replace("\n", "|")

_SYSTEMS: Final = (
    "docker compose",
    "compose",
    "kubernetes",
    "k8s",
    "docker",
    "kube",
    "k3s",
    "docker swarm",
    "podman",
    "",
)

_VERBS: Final = """
configurare|impostare|abilitare|disabilitare|aggiornare|montare|esporre|proteggere
monitorare|ripristinare|migrare|cancellare|spostare|collegare|testare|debuggare
limitare|ruotare|condividere|cifrare|automatizzare|scalare|riavviare|ispezionare
pulire|sincronizzare|documentare|versionare|isolare|ottimizzare|velocizzare|rinnovare
""".replace("\n", "|")

_PLACES: Final = """
in produzione|in locale|su windows|su mac|su linux|su raspberry pi|in ci|su aws|su gcp
su azure|su hetzner|in staging|su una vps|su un nas synology|su proxmox|in una vm
sul mio portatile|in ufficio|dietro un proxy aziendale|senza accesso a internet
""".replace("\n", "|")

_PROBLEMS: Final = """
da errore|va in crash|e lentissimo|non parte|restituisce 502|perde i dati|si blocca
non si connette|va in timeout|consuma troppa ram|riempie il disco|non trova il file
dice permission denied|non risolve il nome|si riavvia di continuo|ignora la configurazione
""".replace("\n", "|")

_QUESTION_TEMPLATES: Final = (
    "come posso {verb} {topic} con {system}?",
    "come si fa a {verb} {topic} {place}?",
    "qual e il modo migliore per {verb} {topic} su {system}?",
    "{topic} {problem} con {system}, cosa controllo?",
    "perche {topic} {problem} {place}?",
    "si puo {verb} {topic} {place} usando {system}?",
    "dove trovo la guida per {topic}?",
    "{system}: {topic} {problem}",
    "consigli per {verb} {topic} {place}",
    "{topic} su {system} {place}, come lo gestite?",
    "ho un problema con {topic}: {problem}",
    "c'e un modo per {verb} {topic} senza fermare {system}?",
    "esiste una best practice per {topic} {place}?",
    "help {topic} {problem}",
    "qualcuno usa {topic} con {system} {place}?",
)

_ANSWER_TEMPLATES: Final = (
    "Per {verb} {topic} {place} segui la guida nel canale #{channel}. "
    "Di solito basta aggiornare la configurazione e riavviare il servizio {ident}.",
    "Controlla prima i log: nove volte su dieci {topic} {problem} per un errore di "
    "configurazione. Se non basta apri un ticket indicando la versione ({version}).",
    "Con {system} conviene tenere {topic} in un file separato e versionarlo. "
    "Trovi un esempio completo nel repository {ident}.",
    "Non e supportato ufficialmente {place}, ma molti membri lo fanno: chiedi in #{channel} "
    "e allega il tuo file di configurazione senza password.",
)

_CHANNELS: Final = ("supporto", "docker", "kubernetes", "compose", "devops", "aiuto", "risorse")
_SYLLABLES: Final = (
    "ba be bi bo ca ce ci co da de di do fa fe fi fo ga ge gi go la le li lo ma me mi mo "
    "na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo za ze zo "
    "bra tre gli sco spa stri fla gno"
).split()
_IDENT_KINDS: Final = ("progetto", "servizio", "app", "stack", "repo", "errore", "porta", "nodo")
_SHORTHANDS: Final = {
    "kubernetes": "k8s",
    "docker compose": "compose",
    "perche": "xke",
    "come": "cm",
    "non": "nn",
    "configurare": "config",
    "produzione": "prod",
}
_SLUG_RE: Final = re.compile(r"[^a-z0-9]+")


def _zipf_weights(count: int, exponent: float = 0.9) -> list[float]:
    return [1.0 / (rank + 1) ** exponent for rank in range(count)]


class _Vocabulary:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.topics = [t.strip() for t in _TOPICS.split("|") if t.strip()]
        self.verbs = [v.strip() for v in _VERBS.split("|") if v.strip()]
        self.places = [p.strip() for p in _PLACES.split("|") if p.strip()]
        self.problems = [p.strip() for p in _PROBLEMS.split("|") if p.strip()]
        # Shuffle once so the Zipf head is not simply the first lines above.
        for words in (self.topics, self.verbs, self.places, self.problems):
            rng.shuffle(words)
        self._weights = {
            id(words): _zipf_weights(len(words))
            for words in (self.topics, self.verbs, self.places, self.problems)
        }
        self._system_weights = _zipf_weights(len(_SYSTEMS), 0.6)

    def pick(self, words: list[str]) -> str:
        return self.rng.choices(words, weights=self._weights[id(words)])[0]

    def system(self) -> str:
        return self.rng.choices(_SYSTEMS, weights=self._system_weights)[0]

    def ident(self) -> str:
        """A long-tail identifier: "progetto valemi", "porta 8443", "errore 137"..."""
        kind = self.rng.choice(_IDENT_KINDS)
        if kind in ("porta", "errore", "nodo"):
            return f"{kind} {self.rng.randint(2, 65000)}"
        word = "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(2, 4)))
        return f"{kind} {word}"

    def slots(self) -> dict[str, str]:
        system = self.system()
        return {
            "topic": self.pick(self.topics),
            "verb": self.pick(self.verbs),
            "place": self.pick(self.places),
            "problem": self.pick(self.problems),
            "system": system or "docker",
            "channel": self.rng.choice(_CHANNELS),
            "ident": self.ident(),
            "version": f"v{self.rng.randint(1, 3)}.{self.rng.randint(0, 30)}",
        }


def _fill(template: str, slots: dict[str, str]) -> str:
    return " ".join(template.format(**slots).split())


def _chatify(text: str, rng: random.Random) -> str:
    """Chat register: shorthands, dropped question marks, the odd typo."""
    for long, short in _SHORTHANDS.items():
        if long in text and rng.random() < 0.4:
            text = text.replace(long, short, 1)
    if rng.random() < 0.3:
        text = text.rstrip("?")
    return typo(text, rng) if rng.random() < 0.3 else text


def typo(text: str, rng: random.Random) -> str:
    """Swap two neighbouring letters of one longer word (the commonest chat typo)."""
    words = text.split()
    candidates = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    word = words[i]
    j = rng.randint(1, len(word) - 3)
    words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)


def _slug(text: str) -> str:
    return _SLUG_RE.sub("-", text.lower()).strip("-")


def _unique_name(slots: dict[str, str], vocab: _Vocabulary, seen: set[str]) -> str:
    """A moderator-style slug ("traefik-rinnovare-staging"), made unique with words, not counters.

    Counters would put one number per entry into the index vocabulary, which a
    real FAQ does not have.
    """
    parts = [_slug(slots["topic"])[:16].strip("-"), _slug(slots["verb"])[:10]]
    place = slots["place"].split()[-1]
    candidates = [parts, [*parts, _slug(place)], [*parts, _slug(slots["system"])]]
    for words in candidates:
        name = "-".join(w for w in words if w)[:32].strip("-")
        if name not in seen:
            seen.add(name)
            return name
    while True:
        suffix = "".join(vocab.rng.choice(_SYLLABLES) for _ in range(3))
        name = f"{'-'.join(parts)[: 32 - len(suffix) - 1].strip('-')}-{suffix}"
        if name not in seen:
            seen.add(name)
            return name


def generate(count: int, seed: int = 42) -> list[SyntheticFaq]:
    """`count` distinct entries; names are unique slugs of at most 32 characters."""
    rng = random.Random(seed)
    vocab = _Vocabulary(rng)
    entries: list[SyntheticFaq] = []
    seen_questions: set[str] = set()
    seen_names: set[str] = set()
    while len(entries) < count:
        slots = vocab.slots()
        question = _fill(rng.choice(_QUESTION_TEMPLATES), slots)
        # A third of the questions name a concrete project, port or error.
        if rng.random() < 0.33:
            question = question.rstrip("?") + f" ({slots['ident']})"
        if question in seen_questions:
            continue
        seen_questions.add(question)
        phrasings = tuple(
            _chatify(_fill(rng.choice(_QUESTION_TEMPLATES), slots), rng)
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3)))
        )
        name = _unique_name(slots, vocab, seen_names)
        answer = _fill(rng.choice(_ANSWER_TEMPLATES), slots)
        entries.append(SyntheticFaq(name, question, answer, phrasings))
    return entries


def probe_questions(
    entries: list[SyntheticFaq], count: int, seed: int = 7
) -> list[tuple[str, str]]:
    """(question, expected entry name) pairs: reworded questions that target an entry.

    Each probe drops one word of the entry's question or one of its phrasings and
    may add a typo, so lookups exercise the speller and the fuzzy scoring rather
    than an exact string match.
    """
    rng = random.Random(seed)
    probes: list[tuple[str, str]] = []
    for entry in rng.sample(entries, min(count, len(entries))):
        source = rng.choice((entry.question, *entry.phrasings))
        words = source.split()
        if len(words) > 4:
            del words[rng.randrange(len(words))]
        text = " ".join(words)
        if rng.random() < 0.5:
            text = typo(text, rng)
        probes.append((text, entry.name))
    return probes
