"""Email subscription statuses as CRM and email-platform exports write them.

Mailchimp (subscribed, unsubscribed, cleaned, pending), HubSpot (Opted out, Bounced), Marketo
(Unsubscribed, Email Invalid), Pardot (Opted Out), Dynamics and Zoho statuses map to one of
``subscribed``, ``unsubscribed``, ``bounced``, ``pending``; anything else is None.
"""

from __future__ import annotations

import re

from ingest.normalize.text import fold, parse_consent

SUBSCRIBED, UNSUBSCRIBED, BOUNCED, PENDING = "subscribed", "unsubscribed", "bounced", "pending"

# fmt: off
STATUS_WORDS: dict[str, str] = {
    "subscribed": SUBSCRIBED, "subscriber": SUBSCRIBED, "active": SUBSCRIBED,
    "opted in": SUBSCRIBED, "opt in": SUBSCRIBED, "optin": SUBSCRIBED, "confirmed": SUBSCRIBED,
    "unsubscribed": UNSUBSCRIBED, "unsubscribe": UNSUBSCRIBED, "opted out": UNSUBSCRIBED,
    "opt out": UNSUBSCRIBED, "optout": UNSUBSCRIBED, "do not email": UNSUBSCRIBED,
    "do not contact": UNSUBSCRIBED, "blocked": UNSUBSCRIBED, "complained": UNSUBSCRIBED,
    "spam complaint": UNSUBSCRIBED, "marked as spam": UNSUBSCRIBED, "abgemeldet": UNSUBSCRIBED,
    "desabonne": UNSUBSCRIBED, "afgemeld": UNSUBSCRIBED, "baja": UNSUBSCRIBED,
    "bounced": BOUNCED, "hard bounce": BOUNCED, "hard bounced": BOUNCED, "bounce": BOUNCED,
    "cleaned": BOUNCED, "invalid": BOUNCED, "email invalid": BOUNCED, "undeliverable": BOUNCED,
    "pending": PENDING, "unconfirmed": PENDING, "non subscribed": PENDING,
    "nonsubscribed": PENDING, "transactional": PENDING,
}
# fmt: on
_JUNK = re.compile(r"[^a-z]+")


def email_status(text: str | None) -> str | None:
    """The canonical status of one status cell (see the module doc), None when unknown."""
    if not text:
        return None
    key = _JUNK.sub(" ", fold(text)).strip()
    return STATUS_WORDS.get(key)


_UNSET_WORDS = frozenset({"allow", "allowed", "opted in", "opt in", "subscribed", "permitted",
                          "active", "none", "not set"})  # fmt: skip
_SET_WORDS = frozenset({"do not allow", "not allowed", "dont allow", "don t allow", "opted out",
                        "opt out", "unsubscribed", "blocked", "bounced", "hard bounce",
                        "invalid", "suppressed", "blacklisted", "black listed"})  # fmt: skip


def flag_set(text: str | None) -> bool | None:
    """Whether an opt-out or bounce column's cell sets the flag.

    Yes/no answers as written; Dynamics' "Allow"/"Do Not Allow"; a count (bounces) above zero;
    any other text (a date, a reason) means the flag was set, as Mailchimp's ``UNSUB_TIME`` or
    Salesforce's "Email Bounced Reason" say. None for an empty cell.
    """
    if text is None or not text.strip():
        return None
    answer = parse_consent(text)
    if answer is not None:
        return answer
    key = _JUNK.sub(" ", fold(text)).strip()
    if key in _UNSET_WORDS:
        return False
    if key in _SET_WORDS:
        return True
    digits = text.strip()
    if digits.isdigit():
        return int(digits) > 0
    return True
