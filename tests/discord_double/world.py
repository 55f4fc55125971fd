"""The fake Discord "world": ids, users, one guild with channels, roles and members.

Everything here is plain JSON-shaped dicts, exactly as Discord would send them, so the
server can hand them out unchanged and tests can inspect them.
"""

from __future__ import annotations

import copy
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1420070400000

JSON = dict[str, Any]


class Perm:
    """Permission bits (docs: topics/permissions)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    CREATE_PUBLIC_THREADS = 1 << 35
    SEND_MESSAGES_IN_THREADS = 1 << 38
    MODERATE_MEMBERS = 1 << 40
    ALL = (1 << 53) - 1

    EVERYONE_DEFAULT = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_EXTERNAL_EMOJIS
        | CONNECT
        | SPEAK
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | CREATE_PUBLIC_THREADS
        | SEND_MESSAGES_IN_THREADS
    )


class Intent:
    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    GUILD_MESSAGE_REACTIONS = 1 << 10
    GUILD_MESSAGE_TYPING = 1 << 11
    DIRECT_MESSAGES = 1 << 12
    DIRECT_MESSAGE_REACTIONS = 1 << 13
    DIRECT_MESSAGE_TYPING = 1 << 14
    MESSAGE_CONTENT = 1 << 15
    PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


class Snowflakes:
    """Real-time snowflakes (discord.py derives ``created_at`` from them)."""

    def __init__(self) -> None:
        self._counter = itertools.count()
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            inc = next(self._counter) & 0xFFF
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return str((ms << 22) | (1 << 17) | inc)


def iso_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime())


def make_user(
    user_id: str, username: str, *, bot: bool = False, global_name: str | None = None
) -> JSON:
    user: JSON = {
        "id": user_id,
        "username": username,
        "discriminator": "0",
        "global_name": global_name,
        "avatar": None,
        "avatar_decoration_data": None,
        "banner": None,
        "accent_color": None,
        "public_flags": 0,
        "flags": 0,
    }
    if bot:
        user["bot"] = True
    return user


def make_member(
    user: JSON, roles: list[str], *, joined_at: str = "2024-01-01T00:00:00.000000+00:00"
) -> JSON:
    return {
        "user": user,
        "nick": None,
        "avatar": None,
        "banner": None,
        "roles": list(roles),
        "joined_at": joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }


def make_role(role_id: str, name: str, permissions: int, position: int, **extra: Any) -> JSON:
    role: JSON = {
        "id": role_id,
        "name": name,
        "description": None,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": str(permissions),
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
    role.update(extra)
    return role


def make_text_channel(
    channel_id: str, guild_id: str, name: str, position: int, **extra: Any
) -> JSON:
    channel: JSON = {
        "id": channel_id,
        "type": 0,
        "guild_id": guild_id,
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "topic": None,
        "nsfw": False,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "parent_id": None,
        "flags": 0,
    }
    channel.update(extra)
    return channel


THREAD_TYPES = frozenset({10, 11, 12})  # announcement, public and private threads
# GUILD_FORUM and GUILD_MEDIA: "only threads can be created in them" (docs topics/threads.mdx)
THREAD_ONLY_TYPES = frozenset({15, 16})


def make_forum_channel(
    channel_id: str, guild_id: str, name: str, position: int, **extra: Any
) -> JSON:
    """A GUILD_FORUM channel (type 15) with the forum fields of the channel object
    (docs resources/channel.mdx; ``topic`` is the "Guidelines" text)."""
    channel = make_text_channel(
        channel_id,
        guild_id,
        name,
        position,
        type=15,
        available_tags=[],
        default_reaction_emoji=None,
        default_thread_rate_limit_per_user=0,
        default_sort_order=None,
        default_forum_layout=0,
        default_auto_archive_duration=1440,
    )
    channel.update(extra)
    return channel


def make_thread(
    thread_id: str, guild_id: str, parent_id: str, name: str, owner_id: str, **extra: Any
) -> JSON:
    """A public thread (type 11) as GUILD_CREATE's ``threads`` carries it."""
    thread: JSON = {
        "id": thread_id,
        "type": 11,
        "guild_id": guild_id,
        "parent_id": parent_id,
        "owner_id": owner_id,
        "name": name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": iso_now(),
            "locked": False,
            "create_timestamp": iso_now(),
        },
    }
    thread.update(extra)
    return thread


@dataclass
class Guild:
    id: str
    name: str
    owner_id: str
    channels: list[JSON] = field(default_factory=list)
    roles: list[JSON] = field(default_factory=list)
    members: list[JSON] = field(default_factory=list)
    threads: list[JSON] = field(default_factory=list)  # active threads
    preferred_locale: str = "it"

    def channel(self, name_or_id: str) -> JSON:
        """A channel or an active thread, by name or id."""
        for ch in [*self.channels, *self.threads]:
            if name_or_id in (ch["id"], ch["name"]):
                return ch
        raise KeyError(f"no channel {name_or_id!r} in guild {self.name!r}")

    def role(self, name_or_id: str) -> JSON:
        for role in self.roles:
            if name_or_id in (role["id"], role["name"]):
                return role
        raise KeyError(f"no role {name_or_id!r} in guild {self.name!r}")

    def member(self, user_id: str) -> JSON | None:
        for m in self.members:
            if m["user"]["id"] == str(user_id):
                return m
        return None

    def permissions(self, user_id: str, channel_id: str | None = None) -> int:
        """Discord's permission algorithm (base + channel overwrites)."""
        user_id = str(user_id)
        if user_id == self.owner_id:
            return Perm.ALL
        member = self.member(user_id)
        if member is None:
            return 0
        roles = {r["id"]: r for r in self.roles}
        perms = int(roles[self.id]["permissions"])
        for rid in member["roles"]:
            if rid in roles:
                perms |= int(roles[rid]["permissions"])
        if perms & Perm.ADMINISTRATOR:
            return Perm.ALL
        if channel_id is None:
            return perms
        thread = next((t for t in self.threads if t["id"] == str(channel_id)), None)
        if thread is not None:
            # docs topics/permissions.mdx, "Inherited Permissions (Threads)": a thread has
            # its parent's permissions (the SEND_MESSAGES exception is the sender's check).
            channel_id = thread["parent_id"]
        channel = next((c for c in self.channels if c["id"] == str(channel_id)), None)
        if channel is None:
            return perms
        overwrites = {o["id"]: o for o in channel.get("permission_overwrites", [])}
        ow = overwrites.get(self.id)
        if ow:
            perms = (perms & ~int(ow["deny"])) | int(ow["allow"])
        allow = deny = 0
        for rid in member["roles"]:
            ow = overwrites.get(rid)
            if ow and ow.get("type", 0) == 0:
                allow |= int(ow["allow"])
                deny |= int(ow["deny"])
        perms = (perms & ~deny) | allow
        ow = overwrites.get(user_id)
        if ow and ow.get("type", 1) == 1:
            perms = (perms & ~int(ow["deny"])) | int(ow["allow"])
        return perms

    def overwrite(
        self, channel: str, target_id: str, *, allow: int = 0, deny: int = 0, member: bool = False
    ) -> JSON:
        """Set a channel overwrite for a role (or a member) and return it, e.g.
        ``guild.overwrite("domande", BOT_ROLE_ID, deny=Perm.EMBED_LINKS)``."""
        ch = self.channel(channel)
        ow = {
            "id": str(target_id),
            "type": 1 if member else 0,
            "allow": str(allow),
            "deny": str(deny),
        }
        rest = [o for o in ch["permission_overwrites"] if o["id"] != ow["id"]]
        ch["permission_overwrites"] = [*rest, ow]
        return ow

    def to_gateway(self, *, with_members: bool, with_presences: bool, bot_id: str) -> JSON:
        members = (
            self.members if with_members else [m for m in self.members if m["user"]["id"] == bot_id]
        )
        data: JSON = {
            "id": self.id,
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": self.owner_id,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": copy.deepcopy(self.roles),
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": self.channels[0]["id"] if self.channels else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_members": 500000,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": self.preferred_locale,
            "nsfw_level": 0,
            "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "large": False,
            "unavailable": False,
            # Discord reports the real count even when it only sends the bot's member
            # (no GUILD_MEMBERS intent): discord.py only chunks with that intent on.
            "member_count": len(self.members),
            "voice_states": [],
            "members": copy.deepcopy(members),
            "channels": copy.deepcopy(self.channels),
            "threads": copy.deepcopy(self.threads),
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
        if with_presences:
            data["presences"] = [
                {
                    "user": {"id": m["user"]["id"]},
                    "status": "online",
                    "activities": [],
                    "client_status": {"desktop": "online"},
                }
                for m in members
            ]
        return data


# Fixed, readable ids for the default world (created_at in 2024; fine for tests).
APP_ID = "1234567890123456789"
GUILD_ID = "1111111111111111111"
OWNER_ID = "1000000000000000001"
MOD_ID = "1000000000000000002"
MEMBER_ID = "1000000000000000003"
OTHER_BOT_ID = "1000000000000000004"
MOD_ROLE_ID = "1222222222222222221"
BOT_ROLE_ID = "1222222222222222222"
GENERAL_CHANNEL_ID = "1333333333333333331"
QUESTIONS_CHANNEL_ID = "1333333333333333332"


class World:
    """Users, the application and guilds. Mutate it before the bot connects."""

    def __init__(self, token: str = "double-token") -> None:
        self.token = token
        self.app_id = APP_ID
        self.bot_user = make_user(APP_ID, "timoniere", bot=True, global_name="Timoniere")
        self.users: dict[str, JSON] = {
            "bot": self.bot_user,
            "owner": make_user(OWNER_ID, "giulia", global_name="Giulia"),
            "mod": make_user(MOD_ID, "marco", global_name="Marco"),
            "member": make_user(MEMBER_ID, "alice", global_name="Alice"),
            "other_bot": make_user(OTHER_BOT_ID, "altrobot", bot=True),
        }
        guild = Guild(id=GUILD_ID, name="Timoniere Test", owner_id=OWNER_ID)
        guild.roles = [
            make_role(GUILD_ID, "@everyone", Perm.EVERYONE_DEFAULT, 0),
            make_role(
                MOD_ROLE_ID,
                "Moderatore",
                Perm.MANAGE_MESSAGES | Perm.MODERATE_MEMBERS,
                1,
                hoist=True,
            ),
            make_role(
                BOT_ROLE_ID,
                "Timoniere",
                Perm.EVERYONE_DEFAULT,
                2,
                managed=True,
                tags={"bot_id": APP_ID},
            ),
        ]
        guild.channels = [
            make_text_channel(GENERAL_CHANNEL_ID, GUILD_ID, "generale", 0),
            make_text_channel(QUESTIONS_CHANNEL_ID, GUILD_ID, "domande", 1),
        ]
        guild.members = [
            make_member(self.users["owner"], []),
            make_member(self.users["mod"], [MOD_ROLE_ID]),
            make_member(self.users["member"], []),
            make_member(self.users["other_bot"], []),
            make_member(self.bot_user, [BOT_ROLE_ID]),
        ]
        self.guilds: dict[str, Guild] = {guild.id: guild}
        self.dm_channels: dict[str, JSON] = {}  # by recipient user id
        self._ids = Snowflakes()

    # ---- lookups -------------------------------------------------------------------------
    def new_id(self) -> str:
        return self._ids.next()

    @property
    def guild(self) -> Guild:
        """The default (first) guild."""
        return next(iter(self.guilds.values()))

    def user(self, who: str | JSON) -> JSON:
        """A user by key (``"member"``, ``"mod"``, ...), id, username, or the dict itself."""
        if isinstance(who, dict):
            return who
        if who in self.users:
            return self.users[who]
        for u in self.users.values():
            if who in (u["id"], u["username"]):
                return u
        raise KeyError(f"unknown user {who!r}")

    def find_channel(self, channel_id: str) -> tuple[Guild | None, JSON] | None:
        channel_id = str(channel_id)
        for g in self.guilds.values():
            for ch in [*g.channels, *g.threads]:
                if ch["id"] == channel_id:
                    return g, ch
        for ch in self.dm_channels.values():
            if ch["id"] == channel_id:
                return None, ch
        return None

    def dm_channel(self, who: str | JSON) -> JSON:
        user = self.user(who)
        ch = self.dm_channels.get(user["id"])
        if ch is None:
            ch = {
                "id": self.new_id(),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [copy.deepcopy(user)],
            }
            self.dm_channels[user["id"]] = ch
        return ch

    # ---- mutation helpers -------------------------------------------------------------------
    def add_user(
        self,
        key: str,
        username: str,
        *,
        bot: bool = False,
        roles: list[str] = (),
        guild_id: str | None = None,
    ) -> JSON:
        """Create a user (and a member of the guild with the given role names/ids)."""
        user = make_user(self.new_id(), username, bot=bot)
        self.users[key] = user
        guild = self.guilds[guild_id] if guild_id else self.guild
        guild.members.append(make_member(user, [guild.role(r)["id"] for r in roles]))
        return user

    def add_role(self, name: str, permissions: int, *, guild_id: str | None = None) -> JSON:
        guild = self.guilds[guild_id] if guild_id else self.guild
        role = make_role(self.new_id(), name, permissions, len(guild.roles))
        guild.roles.append(role)
        return role

    def add_text_channel(self, name: str, *, guild_id: str | None = None, **extra: Any) -> JSON:
        guild = self.guilds[guild_id] if guild_id else self.guild
        ch = make_text_channel(self.new_id(), guild.id, name, len(guild.channels), **extra)
        guild.channels.append(ch)
        return ch

    def add_forum_channel(self, name: str, *, guild_id: str | None = None, **extra: Any) -> JSON:
        guild = self.guilds[guild_id] if guild_id else self.guild
        ch = make_forum_channel(self.new_id(), guild.id, name, len(guild.channels), **extra)
        guild.channels.append(ch)
        return ch

    def add_thread(
        self, name: str, parent: str, *, owner: str = "member", guild_id: str | None = None
    ) -> JSON:
        """An active public thread in channel ``parent`` (name or id), started by ``owner``."""
        guild = self.guilds[guild_id] if guild_id else self.guild
        parent_id = guild.channel(parent)["id"]
        thread = make_thread(self.new_id(), guild.id, parent_id, name, self.user(owner)["id"])
        guild.threads.append(thread)
        return thread

    def application(self) -> JSON:
        return {
            "id": self.app_id,
            "name": "Timoniere",
            "icon": None,
            "description": "Bot di domande e risposte",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,  # the server fills the *_LIMITED intent flags from its portal switches
            "owner": copy.deepcopy(self.users["owner"]),
            "team": None,
            "bot": copy.deepcopy(self.bot_user),
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "tags": [],
            "install_params": None,
            "integration_types_config": {"0": {}},
            "custom_install_url": None,
            "rpc_origins": [],
            "approximate_guild_count": len(self.guilds),
            "redirect_uris": [],
            "terms_of_service_url": None,
            "privacy_policy_url": None,
        }
