"""Company-only rows (directory listings: a company but no person name): the company is the
entity. Listings meet in blocks of one web domain, one main line, one company key and postcode,
or one site (postcode and street), and are linked by rules on company-level evidence:

* the same web domain;
* the same main line, and names that agree (Jaro-Winkler ≥ 0.85: a typo in one listing);
* the same company key in the same postcode, unless both the main lines and the streets
  differ (two firms of one name in one town);
* the same site and names that agree (Jaro-Winkler ≥ 0.9);

and never when both listings give a web domain and the domains differ.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from matchers.blocking import join_keys, pairs_of_keys
from matchers.clustering import connected
from matchers.coded import similarity

MAX_BLOCK = 400
NAME_AGREES_ON_LINE = 0.85
NAME_AGREES_AT_SITE = 0.9


def company_only(features: pd.DataFrame) -> np.ndarray:
    """Rows with no person name but a company: the company is the entity."""
    no_name = (features["fn"] == "") & (features["ln"] == "")
    return (no_name & ((features["company"] != "") | (features["domain"] != ""))).to_numpy()


def _candidates(f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Pairs sharing a domain, a main line, a company key and postcode, or a site."""
    company, postal, street = (f[c].to_numpy(dtype=object) for c in ("company", "postal", "street"))
    left, right, _ = pairs_of_keys(
        [
            ("listing:domain", f["domain"].to_numpy(dtype=object)),
            ("listing:phone", f["phone"].to_numpy(dtype=object)),
            ("listing:company+postcode", join_keys(company, postal)),
            ("listing:site", join_keys(postal, street)),
        ],
        max_block=MAX_BLOCK,
    )
    return left, right


def company_clusters(features: pd.DataFrame) -> np.ndarray:
    """Root position per company-only row (connected components of the linked listings)."""
    n = len(features)
    left, right = _candidates(features)
    if len(left) == 0:
        return np.arange(n)

    def same(column: str) -> np.ndarray:
        values = features[column].to_numpy(dtype=object)
        return (values[left] == values[right]) & (values[left] != "")

    def both(column: str) -> np.ndarray:
        values = features[column].to_numpy(dtype=object)
        return (values[left] != "") & (values[right] != "")

    codes, vocab = pd.factorize(features["company"].to_numpy(dtype=object))
    names = similarity(np.asarray(vocab, dtype=object), codes[left], codes[right])
    namesakes_apart = both("phone") & ~same("phone") & both("street") & ~same("street")
    site = same("postal") & same("street")
    link = (
        same("domain")
        | (same("phone") & (names >= NAME_AGREES_ON_LINE))
        | (same("company") & same("postal") & ~namesakes_apart)
        | (site & (names >= NAME_AGREES_AT_SITE))
    ) & ~(both("domain") & ~same("domain"))
    keep = np.flatnonzero(link)
    return connected(n, left[keep], right[keep], names[keep], max_cluster=n + 1).labels
