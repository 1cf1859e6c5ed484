"""An expert assignment moves only along its transition table."""

from datetime import date

import pytest

from assessor.review.errors import ReviewError
from assessor.review.models import Assignment
from assessor.review.states import ASSIGNMENT_STATES, TRANSITIONS, move

ACTIONS = sorted({action for _source, action, _target in TRANSITIONS})


@pytest.mark.parametrize("state", ASSIGNMENT_STATES)
def test_an_assignment_moves_only_along_the_table(app, state):
    allowed = {action: target for source, action, target in TRANSITIONS if source == state}
    for action in ACTIONS:
        assignment = Assignment(application_id=1, expert_id=1, due_on=date(2026, 1, 1),
                                state=state)
        if action in allowed:
            move(assignment, action)
            assert assignment.state == allowed[action]
        else:
            with pytest.raises(ReviewError, match="当前状态不允许"):
                move(assignment, action)
            assert assignment.state == state


def test_ended_assignments_stay_ended(app):
    for state in ("declined", "expired", "conflict"):
        assert not [t for t in TRANSITIONS if t[0] == state]
