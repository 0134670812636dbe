"""Roles of the people who sign in to the review pages (no imports: the CLI's help uses them).

``viewer`` reads the queue, ``steward`` also decides, ``admin`` also unmerges past merges of
others.
"""

ROLES = ("viewer", "steward", "admin")
DECIDING_ROLES = frozenset({"steward", "admin"})
