"""Metrics: names, labels, buckets, and the module-level helpers."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY as GLOBAL_REGISTRY
from prometheus_client import generate_latest

from bot import metrics
from bot.metrics import ANSWER_KINDS, FAQ_ACTIONS, LATENCY_BUCKETS, Metrics


def value(m: Metrics, name: str, **labels: str) -> float:
    sample = m.registry.get_sample_value(name, labels)
    assert sample is not None, (name, labels)
    return sample


def test_all_series_exist_at_zero_before_any_event() -> None:
    m = Metrics()
    for kind in ("feature", "overview", "faq", "unknown"):
        assert value(m, "timoniere_questions_total", kind=kind) == 0
    for action in ("add", "edit", "remove", "restore", "import"):
        assert value(m, "timoniere_faq_writes_total", action=action) == 0
    assert value(m, "timoniere_gateway_reconnects_total") == 0
    assert value(m, "timoniere_answer_latency_seconds_count") == 0
    for cause in ("read_only", "disk_full", "locked", "file_gone", "other"):
        assert value(m, "timoniere_faq_write_failures_total", cause=cause) == 0
    for cause in ("rate_limited", "server_error", "refused", "unreachable"):
        assert value(m, "timoniere_send_failures_total", cause=cause) == 0
    for name in ("replies_computed", "replies_delivered", "rate_limited", "interactions_late"):
        assert value(m, f"timoniere_{name}_total") == 0


def test_delivery_counters() -> None:
    m = Metrics()
    m.record_reply_computed()
    m.record_reply_computed()
    m.record_reply_delivered()
    m.record_send_failed("server_error")
    m.record_rate_limited()
    m.record_late_interaction()
    assert value(m, "timoniere_replies_computed_total") == 2
    assert value(m, "timoniere_replies_delivered_total") == 1
    assert value(m, "timoniere_send_failures_total", cause="server_error") == 1
    assert value(m, "timoniere_rate_limited_total") == 1
    assert value(m, "timoniere_interactions_late_total") == 1
    with pytest.raises(ValueError, match="unknown cause"):
        m.record_send_failed("lost")  # type: ignore[arg-type]


def test_record_answer_counts_and_observes() -> None:
    m = Metrics()
    m.record_answer("feature", 0.0003)
    m.record_answer("unknown", 0.002)
    m.record_answer("unknown", 0.4)
    assert value(m, "timoniere_questions_total", kind="feature") == 1
    assert value(m, "timoniere_questions_total", kind="unknown") == 2
    assert value(m, "timoniere_answer_latency_seconds_count") == 3
    assert value(m, "timoniere_answer_latency_seconds_bucket", le="0.0005") == 1
    assert value(m, "timoniere_answer_latency_seconds_bucket", le="0.0025") == 2
    assert value(m, "timoniere_answer_latency_seconds_bucket", le="1.0") == 3
    assert value(m, "timoniere_answer_latency_seconds_sum") == pytest.approx(0.4023)


def test_buckets_cover_sub_millisecond_to_one_second() -> None:
    assert LATENCY_BUCKETS[0] <= 0.0001
    assert LATENCY_BUCKETS[-1] == 1.0
    assert list(LATENCY_BUCKETS) == sorted(LATENCY_BUCKETS)
    assert sum(b < 0.001 for b in LATENCY_BUCKETS) >= 3


def test_faq_writes_and_reconnects() -> None:
    m = Metrics()
    m.record_faq_write("add")
    m.record_faq_write("add")
    m.record_faq_write("remove")
    m.record_reconnect()
    assert value(m, "timoniere_faq_writes_total", action="add") == 2
    assert value(m, "timoniere_faq_writes_total", action="remove") == 1
    assert value(m, "timoniere_gateway_reconnects_total") == 1


def test_failed_faq_writes_are_counted_by_cause() -> None:
    m = Metrics()
    m.record_faq_write_failed("locked")
    m.record_faq_write_failed("locked")
    m.record_faq_write_failed("disk_full")
    assert value(m, "timoniere_faq_write_failures_total", cause="locked") == 2
    assert value(m, "timoniere_faq_write_failures_total", cause="disk_full") == 1
    assert value(m, "timoniere_faq_write_failures_total", cause="read_only") == 0
    with pytest.raises(ValueError):
        m.record_faq_write_failed("gremlins")  # type: ignore[arg-type]


def test_unknown_labels_are_refused() -> None:
    m = Metrics()
    with pytest.raises(ValueError):
        m.record_answer("maybe", 0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        m.record_answer("faq", -1)
    with pytest.raises(ValueError):
        m.record_faq_write("purge")  # type: ignore[arg-type]
    assert set(ANSWER_KINDS) == {"feature", "overview", "faq", "unknown"}
    assert "import" in FAQ_ACTIONS


def test_module_helpers_use_the_dedicated_registry() -> None:
    before = metrics.REGISTRY.get_sample_value("timoniere_questions_total", {"kind": "overview"})
    metrics.record_answer("overview", 0.001)
    metrics.record_faq_write("edit")
    metrics.record_reconnect()
    after = metrics.REGISTRY.get_sample_value("timoniere_questions_total", {"kind": "overview"})
    assert after == (before or 0) + 1
    assert metrics.REGISTRY is not GLOBAL_REGISTRY
    leaked = GLOBAL_REGISTRY.get_sample_value("timoniere_questions_total", {"kind": "overview"})
    assert leaked is None


def test_exposition_is_prometheus_text() -> None:
    text = generate_latest(Metrics().registry).decode()
    assert "# TYPE timoniere_questions_total counter" in text
    assert "# TYPE timoniere_answer_latency_seconds histogram" in text
    assert 'timoniere_questions_total{kind="unknown"} 0.0' in text
    assert "python_gc" not in text  # no default process/platform collectors


def test_unknown_ratio_follows_the_answers() -> None:
    m = Metrics()
    assert value(m, "timoniere_unknown_ratio") == 0
    m.record_answer("feature", 0.001)
    assert value(m, "timoniere_unknown_ratio") == 0
    m.record_answer("unknown", 0.001)
    assert value(m, "timoniere_unknown_ratio") == pytest.approx(0.5)
    m.record_answer("faq", 0.001)
    m.record_answer("unknown", 0.001)
    assert value(m, "timoniere_unknown_ratio") == pytest.approx(0.5)
    m.record_answer("overview", 0.001)
    assert value(m, "timoniere_unknown_ratio") == pytest.approx(0.4)
