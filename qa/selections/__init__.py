"""Sampling policies and selection runs: the verifiable draw in the app."""
