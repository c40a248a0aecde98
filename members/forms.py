"""Forms of the member workspace: the institute's profile and its contacts."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from core.concurrency import RowStateGuard
from core.files import CheckedFileInput
from members.harvesting import MEMBER_SOURCE_FIELDS
from members.models import Contact, HarvestSource, Institute, Recommendation

LOGO_MAX_MB = 2
LOGO_MAX_BYTES = LOGO_MAX_MB * 1024 * 1024
LOGO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# A logo needs far fewer; a small file can declare billions, which decode to gigabytes.
LOGO_MAX_PIXELS = 25_000_000


def validate_logo(upload) -> str:
    """Checks an uploaded logo by its content (Pillow), not its name: at most 2 MB, at most
    ``LOGO_MAX_PIXELS`` pixels, and a real JPEG, PNG or WebP image. Returns the extension
    of its real format. Nothing is decoded beyond the header before the size is known."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            gettext("The logo is larger than %(limit)d MB.") % {"limit": LOGO_MAX_MB},
            code="too_large",
        )
    too_many_pixels = ValidationError(
        _(
            "This picture has too many pixels for a logo: at most 25 million "
            "(for example 5000 × 5000)."
        ),
        code="too_many_pixels",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                raise too_many_pixels
            image_format = image.format
            image.verify()
    except Image.DecompressionBombError as exc:
        raise too_many_pixels from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not an image. Upload the logo as a JPEG, PNG or WebP picture."),
            code="not_image",
        ) from exc
    finally:
        upload.seek(0)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(
            _("Logos must be JPEG, PNG or WebP pictures, not %(format)s.")
            % {"format": image_format},
            code="image_format",
        )
    return LOGO_FORMATS[image_format]


def logo_limits() -> str:
    """What ``validate_logo`` accepts, said next to the field (in the active language)."""
    return gettext("A JPEG, PNG or WebP picture of at most %(limit)d MB.") % {"limit": LOGO_MAX_MB}


class InstituteProfileForm(RowStateGuard, forms.ModelForm):
    """The institute's public description and, for each forum it is an admitted member
    of, its focal point (one ``focal_<forum id>`` field each)."""

    website = forms.URLField(label=capfirst(_("website")), required=False, assume_scheme="https")
    logo = forms.FileField(
        label=capfirst(_("logo")),
        required=False,
        # Kept privately: the current logo opens through the workspace's own view.
        widget=CheckedFileInput(
            url_for=lambda file: reverse("workspace:institute_logo"),
            attrs={"accept": "image/jpeg,image/png,image/webp"},
        ),
    )

    class Meta:
        model = Institute
        fields = ["description", "website", "address", "phone", "email"]

    def __init__(self, *args, forums, contacts, focal_points: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.forums = list(forums)
        self.fields["logo"].initial = self.instance.logo or None
        self.fields["logo"].help_text = logo_limits()
        self.fields["logo"].widget.clear_checkbox_label = _("Remove the logo")
        # The choices are plain contacts: no prefetches, so each select is one query.
        contacts = contacts.prefetch_related(None)
        for forum in self.forums:
            self.fields[f"focal_{forum.pk}"] = forms.ModelChoiceField(
                label=_("Focal point for %(forum)s") % {"forum": forum.label},
                queryset=contacts,
                required=False,
                initial=focal_points.get(forum.pk),
                empty_label=_("— nobody —"),
            )

    def focal_fields(self):
        return [self[f"focal_{forum.pk}"] for forum in self.forums]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo:
            return logo
        extension = validate_logo(logo)
        logo.name = f"{self.instance.slug}.{extension}"
        return logo

    def profile_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["logo"] = self.cleaned_data.get("logo")
        data["focal_points"] = {
            forum.pk: self.cleaned_data.get(f"focal_{forum.pk}") for forum in self.forums
        }
        return data


class ContactForm(RowStateGuard, forms.ModelForm):
    """A contact of the member's own institute; ``is_active`` off deactivates it."""

    class Meta:
        model = Contact
        fields = ["honorific", "full_name", "position", "email", "phone", "language", "is_active"]

    def __init__(self, *args, institute, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.institute = institute
        self.user = user

    def clean_is_active(self):
        is_active = self.cleaned_data["is_active"]
        if not is_active and self.instance.pk and self.instance.user_id == self.user.pk:
            raise ValidationError(_("You cannot deactivate yourself."), code="self")
        return is_active

    def contact_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RecommendationForm(forms.ModelForm):
    """A recommendation of a new institution, for one of ``forums`` (the forums the
    member's institute is admitted to); any other forum is an invalid choice."""

    website = forms.URLField(label=capfirst(_("website")), required=False, assume_scheme="https")

    class Meta:
        model = Recommendation
        fields = ["forum", "name", "country", "website", "contact_name", "contact_email", "reasons"]

    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        forum = self.fields["forum"]
        assert isinstance(forum, forms.ModelChoiceField)
        forum.queryset = forums

    def recommendation_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class HarvestSourceForm(RowStateGuard, forms.ModelForm):
    """A member's registration of their institute's repository: its OAI-PMH address
    (http or https), a set, the forum (one the institute is an admitted member of) and
    whether it is harvested. Whether its records skip review is the secretariat's."""

    base_url = forms.URLField(
        label=capfirst(_("OAI-PMH base URL")), max_length=500, assume_scheme="https"
    )

    class Meta:
        model = HarvestSource
        fields = list(MEMBER_SOURCE_FIELDS)

    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        forum = self.fields["forum"]
        assert isinstance(forum, forms.ModelChoiceField)  # a foreign key's field
        forum.queryset = forums
        self.fields["forum"].help_text = _("The forum the harvested publications go to.")

    def source_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
