"""Forms of the pages: one renderer for every field, and the one-time key of creating forms."""

import re
import uuid
from decimal import Decimal

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import DjangoTemplates
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exchange.models import Criticality, Match
from exchange.serializers import MAX_QUOTE_PRICE
from inventory.models import Capability, Plant, StockItem
from inventory.processes import Process
from inventory.selectors import material_ids_by_designations
from inventory.serializers import MAX_LEAD_TIME_DAYS, MAX_QUANTITY, MAX_TEXT, MIN_ENVELOPE


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


def trimmed(value: Decimal) -> Decimal:
    """300 rather than 300,000: measures are stored to the micron and written as they were given."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


# 1.250 or 12.500.000: dots between groups of three, as Venezuelans write thousands.
GROUPED_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")


class AmountField(forms.DecimalField):
    """A decimal as Venezuelans write it: 1.234,50 and 1.250 (a thousand two hundred and fifty); also
    1234,50 and 1234.50."""

    def __init__(self, **kwargs):
        super().__init__(localize=True, **kwargs)
        self.widget.input_type = "text"
        self.widget.attrs.update(inputmode="decimal", autocomplete="off")

    def prepare_value(self, value):
        return trimmed(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if "," in value or GROUPED_THOUSANDS.fullmatch(value):
                value = value.replace(".", "")
        return super().to_python(value)


def _choices_with_blank(choices, blank):
    return [("", blank), *choices]


class PageForm(forms.Form):
    """A list's page number, from the query string; pages are 25 lines (web.paging)."""

    page = forms.IntegerField(min_value=1, max_value=10_000, required=False, widget=forms.HiddenInput)


class BoardFilterForm(PageForm):
    """The board's filters, read from the query string (GET): a bookmark or a shared link keeps them."""

    q = forms.CharField(
        label=_("Part number or words"),
        help_text=_("A number of any brand, as on the part (FAG 6205-2RS), or words of its name."),
        required=False,
        max_length=100,
    )
    process = forms.ChoiceField(label=_("Process"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    criticality = forms.ChoiceField(label=_("Criticality"), required=False)
    fits = forms.BooleanField(label=_("Only those my workshop can make"), required=False)

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].choices = _choices_with_blank(Process.choices, _("Any process"))
        self.fields["state"].choices = _choices_with_blank([(state, state) for state in states], _("Any state"))
        self.fields["criticality"].choices = _choices_with_blank(Criticality.choices, _("Any criticality"))


class SourceChoiceField(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def __init__(self, *, describe, **kwargs):
        super().__init__(queryset=None, required=False, empty_label=None, **kwargs)
        self.describe = describe

    def label_from_instance(self, obj):
        return self.describe(obj)


class OfferForm(OnceForm):
    """An offer on a request: one of the acting plant's sources that fit, and a quote."""

    stock_item = SourceChoiceField(label=_("From your store"), describe=lambda item: describe_stock_item(item))
    capability = SourceChoiceField(
        label=_("Made or repaired in your workshop"), describe=lambda capability: describe_capability(capability)
    )
    quantity = forms.IntegerField(label=_("Units you offer"), min_value=1, max_value=MAX_QUANTITY)
    price = AmountField(
        label=_("Price for all the units"),
        help_text=_("For example 1.250,00"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_QUOTE_PRICE,
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=Match.Currency.choices, widget=forms.RadioSelect, initial=Match.Currency.USD
    )
    lead_time_days = forms.IntegerField(
        label=_("Days until you can deliver"), min_value=0, max_value=MAX_LEAD_TIME_DAYS
    )
    note = forms.CharField(
        label=_("Note for the requester and the reviewer"),
        help_text=_("How you would make it, what you need from them, transport."),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, stock_item_ids, capability_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stock_item"].queryset = StockItem.objects.filter(pk__in=stock_item_ids).select_related("part")
        self.fields["capability"].queryset = Capability.objects.filter(pk__in=capability_ids)
        self.offers_stock, self.offers_capability = bool(stock_item_ids), bool(capability_ids)
        for name, ids in (("stock_item", stock_item_ids), ("capability", capability_ids)):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choose one of your own sources that fit this request."
            )
            # With one kind of source only, choosing one of it is simply required; with one source, it is chosen.
            if ids and not (stock_item_ids and capability_ids):
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = _("Choose what you offer.")
                if len(ids) == 1:
                    self.fields[name].initial = ids[0]

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in ("stock_item", "capability") if cleaned.get(name)]
        if not chosen and not self.has_error("stock_item") and not self.has_error("capability"):
            self.add_error(
                "capability" if self.offers_capability else "stock_item",
                _("Choose what you offer: a stock item or a capability."),
            )
        if len(chosen) == 2:
            self.add_error("stock_item", _("Offer one thing at a time: a stock item or a capability, not both."))
        return cleaned


def describe_stock_item(item) -> str:
    return _("%(part)s · %(available)s available · %(condition)s%(location)s") % {
        "part": item.part.name,
        "available": item.quantity_available,
        "condition": item.get_condition_display().lower(),
        "location": f" · {item.location}" if item.location else "",
    }


def _measure(value: Decimal) -> str:
    return number_format(trimmed(value), force_grouping=True)


def describe_capability(capability) -> str:
    limits = [
        label % {"value": _measure(value)}
        for label, value in (
            (_("Ø up to %(value)s mm"), capability.max_diameter_mm),
            (_("length up to %(value)s mm"), capability.max_length_mm),
            (_("up to %(value)s kg"), capability.max_weight_kg),
        )
        if value is not None
    ]
    if capability.best_it_grade is not None:
        limits.append(f"IT{capability.best_it_grade}")
    limits.append(
        ngettext("%(days)d day", "%(days)d days", capability.lead_time_days) % {"days": capability.lead_time_days}
    )
    return " · ".join([str(capability.get_process_display()), *limits])


class MaterialsField(forms.CharField):
    """Materials by any of their designations, separated by commas; each must be known to the catalogue."""

    def clean(self, value):
        text = super().clean(value)
        written = [designation.strip() for designation in text.split(",") if designation.strip()]
        found = material_ids_by_designations(written)
        unknown = [designation for designation in written if designation not in found]
        if unknown:
            raise forms.ValidationError(
                _(
                    "The catalogue does not know %(designations)s. Write each as the catalogue does (AISI 1045, C45) or leave it out."
                )
                % {"designations": ", ".join(unknown)},
                code="unknown_material",
            )
        return list(dict.fromkeys(found[designation] for designation in written))


class CapabilityForm(forms.Form):
    """A process the workshop can perform and its limits (the engine matches on these).

    ``taken`` are the processes the plant already records: one capability per process, so the list does
    not show them. The field still accepts them, so that a form sent twice reaches web.once and finds the
    first one; a second capability for a process is the service's to refuse.
    """

    process = forms.ChoiceField(label=_("Process"), choices=Process.choices)
    materials = MaterialsField(
        label=_("Materials"),
        help_text=_(
            "Designations separated by commas, in any standard: AISI 1045, C45, 1.0503. Rewinding and balancing need none."
        ),
        required=False,
        max_length=MAX_TEXT,
    )
    max_diameter_mm = AmountField(
        label=_("Largest diameter (mm)"), required=False, max_digits=10, decimal_places=3, min_value=MIN_ENVELOPE
    )
    max_length_mm = AmountField(
        label=_("Longest length (mm)"), required=False, max_digits=10, decimal_places=3, min_value=MIN_ENVELOPE
    )
    max_weight_kg = AmountField(
        label=_("Heaviest weight (kg)"), required=False, max_digits=10, decimal_places=3, min_value=MIN_ENVELOPE
    )
    best_it_grade = forms.IntegerField(
        label=_("Best IT grade"),
        help_text=_("The tightest ISO 286 tolerance you hold: a lower number is tighter (IT7 is finer than IT9)."),
        required=False,
        min_value=1,
        max_value=18,
    )
    lead_time_days = forms.IntegerField(
        label=_("Usual lead time (days)"), min_value=0, max_value=MAX_LEAD_TIME_DAYS, initial=14
    )
    notes = forms.CharField(
        label=_("Notes"),
        help_text=_("Machines, certifications, what you do not take."),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, taken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].widget.choices = [(code, label) for code, label in Process.choices if code not in taken]


class NewCapabilityForm(OnceForm, CapabilityForm):
    pass


class QuoteForm(forms.Form):
    """The source plant's quote on a match: the API's `price`, `currency`, `lead_time_days`, `quantity`."""

    price = OfferForm.base_fields["price"]
    currency = OfferForm.base_fields["currency"]
    lead_time_days = OfferForm.base_fields["lead_time_days"]
    quantity = forms.IntegerField(
        label=_("Units you can supply"),
        help_text=_("Leave it as proposed unless you can supply fewer."),
        min_value=1,
        max_value=MAX_QUANTITY,
        required=False,
    )


class ShipForm(forms.Form):
    note = forms.CharField(
        label=_("Carrier and tracking"),
        help_text=_("Who carries it and how to follow it: the requester reads it."),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
