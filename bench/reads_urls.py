"""bench/reads.py's URLconf: the project's, and the floor every read is compared with."""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView


class Floor(APIView):
    """Token authentication, the default permission and the throttles; no query of its own."""

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [path("bench-floor/", Floor.as_view()), path("", include("config.urls"))]
