"""Audit tools for supervision files: definitions as data, scoring, grading and frequency.

A pure library (DESIGN.md section 5): it takes and returns plain values and knows nothing
of Flask or the database. The public modules are `schema` (tools and how they are read),
`scoring` (scores, grades, answer checks) and `frequency` (how often supervision must
happen, working days, and answers suggested from imported sessions and agreements).
"""
