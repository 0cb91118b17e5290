"""Forms of the shortage and match pages. Field names are SPEC's (the API's); they parse, the services decide."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from exchange.models import Criticality, DeclineReason
from inventory.processes import Process
from inventory.selectors import material_find_by_designation
from inventory.serializers import MAX_ENVELOPE, MAX_LEAD_TIME_DAYS, MAX_PRICE_USD, MAX_QUANTITY, MAX_TEXT

from .forms import OnceForm

# Browsers send a date input as ISO; a browser without a date picker lets people type 01/12/2026.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label, help_text=""):
    return forms.DateField(
        label=label, help_text=help_text, required=False, widget=DateInput, input_formats=DATE_INPUT_FORMATS
    )


def decimal_field(label, *, minimum, maximum, decimal_places, help_text="", error_messages=None):
    # localize: a comma is the decimal separator people type in Venezuela (12,5).
    return forms.DecimalField(
        error_messages=error_messages,
        label=label,
        help_text=help_text,
        required=False,
        localize=True,
        min_value=minimum,
        max_value=maximum,
        decimal_places=decimal_places,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def measurement_field(label):
    return decimal_field(
        label,
        minimum=Decimal("0.001"),
        maximum=MAX_ENVELOPE,
        decimal_places=3,
        error_messages={"min_value": _("Write a measurement greater than zero.")},
    )


def whole_number_field(label, *, minimum, maximum, required=False, help_text="", initial=None):
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=minimum,
        max_value=maximum,
        initial=initial,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class PhotosInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several image files, a list (empty when none); the photo service checks their type, size and count."""

    widget = PhotosInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [file for file in (super(PhotosField, self).clean(file, initial) for file in files) if file]


class ShortageForm(OnceForm):
    number = forms.CharField(
        label=_("Part number"),
        help_text=_("As written on the old part, with its brand if it has one: FAG 6205-2RS."),
        max_length=120,
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                # web/static/web/enhance.js shows what the catalogue knows of the number as it is typed.
                "data-lookup": "/requests/new/lookup/",
                "data-lookup-target": "number-lookup",
            }
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        help_text=_("What the part is and where it goes, if the number is unknown or unreadable."),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    quantity = whole_number_field(_("Units needed"), minimum=1, maximum=MAX_QUANTITY, required=True, initial=1)
    criticality = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Criticality.choices,
        initial=Criticality.DEGRADED,
        widget=forms.RadioSelect,
    )
    stopped_since = date_field(_("Production stopped since"), _("Only if the line is stopped for want of the part."))
    downtime_usd_per_day = decimal_field(
        _("What a day stopped costs (USD)"), minimum=Decimal(0), maximum=MAX_PRICE_USD, decimal_places=2
    )
    needed_by = date_field(_("Needed by"))
    import_price_usd = decimal_field(
        _("Unit price if imported (USD)"), minimum=Decimal(0), maximum=MAX_PRICE_USD, decimal_places=2
    )
    import_lead_time_days = whole_number_field(_("Days to import it"), minimum=0, maximum=MAX_LEAD_TIME_DAYS)
    material = forms.CharField(
        label=_("Material"),
        help_text=_("Any designation of the grade: AISI 1045, C45, 1.0503, S45C."),
        max_length=100,
        required=False,
    )
    processes = forms.MultipleChoiceField(
        label=_("How it can be made or repaired"),
        choices=Process.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    diameter_mm = measurement_field(_("Diameter (mm)"))
    length_mm = measurement_field(_("Length (mm)"))
    weight_kg = measurement_field(_("Weight (kg)"))
    it_grade = whole_number_field(
        _("Tightest tolerance (IT grade)"), minimum=1, maximum=18, help_text=_("From 1 to 18: IT7 is tighter than IT8.")
    )
    photos = PhotosField(
        label=_("Photos of the part"),
        help_text=_("Take them with the phone: the part, its number, its worn face."),
        required=False,
    )

    # The service names the missing part "part": here its place is the number.
    SERVICE_FIELDS = {"part": "number"}

    def clean_material(self):
        designation = self.cleaned_data["material"].strip()
        if not designation:
            return None
        material = material_find_by_designation(designation)
        if material is None:
            raise ValidationError(
                _("No material in the catalogue goes by %(designation)s. Check it, or leave it empty."),
                params={"designation": designation},
                code="unknown",
            )
        return material

    def request_fields(self) -> dict:
        """The cleaned fields as part_request_create takes them."""
        fields = {name: value for name, value in self.cleaned_data.items() if name not in {"form_key", "photos"}}
        fields["number"] = fields["number"].strip()
        fields["description"] = fields["description"].strip()
        return fields


class NumberLookupForm(forms.Form):
    """The number as it is typed, checked as the shortage form checks it (no NUL, at most 120 characters)."""

    number = ShortageForm.base_fields["number"]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you decline this source?"),
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say why you decline this source.")},
    )
    note = NoteForm.base_fields["note"]


class FulfilForm(forms.Form):
    quantity = whole_number_field(
        _("Units received"),
        minimum=1,
        maximum=MAX_QUANTITY,
        help_text=_("If fewer arrived than were sent, write how many: the exchange follows up the rest."),
    )
    into_stock = forms.BooleanField(
        label=_("Keep them in our store as spares"),
        help_text=_("They are entered into your plant's stock instead of being fitted now."),
        required=False,
    )


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: its fields beside theirs, the rest at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    renamed = getattr(form, "SERVICE_FIELDS", {})
    for name, errors in error.error_dict.items():
        name = renamed.get(name, name)
        form.add_error(name if name in form.fields else None, errors)
