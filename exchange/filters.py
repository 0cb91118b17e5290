from django_filters import rest_framework as filters

from inventory.filters import FilterSet, IdFilter, TextFilter

from .models import Criticality, Match, Notification, PartRequest


class PartRequestFilter(FilterSet):
    plant = IdFilter(field_name="plant_id")
    status = filters.ChoiceFilter(choices=PartRequest.Status.choices)
    criticality = filters.ChoiceFilter(choices=Criticality.choices)
    part = IdFilter(field_name="part_id")
    state = TextFilter(field_name="plant__state", lookup_expr="iexact")

    class Meta:
        model = PartRequest
        fields = ["plant", "status", "criticality", "part", "state"]


class MatchFilter(FilterSet):
    request = IdFilter(field_name="request_id")
    status = filters.ChoiceFilter(choices=Match.Status.choices)
    source = filters.ChoiceFilter(choices=Match.Source.choices)
    source_plant = IdFilter(field_name="source_plant_id")

    class Meta:
        model = Match
        fields = ["request", "status", "source", "source_plant"]


class NotificationFilter(FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")
    plant = IdFilter(field_name="plant_id")
    kind = filters.ChoiceFilter(choices=Notification.Kind.choices)

    class Meta:
        model = Notification
        fields = ["unread", "plant", "kind"]
