import secrets

from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from secretariat.enums import Attendance
from secretariat.recipients import Recipient
from secretariat.services.circulation import circulation_subject_check


class AnswerForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("Will your institution attend?"),
        choices=Attendance.choices,
        widget=forms.RadioSelect,
    )
    attendees = forms.CharField(
        label=_("Who will come"),
        help_text=_("One person a line: name, position."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("attendance") == Attendance.ATTENDING and not data.get("attendees", "").strip():
            self.add_error("attendees", _("Please name who will come."))
        return data


class CirculationForm(forms.Form):
    """The recipients of a circulation (the defaults, each of which can be left out, plus
    any further addresses), the subject and a covering message."""

    subject = forms.CharField(
        label=_("Subject"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    message = forms.CharField(
        label=_("Covering message"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "vLargeTextField"}),
    )
    recipients = forms.MultipleChoiceField(
        label=_("Recipients"), required=False, widget=forms.CheckboxSelectMultiple
    )
    # Made when the page is shown and sent back with it: one form, one circulation.
    request_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    extra = forms.CharField(
        label=_("Further recipients"),
        required=False,
        help_text=_("One address a line."),
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
    )

    def __init__(self, *args, recipients, circulated=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request_token"].initial = secrets.token_hex(16)
        self.circulated = circulated
        if circulated is not None:
            self.fields["again"] = forms.BooleanField(
                label=_("Send this version again to everyone chosen"),
                required=False,
                help_text=_(
                    "This version of the paper was already circulated (%(when)s). Leave "
                    "this unticked unless every recipient should get it a second time."
                )
                % {"when": date_format(timezone.localtime(circulated.started_at), "DATE_FORMAT")},
            )
        self.defaults = {r.email: r for r in recipients}
        recipients_field = self.fields["recipients"]
        assert isinstance(recipients_field, forms.MultipleChoiceField)
        recipients_field.choices = [
            (
                r.email,
                f"{r.name or r.email} — {r.organisation} <{r.email}>"
                if r.organisation
                else r.email,
            )
            for r in recipients
        ]
        recipients_field.initial = list(self.defaults)

    def clean_subject(self):
        return circulation_subject_check(self.cleaned_data["subject"])

    def clean_extra(self):
        addresses = []
        for line in self.cleaned_data["extra"].splitlines():
            address = line.strip()
            if not address:
                continue
            try:
                validate_email(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(address)s” is not an e-mail address."), params={"address": address}
                ) from None
            addresses.append(address)
        return addresses

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("recipients") and not data.get("extra") and "extra" not in self.errors:
            raise forms.ValidationError(_("Choose at least one recipient."))
        if self.circulated is not None and not data.get("again"):
            raise forms.ValidationError(
                _(
                    "This version was already circulated: nothing was sent again. To send it "
                    "a second time, tick “Send this version again to everyone chosen”."
                ),
                code="circulated",
            )
        return data

    def chosen_recipients(self) -> list[Recipient]:
        chosen = [self.defaults[email] for email in self.cleaned_data["recipients"]]
        return chosen + [Recipient(email=address) for address in self.cleaned_data["extra"]]
