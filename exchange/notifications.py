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
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from inventory.models import Membership

from .models import Clearance, Match, MatchStatusChange, Notification, PartRequest
from .urgency import by_urgency

# The web pages' addresses are SPEC's contract ("Web pages"): e-mails link to them by path.


def match_page_path(match_id: int) -> str:
    return f"/matches/{match_id}/"


def request_page_path(request_id: int) -> str:
    return f"/requests/{request_id}/"


EVENT_SUBJECTS = {
    "approved": lambda: _("Match #%(match)d approved for request #%(request)d"),
    "rejected": lambda: _("Match #%(match)d rejected for request #%(request)d"),
    "quoted": lambda: _("%(source)s quoted request #%(request)d"),
    "accepted": lambda: _("Quote of match #%(match)d accepted"),
    "shipped": lambda: _("Match #%(match)d shipped"),
    "declined": lambda: _("Match #%(match)d declined"),
    "cancelled": lambda: _("Match #%(match)d cancelled"),
    "fulfilled": lambda: _("Match #%(match)d received"),
    "offered": lambda: _("New offer from %(source)s for request #%(request)d"),
}

# What happened, in one sentence per event; called inside the recipient's language.
EVENT_SENTENCES = {
    "approved": lambda: _(
        "An administrator approved %(source)s as a source of %(quantity)d × %(part)s for request #%(request)d."
    ),
    "rejected": lambda: _("An administrator rejected %(source)s as a source for request #%(request)d (%(part)s)."),
    "quoted": lambda: _(
        "%(source)s quoted %(price)s %(currency)s, %(days)d days, for request #%(request)d (%(quantity)d × %(part)s)."
    ),
    "accepted": lambda: _(
        "%(requester)s accepted the quote of %(source)s (%(price)s %(currency)s, %(days)d days) "
        "for request #%(request)d (%(quantity)d × %(part)s)."
    ),
    "shipped": lambda: _("%(source)s shipped %(quantity)d × %(part)s for request #%(request)d."),
    "fulfilled": lambda: _("%(requester)s received %(quantity)d × %(part)s from %(source)s for request #%(request)d."),
    "declined": lambda: _("%(actor)s declined %(source)s as a source for request #%(request)d (%(part)s)."),
    "cancelled": lambda: _("%(actor)s cancelled match #%(match)d from %(source)s for request #%(request)d (%(part)s)."),
    "offered": lambda: _(
        "%(source)s offers %(quantity)d × %(part)s for %(price)s %(currency)s, %(days)d days, "
        "on request #%(request)d; an administrator reviews it first."
    ),
}

# Events whose history row carries a note the other side should read (the reason, the carrier, the units
# received of those sent).
EVENTS_WITH_NOTE = {"rejected", "declined", "cancelled", "shipped", "fulfilled"}


class Recipient(NamedTuple):
    user_id: int
    plant_id: int
    email: str
    # Blank: the person never chose one, and is written to in settings.LANGUAGE_CODE.
    language: str


def plant_members(plant_ids, *, exclude_user_id: int | None = None) -> list[Recipient]:
    """Active members of these plants, once each, told as a member of the first of ``plant_ids`` they belong to."""
    plant_ids = list(dict.fromkeys(plant_ids))
    rows = (
        Membership.objects.filter(plant_id__in=plant_ids, user__is_active=True)
        .exclude(user_id=exclude_user_id)
        .values_list("user_id", "plant_id", "user__email", "user__profile__language")
    )
    recipients = {}
    for user_id, plant_id, email, language in sorted(rows, key=lambda row: (plant_ids.index(row[1]), row[0])):
        recipients.setdefault(user_id, Recipient(user_id, plant_id, email, language or ""))
    return list(recipients.values())


def _actor_plant_ids(match: Match, actor_id: int | None) -> set[int]:
    plant_ids = [match.request.plant_id, match.source_plant_id]
    return set(Membership.objects.filter(user_id=actor_id, plant_id__in=plant_ids).values_list("plant_id", flat=True))


def match_event_members(match: Match, actor_id: int | None, actor_plants: set[int]) -> list[Recipient]:
    """Members of the plants on the other side from whoever acted (both plants when an administrator acted);
    ``actor_plants`` are the match's plants the actor is a member of."""
    plant_ids = [match.request.plant_id, match.source_plant_id]
    recipient_plants = [plant_id for plant_id in plant_ids if plant_id not in actor_plants] or plant_ids
    return plant_members(recipient_plants, exclude_user_id=actor_id)


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

    Each e-mail is written in its recipient's language and links to the match's page. Answers the
    number of e-mails sent.
    """
    match = Match.objects.select_related("request__plant", "request__part", "source_plant").filter(pk=match_id).first()
    if match is None or event not in EVENT_SUBJECTS:
        return 0
    note = ""
    if event in EVENTS_WITH_NOTE:
        note = MatchStatusChange.objects.filter(pk=history_id).values_list("note", flat=True).first() or ""
    actor_plants = _actor_plant_ids(match, actor_id)
    recipients = match_event_members(match, actor_id, actor_plants)
    details = {"note": note} if note else {}
    if event == "declined" and match.decline_reason:
        details["reason"] = match.decline_reason
    _notify_members(
        recipients,
        kind=Notification.Kind(event),
        request_id=match.request_id,
        match_id=match.pk,
        event_key=f"match-change:{history_id}",
        details=details,
    )
    by_language = {}
    for recipient in recipients:
        if recipient.email:
            by_language.setdefault(recipient.language or settings.LANGUAGE_CODE, set()).add(recipient.email)
    messages = []
    for language, emails in sorted(by_language.items()):
        with translation.override(language):
            subject, body = _match_event_email(match, event, note, actor_plants)
        messages.extend((subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in sorted(emails))
    if not messages:
        return 0
    return send_mass_mail(messages, fail_silently=False)


def _match_event_email(match: Match, event: str, note: str, actor_plants: set[int]) -> tuple[str, str]:
    """The subject and body of one event's e-mail, in the active language."""
    part_request = match.request
    if part_request.plant_id in actor_plants:
        actor = part_request.plant.name
    elif match.source_plant_id in actor_plants:
        actor = match.source_plant.name
    else:
        actor = _("An administrator")
    facts = {
        "match": match.pk,
        "request": part_request.pk,
        "part": part_request.part_label,
        # A receipt tells the units that arrived, which may be fewer than were sent.
        "quantity": match.quantity_received if event == "fulfilled" else match.quantity,
        "source": match.source_plant.name,
        "requester": part_request.plant.name,
        "actor": actor,
        "price": "" if match.quote_price is None else formats.number_format(match.quote_price, 2, force_grouping=True),
        "currency": match.quote_currency,
        "days": match.quote_lead_time_days or 0,
    }
    subject = EVENT_SUBJECTS[event]() % facts
    if event == "declined" and match.decline_reason:
        reason = match.get_decline_reason_display()
        note = f"{reason} — {note}" if note else str(reason)
    body = render_to_string(
        "exchange/email/match_event.txt",
        {
            "match": match,
            "what_happened": EVENT_SENTENCES[event]() % facts,
            "note": note,
            "event": event,
            "link": f"{settings.SITE_URL}{match_page_path(match.pk)}",
            "request_link": f"{settings.SITE_URL}{request_page_path(part_request.pk)}",
        },
    )
    return subject, body


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


def clearance_decided_notify(*, clearance_id: int) -> int:
    """Tell the requesting plant's members that its import clearance was granted or refused; the number told."""
    clearance = Clearance.objects.filter(pk=clearance_id).exclude(status=Clearance.Status.ASKED).first()
    if clearance is None:
        return 0
    kind = (
        Notification.Kind.CLEARANCE_GRANTED
        if clearance.status == Clearance.Status.GRANTED
        else Notification.Kind.CLEARANCE_REFUSED
    )
    return _notify_members(
        plant_members([clearance.request.plant_id]),
        kind=kind,
        request_id=clearance.request_id,
        event_key=f"clearance:{clearance.pk}",
        details={"note": clearance.note} if clearance.note else None,
    )


def proposals_notify(match_ids) -> int:
    """Tell each requesting plant that the engine found new sources: one notification per request and run.

    ``match_ids`` are the proposals one engine run created; those since withdrawn, and those of
    requests no longer open, are left out. The run's first new match names the event, so a retry
    adds nothing and the next run is a new event. The most urgent request is told first. Answers
    the number of requests notified.
    """
    proposals = Match.objects.filter(
        pk__in=list(match_ids), status=Match.Status.PROPOSED, request__status=PartRequest.Status.OPEN
    ).values_list("request_id", "request__plant_id", "id")
    rows = list(proposals.order_by("request_id", "id"))
    if len({request_id for request_id, _, _ in rows}) > 1:
        # Urgency orders requests, not the matches of one: building its SQL takes about 2 ms, more than
        # the whole read, so a run for one request (one just posted) goes without it.
        rows = proposals.order_by(*by_urgency(timezone.localdate(), "request__"), "request_id", "id")
    new_by_request = {}
    for request_id, plant_id, match_id in rows:
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
