"""What the demo auditors write: short, realistic evidence, and never anything personal.

Comments are by question, or else by section, of the supervision file audit: (falls short,
meets the standard).
Sensitive questions get only "Wellbeing discussed on ..." (see `qa.demo.history`).
"""

from __future__ import annotations

COMMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sessions_at_interval": (
        (
            "Two sessions were more than six weeks apart over the summer.",
            "The August session was cancelled and not rearranged.",
        ),
        ("Sessions held every four weeks throughout the period.",),
    ),
    "no_long_gap": (
        ("A gap of nine weeks between sessions in the spring.",),
        ("No gap longer than five weeks.",),
    ),
    "recorded_on_time": (
        (
            "Three of the last six records were written up more than a week after the session.",
            "The October session has no record yet.",
        ),
        ("Each session recorded the same day.",),
    ),
    "signed_by_both": (
        (
            "Records from September and October are not signed by the supervisee.",
            "Signatures added a month after the sessions.",
        ),
        ("All six records signed by both within a week.",),
    ),
    "cases_discussed_often_enough": (
        (
            "Two looked-after children's cases were not discussed for over three months.",
            "A newly allocated case waited seven weeks for its first discussion.",
        ),
        ("Every case discussed within its interval; the case notes say so.",),
    ),
    "agreement_on_file": (
        ("No supervision agreement on the file.",),
        ("An individual agreement is on the file.",),
    ),
    "agreement_signed": (
        ("The agreement is signed by the supervisor only.",),
        ("Signed and dated by both.",),
    ),
    "agreement_reviewed": (
        ("The agreement has not been reviewed since the supervisor changed in March.",),
        ("Reviewed in January.",),
    ),
    "agreement_content": (
        (
            "The agreement is the blank template with the names added.",
            "The agreement does not say how disagreements will be resolved.",
        ),
        ("Sets out frequency, recording and how disagreements are resolved.",),
    ),
    "childs_voice": (
        (
            "The child's views are not recorded in the last three sessions.",
            "Views recorded for the older sibling only; the younger child's wishes are missing.",
            "No record of the child being seen alone, and no reason given.",
            "The plan is discussed without reference to what the child said they wanted.",
            "Lived experience is described in general terms, not from the child's point of view.",
        ),
        (
            "The child's own words are quoted and the plan changed because of them.",
            "The record shows the child was seen alone at school and what they said.",
        ),
    ),
    "smart_actions": (
        (
            "Actions such as 'continue to monitor' have no owner or date.",
            "Previous actions are not reviewed: three carried over without comment.",
            "Due dates are missing for most actions.",
            "Actions are not specific enough to tell when they are done.",
        ),
        ("Each action has a named owner and a date, and last month's actions are reviewed.",),
    ),
    "disagreements": (
        (
            "The worker disagreed with the step-down decision; no proposed action is recorded.",
            "A disagreement about contact arrangements was noted but not escalated.",
            "The outcome of the escalation to the service manager is not recorded.",
        ),
        ("A disagreement about the threshold was recorded, escalated and the outcome noted.",),
    ),
    "reflection": (
        (
            "The record lists case updates with no analysis of risk.",
            "Little evidence of reflection on the impact of the work on the child.",
            "Hypotheses are not explored; the discussion is descriptive.",
        ),
        ("A clear reflective discussion of the assessment and of other explanations.",),
    ),
    "oversight": (
        (
            "No explicit judgement on whether the child is safe.",
            "Decisions are recorded without the reasons for them.",
            "Statutory visit timescales were not checked in the last two sessions.",
            "A caseload of 24 is noted but there is no plan for managing it.",
        ),
        (
            "Each child's safety is considered and the management decision is clear.",
            "Statutory timescales checked and a plan agreed for the overdue review.",
        ),
    ),
    "wellbeing_development": (
        (
            "No learning and development discussed in six months.",
            "The ASYE portfolio has not been reviewed since the midpoint review.",
        ),
        ("Training needs identified and a course booked.",),
    ),
    "equality": (
        (
            "No discussion of the family's culture or identity in the records.",
            "Equality and diversity are not mentioned in any session.",
        ),
        ("The child's identity and the family's faith are considered in the plan.",),
    ),
}

OVERALL = {
    "outstanding": "Regular, reflective supervision that clearly improves the child's plan.",
    "good": "Supervision meets the standard, with minor gaps in recording.",
    "requires_improvement": (
        "Important gaps in the child's voice and in SMART actions; safety is overseen."
    ),
    "inadequate": "Supervision is irregular and does not show oversight of the child's safety.",
}

JUDGEMENT_REASONS = (
    "The strength of the safety planning outweighs the gaps in recording.",
    "The answers score well, but the child's voice is missing from the plan.",
    "Recent sessions show a clear improvement that the scores do not reflect.",
)

ACTIONS = (
    "Record the child's views from the next visit on the supervision record and show how "
    "they change the plan.",
    "Give every action from the last session a named owner and a due date by Friday.",
    "Review and sign the supervision agreement with the supervisee at the next session.",
    "Book the missed supervision session within two weeks and record it within three days.",
    "Record the outcome of the escalated disagreement and the reasons for the decision.",
    "Write a reflective analysis of the risks for each child on the caseload at the next session.",
    "Check the statutory visit dates for each child and record any that are overdue.",
)
