"""Real export headers of the common CRMs, marketing and event tools map without a profile."""

from __future__ import annotations

import pytest

from ingest.mapping import propose_mapping

VENDOR_HEADERS: dict[str, dict[str, str]] = {
    "hubspot": {
        "Record ID": "source_record_id", "State/Region": "region",
        "Mobile Phone Number": "mobile", "Website URL": "website", "Country/Region": "country",
        "Unsubscribed from all email": "email_opt_out", "Create Date": "captured_at",
        "Lifecycle Stage": "custom", "Contact owner": "custom",
    },
    "salesforce": {
        "Company / Account": "company_name", "Zip/Postal Code": "postal_code",
        "State/Province": "region", "Email Opt Out": "email_opt_out",
        "Do Not Call": "phone_opt_out", "Email Bounced Reason": "email_bounced",
        "Lead Source": "custom", "Lead Status": "custom",
    },
    "marketo": {
        "Email Address": "email", "Unsubscribed": "email_opt_out", "Email Invalid": "email_bounced",
        "Black Listed": "email_opt_out",
    },
    "mailchimp": {
        "Email Address": "email", "OPTIN_TIME": "captured_at", "OPTIN_IP": "consent_ip",
        "CONFIRM_TIME": "custom", "UNSUB_TIME": "email_opt_out", "CLEAN_TIME": "email_bounced",
        "CC": "country", "MEMBER_RATING": "custom",
    },
    "pardot": {
        "Prospect Id": "source_record_id", "Address One": "street", "Address Two": "custom",
        "Opted Out": "email_opt_out", "Do Not Email": "email_opt_out",
        "Do Not Call": "phone_opt_out",
    },
    "dynamics": {
        "Address 1: Street 1": "street", "Address 1: City": "city",
        "Address 1: State/Province": "region", "Address 1: ZIP/Postal Code": "postal_code",
        "Address 1: Country/Region": "country", "Do not allow Emails": "email_opt_out",
        "Do not allow Bulk Emails": "email_opt_out", "Do not allow Phone Calls": "phone_opt_out",
        "Do not allow Mails": "post_opt_out", "Created On": "captured_at",
    },
    "eventbrite": {
        "Order #": "source_record_id", "Home City": "city", "Home State": "region",
        "Home Zip": "postal_code", "Home Country": "country", "Home Address 1": "street",
        "Cell Phone": "mobile", "Attendee Status": "activity_kind", "Buyer Email": "custom",
    },
    "cvent": {
        "Confirmation Number": "source_record_id", "Work State Code": "region",
        "Work Postal Code": "postal_code", "Work Country Code": "country",
        "Registration Status": "activity_kind",
    },
    "linkedin": {
        "Prospect LinkedIn URL": "linkedin_url", "Location": "location",
        "Current Company": "company_name", "Company LinkedIn URL": "custom",
    },
    "zoho": {
        "Record Id": "source_record_id", "Email Opt Out": "email_opt_out",
        "Created Time": "captured_at", "Zip Code": "postal_code", "Secondary Email": "custom",
    },
}  # fmt: skip


@pytest.mark.parametrize("vendor", sorted(VENDOR_HEADERS))
def test_vendor_export_headers_are_recognised(vendor: str) -> None:
    expected = VENDOR_HEADERS[vendor]
    mapping = propose_mapping(list(expected))
    got = {c.header: c.field or "custom" for c in mapping.columns}
    assert got == expected
    # every column is recognised: a canonical field or a known CRM header, never a guess
    assert {c.method for c in mapping.columns} <= {"exact", "synonym"}
