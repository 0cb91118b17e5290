"""What the people of a plant are told when a request or one of its matches moves.

Each event leaves a Notification for every active member of the plants
concerned (the facts only: the text is written in the reader's language when
read) and, for the match events, an e-mail to those who have an address.
These functions run in Celery tasks after the change committed; a retried
task writes no notification twice, since each recipient holds one per event
key (the history row of the change, or the request and the engine run).
"""

from typing import NamedTuple

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from inventory.models import Membership

from .models import Match, Notification, PartRequest

EVENT_SUBJECTS = {
    "approved": lambda: _("Match #%(id)d approved"),
    "rejected": lambda: _("Match #%(id)d rejected"),
    "quoted": lambda: _("Match #%(id)d quoted"),
    "accepted": lambda: _("Match #%(id)d accepted"),
    "shipped": lambda: _("Match #%(id)d shipped"),
    "declined": lambda: _("Match #%(id)d declined"),
    "cancelled": lambda: _("Match #%(id)d cancelled"),
    "fulfilled": lambda: _("Match #%(id)d fulfilled"),
    "offered": lambda: _("New offer #%(id)d on your request"),
}


class Recipient(NamedTuple):
    user_id: int
    plant_id: int
    email: str


def plant_members(plant_ids, *, exclude_user_id: int | None = None) -> list[Recipient]:
    """Active members of these plants, once each, told as a member of the first of ``plant_ids`` they belong to."""
    plant_ids = list(dict.fromkeys(plant_ids))
    rows = (
        Membership.objects.filter(plant_id__in=plant_ids, user__is_active=True)
        .exclude(user_id=exclude_user_id)
        .values_list("user_id", "plant_id", "user__email")
    )
    recipients = {}
    for user_id, plant_id, email in sorted(rows, key=lambda row: (plant_ids.index(row[1]), row[0])):
        recipients.setdefault(user_id, Recipient(user_id, plant_id, email))
    return list(recipients.values())


def match_event_members(match: Match, actor_id: int | None) -> list[Recipient]:
    """Members of the plants on the other side from whoever acted (both plants when an administrator acted)."""
    plant_ids = [match.request.plant_id, match.source_plant_id]
    actor_plants = set(
        Membership.objects.filter(user_id=actor_id, plant_id__in=plant_ids).values_list("plant_id", flat=True)
    )
    recipient_plants = [plant_id for plant_id in plant_ids if plant_id not in actor_plants] or plant_ids
    return plant_members(recipient_plants, exclude_user_id=actor_id)


def match_event_recipients(match: Match, actor_id: int | None) -> list[str]:
    """The e-mail addresses of match_event_members."""
    return sorted({recipient.email for recipient in match_event_members(match, actor_id) if recipient.email})


def _notify_members(recipients, *, kind, request_id, event_key, match_id=None, details=None) -> int:
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=recipient.user_id,
                plant_id=recipient.plant_id,
                kind=kind,
                request_id=request_id,
                match_id=match_id,
                details=details or {},
                event_key=event_key,
            )
            for recipient in recipients
        ],
        ignore_conflicts=True,
    )
    return len(recipients)


def match_event_send(*, match_id: int, event: str, actor_id: int | None, history_id: int) -> int:
    """Notify and e-mail the other side of a match event; ``history_id`` is the change's MatchStatusChange.

    Answers the number of e-mails sent.
    """
    match = Match.objects.select_related("request__plant", "request__part", "source_plant").filter(pk=match_id).first()
    if match is None or event not in EVENT_SUBJECTS:
        return 0
    recipients = match_event_members(match, actor_id)
    _notify_members(
        recipients,
        kind=Notification.Kind(event),
        request_id=match.request_id,
        match_id=match.pk,
        event_key=f"match-change:{history_id}",
    )
    emails = sorted({recipient.email for recipient in recipients if recipient.email})
    if not emails:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = EVENT_SUBJECTS[event]() % {"id": match.pk}
        body = render_to_string("exchange/email/match_event.txt", {"match": match, "event": event})
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in emails]
    return send_mass_mail(messages, fail_silently=False)


def request_expired_notify(*, part_request_id: int) -> int:
    """Tell the requesting plant's members that its request expired; the number told."""
    part_request = PartRequest.objects.filter(pk=part_request_id, status=PartRequest.Status.EXPIRED).first()
    if part_request is None:
        return 0
    return _notify_members(
        plant_members([part_request.plant_id]),
        kind=Notification.Kind.EXPIRED,
        request_id=part_request.pk,
        event_key=f"expired:{part_request.pk}",
    )


def proposals_notify(match_ids) -> int:
    """Tell each requesting plant that the engine found new sources: one notification per request and run.

    ``match_ids`` are the proposals one engine run created; those since withdrawn, and those of
    requests no longer open, are left out. The run's first new match names the event, so a retry
    adds nothing and the next run is a new event. Answers the number of requests notified.
    """
    new_by_request = {}
    for request_id, plant_id, match_id in Match.objects.filter(
        pk__in=list(match_ids), status=Match.Status.PROPOSED, request__status=PartRequest.Status.OPEN
    ).values_list("request_id", "request__plant_id", "id"):
        new_by_request.setdefault((request_id, plant_id), []).append(match_id)
    for (request_id, plant_id), new_ids in new_by_request.items():
        _notify_members(
            plant_members([plant_id]),
            kind=Notification.Kind.PROPOSED,
            request_id=request_id,
            event_key=f"proposals:{min(new_ids)}",
            details={"count": len(new_ids)},
        )
    return len(new_by_request)
