"""Anonymisation: identity normalisation, keyed pseudonyms, generalisation of dates."""
