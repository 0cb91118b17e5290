"""Query-string filters of the inventory API.

Numbers and designations are compared normalized, by equality or prefix on
the indexed normalized columns, never by a case-insensitive substring scan.
"""

from django import forms
from django.db.models import F, Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.utils import label_for_filter

from .models import Capability, Interchange, Material, Part, Plant, StockItem
from .normalization import normalize_code
from .processes import Process
from .selectors import interchangeable_parts, part_find_by_number, parts_matching_text

MAX_FILTER_TEXT = 200
# The database's id range: larger values would overflow the query, not just find nothing.
MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


# The plant's Venezuelan state, not a record's status.
PLANT_STATE = Plant._meta.get_field("state").verbose_name


class TextFilter(filters.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_FILTER_TEXT)
        super().__init__(*args, **kwargs)


class FilterSet(filters.FilterSet):
    """django-filter's FilterSet, with its form class built once per filter set instead of on every request.

    The form class holds the fields of the class's own filters; each form instance copies them, as Django
    forms do, so no request sees another's values.
    """

    @classmethod
    def shared_form_class(cls):
        if "_shared_form_class" not in cls.__dict__:
            for filter_ in cls.base_filters.values():
                # A class's own filters know no model (an instance's copies do): their labels come from the
                # model's field names here, lazily, so that each request reads them in its own language.
                if filter_._label is None:
                    filter_._label = lazy(label_for_filter, str)(
                        cls._meta.model, filter_.field_name, filter_.lookup_expr, filter_.exclude
                    )
            fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
            cls._shared_form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
        return cls._shared_form_class

    def get_form_class(self):
        return self.shared_form_class()


def filter_by_part_number(queryset, text: str, part_field: str):
    """Rows of the part a number names (with or without its brand in front) and of its cross-references."""
    part = part_find_by_number(text)
    if part is None:
        return queryset.none()
    return queryset.filter(interchangeable_parts(part.pk, part_field))


class PlantFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=Plant.Kind.choices)
    ownership = filters.ChoiceFilter(choices=Plant.Ownership.choices)
    state = TextFilter(field_name="state", lookup_expr="iexact")
    sector = TextFilter(field_name="sector", lookup_expr="iexact")
    search = TextFilter(method="filter_search", label=_("name, city or sector contains"))

    class Meta:
        model = Plant
        fields = ["kind", "ownership", "state", "sector", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(city__icontains=value) | Q(sector__icontains=value))


class MaterialFilter(FilterSet):
    designation = TextFilter(method="filter_designation", label=_("any designation of the grade, normalized"))
    family = filters.ChoiceFilter(choices=Material.Family.choices)

    class Meta:
        model = Material
        fields = ["designation", "family"]

    def filter_designation(self, queryset, name, value):
        return queryset.filter(designations__normalized=normalize_code(value))


class PartFilter(FilterSet):
    number = TextFilter(method="filter_number", label=_("part number, any brand, normalized"))
    search = TextFilter(method="filter_search", label=_("name or description contains, or a number starts with"))
    category = TextFilter(field_name="category", lookup_expr="iexact")

    class Meta:
        model = Part
        fields = ["number", "search", "category"]

    def filter_number(self, queryset, name, value):
        return filter_by_part_number(queryset, value, "pk")

    def filter_search(self, queryset, name, value):
        return queryset.filter(parts_matching_text(value))


class StockItemFilter(FilterSet):
    plant = IdFilter(field_name="plant_id")
    part = IdFilter(field_name="part_id")
    number = TextFilter(method="filter_number", label=_("part number, any brand, normalized"))
    condition = filters.ChoiceFilter(choices=StockItem.Condition.choices)
    exchangeable = filters.BooleanFilter()
    state = TextFilter(field_name="plant__state", lookup_expr="iexact", label=PLANT_STATE)
    available = filters.BooleanFilter(method="filter_available", label=_("has units not reserved"))

    class Meta:
        model = StockItem
        fields = ["plant", "part", "number", "condition", "exchangeable", "state", "available"]

    def filter_number(self, queryset, name, value):
        return filter_by_part_number(queryset, value, "part_id")

    def filter_available(self, queryset, name, value):
        has_units = Q(quantity__gt=F("reserved"))
        return queryset.filter(has_units) if value else queryset.exclude(has_units)


class CapabilityFilter(FilterSet):
    plant = IdFilter(field_name="plant_id")
    process = filters.ChoiceFilter(choices=Process.choices)
    material = IdFilter(method="filter_material", label=_("material"))
    state = TextFilter(field_name="plant__state", lookup_expr="iexact", label=PLANT_STATE)

    class Meta:
        model = Capability
        fields = ["plant", "process", "material", "state"]

    def filter_material(self, queryset, name, value):
        return queryset.filter(
            pk__in=Capability.materials.through.objects.filter(material_id=value).values("capability_id")
        )


class InterchangeFilter(FilterSet):
    part = IdFilter(method="filter_part", label=_("the part, on either side"))
    status = filters.ChoiceFilter(choices=Interchange.Status.choices)

    class Meta:
        model = Interchange
        fields = ["part", "status"]

    def filter_part(self, queryset, name, value):
        return queryset.filter(Q(part_id=value) | Q(substitute_id=value))
