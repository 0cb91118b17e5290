"""Forms of the pages: one renderer for every field, and the one-time key of creating forms."""

import uuid

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from inventory.models import Plant


class FormRenderer(DjangoTemplates):
    """``{{ field.as_field_group }}`` draws web/forms/field.html: label, hint, error, then the input."""

    field_template_name = "web/forms/field.html"


class OnceForm(forms.Form):
    """Base of every form that creates something: its hidden ``form_key`` lets web.once refuse a repeat.

    The key is drawn when the empty form is drawn, and kept when the form comes back with errors.
    """

    form_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That user name and password do not match. Check them and try again."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["username"].widget.attrs.update(autocapitalize="none", autocorrect="off", spellcheck="false")
        self.fields["password"].label = _("Password")


class PlantChoiceForm(forms.Form):
    plant = forms.ModelChoiceField(
        label=_("Plant you act for"),
        queryset=Plant.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the plants you act for.")},
    )

    def __init__(self, *args, plant_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plant"].queryset = Plant.objects.filter(pk__in=plant_ids).order_by("name")
