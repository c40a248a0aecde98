import datetime

import pytest
from django.db.models import ProtectedError
from django.utils import translation

from actionplans.enums import ActionPlanStatus, MeetingStatus, StatementStatus
from actionplans.models import ActionPlan
from tests import factories as f
from tests.constraints import refused_by

pytestmark = pytest.mark.django_db
D = datetime.date


def test_one_action_plan_per_forum_and_year():
    plan = f.ActionPlanFactory(year=2024)
    with refused_by("action_plan_one_per_year"):
        f.ActionPlanFactory(forum=plan.forum, year=2024)


def test_document_symbol_is_unique_but_may_be_blank():
    f.ActionPlanFactory(document_symbol="")
    f.ActionPlanFactory(document_symbol="")
    f.ActionPlanFactory(document_symbol="SOC/2024-II/DEC/2")
    with refused_by("action_plan_symbol_unique"):
        f.ActionPlanFactory(document_symbol="SOC/2024-II/DEC/2")


@pytest.mark.parametrize("year", [1989, 2101])
def test_action_plan_year_is_in_range(year):
    with refused_by("action_plan_year_range"):
        f.ActionPlanFactory(year=year)


def test_an_adopted_plan_has_its_date():
    with refused_by("action_plan_adopted_has_date"):
        f.ActionPlanFactory(status=ActionPlanStatus.ADOPTED, adopted_on=None)


def test_activity_numbers_are_unique_within_a_plan_not_across_plans():
    activity = f.ActivityFactory(number=1)
    f.ActivityFactory(number=1)
    with refused_by("activity_number_unique"):
        f.ActivityFactory(plan=activity.plan, number=1)


def test_activity_number_starts_at_one():
    with refused_by("activity_number_positive"):
        f.ActivityFactory(number=0)


def test_activity_time_frame_ends_after_it_starts():
    with refused_by("activity_time_frame_in_order"):
        f.ActivityFactory(starts_on=D(2024, 10, 1), ends_on=D(2024, 9, 30))


def test_an_institute_volunteers_for_a_theme_of_an_activity_once():
    moderation = f.ActivityModeratorFactory()
    with refused_by("activity_moderator_unique"):
        f.ActivityModeratorFactory(
            activity=moderation.activity,
            institute=moderation.institute,
            theme=moderation.theme,
        )


def test_meeting_ends_after_it_starts():
    with refused_by("meeting_dates_in_order"):
        f.MeetingFactory(starts_on=D(2024, 9, 2), ends_on=D(2024, 9, 1))


def test_meeting_window_ends_after_it_starts():
    with refused_by("meeting_window_in_order"):
        f.MeetingFactory(window_start=D(2024, 10, 1), window_end=D(2024, 9, 1))


def test_meeting_end_needs_a_start():
    with refused_by("meeting_end_needs_start"):
        f.MeetingFactory(ends_on=D(2024, 9, 1))


def test_meeting_window_has_both_ends():
    with refused_by("meeting_window_complete"):
        f.MeetingFactory(window_start=D(2024, 9, 1))


def test_a_held_meeting_has_a_date():
    with refused_by("meeting_held_has_date"):
        f.MeetingFactory(status=MeetingStatus.HELD)


def test_meeting_ordinal_starts_at_one():
    with refused_by("meeting_ordinal_positive"):
        f.MeetingFactory(ordinal=0)


def test_meeting_slug_is_unique():
    f.MeetingFactory(slug="twelfth-forum")
    with refused_by("slug"):
        f.MeetingFactory(slug="twelfth-forum")


def test_an_adopted_statement_has_its_date():
    with refused_by("joint_statement_adopted_has_date"):
        f.JointStatementFactory(status=StatementStatus.ADOPTED)


def test_a_published_statement_has_its_publication_date():
    with refused_by("joint_statement_published_has_date"):
        f.JointStatementFactory(status=StatementStatus.PUBLISHED, adopted_on=D(2023, 11, 20))


def test_a_statement_is_not_published_before_it_is_adopted():
    with refused_by("joint_statement_published_after"):
        f.JointStatementFactory(adopted_on=D(2023, 11, 20), published_on=D(2023, 11, 19))


def test_an_institute_signs_a_statement_once():
    signatory = f.SignatoryFactory()
    with refused_by("signatory_once_per_statement"):
        f.SignatoryFactory(statement=signatory.statement, institute=signatory.institute)


def test_a_plan_whose_activity_has_a_meeting_cannot_be_deleted():
    activity = f.ActivityFactory()
    f.MeetingFactory(forum=activity.plan.forum, activity=activity)
    with pytest.raises(ProtectedError):
        activity.plan.delete()
    assert ActionPlan.objects.filter(pk=activity.plan_id).exists()


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2024, 9, 1), D(2024, 10, 31), "September–October 2024"),
        (D(2024, 1, 1), D(2024, 12, 31), "2024"),
        (D(2024, 9, 1), D(2024, 9, 30), "September 2024"),
        (D(2024, 12, 1), D(2025, 1, 31), "December 2024 – January 2025"),
        (D(2024, 9, 10), D(2024, 9, 20), "10 September 2024 – 20 September 2024"),
    ],
)
def test_a_tentative_window_reads_as_words(start, end, expected):
    meeting = f.MeetingFactory.build(window_start=start, window_end=end)
    with translation.override("en"):
        assert meeting.when == expected
        assert meeting.is_tentative


def test_confirmed_dates_win_over_the_window():
    meeting = f.MeetingFactory.build(
        starts_on=D(2023, 11, 20), window_start=D(2023, 1, 1), window_end=D(2023, 12, 31)
    )
    with translation.override("en"):
        assert meeting.when == "20 November 2023"
    assert not meeting.is_tentative
