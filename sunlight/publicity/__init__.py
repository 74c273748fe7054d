"""Publicity: publication pipeline, redaction, public decisions, search, open data, annual report (PUB-1..12)."""
