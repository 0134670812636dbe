"""Seeded generator of fictional, realistically messy lead data."""
