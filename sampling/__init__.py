"""Sampling for supervision file audits: planning (how many), selection (which ones),
evaluation (what the sample says), the cadences as data (policies) and verification.

Pure functions on plain data; nothing here knows about Flask, the database or the app.
"""

from sampling.evaluation import Interval, clopper_pearson, stratified_proportion, wilson
from sampling.planning import RuleError, SampleSize, allocate, size_from_rule
from sampling.selection import ALGORITHM, ALGORITHM_VERSION, Draw, draw, new_seed, ticket
from sampling.verify import Verification, selection_frame_hash, verify

__all__ = [
    "ALGORITHM",
    "ALGORITHM_VERSION",
    "Draw",
    "Interval",
    "RuleError",
    "SampleSize",
    "Verification",
    "allocate",
    "clopper_pearson",
    "draw",
    "new_seed",
    "selection_frame_hash",
    "size_from_rule",
    "stratified_proportion",
    "ticket",
    "verify",
    "wilson",
]
