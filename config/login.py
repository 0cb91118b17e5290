"""Password logins, throttled per client like the API's token endpoint."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from knox.models import get_token_model
from knox.views import LogoutView
from rest_framework.authentication import SessionAuthentication
from rest_framework.throttling import SimpleRateThrottle

from config.authentication import TokenAuthentication
from config.throttling import FailOpen, PackedHistory


class LoginRateThrottle(FailOpen, PackedHistory, SimpleRateThrottle):
    """Counts password attempts (POSTs) per client address, whoever they claim to be."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttled(login_view):
    def view(request, *args, **kwargs):
        if request.method == "POST" and not LoginRateThrottle().allow_request(request, None):
            return HttpResponse(_("Too many login attempts. Wait a minute and try again."), status=429)
        return login_view(request, *args, **kwargs)

    return view


admin_login = throttled(admin.site.login)
# The browsable API's session login, for plant staff who are not administrators.
api_login = throttled(auth_views.LoginView.as_view(template_name="rest_framework/login.html"))
session_logout = auth_views.LogoutView.as_view()


class ApiLogoutView(LogoutView):
    """Revokes the token the request came with; a browsable-API session is signed out instead."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]

    @extend_schema(
        request=None, responses={204: None}, description=gettext_lazy("Revoke the token sent with this request.")
    )
    def post(self, request, format=None):
        if isinstance(request.auth, get_token_model()):
            return super().post(request, format=format)
        return session_logout(request._request)


api_logout = ApiLogoutView.as_view()
