"""LinkedIn profile URLs: one canonical URL and a match key per person.

Exports write the same profile many ways (``linkedin.com/in/jane-doe``, ``https://de.linkedin.com
/in/Jane-Doe/?trk=...``, Sales Navigator's ``/sales/lead/ACwAAB...,NAME_SEARCH,x``). The key is
``in/<slug>`` (lower case, percent-decoded) or ``sales/<id>``, so the same person's profile
compares equal whichever form a source used.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from ingest.normalize.errors import NormalizationError

_PROFILE = re.compile(
    r"^(?:https?://)?(?:[a-z]{2,3}\.|www\.|mobile\.)?linkedin\.com/"
    r"(?:(?:in|pub)/(?P<slug>[^/?#\s]+)|sales/(?:lead|people)/(?P<lead>[^,/?#\s]+))",
    re.IGNORECASE,
)


class LinkedInUrlError(NormalizationError):
    """The value is not a LinkedIn profile URL."""

    code = "linkedin_url.invalid"


def normalize_linkedin(text: str) -> tuple[str, str]:
    """(canonical URL, match key) of a LinkedIn profile; LinkedInUrlError for anything else."""
    found = _PROFILE.match(text.strip())
    if found is None:
        raise LinkedInUrlError("not a LinkedIn profile URL")
    if found["slug"]:
        slug = unquote(found["slug"]).strip().lower()
        return f"https://www.linkedin.com/in/{slug}", f"in/{slug}"
    lead = found["lead"]
    return f"https://www.linkedin.com/sales/lead/{lead}", f"sales/{lead}"
