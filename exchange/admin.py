"""The exchange in the Django admin: the match review queue, requests, catalogue merges and the dashboard.

Every change of state goes through exchange.services (or exchange.catalogue);
status and quantities are never plain editable fields here.
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from inventory.admin import (
    PartAdmin,
    PartNumberSearchMixin,
    PlantStateColumn,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    ServiceErrorsAsMessagesMixin,
    plant_state_filter,
    processes_field,
)
from inventory.changelists import CappedChangeListMixin, CappedCountPaginator
from inventory.errors import ConflictError
from inventory.models import Part

from . import catalogue, dashboard, engine, rates, selectors, services, urgency
from .models import ExchangeRate, Match, MatchStatusChange, Notification, PartRequest, RequestPhoto, RequestStatusChange
from .transitions import TRANSITIONS

SERVICE_REFUSALS = (ConflictError, PermissionDenied, ValidationError)

# The exchange's name on every admin page, in place of Django's.
admin.site.site_header = _("Exchange of spare parts — administration")
admin.site.site_title = _("Exchange of spare parts")
admin.site.index_title = _("Administration")
# The index and the breadcrumbs lead everywhere the sidebar does; without it the review queue has the
# width of a 1,280 px screen for its columns.
admin.site.enable_nav_sidebar = False

# The names of the score's parts, as the engine stores them in a match's explanation.
SCORE_PART_LABELS = {
    "fit": _("fit to the part"),
    "distance": _("distance"),
    "lead_time": _("lead time"),
    "record": _("record of the source"),
    "coverage": _("units covered"),
}


def refusal_text(error) -> str:
    if isinstance(error, ConflictError):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or gettext("Not allowed.")


def admin_link(obj):
    if obj is None:
        return "—"
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj)


def plant_with_state(plant) -> str:
    return f"{plant.name} ({plant.state})" if plant.state else plant.name


def action_page(model_admin, request, template, title, *, form, selected, action):
    """The intermediate page of an action that needs more input; it posts back to the same action."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.opts,
        "form": form,
        "selected": selected,
        "action": action,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, template, context)


class MatchStatusChangeInline(ReadOnlyInline):
    model = MatchStatusChange
    fields = ["at", "from_status", "to_status", "user", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class RequestStatusChangeInline(MatchStatusChangeInline):
    model = RequestStatusChange


class ReviewStatusFilter(admin.SimpleListFilter):
    """Status, showing the proposals awaiting review when nothing is chosen."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"
    DISCREPANCY = "discrepancy"

    def lookups(self, request, model_admin):
        return [*Match.Status.choices, (self.DISCREPANCY, _("Units in transit to resolve")), (self.ALL, _("All"))]

    def value(self):
        return super().value() or Match.Status.PROPOSED

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        if self.value() == self.DISCREPANCY:
            return queryset.filter(pk__in=selectors.matches_with_discrepancy().values("pk"))
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("what became of them"), choices=Match.Resolution.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)


def quote_text(match) -> str:
    if not match.is_quoted:
        return "—"
    return gettext("%(price)s %(currency)s · %(days)d d") % {
        "price": formats.number_format(match.quote_price, 2, force_grouping=True),
        "currency": match.quote_currency,
        "days": match.quote_lead_time_days,
    }


class ReviewQueuePaginator(CappedCountPaginator):
    """Reads a page in the queue's order group by group (selectors.review_queue_slice) instead of sorting
    every proposal; counts like every changelist, up to its limit."""

    def __init__(self, *args, in_queue_order, **kwargs):
        super().__init__(*args, **kwargs)
        self.in_queue_order = in_queue_order

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        stop = start + self.per_page
        if self.in_queue_order:
            rows = selectors.review_queue_slice(self.object_list, start, stop)
        else:
            rows = self.object_list[start:stop]
        return self._get_page(rows, number, self)


def two_lines(first, second):
    return format_html('{}<br><span class="quiet">{}</span>', first, second)


@admin.register(Match)
class MatchAdmin(CappedChangeListMixin, PartNumberSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    part_lookup = "request__part"
    # Few, dense columns: the queue fits a 1,280 px screen beside the filters.
    list_display = ["match_id", "part_and_quantity", "plants", "source_and_distance", "score_display", "quote", "age"]
    list_display_links = ["match_id", "part_and_quantity"]
    list_filter = [
        ReviewStatusFilter,
        "source",
        "origin",
        "request__criticality",
        plant_state_filter("request__plant__state", _("requesting state")),
        plant_state_filter("source_plant__state", _("source state")),
    ]
    list_select_related = ["request__plant", "request__part", "source_plant"]
    # What the queue's columns and each row's checkbox write: building every column of the five tables a page's
    # 250 instances join (explanations, dates) was a third of reading the page.
    list_row_fields = [
        "request__plant__name",
        "request__plant__state",
        "request__part__name",
        "request__number",
        "request__description",
        "request__criticality",
        "quantity",
        "source",
        "source_plant__name",
        "source_plant__state",
        "distance_km",
        "score",
        "quote_price",
        "quote_currency",
        "quote_lead_time_days",
        "created_at",
        "status",
    ]
    search_fields = ["request__plant__name", "source_plant__name"]
    actions = ["approve_selected", "reject_selected"]
    inlines = [MatchStatusChangeInline]
    change_form_template = "admin/exchange/match/change_form.html"
    fields = [
        "request_link",
        "status",
        "source",
        "origin",
        "source_link",
        "source_plant",
        "quantity",
        "score",
        "distance_km",
        "explanation_table",
        "request_photos",
        "quote",
        "quoted_at",
        "quote_rate",
        "quote_price_usd",
        "usd_avoided",
        "usd_domestic_cost",
        "usd_net",
        "days_gained",
        "reject_reason",
        "decline_reason",
        "decline_note",
        "ship_note",
        "quantity_shipped",
        "quantity_received",
        "received_into_stock",
        "in_transit",
        "quantity_lost",
        "quantity_returned",
        "created_at",
        "updated_at",
        "fulfilled_at",
    ]
    readonly_fields = [
        "request_link",
        "source_link",
        "explanation_table",
        "request_photos",
        "quote",
        "in_transit",
        "usd_net",
    ]

    class Media:
        css = {"all": ["exchange/admin.css"]}

    def get_queryset(self, request):
        # Annotated before ordering: the default ordering sorts on the annotation.
        today = timezone.localdate()
        queryset = self.model._default_manager.annotate(
            urgency=urgency.urgency_rank("request__"), downtime_weight=urgency.stopped_weight(today, "request__")
        )
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return selectors.review_queue_ordering()

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # A column chosen in the header (ORDER_VAR) sorts the plain way; the queue's own order reads by groups.
        return ReviewQueuePaginator(
            self.rows_read(queryset),
            per_page,
            orphans,
            allow_empty_first_page,
            in_queue_order=ORDER_VAR not in request.GET,
        )

    def get_urls(self):
        def review_view(view):
            return self.admin_site.admin_view(require_POST(view))

        return [
            path(
                "dashboard/",
                self.admin_site.admin_view(lambda request: dashboard.dashboard_view(request, self.admin_site)),
                name="exchange_dashboard",
            ),
            path("<int:match_id>/approve/", review_view(self.approve_view), name="exchange_match_approve"),
            *(
                path(
                    f"<int:match_id>/{review}/",
                    review_view(partial(self.form_review_view, review=review)),
                    name=f"exchange_match_{review}",
                )
                for review in self.FORM_REVIEWS
            ),
            *super().get_urls(),
        ]

    # The change page is a read-only record (ReadOnlyAdminMixin); the review happens through its buttons
    # and the changelist's actions, which call the services.
    def has_review_permission(self, request):
        return request.user.has_perm("exchange.change_match")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        match = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if match is not None and self.has_review_permission(request):
            extra_context |= {
                "can_approve": match.status in TRANSITIONS["approve"][0],
                "can_reject": match.status in TRANSITIONS["reject"][0],
                "reject_form": RejectForm(auto_id="id_review_%s"),
                "can_resolve": match.quantity_in_transit > 0,
                "resolve_form": ResolveForm(auto_id="id_resolve_%s"),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def approve_view(self, request, match_id):
        match = self._reviewed_match(request, match_id)
        self._review(
            request,
            match,
            lambda: services.match_approve(match=match, user=request.user),
            gettext("Match #%(id)d approved."),
        )
        return self._back_to(match)

    # The reviews that ask something first: review -> (its form, its service, the refusal, the success).
    FORM_REVIEWS = {
        "reject": (
            RejectForm,
            services.match_reject,
            _("Not rejected: %(field)s: %(errors)s"),
            _("Match #%(id)d rejected."),
        ),
        "resolve": (
            ResolveForm,
            services.match_resolve,
            _("Not resolved: %(field)s: %(errors)s"),
            _("Match #%(id)d: the units in transit are resolved."),
        ),
    }

    def form_review_view(self, request, match_id, review):
        """A refused form names its first field in error, with its errors; nothing is done."""
        form_class, service, refused, done = self.FORM_REVIEWS[review]
        match = self._reviewed_match(request, match_id)
        form = form_class(request.POST)
        if form.is_valid():
            self._review(request, match, lambda: service(match=match, user=request.user, **form.cleaned_data), done)
        else:
            name, errors = next(iter(form.errors.items()))
            self.message_user(
                request, refused % {"field": form.fields[name].label, "errors": " ".join(errors)}, messages.ERROR
            )
        return self._back_to(match)

    def _reviewed_match(self, request, match_id):
        if not self.has_review_permission(request):
            raise PermissionDenied
        return get_object_or_404(Match, pk=match_id)

    def _review(self, request, match, service_call, done):
        try:
            service_call()
        except SERVICE_REFUSALS as error:
            self.message_user(
                request,
                gettext("Match #%(id)d: %(reason)s") % {"id": match.pk, "reason": refusal_text(error)},
                messages.ERROR,
            )
        else:
            self.message_user(request, done % {"id": match.pk}, messages.SUCCESS)

    def _back_to(self, match):
        return HttpResponseRedirect(reverse("admin:exchange_match_change", args=[match.pk]))

    # Columns

    @admin.display(description="#", ordering="pk")
    def match_id(self, match):
        return match.pk

    @admin.display(description=pgettext_lazy("queue column", "part"), ordering="urgency")
    def part_and_quantity(self, match):
        part_request = match.request
        return two_lines(
            f"{part_request.part_label} × {match.quantity}",
            f"{part_request.get_criticality_display()} · #{part_request.pk}",
        )

    @admin.display(description=pgettext_lazy("queue column", "plants"), ordering="request__plant__name")
    def plants(self, match):
        return two_lines(plant_with_state(match.request.plant), f"← {plant_with_state(match.source_plant)}")

    @admin.display(description=pgettext_lazy("queue column", "source"), ordering="distance_km")
    def source_and_distance(self, match):
        if match.distance_km is None:
            return two_lines(match.get_source_display(), "—")
        # Rounded first: number_format cuts the decimals it does not show.
        distance = formats.number_format(round(match.distance_km), force_grouping=True)
        return two_lines(match.get_source_display(), f"{distance} km")

    @admin.display(description=pgettext_lazy("queue column", "score"), ordering="score")
    def score_display(self, match):
        return formats.number_format(round(match.score, 2), 2)

    @admin.display(description=pgettext_lazy("queue column", "waiting"), ordering="created_at")
    def age(self, match):
        return two_lines(timesince(match.created_at, timezone.now(), depth=1), match.get_status_display())

    @admin.display(description=pgettext_lazy("queue column", "quote"))
    def quote(self, match):
        return quote_text(match)

    # Change page

    @admin.display(description=_("net saving (USD)"))
    def usd_net(self, match):
        return "—" if match.usd_net is None else formats.number_format(match.usd_net, 2, force_grouping=True)

    @admin.display(description=_("request"))
    def request_link(self, match):
        return admin_link(match.request)

    @admin.display(description=_("stock item or capability"))
    def source_link(self, match):
        return admin_link(match.stock_item or match.capability)

    @admin.display(description=_("units in transit"))
    def in_transit(self, match):
        if match.has_discrepancy:
            return format_html(
                '<strong class="discrepancy">{}</strong>',
                ngettext(
                    "%(units)d unit shipped and not received: resolve it at the top of the page.",
                    "%(units)d units shipped and not received: resolve them at the top of the page.",
                    match.quantity_in_transit,
                )
                % {"units": match.quantity_in_transit},
            )
        return match.quantity_in_transit

    @admin.display(description=_("why this match"))
    def explanation_table(self, match):
        explanation = match.explanation or {}
        weights = explanation.get("weights", {})
        score_rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    SCORE_PART_LABELS.get(name, name),
                    formats.number_format(round(value, 2), 2),
                    formats.number_format(weights[name]) if name in weights else "—",
                )
                for name, value in explanation.get("parts", {}).items()
            ),
        )
        record = explanation.get("record") or {}
        facts = [
            (gettext("distance (km)"), explanation.get("distance_km", "—")),
            (gettext("lead time (days)"), explanation.get("lead_time_days", "—")),
            (gettext("fulfilled matches"), record.get("fulfilled", "—")),
            (gettext("cancelled matches"), record.get("cancelled", "—")),
        ]
        return format_html(
            '<p class="explanation-summary">{}</p>'
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>"
            "<table><tbody>{}</tbody></table>",
            match.summary,
            gettext("part of the score"),
            gettext("value (0–1)"),
            gettext("weight"),
            score_rows,
            format_html_join(
                "", "<tr><th>{}</th><td>{}</td></tr>", ((name, formats.localize(value)) for name, value in facts)
            ),
        )

    @admin.display(description=_("photos of the part"))
    def request_photos(self, match):
        photos = match.request.photos.all()
        if not photos:
            return gettext("The request has no photos.")
        return format_html_join(
            " ",
            '<a href="{}"><img src="{}" alt="{}" loading="lazy" class="request-photo"></a>',
            ((photo.image.url, photo.thumbnail.url, gettext("Photo of the part")) for photo in photos),
        )

    # Actions

    @admin.action(description=_("Approve the selected matches"), permissions=["review"])
    def approve_selected(self, request, queryset):
        self._apply_to_each(
            request,
            queryset,
            lambda match: services.match_approve(match=match, user=request.user),
            lambda count: ngettext("%(count)d match approved.", "%(count)d matches approved.", count),
            lambda: gettext("%(ids)s could not be approved: %(reason)s"),
        )

    @admin.action(description=_("Reject the selected matches…"), permissions=["review"])
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._apply_to_each(
                request,
                queryset,
                lambda match: services.match_reject(match=match, user=request.user, reason=reason),
                lambda count: ngettext("%(count)d match rejected.", "%(count)d matches rejected.", count),
                lambda: gettext("%(ids)s could not be rejected: %(reason)s"),
            )
            return None
        return action_page(
            self,
            request,
            "admin/exchange/match/reject_selected.html",
            gettext("Reject matches"),
            form=form,
            selected=queryset,
            action="reject_selected",
        )

    def _apply_to_each(self, request, queryset, service_call, success_message, refusal_message):
        """Each match in its own transaction: one refusal does not undo the others.

        The matches refused for the same reason are named together in one message.
        """
        done = 0
        refused = {}
        for match in queryset.order_by("pk"):
            try:
                service_call(match)
            except SERVICE_REFUSALS as error:
                refused.setdefault(refusal_text(error), []).append(f"#{match.pk}")
            else:
                done += 1
        for reason, ids in refused.items():
            self.message_user(request, refusal_message() % {"ids": ", ".join(ids), "reason": reason}, messages.ERROR)
        if done:
            self.message_user(request, success_message(done) % {"count": done}, messages.SUCCESS)


class MatchInline(ReadOnlyInline):
    model = Match
    fk_name = "request"
    fields = ["source", "source_plant", "score", "status", "quantity", "distance_km", "summary"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source_plant").order_by("-score", "pk")

    @admin.display(description=_("why"))
    def summary(self, match):
        return match.summary


class RequestPhotoInline(ReadOnlyInline):
    model = RequestPhoto
    fields = ["preview", "at", "uploaded_by"]
    readonly_fields = fields

    @admin.display(description=_("photo"))
    def preview(self, photo):
        return format_html(
            '<a href="{}"><img src="{}" alt="" loading="lazy" style="max-height: 120px"></a>',
            photo.image.url,
            photo.thumbnail.url,
        )


class PartRequestForm(forms.ModelForm):
    processes = processes_field()

    class Meta:
        model = PartRequest
        fields = sorted(services.EDITABLE_REQUEST_FIELDS)


@admin.register(PartRequest)
class PartRequestAdmin(
    CappedChangeListMixin, PartNumberSearchMixin, ServiceErrorsAsMessagesMixin, PlantStateColumn, admin.ModelAdmin
):
    form = PartRequestForm
    list_display = [
        "request_id",
        "what",
        "plant",
        "plant_state",
        "quantity",
        "quantity_fulfilled",
        "criticality",
        "stopped_since",
        "downtime_so_far",
        "status",
        "needed_by",
        "created_at",
    ]
    list_display_links = ["request_id", "what"]
    list_filter = ["status", "criticality", plant_state_filter("plant__state")]
    list_select_related = ["plant", "part"]
    # What the columns and each row's checkbox write, the downtime's facts among them.
    list_row_fields = [
        "part__name",
        "number",
        "description",
        "plant__name",
        "plant__state",
        "quantity",
        "quantity_fulfilled",
        "criticality",
        "stopped_since",
        "downtime_usd_per_day",
        "status",
        "needed_by",
        "created_at",
    ]
    search_fields = ["plant__name", "number", "description"]
    autocomplete_fields = ["part", "material"]
    readonly_fields = [
        "plant",
        "status",
        "quantity_fulfilled",
        "downtime_so_far",
        "created_by",
        "created_at",
        "matched_at",
    ]
    inlines = [RequestPhotoInline, MatchInline, RequestStatusChangeInline]
    actions = ["rematch_selected"]

    def get_fields(self, request, obj=None):
        return [*self.readonly_fields, *PartRequestForm.Meta.fields]

    @admin.display(description="#", ordering="pk")
    def request_id(self, part_request):
        return part_request.pk

    @admin.display(description=_("part"))
    def what(self, part_request):
        return part_request.part_label

    @admin.display(description=_("stopped so far"))
    def downtime_so_far(self, part_request):
        today = timezone.localdate()
        days = part_request.days_stopped(today)
        if days is None:
            return "-"
        cost = part_request.downtime_cost_usd(today)
        stopped = ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
        if cost is None:
            return stopped
        return gettext("%(stopped)s · %(cost)s USD") % {
            "stopped": stopped,
            "cost": formats.number_format(cost, 2, use_l10n=True, force_grouping=True),
        }

    # Requests are posted by the plants that need the parts; the admin corrects them.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if changed:
            services.part_request_update(part_request=obj, user=request.user, **changed)

    @admin.action(description=_("Run matching again for the selected requests"), permissions=["change"])
    def rematch_selected(self, request, queryset):
        proposals = 0
        for part_request in queryset.order_by("pk"):
            proposals += engine.part_request_match(part_request_id=part_request.pk)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Matched %(count)d request: %(proposals)d proposals.",
                "Matched %(count)d requests: %(proposals)d proposals.",
                count,
            )
            % {"count": count, "proposals": proposals},
        )


class PartWithNumbersChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, part):
        numbers = ", ".join(str(number) for number in part.numbers.all())
        return f"#{part.pk} {part.name} ({numbers})" if numbers else f"#{part.pk} {part.name}"


class MergeForm(forms.Form):
    keep = PartWithNumbersChoiceField(
        label=_("part to keep"), queryset=Part.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = parts


# inventory must not import exchange, yet a merge moves requests too. So the
# merge action is added here, where both apps are visible: the catalogue's
# Part admin is replaced by a subclass, keeping everything inventory (and any
# mixin added to it there) defines.
admin.site.unregister(Part)


@admin.register(Part)
class CataloguePartAdmin(PartAdmin):
    actions = [*PartAdmin.actions, "merge_selected"]

    @admin.action(description=_("Merge the selected duplicates into one…"), permissions=["change", "delete"])
    def merge_selected(self, request, queryset):
        parts = queryset.prefetch_related("numbers").order_by("pk")
        form = MergeForm(request.POST if "keep" in request.POST else None, parts=parts)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                result = catalogue.part_merge(keep=keep, duplicates=parts, user=request.user)
            except SERVICE_REFUSALS as error:
                self.message_user(request, refusal_text(error), messages.ERROR)
                return None
            self.message_user(
                request,
                gettext(
                    "Merged into %(part)s: %(numbers)d numbers, %(stock)d stock items, %(requests)d requests "
                    "and %(interchanges)d interchanges moved."
                )
                % {
                    "part": result.part,
                    "numbers": result.numbers_moved,
                    "stock": result.stock_items_moved,
                    "requests": result.requests_moved,
                    "interchanges": result.interchanges_moved,
                },
                messages.SUCCESS,
            )
            return None
        return action_page(
            self,
            request,
            "admin/inventory/part/merge_selected.html",
            gettext("Merge duplicate parts"),
            form=form,
            selected=parts,
            action="merge_selected",
        )


class NotificationReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("yes", _("Read")), ("no", _("Unread"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(read_at__isnull=self.value() == "no")
        return queryset


@admin.register(Notification)
class NotificationAdmin(CappedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "user", "plant", "kind", "request_id", "text", "read_at"]
    list_filter = ["kind", NotificationReadFilter]
    list_select_related = ["user", "plant", "request__part", "match__source_plant"]
    search_fields = ["user__username", "plant__name"]
    fields = ["at", "user", "plant", "kind", "request", "match", "text", "details", "read_at"]
    readonly_fields = fields


@admin.register(ExchangeRate)
class ExchangeRateAdmin(CappedChangeListMixin, ServiceErrorsAsMessagesMixin, admin.ModelAdmin):
    list_display = ["date", "rate", "currency", "source", "created_by"]
    list_filter = ["source", "currency"]
    date_hierarchy = "date"
    fields = ["date", "currency", "rate", "source", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        rates.exchange_rate_save(exchange_rate=obj, user=request.user)


# Registered from their own module; imported here, where the admin looks for this app's classes.
from . import clearance_admin  # noqa: E402, F401
