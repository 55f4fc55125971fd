"""Modals and components of the moderator FAQ: the entry form, confirmations,
paging and the unanswered-question picker.

Plumbing only: what a submit or a press *does* is passed in by the FAQ cog,
which owns storage and the engine. Whatever that raises ends in
`bot.discord_app.errors.report_error`; the form shows a domain error as "not
saved" with a button to reopen it, and a confirmation replaces its panel.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import discord

from bot import messages
from bot.core.faq import (
    NAME_MAX,
    QUESTION_MAX,
    DuplicateName,
    FaqEntry,
    FaqError,
    InvalidEntry,
    NoChanges,
    slugify,
)
from bot.discord_app.cards import clip
from bot.discord_app.errors import report_error
from bot.discord_app.limits import (
    CONTENT_LIMIT,
    MODAL_TITLE_LIMIT,
    SELECT_OPTION_LIMIT,
    SELECT_OPTIONS_LIMIT,
    SELECT_PLACEHOLDER_LIMIT,
    TEXT_INPUT_LIMIT,
)
from bot.discord_app.views import NO_MENTIONS, send_ephemeral
from bot.storage import UnansweredQuestion

log = logging.getLogger(__name__)

MODAL_TIMEOUT: Final = 60 * 60.0
CONFIRM_TIMEOUT: Final = 5 * 60.0
PANEL_TIMEOUT: Final = 10 * 60.0


@dataclass(frozen=True)
class FaqDraft:
    """What the entry form holds: raw text as typed, phrasings one per line."""

    name: str = ""
    question: str = ""
    answer: str = ""
    phrasings: str = ""

    def fits_form(self) -> bool:
        """Whether every field fits its text input (long entries can't be pre-filled)."""
        return (
            len(self.name) <= NAME_MAX
            and len(self.question) <= QUESTION_MAX
            and len(self.answer) <= TEXT_INPUT_LIMIT
            and len(self.phrasings) <= TEXT_INPUT_LIMIT
        )

    @classmethod
    def of(cls, entry: FaqEntry) -> FaqDraft:
        """An existing entry, to edit."""
        return cls(
            name=entry.name,
            question=entry.question,
            answer=entry.answer,
            phrasings="\n".join(entry.phrasings),
        )

    @classmethod
    def answering(cls, question: UnansweredQuestion) -> FaqDraft:
        """A new entry for a question nobody answered, as it was asked."""
        text = clip(" ".join(question.example.split()), QUESTION_MAX)
        return cls(name=slugify(text), question=text)


DraftHandler = Callable[[discord.Interaction, FaqDraft], Awaitable[None]]
ModalFactory = Callable[[FaqDraft], "FaqModal"]
Action = Callable[[discord.Interaction], Awaitable[None]]
"""A button's effect; when it returns, the panel is finished (its buttons stop working)."""


def _text_input(
    *, long: bool, max_length: int, required: bool, default: str, placeholder: str | None = None
) -> discord.ui.TextInput[FaqModal]:
    return discord.ui.TextInput(
        style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
        max_length=max_length,
        required=required,
        default=default or None,
        placeholder=placeholder,
    )


class FaqModal(discord.ui.Modal):
    """The entry form, for both adding and editing (pre-filled from a draft)."""

    def __init__(
        self, *, title: str, draft: FaqDraft, on_save: DraftHandler, name_required: bool
    ) -> None:
        super().__init__(title=clip(title, MODAL_TITLE_LIMIT), timeout=MODAL_TIMEOUT)
        self.on_save = on_save
        self.name_required = name_required
        self.name_input = _text_input(
            long=False,
            max_length=NAME_MAX,
            required=name_required,
            default=draft.name,
            placeholder=None if name_required else messages.FAQ_MODAL_NAME_PLACEHOLDER,
        )
        self.question_input = _text_input(
            long=False, max_length=QUESTION_MAX, required=True, default=draft.question
        )
        self.answer_input = _text_input(
            long=True, max_length=TEXT_INPUT_LIMIT, required=True, default=draft.answer
        )
        self.phrasings_input = _text_input(
            long=True, max_length=TEXT_INPUT_LIMIT, required=False, default=draft.phrasings
        )
        for text, hint, item in (
            (messages.FAQ_MODAL_NAME, messages.FAQ_MODAL_NAME_HINT, self.name_input),
            (messages.FAQ_MODAL_QUESTION, messages.FAQ_MODAL_QUESTION_HINT, self.question_input),
            (messages.FAQ_MODAL_ANSWER, messages.FAQ_MODAL_ANSWER_HINT, self.answer_input),
            (messages.FAQ_MODAL_PHRASINGS, messages.FAQ_MODAL_PHRASINGS_HINT, self.phrasings_input),
        ):
            self.add_item(discord.ui.Label(text=text, description=hint, component=item))

    def draft(self) -> FaqDraft:
        return FaqDraft(
            name=self.name_input.value,
            question=self.question_input.value,
            answer=self.answer_input.value,
            phrasings=self.phrasings_input.value,
        )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.on_save(interaction, self.draft())

    # discord.py's Modal narrows View.on_error (no item argument).
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        if isinstance(error, FaqError) and not isinstance(error, NoChanges):
            await self._not_saved(interaction, error)
            return
        await report_error(interaction, error, "FAQ form")

    def reopened(self, draft: FaqDraft) -> FaqModal:
        """The same form again, filled with `draft`."""
        return FaqModal(
            title=self.title, draft=draft, on_save=self.on_save, name_required=self.name_required
        )

    async def _not_saved(self, interaction: discord.Interaction, error: FaqError) -> None:
        """Why nothing was saved; "Correggi" reopens the form with what was typed."""
        if isinstance(error, InvalidEntry):
            problems = "\n".join(f"- {problem}" for problem in error.problems)
        else:
            problems = error.message
        text = f"{messages.FAQ_NOT_SAVED}\n{problems}"
        draft = self.draft()
        fixable = isinstance(error, (InvalidEntry, DuplicateName)) and draft.fits_form()
        if not fixable:
            await send_panel(interaction, text)
            return
        footer = f"\n\n{messages.FAQ_RETRY_HINT}"
        text = clip(text, CONTENT_LIMIT - len(footer)) + footer
        await send_panel(
            interaction, text, view=RetryView(interaction.user.id, draft, self.reopened)
        )


class OwnedView(discord.ui.View):
    """Components that only the member who ran the command may use.

    Most of these messages are ephemeral, so nobody else sees them; the check
    still holds if one is ever sent publicly.
    """

    def __init__(self, owner_id: int, *, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.origin: discord.Interaction | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await send_ephemeral(interaction, messages.FAQ_NOT_YOURS)
        return False

    async def on_timeout(self) -> None:
        # Drop the dead buttons, if the message can still be edited.
        if self.origin is None:
            return
        try:
            await self.origin.edit_original_response(view=None)
        except discord.HTTPException:
            log.debug("could not clear the components of an expired panel", exc_info=True)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report_error(interaction, error, item)


class RetryView(OwnedView):
    """ "Correggi": reopen the form with what was typed, after a refused save."""

    def __init__(self, owner_id: int, draft: FaqDraft, make_modal: ModalFactory) -> None:
        super().__init__(owner_id, timeout=PANEL_TIMEOUT)
        self.draft = draft
        self.make_modal = make_modal

    @discord.ui.button(label=messages.FAQ_BUTTON_RETRY, style=discord.ButtonStyle.primary)
    async def retry(
        self, interaction: discord.Interaction, button: discord.ui.Button[RetryView]
    ) -> None:
        await interaction.response.send_modal(self.make_modal(self.draft))


class ConfirmView(OwnedView):
    """Two buttons: a destructive action and "Annulla"."""

    def __init__(self, owner_id: int, *, on_confirm: Action, on_cancel: Action) -> None:
        super().__init__(owner_id, timeout=CONFIRM_TIMEOUT)
        self.on_confirm = on_confirm
        self.on_cancel = on_cancel

    @discord.ui.button(label=messages.FAQ_BUTTON_REMOVE, style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmView]
    ) -> None:
        await self.on_confirm(interaction)
        self.stop()

    @discord.ui.button(label=messages.FAQ_BUTTON_CANCEL, style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmView]
    ) -> None:
        await self.on_cancel(interaction)
        self.stop()

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        # The entry changed meanwhile (e.g. someone else removed it): the
        # question no longer stands, so the answer replaces the panel. A
        # refused check only answers the presser and leaves the panel as is.
        if isinstance(error, FaqError):
            if interaction.response.is_done():
                await interaction.edit_original_response(content=error.message, view=None)
            else:
                await interaction.response.edit_message(content=error.message, view=None)
            self.stop()
            return
        await super().on_error(interaction, error, item)


PageRenderer = Callable[[int], Awaitable[tuple[discord.Embed, int, int]]]
"""Given a page number, the embed, the page actually shown and the page count."""


class PagerView(OwnedView):
    """◀ ▶ over pages rendered on demand, so every page is current."""

    def __init__(self, owner_id: int, render: PageRenderer, page: int, pages: int) -> None:
        super().__init__(owner_id, timeout=PANEL_TIMEOUT)
        self.render = render
        self.page = page
        self.pages = pages
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous_page.disabled = self.page <= 0
        self.next_page.disabled = self.page >= self.pages - 1

    async def _show(self, interaction: discord.Interaction, page: int) -> None:
        # Pages are read from storage: acknowledge first (Discord allows 3 s).
        await interaction.response.defer()
        embed, self.page, self.pages = await self.render(page)
        self._sync_buttons()
        await interaction.edit_original_response(embed=embed, view=self)

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous_page(
        self, interaction: discord.Interaction, button: discord.ui.Button[PagerView]
    ) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary)
    async def next_page(
        self, interaction: discord.Interaction, button: discord.ui.Button[PagerView]
    ) -> None:
        await self._show(interaction, self.page + 1)


@dataclass(frozen=True)
class PickOption:
    label: str
    description: str


PickHandler = Callable[[discord.Interaction, int], Awaitable[None]]


class _PickSelect(discord.ui.Select["PickView"]):
    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.on_pick(interaction, int(self.values[0]))


class PickView(OwnedView):
    """A select menu over a short list; the handler gets the chosen index."""

    def __init__(
        self, owner_id: int, options: Sequence[PickOption], placeholder: str, on_pick: PickHandler
    ) -> None:
        super().__init__(owner_id, timeout=PANEL_TIMEOUT)
        self.on_pick = on_pick
        self.add_item(
            _PickSelect(
                placeholder=clip(placeholder, SELECT_PLACEHOLDER_LIMIT),
                options=[
                    discord.SelectOption(
                        label=clip(option.label, SELECT_OPTION_LIMIT) or "?",
                        description=clip(option.description, SELECT_OPTION_LIMIT) or None,
                        value=str(index),
                    )
                    for index, option in enumerate(options[:SELECT_OPTIONS_LIMIT])
                ],
            )
        )


async def send_panel(
    interaction: discord.Interaction,
    text: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: OwnedView | None = None,
) -> None:
    """Reply privately with an optional panel of components (and remember it for timeouts)."""
    kwargs: dict[str, Any] = {"ephemeral": True, "allowed_mentions": NO_MENTIONS}
    if text is not None:
        kwargs["content"] = clip(text, CONTENT_LIMIT)
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
    if view is not None:
        # After a deferral the first followup replaces the "thinking" message,
        # so the original response is the panel either way.
        view.origin = interaction


async def acknowledge(interaction: discord.Interaction) -> None:
    """Tell Discord "working on it" (privately) before touching storage.

    Discord drops an interaction not acknowledged within 3 seconds, and the
    user sees "interaction failed" although the change may have been saved;
    the answer then comes as a followup (see `send_panel`, `send_ephemeral`).
    """
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
