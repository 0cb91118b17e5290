"""The browsable API's page titles in the reader's language.

DRF titles a page from its view's class name ("Part Request List"); a model's view is titled here by the
model's translated verbose name instead, and every other title (extra actions, plain views) is looked up
in the catalogue.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from rest_framework.views import get_view_name as class_view_name

# The titles DRF makes from action and class names, for makemessages to find: they are looked up by value.
ACTION_AND_VIEW_TITLES = (
    gettext_noop("Accept"),
    gettext_noop("Api Logout"),
    gettext_noop("Api Root"),
    gettext_noop("Approve"),
    gettext_noop("Cancel"),
    gettext_noop("Catalogue Export"),
    gettext_noop("Clearance"),
    gettext_noop("Decline"),
    gettext_noop("Fulfil"),
    gettext_noop("Grant"),
    gettext_noop("Logout All"),
    gettext_noop("Matches"),
    gettext_noop("Movements"),
    gettext_noop("Photos"),
    gettext_noop("Process List"),
    gettext_noop("Quote"),
    gettext_noop("Read"),
    gettext_noop("Read all"),
    gettext_noop("Refuse"),
    gettext_noop("Reject"),
    gettext_noop("Rematch"),
    gettext_noop("Resolve"),
    gettext_noop("Ship"),
    gettext_noop("Spectacular Api"),
    gettext_noop("Spectacular Swagger Split"),
    gettext_noop("Stats"),
    gettext_noop("Stock Export"),
    gettext_noop("Stock Import"),
    gettext_noop("Template"),
    gettext_noop("Token"),
)


def _model_of(view):
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    # A view DRF builds for the breadcrumbs has served no request, so has no action to choose a serializer
    # by: its declared one names the model.
    if hasattr(view, "action") and hasattr(view, "get_serializer_class"):
        serializer_class = view.get_serializer_class()
    else:
        serializer_class = getattr(view, "serializer_class", None)
    meta = getattr(serializer_class, "Meta", None)
    return getattr(meta, "model", None)


def view_name(view) -> str:
    model = _model_of(view)
    suffix = getattr(view, "suffix", None)
    if getattr(view, "name", None) is None and model is not None and suffix in ("List", "Instance"):
        meta = model._meta
        return capfirst(meta.verbose_name_plural if suffix == "List" else meta.verbose_name)
    return gettext(class_view_name(view))
