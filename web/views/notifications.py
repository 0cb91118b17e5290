"""What happened to the acting plant's shortages and matches: unread first; read by opening or all at once."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from exchange import selectors, services
from exchange.models import Notification

from ..acting import acting_plant_required

PAGE_SIZE = 50


@acting_plant_required
@require_GET
def notification_list(request):
    plant_id = request.acting.plant.pk
    notices = list(selectors.notifications_for(request.user, plant_id=plant_id, limit=PAGE_SIZE))
    return render(
        request,
        "web/notifications/list.html",
        {"notices": notices, "unread": any(notice.read_at is None for notice in notices), "page_size": PAGE_SIZE},
    )


@acting_plant_required
@require_POST
def notification_open(request, notification_id):
    """Mark the notice read and go to what it speaks of (the match, else the shortage)."""
    notice = selectors.notifications_for(request.user).filter(pk=notification_id).first()
    if notice is None:
        raise Http404
    services.notification_mark_read(notification=notice, user=request.user)
    return redirect(_address(notice))


@acting_plant_required
@require_POST
def notifications_read_all(request):
    marked = services.notifications_mark_all_read(user=request.user, plant_id=request.acting.plant.pk)
    if marked:
        messages.success(request, _("All notices are marked read."))
    return redirect("/notifications/")


def _address(notice: Notification) -> str:
    if notice.match_id:
        return f"/matches/{notice.match_id}/"
    return f"/requests/{notice.request_id}/"
