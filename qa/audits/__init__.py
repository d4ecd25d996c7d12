"""Audits: assignments from selection runs, completing a tool, and the workflow."""
