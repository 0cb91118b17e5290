from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from inventory.filters import PLANT_STATE, FilterSet, IdFilter, TextFilter

from . import rates
from .models import Clearance, Criticality, ExchangeRate, Match, Notification, PartRequest
from .selectors import matches_with_discrepancy


class PartRequestFilter(FilterSet):
    plant = IdFilter(field_name="plant_id")
    status = filters.ChoiceFilter(choices=PartRequest.Status.choices)
    criticality = filters.ChoiceFilter(choices=Criticality.choices)
    part = IdFilter(field_name="part_id")
    state = TextFilter(field_name="plant__state", lookup_expr="iexact", label=PLANT_STATE)

    class Meta:
        model = PartRequest
        fields = ["plant", "status", "criticality", "part", "state"]


class MatchFilter(FilterSet):
    request = IdFilter(field_name="request_id")
    status = filters.ChoiceFilter(choices=Match.Status.choices)
    source = filters.ChoiceFilter(choices=Match.Source.choices)
    source_plant = IdFilter(field_name="source_plant_id")
    discrepancy = filters.BooleanFilter(
        method="filter_discrepancy",
        label=_("Units shipped and neither received nor resolved, on a fulfilled or cancelled match"),
    )

    class Meta:
        model = Match
        fields = ["request", "status", "source", "source_plant", "discrepancy"]

    def filter_discrepancy(self, queryset, name, value):
        with_discrepancy = matches_with_discrepancy().values("pk")
        return queryset.filter(pk__in=with_discrepancy) if value else queryset.exclude(pk__in=with_discrepancy)


class NotificationFilter(FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")
    plant = IdFilter(field_name="plant_id")
    kind = filters.ChoiceFilter(choices=Notification.Kind.choices)

    class Meta:
        model = Notification
        fields = ["unread", "plant", "kind"]


class ClearanceFilter(FilterSet):
    request = IdFilter(field_name="request_id")
    status = filters.ChoiceFilter(choices=Clearance.Status.choices)
    serial = TextFilter(field_name="serial", lookup_expr="iexact")

    class Meta:
        model = Clearance
        fields = ["request", "status", "serial"]


class ExchangeRateFilter(FilterSet):
    date = filters.DateFilter(
        method="in_force_on", label=_("The rate in force that day: its own, or the latest before.")
    )
    source = filters.ChoiceFilter(choices=ExchangeRate.Source.choices)

    class Meta:
        model = ExchangeRate
        fields = ["date", "source"]

    def in_force_on(self, queryset, name, value):
        in_force = rates.exchange_rate_in_force(day=value)
        return queryset.filter(pk=in_force.pk) if in_force else queryset.none()
