"""The channels of an announcement and the kinds of message, with their order and labels.

A leaf of the announcements package: plans, reach logs and reviews all read these, and
none of them is needed here, so no import cycle runs through them.
"""

from __future__ import annotations

import enum

from backoffice_marketing.foundation.text import LocalizedText

__all__ = ["CHANNEL_ORDER", "Channel", "MessageKind"]


class Channel(enum.StrEnum):
    """A way of telling people about a change."""

    EMAIL = "email"
    CHAT = "chat"
    INTRANET = "intranet"
    BRIEFING = "briefing"
    NEWSLETTER = "newsletter"
    MANAGER_CASCADE = "manager_cascade"

    @property
    def label(self) -> LocalizedText:
        """The channel's name in both languages."""
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS = {
    Channel.EMAIL: LocalizedText(ja="メール", en="email"),
    Channel.CHAT: LocalizedText(ja="チャット", en="chat"),
    Channel.INTRANET: LocalizedText(ja="イントラネット", en="intranet"),
    Channel.BRIEFING: LocalizedText(ja="説明会", en="briefing session"),
    Channel.NEWSLETTER: LocalizedText(ja="社内報", en="newsletter"),
    Channel.MANAGER_CASCADE: LocalizedText(ja="上司からの伝達", en="manager cascade"),
}
CHANNEL_ORDER = {channel: index for index, channel in enumerate(Channel)}


class MessageKind(enum.StrEnum):
    """What a message is for: the first announcement, a reminder, or a call after launch."""

    ANNOUNCE = "announce"
    REMINDER = "reminder"
    SECOND_CALL = "second_call"
