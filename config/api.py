from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from knox.views import LoginView
from knox.views import LogoutAllView as KnoxLogoutAllView
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

from config.authentication import TokenAuthentication
from config.throttling import ScopedRateThrottle
from exchange.api import (
    ClearanceViewSet,
    ExchangeRateViewSet,
    MatchViewSet,
    NotificationViewSet,
    PartRequestViewSet,
    StatsView,
)
from inventory.api import (
    CapabilityViewSet,
    InterchangeViewSet,
    MaterialViewSet,
    MembershipViewSet,
    PartViewSet,
    PlantViewSet,
    ProcessViewSet,
    StockItemViewSet,
)


class TokenView(LoginView):
    authentication_classes = []
    permission_classes = [AllowAny]
    # Only this scope: password guessing is throttled per client, whatever its authentication.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    # ObtainAuthToken names DRF's own parsers, which read bodies of any size and depth.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()})
        },
        description=_(
            "Exchange a username and password for a new token to send as 'Authorization: Token <token>'. "
            "It ends at its expiry, at logout, or when the password changes."
        ),
    )
    def post(self, request, format=None):
        credentials = AuthTokenSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        request.user = credentials.validated_data["user"]
        response = super().post(request, format=format)
        # A new token: sent uncompressed (web.middleware.CompressionMiddleware, BREACH), and never cached.
        response.holds_secret = True
        response["Cache-Control"] = "no-store"
        return response


@extend_schema(request=None, responses={204: None}, description=_("Revoke every token of the caller."))
class LogoutAllView(KnoxLogoutAllView):
    authentication_classes = [TokenAuthentication]


router = DefaultRouter()
router.register("plants", PlantViewSet, basename="plant")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("materials", MaterialViewSet, basename="material")
router.register("processes", ProcessViewSet, basename="process")
router.register("parts", PartViewSet, basename="part")
router.register("stock", StockItemViewSet, basename="stock")
router.register("capabilities", CapabilityViewSet, basename="capability")
router.register("interchanges", InterchangeViewSet, basename="interchange")
router.register("requests", PartRequestViewSet, basename="request")
router.register("matches", MatchViewSet, basename="match")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("clearances", ClearanceViewSet, basename="clearance")
router.register("rates", ExchangeRateViewSet, basename="rate")

urlpatterns = [
    # The published contract is public, like any API documentation.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, which the Content-Security-Policy allows.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema", permission_classes=[AllowAny]), name="docs"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="logout-all"),
    path("stats/", StatsView.as_view(), name="stats"),
    # Endpoints that are not viewsets (such as stock/import/) go above the router.
    path("stock/", include("inventory.spreadsheet_api")),
    path("", include(router.urls)),
]
