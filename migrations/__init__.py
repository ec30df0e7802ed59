"""Alembic migrations; installed as the package claimtrack.migrations."""
