"""The language switch: Django's set_language, which also keeps a signed-in person's choice for their e-mails."""

from contextlib import suppress

from django.core.exceptions import ValidationError
from django.views.i18n import set_language as django_set_language

from inventory import services


def set_language(request):
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        # A language the site does not offer is refused by the service, as Django's view has ignored it.
        with suppress(ValidationError):
            services.profile_language_set(user=request.user, language=request.POST.get("language", ""))
    return response
