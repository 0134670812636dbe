"""Surname evidence: particles that belong to a surname, frequent surnames, typical endings."""

from __future__ import annotations

import re

# fmt: off
PARTICLES: frozenset[str] = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "dei",
        "di",
        "da",
        "das",
        "do",
        "dos",
        "du",
        "la",
        "le",
        "les",
        "ten",
        "ter",
        "te",
        "zu",
        "zur",
        "af",
        "av",
        "bin",
        "ibn",
        "y",
        "e",
    }
)
# fmt: on
"""Lowercase particles that stay with the surname ("van der Berg", "de la Cruz")."""
_COMMON_SURNAMES_TEXT = """
smith johnson williams brown jones miller davis garcia rodriguez martinez hernandez lopez
gonzalez wilson anderson taylor moore jackson white harris clark lewis robinson walker
young allen wright hill green adams baker nelson carter mitchell roberts turner phillips
campbell parker evans edwards collins stewart morris murphy cook rogers morgan cooper
peterson reed bailey bell gomez kelly howard ward cox diaz richardson wood watson brooks
bennett gray hughes price sanders myers long ross foster jenkins perry powell butler
barnes fisher henderson coleman simmons patterson jordan reynolds hamilton graham wallace
obrien mcdonald macleod oneill fitzgerald thompson davies owen ellis tremblay gagnon
muller mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann
schroder koch richter klein wolf neumann schwarz zimmermann braun kruger hartmann
lange werner krause lehmann kohler maier huber gruber bauer pichler steiner moser
mayer hofer leitner meier schmid keller brunner bernard dubois durand leroy moreau
lefevre faure girard bonnet fontaine rousseau blanc guerin muller lambert fontaine
jansen bakker visser smit meijer mulder bos vos hendriks devries vanderberg vandijk
dejong rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno
kowalski nowak wisniewski wojcik kowalczyk kaminski lewandowski zielinski szymanski
patel shah singh kumar sharma gupta nguyen tran pham chen wang zhang liu yang huang
li lee kim park zhao wu zhou xu sun ma zhu hu guo okafor silva santos oliveira souza
pereira ferreira costa rodrigues almeida fernandez perez sanchez ramirez torres flores
rivera castillo
"""
COMMON_SURNAMES: frozenset[str] = frozenset(_COMMON_SURNAMES_TEXT.split())
"""Frequent surnames (US, UK, DE, FR, NL, IT, PL, ES, PT, IN, CN, KR), as letter keys: evidence
that a token is a surname (``names.maybe_swapped``, ``name_order``)."""
_SURNAME_ENDINGS = re.compile(
    r"(?:son|sen|sson|ez|es|ski|ska|sky|wicz|czyk|ova|ov|ev|enko|escu|poulos|ian|yan|mann|"
    r"baum|berg|stein|feld|ini|elli|etti|ucci|dottir)$"
)


def looks_like_surname(key: str) -> bool:
    """True for a frequent surname or a key with a typical surname ending (-son, -ski, -ez)."""
    return key in COMMON_SURNAMES or (len(key) > 4 and _SURNAME_ENDINGS.search(key) is not None)
