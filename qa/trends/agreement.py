"""How far auditors agree with moderators: weighted kappa overall and per question, and each
auditor's drift (DESIGN.md section 7, "moderation agreement")."""

from __future__ import annotations

from dataclasses import dataclass

from audit_tools.schema import SCALES
from qa.trends.context import Context
from qa.trends.queries import moderated_count, moderation_pairs, score_differences, staff_names
from trend_maths.statistics import Kappa, drift, weighted_kappa


@dataclass(frozen=True)
class QuestionKappa:
    """Agreement on one question: pairs of answers (not applicable left out) and kappas."""

    key: str
    text: str
    n: int
    linear: Kappa
    quadratic: Kappa


@dataclass(frozen=True)
class AuditorDrift:
    """An auditor's overall score minus the moderators' on the same audits, in words."""

    auditor: str
    n: int
    mean: float | None
    low: float | None
    high: float | None
    reading: str


@dataclass(frozen=True)
class ModerationSummary:
    """`n` moderated of `audits` signed off; kappas over the questions on `scale_label`'s
    scale (answers on different scales cannot share one table), then per question."""

    n: int
    audits: int
    share: float | None
    scale_label: str
    kappa_linear: Kappa
    kappa_quadratic: Kappa
    questions: list[QuestionKappa]
    auditors: list[AuditorDrift]


def _ordinal(scale_key: str) -> dict[str, int]:
    """Answer -> 0 (worst) .. c - 1 (best) on its scale."""
    answers = SCALES[scale_key].answers
    return {answer: len(answers) - 1 - i for i, answer in enumerate(answers)}


def moderation_summary(ctx: Context, audits: int) -> ModerationSummary:
    moderated = moderated_count(ctx.scope)
    by_question: dict[str, list[tuple[int, int]]] = {}
    by_scale: dict[str, list[tuple[int, int]]] = {}
    for key, mine, theirs, count in moderation_pairs(ctx.scope):
        info = ctx.catalogue.questions.get(key)
        if info is None:
            continue
        ordinal = _ordinal(info.scale)
        if mine not in ordinal or theirs not in ordinal:
            continue
        pairs = [(ordinal[mine], ordinal[theirs])] * count
        by_question.setdefault(key, []).extend(pairs)
        by_scale.setdefault(info.scale, []).extend(pairs)
    main = max(by_scale, key=lambda s: len(by_scale[s]), default="yes_partly_no")
    categories = len(SCALES[main].answers)
    overall = by_scale.get(main, [])
    questions = []
    for info in ctx.catalogue.questions.values():
        pairs = by_question.get(info.key, [])
        if not pairs:
            continue
        size = len(SCALES[info.scale].answers)
        questions.append(
            QuestionKappa(
                info.key,
                info.text,
                len(pairs),
                weighted_kappa(pairs, size, "linear"),
                weighted_kappa(pairs, size, "quadratic"),
            )
        )
    return ModerationSummary(
        n=moderated,
        audits=audits,
        share=moderated / audits if audits else None,
        scale_label=SCALES[main].label.lower(),
        kappa_linear=weighted_kappa(overall, categories, "linear"),
        kappa_quadratic=weighted_kappa(overall, categories, "quadratic"),
        questions=questions,
        auditors=_drifts(ctx),
    )


def _drifts(ctx: Context) -> list[AuditorDrift]:
    differences: dict[int, list[float]] = {}
    for auditor, difference in score_differences(ctx.scope):
        differences.setdefault(auditor, []).append(difference)
    names = staff_names(differences)
    found = []
    for auditor, values in differences.items():
        result = drift(values)
        found.append(
            AuditorDrift(
                names.get(auditor, "Unknown"),
                result.n,
                result.mean,
                result.low,
                result.high,
                result.reading,
            )
        )
    return sorted(found, key=lambda a: (-a.n, a.auditor))
