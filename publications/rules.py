"""Who may do what with a publication, where the rule is more than a model permission."""

import rules

from publications.enums import PublicationStatus
from publications.models import Publication

# A member may edit a submission while it is submitted, or submit it again once returned;
# the same holds for withdrawing it. Approved and withdrawn ones are the secretariat's.
MEMBER_EDITABLE = (
    PublicationStatus.SUBMITTED,
    *sorted(Publication.workflow.sources(PublicationStatus.SUBMITTED)),
)


@rules.predicate
def is_open_to_its_members(publication) -> bool:
    """Whether the institutes of ``publication`` may still change or withdraw it."""
    return publication is not None and publication.status in MEMBER_EDITABLE
