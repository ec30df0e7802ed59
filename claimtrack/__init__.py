"""claimtrack: a claim and source-attribution tracker for fact-checkers."""

__version__ = "0.1.0"
