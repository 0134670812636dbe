"""Value errors raised by the per-value normalizers.

Each class carries the reason code (see ``ingest.reasons``) that the batch stage records on the
row. Messages name the problem, never the value, so they are safe to log.
"""

from __future__ import annotations

from ingest.errors import LeadflowValueError


class NormalizationError(LeadflowValueError):
    """A value cannot be turned into its canonical form; ``code`` is the reason code."""

    code: str = "value.invalid"

    def __init__(self, problem: str, *, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        super().__init__(problem)


class EmailNormalizationError(NormalizationError):
    """The email address is not syntactically valid."""

    code = "email.invalid_syntax"


class PhoneNormalizationError(NormalizationError):
    """The phone number cannot be parsed, or is not valid for its region.

    ``code`` is ``phone.unparseable`` or ``phone.invalid_for_region``; the batch stage swaps the
    ``phone.`` prefix for ``mobile.`` when the value came from the mobile column.
    """

    code = "phone.unparseable"


class CountryNormalizationError(NormalizationError):
    """The country name or code is not recognised."""

    code = "country.unknown"


class PostalCodeError(NormalizationError):
    """The postal code does not match the country's format."""

    code = "postal_code.invalid_for_country"


class WebsiteError(NormalizationError):
    """The website is not a usable host name."""

    code = "website.invalid"


class DateNormalizationError(NormalizationError):
    """The date or datetime is not in a recognised format."""

    code = "captured_at.unparseable"
