"""Exchange endpoints: each write calls one service; domain errors become 409 in config.exceptions."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from config.pagination import IdCursorPagination
from config.parsers import ParsedBodyMixin
from config.permissions import IsAdminOrReadOnly
from inventory import access

from . import clearances, figures, rates, selectors, services, transparency
from .filters import ClearanceFilter, ExchangeRateFilter, MatchFilter, NotificationFilter, PartRequestFilter
from .models import ExchangeRate, Match, Notification, PartRequest, RequestPhoto
from .serializers import (
    ClearanceSerializer,
    DeclineSerializer,
    ExchangeRateSerializer,
    FulfilSerializer,
    MatchOfferSerializer,
    MatchSerializer,
    NoteSerializer,
    NotificationSerializer,
    NotificationsReadAllSerializer,
    PartRequestSerializer,
    PartRequestUpdateSerializer,
    QuoteInputSerializer,
    RejectSerializer,
    RequestPhotoSerializer,
    ResolveSerializer,
    StatsSerializer,
)

CONFLICT = OpenApiResponse(description=_("The current status does not allow this, or the units are gone."))


PHOTO_UPLOAD = inline_serializer(
    "PhotoUpload", {"photos": serializers.ListField(child=serializers.ImageField(), help_text=_("One or more files."))}
)
PHOTOS = inline_serializer("RequestPhotos", {"photos": RequestPhotoSerializer(many=True)})


class BestFirstPagination(IdCursorPagination):
    ordering = ("-score", "-id")


@extend_schema_view(partial_update=extend_schema(responses={200: PartRequestSerializer, 409: CONFLICT}))
class PartRequestViewSet(ParsedBodyMixin, viewsets.ModelViewSet):
    filterset_class = PartRequestFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        requests = PartRequest.objects.all()
        user = self.request.user
        if self.action == "list":
            requests = requests.prefetch_related("photos")
        if access.is_administrator(user):
            return requests
        # Open shortages are public to every plant: finding sources across plants is the point.
        plant_ids = access.plant_ids_acted_for(user)
        return requests.filter(
            Q(status=PartRequest.Status.OPEN)
            | Q(plant_id__in=plant_ids)
            | Q(pk__in=Match.objects.filter(source_plant_id__in=plant_ids).values("request_id"))
        )

    def get_serializer_class(self):
        if self.action in {"update", "partial_update"}:
            return PartRequestUpdateSerializer
        return PartRequestSerializer

    def perform_create(self, serializer):
        photos = self.request.FILES.getlist("photos")
        if photos:
            serializer.instance = services.part_request_create_with_photos(
                user=self.request.user, image_files=photos, **serializer.validated_data
            )
        else:
            serializer.instance = services.part_request_create(user=self.request.user, **serializer.validated_data)
        # Without a broker the engine ran on commit and set matched_at: answer what is stored now.
        serializer.instance.refresh_from_db()

    def perform_update(self, serializer):
        serializer.instance = services.part_request_update(
            part_request=serializer.instance, user=self.request.user, **serializer.validated_data
        )

    def _matches_page(self, part_request):
        matches = selectors.matches_visible_to(self.request.user).filter(request=part_request)
        page = self.paginate_queryset(matches)
        return self.get_paginated_response(MatchSerializer(page, many=True).data)

    @extend_schema(responses=MatchSerializer(many=True), filters=False)
    @action(detail=True, filterset_class=None, pagination_class=BestFirstPagination)
    def matches(self, request, pk=None):
        return self._matches_page(self.get_object())

    @extend_schema(request=None, responses={200: MatchSerializer(many=True), 409: CONFLICT}, filters=False)
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=BestFirstPagination)
    def rematch(self, request, pk=None):
        part_request = self.get_object()
        services.part_request_rematch(part_request=part_request, user=request.user)
        return self._matches_page(part_request)

    @extend_schema(request=NoteSerializer, responses={200: PartRequestSerializer, 409: CONFLICT}, filters=False)
    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request, pk=None):
        note = _validated(NoteSerializer, request)["note"]
        part_request = services.part_request_cancel(part_request=self.get_object(), user=request.user, note=note)
        return Response(self.get_serializer(part_request).data)

    @extend_schema(
        request={"multipart/form-data": PHOTO_UPLOAD},
        responses={201: PHOTOS, 409: CONFLICT},
        filters=False,
        description=_("Add photos of the worn part (JPEG, PNG or WebP) to an open request of your plant."),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def photos(self, request, pk=None):
        part_request = self.get_object()
        files = request.FILES.getlist("photos") + request.FILES.getlist("image")
        services.part_request_photos_add(part_request=part_request, user=request.user, image_files=files)
        # Read again: get_object's prefetched photos are those from before the upload.
        photos = RequestPhoto.objects.filter(request=part_request)
        photos = RequestPhotoSerializer(photos, many=True, context=self.get_serializer_context())
        return Response({"photos": photos.data}, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={201: ClearanceSerializer, 409: CONFLICT},
        filters=False,
        description=_(
            "Ask for an import clearance for your plant's open request; 409 with the reason while it is not "
            "allowed (open too recently, a domestic source not yet rejected or declined with a reason, or a "
            "new source the engine finds now)."
        ),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def clearance(self, request, pk=None):
        clearance = clearances.clearance_ask(part_request=self.get_object(), user=request.user)
        return Response(ClearanceSerializer(clearance).data, status=status.HTTP_201_CREATED)


def _validated(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def match_action(service, input_serializer=None):
    """A lifecycle action named after its service: parse the body, call the service, answer the match."""

    def act(self, request, pk=None):
        arguments = _validated(input_serializer, request) if input_serializer else {}
        match = service(match=self.get_object(), user=request.user, **arguments)
        return Response(MatchSerializer(match).data)

    act.__name__ = service.__name__.removeprefix("match_")
    act = action(detail=True, methods=["post"], filterset_class=None)(act)
    return extend_schema(request=input_serializer, responses={200: MatchSerializer, 409: CONFLICT}, filters=False)(act)


class MatchViewSet(
    ParsedBodyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    filterset_class = MatchFilter

    def get_queryset(self):
        return selectors.matches_visible_to(self.request.user)

    def get_serializer_class(self):
        return MatchOfferSerializer if self.action == "create" else MatchSerializer

    @extend_schema(
        request=MatchOfferSerializer,
        responses={201: MatchSerializer, 200: MatchSerializer, 409: CONFLICT},
        description=_(
            "Offer your plant's stock item or capability on an open request: 201 with a new match, or 200 with "
            "the match the engine had already proposed from that source, now quoted."
        ),
    )
    def create(self, request, *args, **kwargs):
        offer = _validated(MatchOfferSerializer, request)
        proposed = selectors.match_of_source(
            part_request=offer["request"], stock_item=offer.get("stock_item"), capability=offer.get("capability")
        )
        match = services.match_offer_create(part_request=offer.pop("request"), user=request.user, **offer)
        return Response(MatchSerializer(match).data, status=status.HTTP_200_OK if proposed else status.HTTP_201_CREATED)

    approve = match_action(services.match_approve)
    reject = match_action(services.match_reject, RejectSerializer)
    quote = match_action(services.match_quote, QuoteInputSerializer)
    accept = match_action(services.match_accept)
    ship = match_action(services.match_ship, NoteSerializer)
    fulfil = match_action(services.match_fulfil, FulfilSerializer)
    resolve = match_action(services.match_resolve, ResolveSerializer)
    decline = match_action(services.match_decline, DeclineSerializer)
    cancel = match_action(services.match_cancel, NoteSerializer)


class ClearanceViewSet(ParsedBodyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Import clearances: every granted one, those of the caller's plants, all of them for administrators."""

    serializer_class = ClearanceSerializer
    filterset_class = ClearanceFilter

    def get_queryset(self):
        return transparency.clearances_visible_to(self.request.user)

    @extend_schema(request=NoteSerializer, responses={200: ClearanceSerializer, 409: CONFLICT}, filters=False)
    @action(detail=True, methods=["post"], filterset_class=None)
    def grant(self, request, pk=None):
        note = _validated(NoteSerializer, request)["note"]
        clearance = clearances.clearance_grant(clearance=self.get_object(), user=request.user, note=note)
        return Response(self.get_serializer(clearance).data)

    @extend_schema(request=NoteSerializer, responses={200: ClearanceSerializer, 409: CONFLICT}, filters=False)
    @action(detail=True, methods=["post"], filterset_class=None)
    def refuse(self, request, pk=None):
        note = _validated(NoteSerializer, request)["note"]
        clearance = clearances.clearance_refuse(clearance=self.get_object(), user=request.user, note=note)
        return Response(self.get_serializer(clearance).data)


class NotificationViewSet(ParsedBodyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's notifications, newest first; another user's are not found."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        # By id: the schema generator asks as an anonymous user, who has none.
        return Notification.objects.filter(user_id=self.request.user.pk).select_related(
            "request__part", "match__source_plant"
        )

    @extend_schema(request=None, responses=NotificationSerializer, filters=False)
    @action(detail=True, methods=["post"], filterset_class=None)
    def read(self, request, pk=None):
        notification = services.notification_mark_read(notification=self.get_object(), user=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=NotificationsReadAllSerializer,
        responses=inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()}),
        filters=False,
    )
    @action(detail=False, methods=["post"], url_path="read-all", filterset_class=None)
    def read_all(self, request):
        plant_id = _validated(NotificationsReadAllSerializer, request).get("plant")
        return Response({"marked": services.notifications_mark_all_read(user=request.user, plant_id=plant_id)})


class StatsView(APIView):
    @extend_schema(responses=StatsSerializer)
    def get(self, request):
        stats, computed_at = figures.exchange_stats()
        return Response(StatsSerializer({**stats, "computed_at": computed_at}).data)


class LatestFirstPagination(IdCursorPagination):
    ordering = ("-date", "-id")


class ExchangeRateViewSet(
    ParsedBodyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Bolívares per dollar, day by day: every member reads them, administrators enter them."""

    queryset = ExchangeRate.objects.all()
    serializer_class = ExchangeRateSerializer
    permission_classes = [IsAdminOrReadOnly]
    filterset_class = ExchangeRateFilter
    pagination_class = LatestFirstPagination

    def perform_create(self, serializer):
        serializer.instance = rates.exchange_rate_save(
            exchange_rate=ExchangeRate(**serializer.validated_data), user=self.request.user
        )
