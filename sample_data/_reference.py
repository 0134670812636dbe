"""Static reference data: names, places, phone ranges and company words (all fictional use)."""

from __future__ import annotations

from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class City:
    """A city with its postal codes and the phone prefixes used for numbers there."""

    country: str
    name: str
    region: str
    postcodes: tuple[str, ...]
    landline: str  # national prefix digits after the country code, e.g. "617" or "2079460"
    nsn_len: int  # national significant number length for landlines
    streets: tuple[str, ...]


_EN_STREETS = (
    "Main Street",
    "Market Street",
    "Oak Avenue",
    "Harbor Drive",
    "Congress Street",
    "Elm Street",
    "Broadway",
    "Park Avenue",
    "Summer Street",
    "Lake Shore Drive",
)
_UK_STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "King Street",
    "Mill Lane",
)
_DE_STREETS = (
    "Hauptstraße",
    "Bahnhofstraße",
    "Schillerstraße",
    "Goethestraße",
    "Gartenweg",
    "Lindenallee",
    "Müllerstraße",
)
_FR_STREETS = (
    "rue de la République",
    "avenue Victor Hugo",
    "boulevard Saint-Michel",
    "rue du Faubourg",
    "place de l'Église",
)
_NL_STREETS = ("Keizersgracht", "Stationsplein", "Herengracht", "Kerkstraat", "Dorpsstraat")
_CH_STREETS = ("Bahnhofstrasse", "Seestrasse", "Rue du Rhône", "Dorfstrasse")

CITIES: tuple[City, ...] = (
    City("US", "Cambridge", "MA", ("02139", "02142", "02141"), "617", 10, _EN_STREETS),
    City("US", "Boston", "MA", ("02110", "02116", "02210"), "617", 10, _EN_STREETS),
    City("US", "New York", "NY", ("10001", "10016", "10038"), "212", 10, _EN_STREETS),
    City("US", "Brooklyn", "NY", ("11201", "11211"), "718", 10, _EN_STREETS),
    City("US", "Chicago", "IL", ("60601", "60606", "60614"), "312", 10, _EN_STREETS),
    City("US", "Austin", "TX", ("78701", "78704"), "512", 10, _EN_STREETS),
    City("US", "Dallas", "TX", ("75201", "75204"), "214", 10, _EN_STREETS),
    City("US", "San Francisco", "CA", ("94105", "94107", "94103"), "415", 10, _EN_STREETS),
    City("US", "Seattle", "WA", ("98101", "98104"), "206", 10, _EN_STREETS),
    City("US", "Denver", "CO", ("80202", "80205"), "303", 10, _EN_STREETS),
    City("US", "Atlanta", "GA", ("30303", "30308"), "404", 10, _EN_STREETS),
    City("US", "Raleigh", "NC", ("27601", "27603"), "919", 10, _EN_STREETS),
    City("US", "Minneapolis", "MN", ("55401", "55402"), "612", 10, _EN_STREETS),
    City("US", "Columbus", "OH", ("43215",), "614", 10, _EN_STREETS),
    City("US", "Portland", "OR", ("97204", "97209"), "503", 10, _EN_STREETS),
    City("US", "Miami", "FL", ("33131", "33132"), "305", 10, _EN_STREETS),
    City("US", "Pittsburgh", "PA", ("15222",), "412", 10, _EN_STREETS),
    City("US", "Nashville", "TN", ("37203",), "615", 10, _EN_STREETS),
    City("CA", "Toronto", "ON", ("M5V 2T6", "M5H 2N2", "M4W 1A8"), "416", 10, _EN_STREETS),
    City("CA", "Vancouver", "BC", ("V6B 1A1", "V6C 3E8"), "604", 10, _EN_STREETS),
    City("CA", "Montréal", "QC", ("H2Y 1C6", "H3B 4W8"), "514", 10, _EN_STREETS),
    City("CA", "Calgary", "AB", ("T2P 1J9",), "403", 10, _EN_STREETS),
    City("GB", "London", "", ("EC1A 1BB", "SE1 9GF", "W1T 4JE"), "20", 10, _UK_STREETS),
    City("GB", "Manchester", "", ("M1 1AE", "M2 5DB"), "161", 10, _UK_STREETS),
    City("GB", "Leeds", "", ("LS1 4DY",), "113", 10, _UK_STREETS),
    City("GB", "Edinburgh", "", ("EH1 1YZ", "EH2 2ER"), "131", 10, _UK_STREETS),
    City("GB", "Bristol", "", ("BS1 4ST",), "117", 10, _UK_STREETS),
    City("DE", "Berlin", "BE", ("10115", "10117", "10969"), "30", 10, _DE_STREETS),
    City("DE", "München", "BY", ("80331", "80336"), "89", 10, _DE_STREETS),
    City("DE", "Hamburg", "HH", ("20095", "20457"), "40", 10, _DE_STREETS),
    City("DE", "Köln", "NW", ("50667",), "221", 10, _DE_STREETS),
    City("DE", "Frankfurt am Main", "HE", ("60311", "60313"), "69", 10, _DE_STREETS),
    City("FR", "Paris", "IDF", ("75002", "75008", "75011"), "1", 9, _FR_STREETS),
    City("FR", "Lyon", "ARA", ("69002", "69003"), "472", 9, _FR_STREETS),
    City("FR", "Lille", "HDF", ("59000",), "320", 9, _FR_STREETS),
    City("NL", "Amsterdam", "NH", ("1012 AB", "1017 CE"), "20", 9, _NL_STREETS),
    City("NL", "Rotterdam", "ZH", ("3011 AD",), "10", 9, _NL_STREETS),
    City("NL", "Utrecht", "UT", ("3511 AB",), "30", 9, _NL_STREETS),
    City("AT", "Wien", "W", ("1010", "1030"), "1", 9, _DE_STREETS),
    City("AT", "Graz", "ST", ("8010",), "316", 10, _DE_STREETS),
    City("CH", "Zürich", "ZH", ("8001", "8005"), "44", 9, _CH_STREETS),
    City("CH", "Genève", "GE", ("1201",), "22", 9, _CH_STREETS),
)

# Ofcom drama ranges: valid numbers reserved for fiction (used for small demo files).
UK_DRAMA = {
    "London": "2079460",
    "Manchester": "1614960",
    "Leeds": "1134960",
    "Edinburgh": "1314960",
    "Bristol": "1174960",
}

COUNTRY_CODES = {
    "US": "1",
    "CA": "1",
    "GB": "44",
    "DE": "49",
    "FR": "33",
    "NL": "31",
    "AT": "43",
    "CH": "41",
}
MOBILE_PREFIXES = {
    "GB": ("7911", "7723", "7825", "7480"),
    "DE": ("151", "160", "170", "176"),
    "FR": ("6", "7"),
    "NL": ("6",),
    "AT": ("664", "676"),
    "CH": ("79", "78"),
}
MOBILE_NSN_LEN = {"GB": 10, "DE": 11, "FR": 9, "NL": 9, "AT": 10, "CH": 9}

COUNTRY_SPELLINGS = {
    "US": ("USA", "United States", "U.S.", "US", "United States of America", "usa"),
    "CA": ("Canada", "CA", "CAN", "canada"),
    "GB": ("United Kingdom", "UK", "Great Britain", "GB", "England", "U.K."),
    "DE": ("Germany", "Deutschland", "DE", "GER", "germany"),
    "FR": ("France", "FR", "FRA", "france"),
    "NL": ("Netherlands", "The Netherlands", "Nederland", "NL", "Holland"),
    "AT": ("Austria", "Österreich", "AT", "AUT"),
    "CH": ("Switzerland", "Schweiz", "CH", "Suisse"),
}
LEGAL_FORMS = {
    "US": ("Inc.", "Corp.", "LLC"),
    "CA": ("Inc.", "Ltd."),
    "GB": ("Ltd", "plc"),
    "DE": ("GmbH", "AG"),
    "FR": ("SAS", "SA"),
    "NL": ("B.V.",),
    "AT": ("GmbH",),
    "CH": ("AG", "GmbH"),
}
LEGAL_LONG = {
    "Inc.": "Incorporated",
    "Corp.": "Corporation",
    "LLC": "L.L.C.",
    "Ltd.": "Limited",
    "Ltd": "Limited",
    "plc": "PLC",
    "GmbH": "G.m.b.H.",
    "AG": "Aktiengesellschaft",
    "SAS": "S.A.S.",
    "SA": "S.A.",
    "B.V.": "BV",
}
TLDS = {
    "US": "com",
    "CA": "ca",
    "GB": "co.uk",
    "DE": "de",
    "FR": "fr",
    "NL": "nl",
    "AT": "at",
    "CH": "ch",
}

# Given names are "m:..." / "f:..." per naming culture; surnames use "_" for inner spaces.
_ANGLO = (
    "m:Robert William James John Michael David Richard Thomas Christopher Daniel Matthew "
    "Anthony Joseph Andrew Steven Kenneth Edward Nicholas Jonathan Patrick Benjamin "
    "Samuel Alexander Timothy Gregory Charles Peter José Luis Wei Arjun",
    "f:Elizabeth Jennifer Margaret Katherine Patricia Susan Deborah Rebecca Jessica "
    "Christine Victoria Samantha Abigail Alexandra Barbara Catherine Jacqueline Zoë "
    "Sarah Emily Priya Mei María Aisha",
)
GIVEN = {
    "US": _ANGLO,
    "CA": _ANGLO,
    "GB": _ANGLO,
    "DE": (
        "m:Jürgen Lukas Matthias Stefan Thomas Andreas Michael Felix Jonas Łukasz Tobias",
        "f:Anna Katharina Sabine Julia Ursula Lena Sophie Zoë Birgit Claudia",
    ),
    "FR": (
        "m:François Jean-Luc Nicolas Julien Thomas Pierre Étienne Mathieu",
        "f:Hélène Camille Élodie Marie Sophie Amélie Céline Zoë",
    ),
    "NL": ("m:Jan Pieter Daan Sander Thijs Bram Joost", "f:Anouk Femke Sanne Eva Lieke Marieke"),
    "AT": ("m:Florian Lukas Markus Stefan Wolfgang", "f:Katrin Lisa Theresa Julia Magdalena"),
    "CH": ("m:Beat Urs Reto Lukas Marco", "f:Nicole Corinne Sandra Mirjam Chiara"),
}
_ANGLO_SURNAMES = (
    "Smith Johnson Williams Brown Jones Miller Davis Garcia Rodriguez Wilson "
    "Anderson Taylor Thomas Moore Martin Jackson Thompson White Harris Clark "
    "Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker "
    "Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards "
    "Collins Stewart Morris Murphy Cook Rogers O'Brien McDonald MacLeod O'Neill "
    "Nguyễn Tran Kim Patel Shah Chen Wang Singh Okafor Kowalski Rossi "
    " de_la_Cruz van_der_Berg St._John Fitzgerald"
)
SURNAMES = {
    "US": _ANGLO_SURNAMES,
    "CA": _ANGLO_SURNAMES + " Tremblay Gagnon Côté Bouchard",
    "GB": _ANGLO_SURNAMES + " Hughes Price Davies Owen Ellis",
    "DE": "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schröder "
    "Koch Wójcik Krüger Weiß Groß von_Bülow von_der_Heide",
    "FR": "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Lefèvre "
    "Faure Girard Bonnet de_la_Fontaine Le_Gall",
    "NL": "Jansen Bakker Visser Smit Meijer Mulder Bos Vos Peters Hendriks de_Vries van_der_Berg"
    " van_Dijk de_Jong van_den_Heuvel",
    "AT": "Gruber Huber Bauer Wagner Pichler Steiner Moser Mayer Hofer Leitner",
    "CH": "Müller Meier Schmid Keller Weber Huber Schneider Meyer Steiner Brunner",
}

COMMON_NICKNAMES = frozenset(
    _words(
        "bob rob bobby bill will billy liz beth betty lizzie jim jimmy jamie mike mick dave davy "
        "rick dick rich tom tommy chris dan danny matt tony joe joey andy drew steve ken ted ed "
        "eddie nick pat ben sam alex tim greg charlie chuck pete jen jenny jenn peggy maggie meg "
        "kate kathy katie patty pat sue susie debbie deb becky becca jess jessie chrissy tina "
        "vicky vicki sammy abby lexi barb cathy jackie"
    )
)

TITLES = (
    "Chief Executive Officer",
    "CEO",
    "CFO",
    "Chief Technology Officer",
    "VP of Sales",
    "VP Marketing",
    "Head of Procurement",
    "Director of Operations",
    "IT Manager",
    "Marketing Manager",
    "Sales Director",
    "Office Manager",
    "Software Engineer",
    "Senior Data Analyst",
    "Account Executive",
    "HR Business Partner",
    "Controller",
    "Product Manager",
    "Founder",
    "Managing Director",
    "Geschäftsführer",
    "Directeur Commercial",
    "Procurement Specialist",
    "Operations Analyst",
)
INDUSTRIES = (
    "Software",
    "Logistics",
    "Manufacturing",
    "Healthcare",
    "Financial Services",
    "Retail",
    "Construction",
    "Education",
    "Energy",
    "Food & Beverage",
    "Consulting",
    "Telecommunications",
    "Biotech",
    "Media",
)
COMPANY_HEADS = _words(
    "Northwind Acme Bluepeak Harborline Silverleaf Ironbridge Brightwater Redwood "
    "Cobalt Summit Granite Evergreen Lakeshore Pinecrest Starling Keystone Meridian "
    "Copperfield Highgate Riverbend Oakhurst Falconer Westgate Clearview Trident "
    "Beacon Sterling Larkspur Thornbury Windmere Alder Quarry Orchid Vantage "
    "Halcyon Juniper Marlowe Everline Brookstone Kestrel"
)
COMPANY_TAILS = _words(
    "Analytics Logistics Systems Labs Foods Health Software Partners Dynamics "
    "Robotics Energy Capital Networks Solutions Manufacturing Consulting Media "
    "Biotech Freight Outfitters Materials Instruments Digital Textiles"
)
COMPANY_MIDS = _words(
    "Bay North Blue Global River Peak Point Valley Harbor Stone Field Ridge Lake Park Hill Cross "
    "Union Pacific Atlantic Central Western Eastern Prime True Bright Grand Silver Gold Iron"
)
FREE_MAIL = ("gmail.com", "outlook.com", "yahoo.com", "gmail.com", "hotmail.com")
DISPOSABLE = ("mailinator.com", "10minutemail.com", "guerrillamail.com")
ROLE_LOCALS = ("info", "sales", "contact", "office", "marketing")
GARBAGE_EMAILS = ("john@", "n/a", "none", "-", "test@test", "no email", "x@y")
