"""Map rendered records onto the demo sources' own shapes (eurodata, event export, web form)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

EURO_HEADERS = [
    "Kontakt-Nr",
    "Anrede",
    "Name",
    "Position",
    "Firma",
    "E-Mail",
    "Telefon",
    "Straße",
    "PLZ",
    "Ort",
    "Land",
    "Branche",
    "Webseite",
]
EVENT_HEADERS = [
    "Order #",
    "Order Date",
    "Attendee #",
    "First Name",
    "Last Name",
    "Email",
    "Company",
    "Job Title",
    "Ticket Type",
    "Attendee Status",
    "Checked In",
    "Work Phone",
    "Country",
    "I agree to receive marketing emails",
    "What is your main goal?",
]
_SALUTATION = {
    "DE": ("Herr", "Frau"),
    "AT": ("Herr", "Frau"),
    "CH": ("Herr", "Frau"),
    "FR": ("M.", "Mme"),
    "NL": ("Dhr.", "Mevr."),
    "GB": ("Mr", "Ms"),
}
_LAND = {
    "DE": ("Deutschland", "DE", "Germany", "D"),
    "AT": ("Österreich", "AT", "Austria"),
    "CH": ("Schweiz", "CH", "Suisse"),
    "FR": ("Frankreich", "France", "FR"),
    "NL": ("Niederlande", "Nederland", "NL"),
    "GB": ("Großbritannien", "UK", "GB", "England"),
    "US": ("USA", "Vereinigte Staaten"),
    "CA": ("Kanada", "CA"),
}
_BRANCHE = {
    "Logistics": "Logistik",
    "Manufacturing": "Fertigung",
    "Healthcare": "Gesundheitswesen",
    "Financial Services": "Finanzdienstleistungen",
    "Retail": "Einzelhandel",
    "Construction": "Bauwesen",
    "Education": "Bildung",
    "Energy": "Energie",
    "Food & Beverage": "Lebensmittel",
    "Consulting": "Beratung",
    "Media": "Medien",
    "Telecommunications": "Telekommunikation",
    "Biotech": "Biotechnologie",
}
GOALS = (
    "Networking",
    "Learn about data quality",
    "Find a CRM vendor",
    "Meet partners, customers and peers",
    "Hiring",
    "",
    "Just curious\nmaybe buy later",
    "Evaluate tools for lead de-duplication",
)
_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.0 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
)
CONSENT_WORDING = {
    "v3": "Yes, send me product news and event invitations by e-mail. I can unsubscribe anytime.",
    "v2": "I agree to receive marketing e-mails.",
}


def full_name(first: str, last: str, style: int) -> str:
    """One-column names as exports write them."""
    if not first:
        return last
    return (
        f"{first} {last}",
        f"{last}, {first}",
        f"{last.upper()} {first}",
        f"{first} {last}",
        f"Dr. {first} {last}",
    )[style % 5]


def eurodata_frame(rec: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Kontakt-Nr..Webseite, one-column names, German labels."""
    rnd = random.Random(int(rng.integers(2**62)))
    cc = rec["country_code"]
    sal = [
        rnd.choice(("", "Dr."))
        if rnd.random() < 0.12
        else _SALUTATION.get(c, ("Mr", "Ms"))[g == "f"]
        for c, g in zip(cc, rec["gender"], strict=True)
    ]
    styles = rng.integers(0, 5, len(rec))
    phone = rec["phone"].where(rec["phone"] != "", rec["mobile"])
    return pd.DataFrame(
        {
            "Kontakt-Nr": [f"K{n:05d}" for n in rng.permutation(len(rec)) + 20_000],
            "Anrede": sal,
            "Name": [
                full_name(f, la, s)
                for f, la, s in zip(rec["first"], rec["last"], styles, strict=True)
            ],
            "Position": rec["title"],
            "Firma": rec["company"],
            "E-Mail": rec["email"],
            "Telefon": phone,
            "Straße": rec["street"],
            "PLZ": rec["postcode"],
            "Ort": rec["city"],
            "Land": [rnd.choice(_LAND[c]) for c in cc],
            "Branche": rec["industry"].map(lambda i: _BRANCHE.get(i, i)),
            "Webseite": rec["website"],
        }
    )


def events_frame(
    rec: pd.DataFrame, order_sizes: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Eventbrite-style attendee rows; consecutive records share an order per ``order_sizes``."""
    n = len(rec)
    order_idx = np.repeat(np.arange(len(order_sizes)), order_sizes)[:n]
    order_no = 11_000_000_000 + rng.choice(900_000_000, len(order_sizes), replace=False)
    start = datetime(2026, 6, 1, tzinfo=UTC)
    when = [start + timedelta(minutes=int(m)) for m in rng.integers(0, 150_000, len(order_sizes))]
    status = rng.choice(
        ["Attending", "Checked In", "Cancelled", "Not Attending"], n, p=[0.45, 0.4, 0.1, 0.05]
    )
    return pd.DataFrame(
        {
            "Order #": order_no[order_idx].astype(str),
            "Order Date": [when[i].strftime("%Y-%m-%d %H:%M:%S%z") for i in order_idx],
            "Attendee #": (20_000_000_000 + rng.choice(900_000_000, n, replace=False)).astype(str),
            "First Name": rec["first"],
            "Last Name": rec["last"],
            "Email": rec["email"],
            "Company": rec["company"],
            "Job Title": rec["title"],
            "Ticket Type": rng.choice(
                ["General Admission", "Early Bird", "VIP", "Speaker", "Sponsor"],
                n,
                p=[0.5, 0.25, 0.1, 0.05, 0.1],
            ),
            "Attendee Status": status,
            "Checked In": np.where(status == "Checked In", "Yes", "No"),
            "Work Phone": rec["phone"],
            "Country": rec["country"],
            "I agree to receive marketing emails": rng.choice(
                ["Yes", "No", ""], n, p=[0.5, 0.35, 0.15]
            ),
            "What is your main goal?": rng.choice(np.asarray(GOALS, dtype=object), n),
        }
    )


def _iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def web_form_rows(rec: pd.DataFrame, rng: np.random.Generator) -> list[dict]:
    """Contact-form / webinar sign-up submissions as JSON-ready dicts."""
    rnd = random.Random(int(rng.integers(2**62)))
    start = datetime(2026, 7, 1, tzinfo=UTC)
    rows = []
    for r in rec.itertuples(index=False):
        at = start + timedelta(seconds=rnd.randrange(120 * 86_400))
        opted = rnd.random() < 0.6
        version = rnd.choice(("v2", "v3", "v3"))
        confirmed = (
            _iso(at + timedelta(minutes=rnd.randrange(2, 3000)))
            if opted and rnd.random() < 0.65
            else None
        )
        form = rnd.choice(("contact-us", "webinar-signup"))
        net = rnd.choice(("192.0.2", "198.51.100", "203.0.113"))
        keep = lambda v, p: (v or None) if rnd.random() < p else None  # noqa: E731
        rows.append(
            {
                "submission_id": f"{rnd.getrandbits(128):032x}",
                "form_id": form,
                "submitted_at": _iso(at),
                "ip": f"{net}.{rnd.randrange(1, 255)}",
                "user_agent": rnd.choice(_UA),
                "fields": {
                    "name": full_name(str(r.first), str(r.last), rnd.choice((0, 0, 0, 1, 2))),
                    "email": r.email,
                    "phone": keep(r.mobile or r.phone, 0.6),
                    "company": keep(r.company, 0.8),
                    "job_title": keep(r.title, 0.6 if form == "webinar-signup" else 0.3),
                    "country": keep(r.country, 0.5),
                    "message": keep(
                        rnd.choice(
                            (
                                "Please send pricing.",
                                "Can we book a demo?",
                                "Interested in the API, call me",
                                "",
                            )
                        ),
                        0.7,
                    )
                    if form == "contact-us"
                    else None,
                },
                "consent": {
                    "email_marketing": opted,
                    "wording": CONSENT_WORDING[version],
                    "version": version,
                },
                "double_opt_in_confirmed_at": confirmed,
            }
        )
    return sorted(rows, key=lambda row: row["submitted_at"])
