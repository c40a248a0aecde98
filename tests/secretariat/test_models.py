import pytest

from tests import factories as f
from tests.constraints import refused_by

pytestmark = pytest.mark.django_db


def test_a_concept_paper_is_for_an_activity_or_a_meeting():
    with refused_by("concept_paper_has_activity_or_meeting"):
        f.ConceptPaperFactory(meeting=None, activity=None)
