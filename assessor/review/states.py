"""An expert assignment's states, the transition table, and the one function that moves one.

    pending ─declare─▶ active ─submit─▶ submitted
       │                 ▲                 │
       │                 └──── reopen ─────┘   (an officer sends the review back)
       └─decline─▶ declined
    pending, active ─expire─▶ expired          (past its due date, nothing submitted)
    pending, active, submitted ─conflict─▶ conflict
                                               (a tie found after assignment: the review stops)

`move()` is the only writer of Assignment.state; the services check who may act and why first.
"""

from __future__ import annotations

from flask_babel import gettext as _

from .errors import ReviewError

ASSIGNMENT_STATES = ("pending", "active", "declined", "expired", "submitted", "conflict")
OPEN = ("pending", "active", "submitted")  # assignments that hold a slot

# (from, action, to)
TRANSITIONS = (
    ("pending", "declare", "active"),
    ("pending", "decline", "declined"),
    ("active", "submit", "submitted"),
    ("submitted", "reopen", "active"),
    ("pending", "expire", "expired"),
    ("active", "expire", "expired"),
    ("pending", "conflict", "conflict"),
    ("active", "conflict", "conflict"),
    ("submitted", "conflict", "conflict"),
)
_TARGET = {(source, action): target for source, action, target in TRANSITIONS}


def move(assignment, action: str) -> None:
    """Moves `assignment` (an Assignment) by `action`, refusing a move the table does not have.
    (Not annotated: models.py takes ASSIGNMENT_STATES from here for its CHECK.)"""
    target = _TARGET.get((assignment.state, action))
    if target is None:
        raise ReviewError(_("该评审任务的当前状态不允许此操作"))
    assignment.state = target
