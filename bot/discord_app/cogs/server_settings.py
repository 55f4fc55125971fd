"""/impostazioni: each server configures the bot from Discord, with no redeploy.

Manage Server or a moderator role may use it (Discord shows it to Manage Server
by default; the check is repeated in code, as for every moderator command).
Changing the moderator roles themselves needs Manage Server: a moderator must
not be able to make anyone a moderator. Every change is stored with who and
when (`/impostazioni storia`) and applies at once: the answers read the
settings on every message. The rules for values live in the core
(`bot.core.server_settings`); this cog only translates.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import messages
from bot.core.auto_reply import SENSITIVITIES
from bot.core.server_settings import (
    IMPORT_MAX_BYTES,
    InvalidSetting,
    ServerSettings,
    SettingKey,
    add_channel,
    add_role,
    check_cooldown,
    check_sensitivity,
    defaults_for_guild,
    export_text,
    parse_import,
    remove_channel,
    remove_role,
)
from bot.discord_app.permissions import (
    Refused,
    may_manage_server,
    moderator_group,
    moderators_only,
)
from bot.discord_app.settings_rendering import (
    channel_list,
    history_embed,
    role_list,
    seconds_text,
    settings_embed,
)
from bot.discord_app.views import NO_MENTIONS, send_ephemeral

if TYPE_CHECKING:
    from bot.discord_app.client import TimoniereBot

log = logging.getLogger(__name__)

_admins_only = moderators_only("manage_guild", messages.SETTINGS_NOT_ALLOWED)
_SENSITIVITY_CHOICES = [
    app_commands.Choice(name=messages.SENSITIVITY_CHOICES[level], value=level)
    for level in SENSITIVITIES
]


AnswerChannel = discord.TextChannel | discord.ForumChannel


class AnswerChannelOption(app_commands.Transformer):
    """A text, announcement or forum channel of this server.

    Written out because discord.py's own union of TextChannel and ForumChannel
    also offers media channels (type 16), which Discord's published API
    description does not list for a command option.
    """

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text, discord.ChannelType.news, discord.ChannelType.forum]

    async def transform(self, interaction: discord.Interaction, value: object, /) -> AnswerChannel:
        guild = interaction.guild
        channel_id = getattr(value, "id", None)
        channel = guild.get_channel(channel_id) if guild and channel_id else None
        if not isinstance(channel, discord.TextChannel | discord.ForumChannel):
            raise Refused(messages.SETTINGS_CHANNEL_WRONG_KIND)
        return channel


ChannelOption = app_commands.Transform[AnswerChannel, AnswerChannelOption]


def _guild(interaction: discord.Interaction) -> discord.Guild:
    guild = interaction.guild
    assert guild is not None  # the group is guild_only
    return guild


def _require_manage_server(interaction: discord.Interaction) -> None:
    if not may_manage_server(interaction):
        log.info("settings: user %s may not change moderator roles", interaction.user.id)
        raise Refused(messages.SETTINGS_ROLES_NEED_MANAGE_GUILD)


class ServerSettingsCog(commands.Cog):
    impostazioni = moderator_group("impostazioni", messages.CMD_SETTINGS, permission="manage_guild")
    canali = app_commands.Group(
        name="canali", description=messages.CMD_SETTINGS_CHANNELS, parent=impostazioni
    )
    ruoli = app_commands.Group(
        name="ruoli", description=messages.CMD_SETTINGS_ROLES, parent=impostazioni
    )

    def __init__(self, bot: TimoniereBot) -> None:
        self.bot = bot
        self._lock = asyncio.Lock()

    # --- helpers --------------------------------------------------------------------

    def _current(self, guild: discord.Guild) -> ServerSettings:
        """The settings in force, with the environment's channels narrowed to this server."""
        settings = self.bot.server_settings(guild.id)
        if "auto_answer_channels" in settings.customized:
            return settings
        return defaults_for_guild(settings, (channel.id for channel in guild.channels))

    async def _change(
        self,
        interaction: discord.Interaction,
        key: SettingKey,
        new_value: Callable[[ServerSettings], object],
    ) -> ServerSettings | None:
        """Work out `key`'s new value from the settings in force and store it; None,
        after telling the user why, when the core refuses the change.

        One change at a time: two admins adding a channel at once must both be kept
        (a read-modify-write of the list).
        """
        guild = _guild(interaction)
        async with self._lock:
            try:
                value = new_value(self._current(guild))
            except InvalidSetting as refused:
                await send_ephemeral(interaction, refused.message)
                return None
            stored = list(value) if isinstance(value, tuple) else value
            settings, _ = await self.bot.change_server_settings(
                guild.id, {key: stored}, changed_by=interaction.user.id
            )
        log.info("settings: %s changed in guild %s by %s", key, guild.id, interaction.user.id)
        return settings

    async def _change_and_tell(
        self,
        interaction: discord.Interaction,
        key: SettingKey,
        new_value: Callable[[ServerSettings], object],
        done: Callable[[ServerSettings], str],
    ) -> None:
        """`_change`, then the text `done` builds from the settings now in force."""
        settings = await self._change(interaction, key, new_value)
        if settings is not None:
            await send_ephemeral(interaction, done(settings))

    # --- overview and history ---------------------------------------------------------

    @impostazioni.command(name="mostra", description=messages.CMD_SETTINGS_SHOW)
    @_admins_only
    async def mostra(self, interaction: discord.Interaction) -> None:
        embed = settings_embed(self._current(_guild(interaction)))
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @impostazioni.command(name="storia", description=messages.CMD_SETTINGS_HISTORY)
    @_admins_only
    async def storia(self, interaction: discord.Interaction) -> None:
        changes, total = await self.bot.storage.settings.history(_guild(interaction).id)
        await interaction.response.send_message(
            embed=history_embed(changes, total), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    # --- auto-answer channels ---------------------------------------------------------

    @canali.command(name="aggiungi", description=messages.CMD_SETTINGS_CHANNEL_ADD)
    @app_commands.describe(canale=messages.OPTION_SETTINGS_CHANNEL)
    @_admins_only
    async def canali_aggiungi(
        self,
        interaction: discord.Interaction,
        canale: ChannelOption,
    ) -> None:
        def added(settings: ServerSettings) -> str:
            text = messages.SETTINGS_CHANNEL_ADDED.format(channel=canale.mention)
            return f"{text} {messages.SETTINGS_STILL_PAUSED}" if settings.paused else text

        await self._change_and_tell(
            interaction,
            "auto_answer_channels",
            lambda current: add_channel(current.auto_answer_channels, canale.id),
            added,
        )

    @canali.command(name="rimuovi", description=messages.CMD_SETTINGS_CHANNEL_REMOVE)
    @app_commands.describe(canale=messages.OPTION_SETTINGS_CHANNEL)
    @_admins_only
    async def canali_rimuovi(
        self,
        interaction: discord.Interaction,
        canale: ChannelOption,
    ) -> None:
        await self._change_and_tell(
            interaction,
            "auto_answer_channels",
            lambda current: remove_channel(current.auto_answer_channels, canale.id),
            lambda _settings: messages.SETTINGS_CHANNEL_REMOVED.format(channel=canale.mention),
        )

    @canali.command(name="elenco", description=messages.CMD_SETTINGS_CHANNEL_LIST)
    @_admins_only
    async def canali_elenco(self, interaction: discord.Interaction) -> None:
        channels = self._current(_guild(interaction)).auto_answer_channels
        if not channels:
            await send_ephemeral(interaction, messages.SETTINGS_CHANNEL_LIST_EMPTY)
            return
        text = messages.SETTINGS_CHANNEL_LIST.format(channels=channel_list(channels))
        await send_ephemeral(interaction, text)

    # --- moderator roles ------------------------------------------------------------

    @ruoli.command(name="aggiungi", description=messages.CMD_SETTINGS_ROLE_ADD)
    @app_commands.describe(ruolo=messages.OPTION_SETTINGS_ROLE)
    @_admins_only
    async def ruoli_aggiungi(self, interaction: discord.Interaction, ruolo: discord.Role) -> None:
        _require_manage_server(interaction)
        if ruolo.is_default():
            await send_ephemeral(interaction, messages.SETTINGS_ROLE_EVERYONE)
            return
        if ruolo.managed:
            await send_ephemeral(interaction, messages.SETTINGS_ROLE_MANAGED)
            return
        await self._change_and_tell(
            interaction,
            "mod_roles",
            lambda current: add_role(current.mod_roles, ruolo.id),
            lambda _settings: messages.SETTINGS_ROLE_ADDED.format(role=ruolo.mention),
        )

    @ruoli.command(name="rimuovi", description=messages.CMD_SETTINGS_ROLE_REMOVE)
    @app_commands.describe(ruolo=messages.OPTION_SETTINGS_ROLE)
    @_admins_only
    async def ruoli_rimuovi(self, interaction: discord.Interaction, ruolo: discord.Role) -> None:
        _require_manage_server(interaction)
        await self._change_and_tell(
            interaction,
            "mod_roles",
            lambda current: remove_role(current.mod_roles, ruolo.id),
            lambda _settings: messages.SETTINGS_ROLE_REMOVED.format(role=ruolo.mention),
        )

    @ruoli.command(name="elenco", description=messages.CMD_SETTINGS_ROLE_LIST)
    @_admins_only
    async def ruoli_elenco(self, interaction: discord.Interaction) -> None:
        roles = self.bot.server_settings(_guild(interaction).id).mod_roles
        if not roles:
            await send_ephemeral(interaction, messages.SETTINGS_ROLE_LIST_EMPTY)
            return
        await send_ephemeral(
            interaction, messages.SETTINGS_ROLE_LIST.format(roles=role_list(roles))
        )

    # --- how the bot speaks unprompted ------------------------------------------------

    @impostazioni.command(name="attesa", description=messages.CMD_SETTINGS_COOLDOWN)
    @app_commands.describe(secondi=messages.OPTION_SETTINGS_SECONDS)
    @_admins_only
    async def attesa(self, interaction: discord.Interaction, secondi: int) -> None:
        def set_to(settings: ServerSettings) -> str:
            seconds = settings.cooldown_seconds
            if seconds == 0:
                return messages.SETTINGS_COOLDOWN_OFF
            return messages.SETTINGS_COOLDOWN_SET.format(seconds=seconds_text(seconds))

        await self._change_and_tell(
            interaction, "cooldown_seconds", lambda _current: check_cooldown(secondi), set_to
        )

    @impostazioni.command(name="sensibilita", description=messages.CMD_SETTINGS_SENSITIVITY)
    @app_commands.describe(livello=messages.OPTION_SETTINGS_LEVEL)
    @app_commands.choices(livello=_SENSITIVITY_CHOICES)
    @_admins_only
    async def sensibilita(self, interaction: discord.Interaction, livello: str) -> None:
        def set_to(settings: ServerSettings) -> str:
            level = settings.sensitivity
            return messages.SETTINGS_SENSITIVITY_SET.format(
                level=level, explanation=messages.SENSITIVITY_EXPLAINED[level]
            )

        await self._change_and_tell(
            interaction, "sensitivity", lambda _current: check_sensitivity(livello), set_to
        )

    @impostazioni.command(name="pausa", description=messages.CMD_SETTINGS_PAUSE)
    @_admins_only
    async def pausa(self, interaction: discord.Interaction) -> None:
        await self._set_paused(interaction, paused=True)

    @impostazioni.command(name="riprendi", description=messages.CMD_SETTINGS_RESUME)
    @_admins_only
    async def riprendi(self, interaction: discord.Interaction) -> None:
        await self._set_paused(interaction, paused=False)

    async def _set_paused(self, interaction: discord.Interaction, *, paused: bool) -> None:
        def switch(current: ServerSettings) -> bool:
            if current.paused == paused:
                already = (
                    messages.SETTINGS_ALREADY_PAUSED if paused else messages.SETTINGS_NOT_PAUSED
                )
                raise InvalidSetting(already)
            return paused

        done = messages.SETTINGS_PAUSED if paused else messages.SETTINGS_RESUMED
        await self._change_and_tell(interaction, "paused", switch, lambda _settings: done)

    # --- export and import (the sibling of /faq esporta and /faq importa) ------------

    @impostazioni.command(name="esporta", description=messages.CMD_SETTINGS_EXPORT)
    @_admins_only
    async def esporta(self, interaction: discord.Interaction) -> None:
        guild = _guild(interaction)
        settings = self.bot.server_settings(guild.id)
        data = io.BytesIO(export_text(settings).encode("utf-8"))
        await interaction.response.send_message(
            messages.SETTINGS_EXPORTED.format(count=len(settings.customized)),
            file=discord.File(data, filename=f"impostazioni-{guild.id}.json"),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @impostazioni.command(name="importa", description=messages.CMD_SETTINGS_IMPORT)
    @app_commands.describe(file=messages.OPTION_SETTINGS_FILE)
    @_admins_only
    async def importa(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        guild = _guild(interaction)
        if file.size > IMPORT_MAX_BYTES:
            await send_ephemeral(interaction, messages.SETTINGS_IMPORT_TOO_BIG)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await file.read()
        except discord.HTTPException:
            log.warning("settings import: could not download %s", file.url, exc_info=True)
            await send_ephemeral(interaction, messages.SETTINGS_IMPORT_UNREADABLE)
            return
        try:
            values = parse_import(data[:IMPORT_MAX_BYTES].decode("utf-8-sig", errors="replace"))
        except InvalidSetting as refused:
            await send_ephemeral(interaction, refused.message)
            return
        if "mod_roles" in values:
            _require_manage_server(interaction)
        missing = _missing_in(guild, values)
        if missing:
            items = ", ".join(missing)
            await send_ephemeral(interaction, messages.SETTINGS_IMPORT_MISSING.format(items=items))
            return
        async with self._lock:
            _, count = await self.bot.change_server_settings(
                guild.id, dict(values), changed_by=interaction.user.id
            )
        log.info("settings: %d imported in guild %s by %s", count, guild.id, interaction.user.id)
        await send_ephemeral(interaction, messages.SETTINGS_IMPORTED.format(count=count))


def _missing_in(guild: discord.Guild, values: dict[SettingKey, object]) -> list[str]:
    """The channels and roles of an imported file this server does not have."""
    missing = []
    channels = values.get("auto_answer_channels")
    for channel_id in channels if isinstance(channels, list) else []:
        if guild.get_channel(channel_id) is None:
            missing.append(messages.SETTINGS_IMPORT_MISSING_CHANNEL.format(id=channel_id))
    roles = values.get("mod_roles")
    for role_id in roles if isinstance(roles, list) else []:
        if guild.get_role(role_id) is None:
            missing.append(messages.SETTINGS_IMPORT_MISSING_ROLE.format(id=role_id))
    return missing


async def setup(bot: TimoniereBot) -> None:
    await bot.add_cog(ServerSettingsCog(bot))
