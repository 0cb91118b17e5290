"""Inventory endpoints: thin viewsets that narrow reads and call the services, which check who acts."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.permissions import CatalogueWrites, IsAdminOrReadOnly, PlantManagersWrite, PlantRecordsWrite

from . import access, services
from .filters import CapabilityFilter, InterchangeFilter, MaterialFilter, PartFilter, PlantFilter, StockItemFilter
from .models import Capability, Interchange, Material, Membership, Part, Plant, StockItem
from .processes import Process
from .serializers import (
    CapabilitySerializer,
    CapabilityUpdateSerializer,
    InterchangeSerializer,
    MaterialSerializer,
    MembershipSerializer,
    PartSerializer,
    PlantSerializer,
    ProcessSerializer,
    StockItemSerializer,
    StockMovementSerializer,
)

CONFLICT = OpenApiResponse(description=_("The change conflicts with the current state."))
READ_CREATE_UPDATE = ["get", "post", "patch", "head", "options"]
READ_CREATE_UPDATE_DELETE = [*READ_CREATE_UPDATE, "delete"]


class PlantViewSet(viewsets.ModelViewSet):
    queryset = Plant.objects.all()
    serializer_class = PlantSerializer
    permission_classes = [IsAdminOrReadOnly]
    filterset_class = PlantFilter
    http_method_names = READ_CREATE_UPDATE

    def perform_create(self, serializer):
        serializer.instance = services.plant_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.plant_update(
            plant=serializer.instance, user=self.request.user, **serializer.validated_data
        )


@extend_schema_view(create=extend_schema(description=_("Adds a member, or changes the role of an existing one.")))
class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MembershipSerializer
    permission_classes = [PlantManagersWrite]
    filterset_fields = ["plant", "role"]

    def get_queryset(self):
        memberships = Membership.objects.select_related("user")
        if access.is_administrator(self.request.user):
            return memberships
        return memberships.filter(plant_id__in=access.plant_ids_acted_for(self.request.user))

    @extend_schema(
        responses={201: MembershipSerializer, 200: MembershipSerializer},
        description=_("Name a member of a plant: 201 for a new membership, 200 when the person already had one there."),
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        already = Membership.objects.filter(user=data["user"], plant=data["plant"]).exists()
        self.perform_create(serializer)
        return Response(serializer.data, status=status.HTTP_200_OK if already else status.HTTP_201_CREATED)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.membership_create(
            member=data["user"],
            plant=data["plant"],
            role=data.get("role", Membership.Role.MEMBER),
            user=self.request.user,
        )

    def perform_destroy(self, membership):
        services.membership_delete(membership=membership, user=self.request.user)


@extend_schema_view(create=extend_schema(responses={201: MaterialSerializer, 409: CONFLICT}))
class MaterialViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = Material.objects.prefetch_related("designations")
    serializer_class = MaterialSerializer
    permission_classes = [IsAdminOrReadOnly]
    filterset_class = MaterialFilter

    def perform_create(self, serializer):
        serializer.instance = services.material_create(user=self.request.user, **serializer.validated_data)


class ProcessViewSet(viewsets.ViewSet):
    """The fixed taxonomy of processes; a short constant list, so it is not paginated."""

    @extend_schema(responses=ProcessSerializer(many=True))
    def list(self, request):
        processes = [{"code": process.value, "label": str(process.label)} for process in Process]
        return Response(ProcessSerializer(processes, many=True).data)


def _number_specs(numbers):
    return [services.NumberSpec(brand=number["brand"], number=number["number"]) for number in numbers]


class PartViewSet(viewsets.ModelViewSet):
    queryset = Part.objects.prefetch_related("numbers")
    serializer_class = PartSerializer
    permission_classes = [CatalogueWrites]
    filterset_class = PartFilter
    http_method_names = READ_CREATE_UPDATE

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        numbers = _number_specs(data.pop("numbers", []))
        serializer.instance = services.part_create(numbers=numbers, user=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        numbers = _number_specs(data.pop("numbers")) if "numbers" in data else None
        serializer.instance = services.part_update(
            part=serializer.instance, numbers=numbers, user=self.request.user, **data
        )


@extend_schema_view(
    partial_update=extend_schema(responses={200: StockItemSerializer, 409: CONFLICT}),
    destroy=extend_schema(responses={204: None, 409: CONFLICT}),
)
class StockItemViewSet(viewsets.ModelViewSet):
    queryset = StockItem.objects.all()
    permission_classes = [PlantRecordsWrite]
    filterset_class = StockItemFilter
    http_method_names = READ_CREATE_UPDATE_DELETE

    def get_serializer_class(self):
        if self.action == "movements":
            return StockMovementSerializer
        return StockItemSerializer

    def perform_create(self, serializer):
        serializer.instance = services.stock_item_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.stock_item_update(
            stock_item=serializer.instance, user=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, stock_item):
        services.stock_item_delete(stock_item=stock_item, user=self.request.user)

    @extend_schema(responses=StockMovementSerializer(many=True), filters=False)
    @action(detail=True, filterset_class=None)
    def movements(self, request, pk=None):
        stock_item = self.get_object()
        page = self.paginate_queryset(stock_item.movements.all())
        # A match that moved these units sent them out of this plant's store or into it, so this plant's
        # members and administrators are exactly who may see that match (exchange.selectors.matches_visible_to).
        reveals_matches = access.keeps_records_of_plant(request.user, stock_item.plant_id)
        serializer = StockMovementSerializer(page, many=True, context={"reveals_matches": reveals_matches})
        return self.get_paginated_response(serializer.data)


@extend_schema_view(destroy=extend_schema(responses={204: None, 409: CONFLICT}))
class CapabilityViewSet(viewsets.ModelViewSet):
    queryset = Capability.objects.prefetch_related("materials")
    permission_classes = [PlantRecordsWrite]
    filterset_class = CapabilityFilter
    http_method_names = READ_CREATE_UPDATE_DELETE

    def get_serializer_class(self):
        if self.action in {"update", "partial_update"}:
            return CapabilityUpdateSerializer
        return CapabilitySerializer

    def perform_create(self, serializer):
        serializer.instance = services.capability_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.capability_update(
            capability=serializer.instance, user=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, capability):
        services.capability_delete(capability=capability, user=self.request.user)


FORBIDDEN = OpenApiResponse(description=access.NOT_AN_ADMINISTRATOR)


@extend_schema_view(
    create=extend_schema(
        description=_("Propose that a part can be fitted where another is needed; it counts once approved."),
        responses={201: InterchangeSerializer, 409: CONFLICT},
    )
)
class InterchangeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Interchangeable parts: catalogue knowledge every signed-in user reads; members propose, administrators decide."""

    queryset = Interchange.objects.all()
    serializer_class = InterchangeSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = InterchangeFilter

    def perform_create(self, serializer):
        serializer.instance = services.interchange_propose(user=self.request.user, **serializer.validated_data)

    @extend_schema(
        request=None,
        responses={200: InterchangeSerializer, 403: FORBIDDEN},
        filters=False,
        description=_("Approve it: its substitute's stock becomes a candidate for the part's open requests."),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        return self._decided(services.interchange_approve)

    @extend_schema(
        request=None,
        responses={200: InterchangeSerializer, 403: FORBIDDEN},
        filters=False,
        description=_("Reject a proposal, or withdraw an approved interchange from matching."),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request, pk=None):
        return self._decided(services.interchange_reject)

    def _decided(self, decide):
        interchange = decide(interchange=self.get_object(), user=self.request.user)
        return Response(self.get_serializer(interchange).data)
