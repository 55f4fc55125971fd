"""Prometheus metrics on a dedicated registry, exposed by `bot.health` at /metrics.

A dedicated `CollectorRegistry` (not prometheus-client's global one) keeps the
exposition to what we define and lets tests build isolated `Metrics` objects.
The module-level functions record on the default `METRICS` instance.

Exposed series (all prefixed `timoniere_`):
  timoniere_questions_total{kind}          kind: feature, overview, faq, unknown
  timoniere_answer_latency_seconds         histogram, 100 µs .. 1 s buckets
  timoniere_faq_writes_total{action}       action: add, edit, remove, restore, import
  timoniere_faq_write_failures_total{cause} cause: read_only, disk_full, locked, file_gone, other
  timoniere_gateway_reconnects_total
  timoniere_missing_permission_total{permission}
                                           replies held back (send_messages,
                                           send_messages_in_threads, view_channel) or
                                           degraded (read_message_history: no reply
                                           reference; embed_links: card as text)
  timoniere_unknown_ratio                  unknown answers / all answers since start, over
                                           the messages the bot meant to answer (chatter
                                           in auto-answer channels is not counted)
  timoniere_replies_computed_total         replies the bot decided to send (with
                                           permission to send them)
  timoniere_replies_delivered_total        of those, the ones Discord accepted; the
                                           rest failed or went over the reply budget
  timoniere_send_failures_total{cause}     cause: rate_limited, server_error, refused,
                                           unreachable (after discord.py's own retries)
  timoniere_rate_limited_total             429 answers seen on any REST request
  timoniere_interactions_late_total        interactions first answered after Discord's
                                           3 s deadline (or refused by it as expired)
Unknown rate over a window (PromQL, see deploy/README.md):
  sum(rate(timoniere_questions_total{kind="unknown"}[1h]))
    / sum(rate(timoniere_questions_total[1h]))
"""

from __future__ import annotations

from typing import Final, Literal, get_args

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

NAMESPACE: Final = "timoniere"

AnswerKind = Literal["feature", "overview", "faq", "unknown"]
FaqAction = Literal["add", "edit", "remove", "restore", "import"]
ANSWER_KINDS: Final[tuple[str, ...]] = get_args(AnswerKind)
FAQ_ACTIONS: Final[tuple[str, ...]] = get_args(FaqAction)
ChannelPermission = Literal[
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "read_message_history",
    "embed_links",
]
CHANNEL_PERMISSIONS: Final[tuple[str, ...]] = get_args(ChannelPermission)
# Why the database refused a FAQ change (see bot.storage.failures).
WriteFailureCause = Literal["read_only", "disk_full", "locked", "file_gone", "other"]
WRITE_FAILURE_CAUSES: Final[tuple[str, ...]] = get_args(WriteFailureCause)
# Why a reply did not reach Discord, once discord.py stopped retrying.
SendFailureCause = Literal["rate_limited", "server_error", "refused", "unreachable"]
SEND_FAILURE_CAUSES: Final[tuple[str, ...]] = get_args(SendFailureCause)

# Answers are computed in-process from tables and FAQs: typically well under a
# millisecond, up to a few hundred ms with a slow database. Anything past 1 s
# lands in +Inf and is a problem worth an alert anyway.
LATENCY_BUCKETS: Final = (
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
)


class Metrics:
    """The bot's metric families, registered on `registry` (a new one by default)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self.questions = Counter(
            "questions",
            "Questions answered, by kind of answer.",
            ["kind"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.answer_latency = Histogram(
            "answer_latency_seconds",
            "Time from receiving a question to having the answer ready.",
            namespace=NAMESPACE,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.faq_writes = Counter(
            "faq_writes",
            "FAQ changes saved, by action.",
            ["action"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.faq_write_failures = Counter(
            "faq_write_failures",
            "FAQ changes the database refused (nothing saved), by cause.",
            ["cause"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.gateway_reconnects = Counter(
            "gateway_reconnects",
            "Times the Discord gateway session was resumed or re-established.",
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.unknown_ratio = Gauge(
            "unknown_ratio",
            "Share of questions since start that the bot could not answer.",
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.missing_permission = Counter(
            "missing_permission",
            "Replies the bot held back or degraded for a permission it lacks in the channel.",
            ["permission"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.replies_computed = Counter(
            "replies_computed",
            "Replies the bot decided to send.",
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.replies_delivered = Counter(
            "replies_delivered",
            "Replies Discord accepted.",
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.send_failures = Counter(
            "send_failures",
            "Replies that never reached Discord, by cause (after discord.py's retries).",
            ["cause"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "rate_limited",
            "429 answers from Discord's REST API (each attempt, retried or not).",
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.interactions_late = Counter(
            "interactions_late",
            "Interactions first answered after Discord's 3-second deadline.",
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self._answered = 0
        self._unknown = 0
        # Export every label value from the start at 0, so rate() and ratios
        # such as the unknown rate work before the first event of each kind.
        for kind in ANSWER_KINDS:
            self.questions.labels(kind=kind)
        for action in FAQ_ACTIONS:
            self.faq_writes.labels(action=action)
        for permission in CHANNEL_PERMISSIONS:
            self.missing_permission.labels(permission=permission)
        for cause in WRITE_FAILURE_CAUSES:
            self.faq_write_failures.labels(cause=cause)
        for cause in SEND_FAILURE_CAUSES:
            self.send_failures.labels(cause=cause)

    def record_answer(self, kind: AnswerKind, seconds: float) -> None:
        if kind not in ANSWER_KINDS:
            raise ValueError(f"unknown answer kind {kind!r}; expected one of {ANSWER_KINDS}")
        if seconds < 0:
            raise ValueError("latency cannot be negative")
        self.questions.labels(kind=kind).inc()
        self.answer_latency.observe(seconds)
        self._answered += 1
        self._unknown += kind == "unknown"
        self.unknown_ratio.set(self._unknown / self._answered)

    def record_faq_write(self, action: FaqAction) -> None:
        if action not in FAQ_ACTIONS:
            raise ValueError(f"unknown FAQ action {action!r}; expected one of {FAQ_ACTIONS}")
        self.faq_writes.labels(action=action).inc()

    def record_faq_write_failed(self, cause: WriteFailureCause) -> None:
        if cause not in WRITE_FAILURE_CAUSES:
            raise ValueError(f"unknown cause {cause!r}; expected one of {WRITE_FAILURE_CAUSES}")
        self.faq_write_failures.labels(cause=cause).inc()

    def record_reconnect(self) -> None:
        self.gateway_reconnects.inc()

    def record_reply_computed(self) -> None:
        self.replies_computed.inc()

    def record_reply_delivered(self) -> None:
        self.replies_delivered.inc()

    def record_send_failed(self, cause: SendFailureCause) -> None:
        if cause not in SEND_FAILURE_CAUSES:
            raise ValueError(f"unknown cause {cause!r}; expected one of {SEND_FAILURE_CAUSES}")
        self.send_failures.labels(cause=cause).inc()

    def record_rate_limited(self) -> None:
        self.rate_limited.inc()

    def record_late_interaction(self) -> None:
        self.interactions_late.inc()

    def record_missing_permission(self, permission: ChannelPermission) -> None:
        if permission not in CHANNEL_PERMISSIONS:
            raise ValueError(
                f"unknown permission {permission!r}; expected one of {CHANNEL_PERMISSIONS}"
            )
        self.missing_permission.labels(permission=permission).inc()


METRICS: Final = Metrics()
REGISTRY: Final = METRICS.registry


def record_answer(kind: AnswerKind, seconds: float) -> None:
    """Count one answered question of `kind` and observe how long it took."""
    METRICS.record_answer(kind, seconds)


def record_faq_write(action: FaqAction) -> None:
    """Count one saved FAQ change (add, edit, remove, restore, import)."""
    METRICS.record_faq_write(action)


def record_faq_write_failed(cause: WriteFailureCause) -> None:
    """Count one FAQ change the database refused, by cause."""
    METRICS.record_faq_write_failed(cause)


def record_reconnect() -> None:
    """Count one gateway reconnect.

    Call it from discord.py's `on_resumed`, and from `on_connect` except the
    first time (the first connect is not a reconnect).
    """
    METRICS.record_reconnect()


def record_reply_computed() -> None:
    """Count one reply the bot decided to send (before sending it)."""
    METRICS.record_reply_computed()


def record_reply_delivered() -> None:
    """Count one reply Discord accepted."""
    METRICS.record_reply_delivered()


def record_send_failed(cause: SendFailureCause) -> None:
    """Count one reply that never reached Discord, by cause."""
    METRICS.record_send_failed(cause)


def record_rate_limited() -> None:
    """Count one 429 answer from Discord's REST API."""
    METRICS.record_rate_limited()


def record_late_interaction() -> None:
    """Count one interaction answered after Discord's deadline."""
    METRICS.record_late_interaction()


def record_missing_permission(permission: ChannelPermission) -> None:
    """Count one reply held back or degraded because the bot lacks `permission`."""
    METRICS.record_missing_permission(permission)
