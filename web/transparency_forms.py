"""The filters of /transparency/, read from the query string: a shared link keeps them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import _choices_with_blank


class TransparencyFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)

    def __init__(self, *args, states, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = _choices_with_blank([(state, state) for state in states], _("Any state"))
        self.fields["sector"].choices = _choices_with_blank([(sector, sector) for sector in sectors], _("Any sector"))

    def filters(self) -> dict:
        """The filters that validated; one that does not is shown with its error and left out."""
        self.is_valid()
        return {name: self.cleaned_data.get(name, "") for name in ("state", "sector")} if self.is_bound else {}
