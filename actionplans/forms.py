"""The admin's meeting form: it holds a meeting's host to its forum's host rotation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from actionplans.models import Meeting
from actionplans.selectors import meeting_host_proposal


class MeetingAdminForm(forms.ModelForm):
    """Refuses a host other than the one the forum's rotation proposes for the meeting
    unless staff give a reason (docs/adr/0014), and a reason when the host is the proposed
    one: the forum page marks an override only where there is one."""

    class Meta:
        model = Meeting
        # The admin's fieldsets decide what the page shows; these are what it may edit.
        fields = (
            "forum",
            "activity",
            "kind",
            "ordinal",
            "title",
            "slug",
            "status",
            "theme",
            "themes",
            "starts_on",
            "ends_on",
            "window_start",
            "window_end",
            "host_country",
            "host_institute",
            "host_rotation_override_reason",
            "place",
            "participants",
            "description",
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        host = cleaned.get("host_country")
        forum = cleaned.get("forum")
        if not host or forum is None or self.errors:
            return cleaned
        probe = Meeting(
            pk=self.instance.pk,
            forum=forum,
            kind=cleaned.get("kind", ""),
            status=cleaned.get("status", self.instance.status),
            host_country=host,
            starts_on=cleaned.get("starts_on"),
            window_start=cleaned.get("window_start"),
        )
        error = host_rotation_error(
            meeting=probe, reason=cleaned.get("host_rotation_override_reason", "")
        )
        if error:
            self.add_error("host_rotation_override_reason", error)
        return cleaned


def host_rotation_error(*, meeting: Meeting, reason: str) -> str:
    """Why ``meeting``'s host does not fit its forum's host rotation with this ``reason``
    for departing from it, or an empty string when it does (docs/adr/0014): another host
    needs a reason, the proposed one none. The admin's form and the meetings' import
    both ask it."""
    proposed = meeting_host_proposal(meeting=meeting)
    reason = (reason or "").strip()
    if proposed is None or not meeting.host_country:
        return ""
    if str(meeting.host_country) != proposed.code and not reason:
        return _(
            "The host rotation (the secretariat's rule) proposes %(proposed)s for "
            "this meeting. To record %(host)s as its host, give the reason for "
            "departing from the rotation."
        ) % {"proposed": proposed.name, "host": meeting.host_country.name}  # type: ignore[attr-defined]
    if str(meeting.host_country) == proposed.code and reason:
        return _(
            "%(host)s is the host the rotation proposes for this meeting: leave the reason empty."
        ) % {"host": proposed.name}
    return ""
