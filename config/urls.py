from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from config import health, language, login

urlpatterns = [
    path("health/", health.health, name="health"),
    path("admin/login/", login.admin_login),
    path("admin/", admin.site.urls),
    # Named as rest_framework's own, so the browsable API links to them.
    path(
        "api/auth/",
        include(
            (
                [
                    path("login/", login.api_login, name="login"),
                    path("logout/", login.api_logout, name="logout"),
                ],
                "rest_framework",
            )
        ),
    ),
    path("api/", include("config.api")),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("", include("web.urls")),
]
# Photos in development; in production the proxy or the object store serves MEDIA_URL (docs/operations.md).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
