"""followup: long-term follow-up of shelter graduates."""

__version__ = "0.1.0"
