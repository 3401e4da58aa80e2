"""Shared helpers that several apps use; each module is named by what it holds."""
