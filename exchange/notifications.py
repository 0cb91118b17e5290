"""E-mail to the people of the other plant when a match moves."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from inventory.models import Membership

from .models import Match

EVENT_SUBJECTS = {
    "approved": lambda: _("Match #%(id)d approved"),
    "quoted": lambda: _("Match #%(id)d quoted"),
    "accepted": lambda: _("Match #%(id)d accepted"),
    "shipped": lambda: _("Match #%(id)d shipped"),
    "cancelled": lambda: _("Match #%(id)d cancelled"),
    "fulfilled": lambda: _("Match #%(id)d fulfilled"),
    "offered": lambda: _("New offer #%(id)d on your request"),
}


def match_event_recipients(match: Match, actor_id: int | None) -> list[str]:
    """Members of the plants on the other side from whoever acted (both plants when an administrator acted)."""
    plant_ids = {match.request.plant_id, match.source_plant_id}
    actor_plants = set(
        Membership.objects.filter(user_id=actor_id, plant_id__in=plant_ids).values_list("plant_id", flat=True)
    )
    recipients_plants = plant_ids - actor_plants or plant_ids
    emails = (
        get_user_model()
        .objects.filter(memberships__plant_id__in=recipients_plants, is_active=True)
        .exclude(pk=actor_id)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(emails)


def match_event_send(*, match_id: int, event: str, actor_id: int | None) -> int:
    match = Match.objects.select_related("request__plant", "request__part", "source_plant").filter(pk=match_id).first()
    if match is None or event not in EVENT_SUBJECTS:
        return 0
    recipients = match_event_recipients(match, actor_id)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = EVENT_SUBJECTS[event]() % {"id": match.pk}
        body = render_to_string("exchange/email/match_event.txt", {"match": match, "event": event})
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients]
    return send_mass_mail(messages, fail_silently=False)
