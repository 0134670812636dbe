"""The catalogue of reason codes: every issue, quarantine and suppression cites one of these.

Each code is ``<field or area>.<what>`` and comes with a sentence fit for a steward's screen.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    # rows the adapter could not parse
    "row.bad_quoting": "The line has an unterminated or misplaced quote.",
    "row.wrong_field_count": "The line has a different number of fields than the header.",
    "row.undecodable": "The line contains bytes that are not valid in the file's encoding.",
    "row.nul_bytes": "The line contains NUL bytes.",
    "row.too_long": "The line is longer than one record may be; its raw text is stored cut short.",
    "row.formula_without_value": "A spreadsheet cell holds a formula whose result was never "
    "calculated (no cached value), so the row's value is unknown; recalculate and save the "
    "workbook in a spreadsheet program.",
    "row.invalid_json": "The line is not one valid JSON object.",
    "row.invalid_submission": "The line does not have the shape of a web-form submission "
    "(a missing or wrong-typed field, or more fields or longer values than allowed).",
    # records
    "record.no_contact_point": "The record has no usable email, phone, LinkedIn profile or "
    "postal address.",
    "record.no_name": "The record has neither a person name nor a company (name or website).",
    # names
    "name.maybe_swapped": "The first name looks like a surname and the last name like a given "
    "name; they may be swapped.",
    "name.placeholder": "A name field holds a stand-in for an unknown name ('Resident', 'Mom', "
    "'Unknown', 'FNU'), not a name; it is left out of the record's name.",
    # any text value
    "value.formula_like": "A value starts like a spreadsheet formula (=, +, -, @); it is kept "
    "as text and must be escaped on export.",
    "value.invalid": "A value could not be normalized.",
    "value.too_long": "A name, address, title or contact value is longer than 500 characters, "
    "more than the store can index; the row is kept here instead.",
    # emails
    "email.invalid_syntax": "The email address is not syntactically valid.",
    "email.role_account": "The email address is a role account (info@, sales@), not a person.",
    "email.disposable_domain": "The email address uses a disposable-mail domain.",
    # phones
    "phone.unparseable": "The phone number could not be parsed.",
    "phone.invalid_for_region": "The phone number is not a valid number for its region.",
    "mobile.unparseable": "The mobile number could not be parsed.",
    "mobile.invalid_for_region": "The mobile number is not a valid number for its region.",
    "phone.region_unknown": "The phone number has no country code and the record has no country "
    "or default region to read it in.",
    "mobile.region_unknown": "The mobile number has no country code and the record has no "
    "country or default region to read it in.",
    # places
    "country.unknown": "The country could not be recognised.",
    "postal_code.invalid_for_country": "The postal code does not match the country's format.",
    "region.unknown": "The state or province is not one of the country's known regions.",
    # companies
    "website.invalid": "The website is not a usable host name.",
    # person identifiers
    "linkedin_url.invalid": "The LinkedIn column does not hold a LinkedIn profile URL; it is "
    "dropped.",
    # activities
    "activity_kind.unknown": "The attendee or registration status is not a known status; "
    "no activity is recorded for it.",
    # dates
    "captured_at.unparseable": "The capture date is not in a recognised date format.",
    "birth_date.unparseable": "The birth date is not in a recognised date format; it is dropped.",
    "birth_date.implausible": "The birth date is in the future or before 1900; it is dropped.",
    # consent and suppression
    "consent.opted_out": "The person opted out of this channel (the source's opt-in answer was "
    "no, or its unsubscribe / do-not-contact flag was set).",
    "consent.no_declared_opt_in": "Not permitted: a purchased list's opt-in counts only when the "
    "vendor declared an opt-in basis in the source profile.",
    "consent.due_diligence_incomplete": "Not permitted: the purchased list's profile lacks "
    "due-diligence facts (vendor, compile date, wording, named organisations, screening date).",
    "consent.no_contact_point": "No address or number to contact on this channel.",
    "consent.opt_in_required": "Not permitted: this jurisdiction needs an opt-in for this channel.",
    "consent.express_required": "Not permitted: this jurisdiction needs express consent here.",
    "consent.written_consent_required": "Not permitted: this jurisdiction needs written consent "
    "(an opt-in with the wording shown).",
    "consent.double_opt_in_missing": "Not permitted: the opt-in was not confirmed by double "
    "opt-in.",
    "consent.implied_no_date": "Not permitted: implied consent needs the capture date.",
    "consent.implied_expired": "Not permitted: the implied consent has expired.",
    "consent.email_bounced": "The source marks this email address as bounced or invalid; no "
    "email is sent to it.",
    "suppressed.unsubscribe": "The email or phone is on the unsubscribe list.",
    "suppressed.erasure": "The person asked for erasure; the record must not be loaded again.",
    "suppressed.do_not_call": "The phone number is on a do-not-call list.",
    "suppressed.bounce": "The email address bounced before.",
}


def describe(code: str) -> str:
    """Return the sentence for a reason code (the code itself when it is not catalogued)."""
    return REASONS.get(code, code)
