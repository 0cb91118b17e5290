"""Import clearances: a requester asks, an administrator grants or refuses (SPEC "Import clearance").

A clearance certifies that the exchange found no domestic source for a request. It may be asked and
granted only while every domestic source has been looked at: the request open for
``CLEARANCE_MIN_OPEN_DAYS``, each proposal or offer rejected by an administrator or declined with a
reason, and a fresh run of the engine finding nothing new. A granted clearance keeps a snapshot of
the request and of every source considered, sealed by a SHA-256 digest that ``/verify/<serial>/``
recomputes.
"""

import calendar
import hashlib
import json
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory import access

from . import engine
from .errors import TransitionNotAllowed
from .models import Clearance, DeclineReason, Match, PartRequest
from .services import _close_request, _enqueue_after_commit
from .transitions import OPEN_STATUSES

VALIDITY_MONTHS = 6
LIVE_STATUSES = (Clearance.Status.ASKED, Clearance.Status.GRANTED)


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day where it has fewer (31 August → 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _outcome_note(match: Match) -> str:
    """The note that goes with a source's present status: the requester's, beside a decline's reason; else
    that of the administrator's change (its history loaded: prefetch_related("history"))."""
    if match.status == Match.Status.DECLINED and match.decline_reason:
        return match.decline_note
    changes = [change for change in match.history.all() if change.to_status == match.status]
    return changes[-1].note.strip() if changes else ""


def _decline_reason(match: Match) -> str:
    return match.decline_reason if match.status == Match.Status.DECLINED else ""


def reason_text(decline_reason: str, note: str) -> str:
    """A source's reason as its reader reads it: the decline's reason in the reader's language, then the note."""
    label = str(DeclineReason(decline_reason).label) if decline_reason else ""
    return " — ".join(part for part in (label, note) if part)


def outcome_reason(match: Match) -> str:
    """Why the source came to its present status: a decline's reason with its note, or the note of the
    administrator's change. Load the match's history with it (prefetch_related("history"))."""
    return reason_text(_decline_reason(match), _outcome_note(match))


def source_reason(source: dict) -> str:
    """The reason of a source in a clearance's snapshot, in the reader's language (snapshots sealed before the
    reason's code was kept hold the words written then, in ``reason``)."""
    return reason_text(source.get("decline_reason", ""), source["reason"])


def _sources_considered(part_request: PartRequest) -> list[dict]:
    matches = (
        Match.objects.filter(request=part_request)
        .select_related("source_plant")
        .prefetch_related("history")
        .order_by("id")
    )
    return [
        {
            "match": match.pk,
            "plant": match.source_plant.name,
            "state": match.source_plant.state,
            "source": match.source,
            "origin": match.origin,
            "outcome": match.status,
            # The reason's code, not its words: the certificate is read in its reader's language.
            "decline_reason": _decline_reason(match),
            "reason": _outcome_note(match),
            "quote": (
                {
                    "price": str(match.quote_price),
                    "currency": match.quote_currency,
                    "lead_time_days": match.quote_lead_time_days,
                }
                if match.is_quoted
                else None
            ),
        }
        for match in matches
    ]


def _request_facts(part_request: PartRequest) -> dict:
    plant = part_request.plant
    return {
        "request": part_request.pk,
        "plant": plant.name,
        "state": plant.state,
        "sector": plant.sector,
        "part": part_request.part_label,
        "numbers": [str(number) for number in part_request.part.numbers.all()] if part_request.part_id else [],
        "quantity": part_request.quantity_outstanding,
        "import_price_usd": None if part_request.import_price_usd is None else str(part_request.import_price_usd),
        "posted_on": timezone.localdate(part_request.created_at).isoformat(),
    }


def clearance_content(clearance: Clearance) -> dict:
    """What a granted clearance certifies, as its digest seals it: stored values only, never today's."""
    return {
        "serial": clearance.serial,
        "request": clearance.request_facts,
        "sources": clearance.sources,
        "note": clearance.note,
        "granted_at": clearance.granted_at.isoformat() if clearance.granted_at else None,
        "valid_until": clearance.valid_until.isoformat() if clearance.valid_until else None,
    }


def clearance_digest(clearance: Clearance) -> str:
    """SHA-256 of the content in canonical JSON: keys sorted, no spaces, UTF-8."""
    canonical = json.dumps(clearance_content(clearance), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def clearance_refusal(part_request: PartRequest, today: date) -> str | None:
    """Why the request cannot be cleared now, in words for its plant; None when every condition holds."""
    if part_request.status != PartRequest.Status.OPEN:
        return _("Only an open request can be cleared for import.")
    days_open = (today - timezone.localdate(part_request.created_at)).days
    if days_open < settings.CLEARANCE_MIN_OPEN_DAYS:
        return _(
            "The request has been open %(days)d days: a clearance can be asked once it has been on the board "
            "for %(minimum)d days."
        ) % {"days": days_open, "minimum": settings.CLEARANCE_MIN_OPEN_DAYS}
    for match in Match.objects.filter(request=part_request).select_related("source_plant").prefetch_related("history"):
        facts = {"plant": match.source_plant.name, "match": match.pk}
        if match.status == Match.Status.PROPOSED:
            return (
                _(
                    "%(plant)s (match #%(match)d) is a domestic source nobody has looked at yet: "
                    "an administrator approves or rejects it first."
                )
                % facts
            )
        if match.status in OPEN_STATUSES:
            return _(
                "%(plant)s (match #%(match)d) is still %(status)s: accept it, or decline it with a reason, "
                "before asking for a clearance."
            ) % {**facts, "status": Match.Status(match.status).label}
        if match.status == Match.Status.DECLINED and not outcome_reason(match):
            return (
                _("%(plant)s (match #%(match)d) was declined without a reason: a clearance needs the reason.") % facts
            )
    return None


def _require_clearable(part_request: PartRequest) -> None:
    refusal = clearance_refusal(part_request, timezone.localdate())
    if refusal:
        raise TransitionNotAllowed(refusal)


def _search_again(part_request: PartRequest) -> None:
    """Refuse unless the request is clearable, then run the engine afresh.

    The engine commits its own transaction: a source it finds stays on the request for its plant to
    look at, though the clearance is refused. The cheap checks come first, so that the engine runs only
    for a request that could be cleared.
    """
    _require_clearable(part_request)
    engine.part_request_match(part_request_id=part_request.pk)


def clearance_ask(*, part_request: PartRequest, user) -> Clearance:
    access.require_acts_for_plant(user, part_request.plant_id)
    _search_again(part_request)
    with transaction.atomic():
        part_request = PartRequest.objects.select_for_update(no_key=True).get(pk=part_request.pk)
        _require_clearable(part_request)
        if Clearance.objects.filter(request=part_request, status__in=LIVE_STATUSES).exists():
            raise TransitionNotAllowed(_("A clearance has already been asked for this request."))
        clearance = Clearance.objects.create(
            request=part_request, asked_by=user, sources=_sources_considered(part_request)
        )
        clearance.serial = f"CND-{timezone.localdate(clearance.asked_at).year}-{clearance.pk:06d}"
        clearance.save(update_fields=["serial"])
    return clearance


def _lock_asked(clearance: Clearance) -> Clearance:
    # The request first, as every service of the exchange takes them.
    PartRequest.objects.select_for_update(no_key=True).filter(pk=clearance.request_id).first()
    clearance = (
        Clearance.objects.select_for_update(of=("self",), no_key=True).select_related("request").get(pk=clearance.pk)
    )
    if clearance.status != Clearance.Status.ASKED:
        raise TransitionNotAllowed(
            _("This clearance has already been %(status)s.") % {"status": clearance.get_status_display().lower()}
        )
    return clearance


def _notify_decision(clearance: Clearance) -> None:
    from .tasks import notify_clearance_decided

    _enqueue_after_commit(notify_clearance_decided, clearance.pk)


def clearance_grant(*, clearance: Clearance, user, note: str = "") -> Clearance:
    access.require_administrator(user)
    _search_again(clearance.request)
    with transaction.atomic():
        clearance = _lock_asked(clearance)
        part_request = PartRequest.objects.select_related("plant", "part").get(pk=clearance.request_id)
        _require_clearable(part_request)
        now = timezone.now()
        clearance.status = Clearance.Status.GRANTED
        clearance.note = (note or "").strip()
        clearance.granted_by = access.person(user)
        clearance.granted_at = now
        clearance.valid_until = months_after(timezone.localdate(now), VALIDITY_MONTHS)
        clearance.sources = _sources_considered(part_request)
        clearance.request_facts = _request_facts(part_request)
        clearance.digest = clearance_digest(clearance)
        clearance.save()
        _close_request(
            part_request,
            PartRequest.Status.CLEARED,
            access.person(user),
            _("Cleared for import: %(serial)s.") % {"serial": clearance.serial},
        )
        _notify_decision(clearance)
    return clearance


@transaction.atomic
def clearance_refuse(*, clearance: Clearance, user, note: str) -> Clearance:
    access.require_administrator(user)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say why the clearance is refused.")]})
    clearance = _lock_asked(clearance)
    clearance.status = Clearance.Status.REFUSED
    clearance.note = note
    clearance.granted_by = access.person(user)
    clearance.granted_at = timezone.now()
    clearance.save()
    _notify_decision(clearance)
    return clearance
