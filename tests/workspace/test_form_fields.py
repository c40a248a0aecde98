"""The workspace's form rows (workspace/_form_fields.html)."""

from django import forms
from django.template.loader import render_to_string

from tests.html import attrs, parse, texts


class _Form(forms.Form):
    website = forms.URLField(label="website", help_text="Where readers find the institute.")
    themes = forms.MultipleChoiceField(
        label="themes", choices=[("water", "Water")], widget=forms.CheckboxSelectMultiple
    )


def test_a_row_capitalises_its_label_and_names_its_help_for_the_field():
    form = _Form()

    root = parse(
        render_to_string("workspace/_form_fields.html", {"form": form, "fields": list(form)})
    )

    assert texts(root, "div.form-row > label") == ["Website"]
    assert texts(root, "fieldset.form-row > legend") == ["Themes"]
    assert attrs(root, "#id_website", "aria-describedby") == ["id_website_helptext"]
    assert texts(root, "#id_website_helptext") == ["Where readers find the institute."]
