"""The member's submission form: metadata and a PDF checked by content."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.concurrency import RowStateGuard
from forums.models import Theme
from publications.models import Publication
from publications.validators import pdf_upload_limits, read_pdf_upload


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    """Themes by their name in the active language."""

    def label_from_instance(self, obj: Theme) -> str:
        return obj.label


class SubmissionForm(RowStateGuard, forms.ModelForm):
    """``forums`` limits the forum to those the member's institute is admitted to; the
    PDF is required for a new submission and optional when editing (keeps the old one)."""

    url = forms.URLField(
        label=capfirst(_("link")), required=False, max_length=500, assume_scheme="https"
    )
    pdf = forms.FileField(
        label=_("PDF file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = Publication
        fields = [
            "title",
            "subtitle",
            "authors",
            "forum",
            "kind",
            "language",
            "published_on",
            "container_title",
            "publisher",
            "abstract",
            "keywords",
            "themes",
            "url",
            "doi",
            "isbn",
        ]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "themes": forms.CheckboxSelectMultiple,
        }
        field_classes = {"themes": ThemeChoiceField}

    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        forum, themes = self.fields["forum"], self.fields["themes"]
        assert isinstance(forum, forms.ModelChoiceField)
        assert isinstance(themes, ThemeChoiceField)
        forum.queryset = forums
        themes.queryset = Theme.objects.order_by("name")
        self.fields["pdf"].required = self.instance.pk is None
        self.fields["pdf"].help_text = pdf_upload_limits()
        self.pdf_bytes: bytes | None = None

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload:
            self.pdf_bytes = read_pdf_upload(upload)
        return upload

    def submission_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
