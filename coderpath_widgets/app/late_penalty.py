"""The course's late-submission rule for nbgrader: a percentage of the score per day late, up to a cap.

instructors/course/nbgrader_config.py makes it the default::

    c.AssignLatePenalties.plugin_class = "coderpath_widgets.app.late_penalty.PercentPerDayLate"
    c.PercentPerDayLate.percent_per_day = 10     # of the notebook's score, for each day or part of a day late
    c.PercentPerDayLate.max_percent = 50         # never more than this

nbgrader calls it at autograde time with the notebook's score then (autograded points plus any hand grades
already given) and the seconds between the due date (with any extension) and the submission's timestamp.
"""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

DAY = 24 * 60 * 60


def late_penalty(score: float, seconds_late: float, percent_per_day: float, max_percent: float) -> float:
    """Points to take off: ``score`` × min(``max_percent``, ``percent_per_day`` × days late) / 100.

    A started day counts as a whole day; on time costs nothing.

    >>> late_penalty(5.0, 2.5 * DAY, 10, 50)
    1.5
    >>> late_penalty(8.0, 30 * DAY, 10, 50)
    4.0
    >>> late_penalty(8.0, 0, 10, 50)
    0.0
    """
    if seconds_late <= 0 or score <= 0:
        return 0.0
    days = math.ceil(seconds_late / DAY)
    percent = min(max_percent, percent_per_day * days)
    return round(score * percent / 100, 2)


class PercentPerDayLate(LateSubmissionPlugin):
    """``percent_per_day`` of the score for each started day late, at most ``max_percent``."""

    percent_per_day = Float(10.0, help="Percent of the notebook's score taken off per day (or part) late.").tag(
        config=True
    )
    max_percent = Float(50.0, help="The most a late submission loses, in percent of its score.").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float:
        penalty = late_penalty(score, total_seconds_late, self.percent_per_day, self.max_percent)
        self.log.info(
            "%s is %.1f days late: %s%% per day, at most %s%%: penalty %s of %s",
            student_id,
            total_seconds_late / DAY,
            self.percent_per_day,
            self.max_percent,
            penalty,
            score,
        )
        return penalty
