"""Import clearances in the admin: the asked ones first, each decided on its page by granting or refusing it.

The page is a read-only record; its two forms post to views that call exchange.clearances.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from inventory.admin import ReadOnlyAdminMixin, plant_state_filter
from inventory.changelists import CappedChangeListMixin

from . import clearances
from .admin import SERVICE_REFUSALS, ReviewStatusFilter, admin_link, refusal_text
from .models import Clearance, Match


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)


def sources_table(sources) -> str:
    if not sources:
        return gettext("No domestic source was found or offered.")
    rows = format_html_join(
        "",
        "<tr><td>#{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                source["match"],
                source["plant"],
                Match.Source(source["source"]).label,
                Match.Status(source["outcome"]).label,
                clearances.source_reason(source) or "—",
            )
            for source in sources
        ),
    )
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
        gettext("match"),
        gettext("source plant"),
        gettext("source"),
        gettext("outcome"),
        gettext("reason"),
        rows,
    )


class AskedFirstStatusFilter(ReviewStatusFilter):
    """Status, showing the clearances waiting for a decision when nothing is chosen."""

    def lookups(self, request, model_admin):
        return [*Clearance.Status.choices, (self.ALL, _("All"))]

    def value(self):
        return admin.SimpleListFilter.value(self) or Clearance.Status.ASKED


@admin.register(Clearance)
class ClearanceAdmin(CappedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["serial", "request_link", "plant", "status", "asked_at", "granted_at", "valid_until"]
    list_filter = [AskedFirstStatusFilter, plant_state_filter("request__plant__state")]
    list_select_related = ["request__plant", "request__part"]
    search_fields = ["serial", "request__plant__name"]
    change_form_template = "admin/exchange/clearance/change_form.html"
    fields = [
        "serial",
        "status",
        "request_link",
        "plant",
        "sources_considered",
        "note",
        "asked_by",
        "asked_at",
        "granted_by",
        "granted_at",
        "valid_until",
        "digest",
        "verify_link",
    ]
    readonly_fields = ["request_link", "plant", "sources_considered", "verify_link"]

    class Media:
        css = {"all": ["exchange/admin.css"]}

    def get_urls(self):
        def decision_view(view):
            return self.admin_site.admin_view(require_POST(view))

        return [
            path("<int:clearance_id>/grant/", decision_view(self.grant_view), name="exchange_clearance_grant"),
            path("<int:clearance_id>/refuse/", decision_view(self.refuse_view), name="exchange_clearance_refuse"),
            *super().get_urls(),
        ]

    def has_decision_permission(self, request):
        return request.user.has_perm("exchange.change_clearance")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        clearance = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if clearance is not None and self.has_decision_permission(request):
            extra_context |= {
                "can_decide": clearance.status == Clearance.Status.ASKED,
                "grant_form": DecisionForm(auto_id="id_grant_%s"),
                "refuse_form": DecisionForm(auto_id="id_refuse_%s"),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def grant_view(self, request, clearance_id):
        return self._decide(request, clearance_id, clearances.clearance_grant, gettext("Clearance %(serial)s granted."))

    def refuse_view(self, request, clearance_id):
        return self._decide(
            request, clearance_id, clearances.clearance_refuse, gettext("Clearance %(serial)s refused.")
        )

    def _decide(self, request, clearance_id, service, done):
        if not self.has_decision_permission(request):
            raise PermissionDenied
        clearance = get_object_or_404(Clearance, pk=clearance_id)
        form = DecisionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            service(clearance=clearance, user=request.user, note=note)
        except SERVICE_REFUSALS as error:
            self.message_user(
                request,
                gettext("Clearance %(serial)s: %(reason)s")
                % {"serial": clearance.serial, "reason": refusal_text(error)},
                messages.ERROR,
            )
        else:
            self.message_user(request, done % {"serial": clearance.serial}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:exchange_clearance_change", args=[clearance.pk]))

    @admin.display(description=_("request"))
    def request_link(self, clearance):
        return admin_link(clearance.request)

    @admin.display(description=_("requesting plant"), ordering="request__plant__name")
    def plant(self, clearance):
        return clearance.request.plant.name

    @admin.display(description=_("sources considered"))
    def sources_considered(self, clearance):
        return sources_table(clearance.sources)

    @admin.display(description=_("public page"))
    def verify_link(self, clearance):
        if not clearance.serial:
            return "—"
        url = f"/verify/{clearance.serial}/"
        return format_html('<a href="{}">{}</a>', url, url)
