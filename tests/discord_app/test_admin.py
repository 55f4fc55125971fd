"""The client's operations hooks through the fake Discord: /kb ricarica,
`reload_knowledge` and the gateway reconnect metric."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from discord_double import DiscordDouble, RunningBot
from discord_double.world import MOD_ROLE_ID
from knowledge_tables import table_with_rows

from bot import messages, metrics
from bot.config import Settings
from bot.core.engine import Engine
from bot.core.faq import FaqEntry
from bot.core.knowledge import (
    MAX_COMMANDS,
    MAX_FEATURES,
    RESERVED_FEATURE_IDS,
    load_knowledge_dir,
)
from bot.discord_app.client import TimoniereBot

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge" / "kubernetes-vs-compose.yaml"
EPHEMERAL = 1 << 6
MANAGE_GUILD = 1 << 5
GUILD = 1111111111111111111

StartBot = Callable[..., Awaitable[RunningBot]]


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    shutil.copy(KNOWLEDGE, folder / KNOWLEDGE.name)
    return folder / KNOWLEDGE.name


@pytest.fixture
async def rb(start_bot: StartBot, knowledge: Path, tmp_path: Path) -> RunningBot:
    settings = Settings(
        database_path=tmp_path / "data" / "timoniere.sqlite3",
        knowledge_dir=knowledge.parent,
        mod_role_ids=(int(MOD_ROLE_ID),),
        channel_cooldown_seconds=0,
    )
    kb = load_knowledge_dir(knowledge.parent)
    return await start_bot(lambda: TimoniereBot(settings, Engine(kb)))


async def ricarica(double: DiscordDouble, user: str, **kwargs: Any) -> dict[str, Any]:
    """Run /kb ricarica; return the private message that answers it.

    A reload may wait and re-sync commands, so the bot first defers (type 5,
    ephemeral) and then answers with a followup; a refusal answers at once.
    """
    if user == "mod":
        # A moderator role sees /kb once the admin allows it in Integrations.
        double.set_command_permissions("kb", [{"id": MOD_ROLE_ID, "type": 1, "permission": True}])
    mark = double.mark()
    interaction = await double.dispatch_interaction(
        double.payloads.slash_command("kb ricarica", user=user, **kwargs)
    )
    callback = await double.wait_callback(interaction["id"])
    assert callback.status == 200, callback.response
    if callback.json["type"] == 4:
        data: dict[str, Any] = callback.json["data"]
    else:
        assert callback.json["type"] == 5
        assert callback.json["data"]["flags"] & EPHEMERAL
        followup = await double.wait_request("POST", "/webhooks/*", start=mark)
        data = followup.json
    assert data["flags"] & EPHEMERAL
    return data


def syncs(double: DiscordDouble, start: int = 0) -> int:
    return len(double.find_requests("PUT", "/applications/*/commands", start=start))


async def test_kb_is_a_guild_only_command_for_server_managers(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    command = discord_double.find_command("kb")
    assert str(command["default_member_permissions"]) == str(MANAGE_GUILD)
    assert command.get("contexts") in ([0], None)
    assert command.get("dm_permission") in (False, None)
    assert [o["name"] for o in command["options"]] == ["ricarica"]


async def test_a_plain_member_is_refused_even_if_the_server_shows_the_command(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    engine = rb.bot.engine  # type: ignore[attr-defined]
    # Discord hides /kb from members (default_member_permissions) until an admin allows
    # it for @everyone under Server Settings > Integrations; the bot checks again.
    everyone = {"id": discord_double.guild.id, "type": 1, "permission": True}
    discord_double.set_command_permissions("kb", [everyone])
    data = await ricarica(discord_double, "member")
    assert data["content"] == messages.DISCORD_NOT_ALLOWED
    assert rb.bot.engine is engine  # type: ignore[attr-defined]


async def test_a_moderator_role_reloads_without_a_needless_sync(
    rb: RunningBot, discord_double: DiscordDouble, knowledge: Path
) -> None:
    bot: TimoniereBot = rb.bot  # type: ignore[assignment]
    bot.engine.set_faq(GUILD, [FaqEntry(GUILD, "porta", "Quale porta usa il bot?", "La 8080.")])
    old = "Nessuna funzionalità di auto-scaling"
    knowledge.write_text(
        knowledge.read_text(encoding="utf-8").replace(old, "Niente scaling automatico"),
        encoding="utf-8",
    )
    # A moderator role (MOD_ROLE_IDS) sees /kb once the admin allows it in Integrations.
    moderators = {"id": MOD_ROLE_ID, "type": 1, "permission": True}
    discord_double.set_command_permissions("kb", [moderators])
    mark = discord_double.mark()
    data = await ricarica(discord_double, "mod")
    features = messages.count_features(len(bot.engine.kb.features))
    assert data["content"] == messages.KB_RELOAD_DONE.format(features=features)
    assert data["content"].endswith(": 6 caratteristiche.")
    assert "Niente scaling automatico" in bot.engine.feature("autoscaling").text
    assert bot.engine.faq_count(GUILD) == 1  # the server's FAQ survived the reload
    assert syncs(discord_double, mark) == 0  # same commands: no call to Discord
    assert not rb.errors


async def test_a_broken_file_keeps_the_old_table_and_says_why(
    rb: RunningBot, discord_double: DiscordDouble, knowledge: Path
) -> None:
    bot: TimoniereBot = rb.bot  # type: ignore[assignment]
    engine = bot.engine
    knowledge.write_text("id: [unclosed\n", encoding="utf-8")
    data = await ricarica(discord_double, "owner")
    assert data["content"].startswith("Ricarica non riuscita")
    assert "invalid YAML" in data["content"]
    assert bot.engine is engine


async def test_a_removed_feature_leaves_the_slash_menu(
    rb: RunningBot, discord_double: DiscordDouble, knowledge: Path
) -> None:
    bot: TimoniereBot = rb.bot  # type: ignore[assignment]
    removed = "autoscaling"
    text = knowledge.read_text(encoding="utf-8")
    start = text.index(f"  - id: {removed}\n")
    end = text.index("\nout_of_scope:", start)  # the block runs to the next top-level key
    knowledge.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    assert any(c["name"] == removed for c in discord_double.commands[None])

    mark = discord_double.mark()
    assert await bot.reload_knowledge() is None
    assert syncs(discord_double, mark) == 1
    names = {c["name"] for c in discord_double.commands[None]}
    assert removed not in names and {"kb", "chiedi", "confronto", "aiuto"} <= names
    assert removed not in {f.id for f in bot.engine.kb.features}


def reconnects() -> float:
    value = metrics.REGISTRY.get_sample_value("timoniere_gateway_reconnects_total")
    assert value is not None
    return value


async def answered(double: DiscordDouble) -> None:
    """A question round trip: events sent before it have been handled."""
    mark = double.mark()
    message = double.payloads.message(f"<@{double.app_id}> compose fa auto-scaling?")
    await double.dispatch_message(message)
    await double.wait_reply(message["channel_id"], start=mark)


async def test_resumes_and_new_sessions_count_as_reconnects(
    rb: RunningBot, discord_double: DiscordDouble
) -> None:
    before = reconnects()  # the first connect is not a reconnect
    await discord_double.close_gateway(4000)  # the bot RESUMEs
    await discord_double.wait_gateway(event="RESUMED", direction="send")
    await answered(discord_double)
    assert reconnects() == before + 1

    mark = discord_double.gateway_mark()
    await discord_double.invalidate_session(resumable=False)  # a new session: READY again
    await discord_double.wait_gateway(event="READY", direction="send", start=mark)
    await answered(discord_double)
    assert reconnects() == before + 2
    assert not rb.errors


# --- all or nothing: the table switches with its slash commands (issue 10, item 5) ---


def command_names(bot: TimoniereBot) -> set[str]:
    return {command.name for command in bot.tree.get_commands()}


@dataclass(frozen=True)
class LiveTable:
    """What answers and which commands are offered, taken before a reload that must fail."""

    engine: Engine
    names: set[str]
    synced: list[str]

    @classmethod
    def of(cls, bot: TimoniereBot, double: DiscordDouble) -> LiveTable:
        return cls(bot.engine, command_names(bot), [c["name"] for c in double.commands[None]])

    def assert_still_live(self, bot: TimoniereBot, double: DiscordDouble) -> None:
        """Neither switched: the old rows answer, the old commands are offered."""
        assert bot.engine is self.engine and command_names(bot) == self.names
        assert [c["name"] for c in double.commands[None]] == self.synced


async def test_a_table_with_more_rows_than_discord_registers_is_refused(
    rb: RunningBot, discord_double: DiscordDouble, knowledge: Path
) -> None:
    bot: TimoniereBot = rb.bot  # type: ignore[assignment]
    before = LiveTable.of(bot, discord_double)
    knowledge.write_text(table_with_rows(96), encoding="utf-8")

    mark = discord_double.mark()
    data = await ricarica(discord_double, "mod")
    assert data["content"].startswith("Ricarica non riuscita, resta attiva la versione precedente")
    assert (
        messages.KB_TOO_MANY_FEATURES.format(
            count=96, builtin=len(RESERVED_FEATURE_IDS), limit=MAX_COMMANDS, most=MAX_FEATURES
        )
        in data["content"]
    )
    before.assert_still_live(bot, discord_double)
    assert syncs(discord_double, mark) == 0


async def test_when_discord_refuses_the_new_commands_the_old_table_stays(
    rb: RunningBot, discord_double: DiscordDouble, knowledge: Path
) -> None:
    bot: TimoniereBot = rb.bot  # type: ignore[assignment]
    before = LiveTable.of(bot, discord_double)
    knowledge.write_text(table_with_rows(8), encoding="utf-8")
    refusal = {"code": 50035, "message": "Invalid Form Body", "errors": {}}
    discord_double.inject_error("PUT", "/applications/*/commands", status=400, body=refusal)

    data = await ricarica(discord_double, "mod")
    assert data["content"].startswith(messages.KB_RELOAD_NOT_REGISTERED.split("\n")[0])
    assert "Invalid Form Body" in data["content"]
    before.assert_still_live(bot, discord_double)
    assert len(bot.engine.kb.features) == 6 and "voce-000" not in before.names

    # Once Discord accepts them, the same files go live, commands and all.
    mark = discord_double.mark()
    data = await ricarica(discord_double, "mod")
    assert data["content"] == messages.KB_RELOAD_DONE.format(features=messages.count_features(8))
    assert syncs(discord_double, mark) == 1
    assert {"voce-000", "voce-001"} <= {c["name"] for c in discord_double.commands[None]}
    assert {"voce-000", "voce-001"} <= command_names(bot)
