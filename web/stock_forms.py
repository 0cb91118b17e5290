"""Forms of the store's pages; field names are the API's (SPEC "Web pages")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inventory.models import Part, StockItem

from .forms import OnceForm

CONDITION_CHOICES = [("", _("Any condition")), *StockItem.Condition.choices]
QUANTITY_WIDGET = forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*", "min": 0})


class StockSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by number or name"),
        required=False,
        max_length=200,
        help_text=_("Any brand's number (FAG 6205-2RS, 6205 2rs) or words of the part's name."),
        widget=forms.TextInput(attrs={"type": "search", "autocapitalize": "none", "spellcheck": "false"}),
    )
    condition = forms.ChoiceField(label=_("Condition"), choices=CONDITION_CHOICES, required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class StockItemForm(OnceForm):
    """A new stock item, its part given by any brand's number (or, from a part's link, by ``part``).

    ``name`` is asked only after a number the catalogue does not know: with it, the part is added.
    """

    number = forms.CharField(
        label=_("Part number"),
        required=False,
        max_length=100,
        help_text=_("As written on the part or its box, in any brand: FAG 6205-2RS, SKF 6205-2RSH."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    part = forms.ModelChoiceField(queryset=Part.objects.all(), required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Name of the part, to add it to the catalogue"),
        required=False,
        max_length=200,
        help_text=_("For example: Rodamiento rígido de bolas 25x52x15. Other plants search by it."),
    )
    quantity = forms.IntegerField(label=_("Units counted"), min_value=0, max_value=10_000_000, widget=QUANTITY_WIDGET)
    condition = forms.ChoiceField(
        label=_("Condition"), choices=StockItem.Condition.choices, initial=StockItem.Condition.NEW
    )
    location = forms.CharField(
        label=_("Location"),
        required=False,
        max_length=200,
        help_text=_("Shelf and bin, as the store names them: E3-B2."),
    )
    exchangeable = forms.BooleanField(
        label=_("Other plants may ask for these units"),
        required=False,
        initial=True,
        help_text=_(
            "Untick only for units the plant must keep: stock that is not exchangeable is never offered to "
            "a plant whose production is stopped."
        ),
    )

    def __init__(self, *args, ask_name=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_name:
            self.fields["name"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("part") and not cleaned.get("number", "").strip() and "number" not in self.errors:
            self.add_error("number", _("Write the part's number."))
        return cleaned


class StockCountForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Units counted in the bin"),
        min_value=0,
        max_value=10_000_000,
        widget=forms.NumberInput(attrs={**QUANTITY_WIDGET.attrs, "class": "count-input", "autocomplete": "off"}),
        error_messages={"required": _("Write how many units you counted.")},
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class StockImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("Columns: número de parte and cantidad; optionally marca, ubicación, condición, intercambiable."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": _("Choose the file to load.")},
    )
    create_parts = forms.BooleanField(
        label=_("Add to the catalogue the parts whose number it does not know (the nombre column names them)"),
        required=False,
    )


class StockImportConfirmForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
