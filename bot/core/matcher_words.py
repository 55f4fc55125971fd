"""The words and phrases the matcher's decisions look for.

Comparisons of the two systems, questions about whether a system is worth it,
phrases that mean both systems, and the words a bare follow-up is made of.
"""

from __future__ import annotations

from typing import Final

# Words that turn a message into a comparison of the two systems as a whole.
COMPARE_WORDS: Final = (
    "vs versus confronto confrontare paragone differenza differenze differenzia cambia "
    "meglio migliore peggio conviene convenga scegliere scelgo scelta pro contro vantaggi "
    "svantaggi rispetto passare migrare overkill alternativa comodo preferibile riassunto "
    "riassumimi riepilogo comparison difference better"
)
# Questions about whether a system is worth it at all: overview questions
# even when they name one system ("k8s è sprecato per due container?").
OVERVIEW_CUES: Final = (
    "sprecato",
    "spreco",
    "sprecata",
    "eccessivo",
    "esagerato",
    "esagerata",
    "overkill",
    "vale la pena",
    "ha senso",
    "avrebbe senso",
    "benefici",
    "vantaggi",
    "svantaggi",
    "pro e contro",
    "side project",
    "cosa mi perdo",
    "cosa guadagno",
    "cosa ci guadagno",
    "cosa cambia",
    "cosa cambierebbe",
    "vale la spesa",
    "cosa perdo",
    "troppo per",
    "e troppo",
    "meglio",
    "migliore",
    "basta per",
    "bastare per",
    "sufficiente per",
    "troppo complesso",
    "troppo complicato",
    "progetto piccolo",
    "piccolo progetto",
    "conviene",
    "convenga",
    "worth it",
    # "k8s è roba solo per le big tech?": who a system is for.
    "roba da",
    "roba per",
    "big tech",
    "grandi aziende",
)
# Phrases that mean "the two systems" without naming them.
BOTH_CUES: Final = (
    "quale dei due",
    "quale delle due",
    "quale scegliere",
    "uno o l'altro",
    "quando l'altro",
    "tutti e due",
    "tutte e due",
    "tra i due",
    "fra i due",
    "dei due",
    "entrambi",
    "entrambe",
)
# Discourse words a bare follow-up is made of ("perché?", "ne sei certo?",
# "quindi tutto a mano?"): a short question of only these words (and system
# names or infrastructure words) asks more about the previous answer.
FOLLOW_UP_WORDS: Final = frozenset(
    """
    mai certo certa sicuro sicura cioe davvero veramente seriamente proprio sempre
    nessuno nessuna niente nulla tutto tutti tutta quindi allora dunque ovvero ossia
    mano manualmente automatico automatica invece no si pure neanche nemmeno neppure
    esempio spiega spiegami spiegare dettagli approfondisci dimmi imposta impostare
    configura configurare attiva attivare abilita abilitare funziona funzionano
    succede serve servono criterio criteri quanto quanti quante limite limiti default
    gratis comunque solo sola soltanto bene male vero vera giusto giusta altro altri
    ancora adesso oggi versione aggiornato fatto fa fanno senso storto sbagliato
    fallisce succede decide decidere saperlo sa trucco trucchi qualche modo fino
    quante quanto non altro altre alternativa alternative motivo esattamente va
    vanno andato andata base massimo minimo dopo prima reboot riavvio
    why sure really
    """.split()
)
MANUAL_CUES: Final = frozenset({("a", "mano"), ("manualmente",), ("manuale",)})
BOTH_SYSTEMS_WORDS: Final = frozenset({"entrambi", "entrambe", "due", "both"})
# Words that rank one system against the other: "kube è meglio qui?" after a
# question on Compose compares the two ("c'è di meglio?" does not).
BETTER_WORSE_WORDS: Final = frozenset(
    "meglio peggio migliore migliori peggiore peggiori superiore inferiore".split()
)
# "chi è meglio?": who or which, asked of the two systems.
WHICH_WORDS: Final = frozenset({"chi", "quale", "quali"})
# "anche per X?": the same question about one more thing.
EXTENDING_WORDS: Final = frozenset({"anche", "pure"})
# Openers that turn to the system named next: "ma compose è messo peggio?".
CONTRAST_OPENERS: Final = frozenset({"ma", "pero", "invece"})

# Thanks close a topic: "ok grazie, chi viene a pranzo?" is not a follow-up.
THANKS_WORDS: Final = frozenset("grazie grz thanks thx ty".split())
# Words that point back at the last answer's topic: "in compose esiste
# qualcosa di simile?" and "con dc sarebbe andata uguale?" ask about the same
# feature.
ANAPHORA_WORDS: Final = frozenset(
    "simile simili equivalente equivalenti analogo analoga uguale uguali".split()
)
