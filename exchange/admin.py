"""The exchange in the Django admin: the match review queue, requests, catalogue merges and the dashboard.

Every change of state goes through exchange.services (or exchange.catalogue);
status and quantities are never plain editable fields here.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

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
from inventory.errors import ConflictError
from inventory.models import Part

from . import catalogue, dashboard, engine, services
from .models import Criticality, Match, MatchStatusChange, Notification, PartRequest, RequestPhoto, RequestStatusChange

SERVICE_REFUSALS = (ConflictError, PermissionDenied, ValidationError)


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


def requested_part_label(part_request) -> str:
    """The part as the request names it: the catalogue part, else the number as written, else the description."""
    if part_request.part_id:
        return part_request.part.name
    return part_request.number or part_request.description[:60]


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


# The review queue sorts production-stopped shortages first.
STOPPED_FIRST = Case(
    When(request__criticality=Criticality.PRODUCTION_STOPPED, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


class ReviewStatusFilter(admin.SimpleListFilter):
    """Status, showing the proposals awaiting review when nothing is chosen."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Match.Status.choices, (self.ALL, _("All"))]

    def value(self):
        return super().value() or Match.Status.PROPOSED

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
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


@admin.register(Match)
class MatchAdmin(PartNumberSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    part_lookup = "request__part"
    list_display = [
        "match_id",
        "part_and_quantity",
        "requesting_plant",
        "source_plant_and_state",
        "source",
        "distance",
        "score_display",
        "criticality",
        "age",
        "quote",
        "status",
    ]
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
    search_fields = ["request__plant__name", "source_plant__name"]
    show_full_result_count = False
    # A reviewer works down the top of the queue; a shorter page renders in half the time.
    list_per_page = 50
    actions = ["approve_selected", "reject_selected"]
    inlines = [MatchStatusChangeInline]
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
        "quote",
        "quoted_at",
        "usd_avoided",
        "reject_reason",
        "ship_note",
        "created_at",
        "updated_at",
        "fulfilled_at",
    ]
    readonly_fields = ["request_link", "source_link", "explanation_table", "quote"]

    def get_queryset(self, request):
        # Annotated before ordering: the default ordering sorts on the annotation.
        queryset = self.model._default_manager.annotate(stopped_first=STOPPED_FIRST)
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["stopped_first", "created_at", "-score"]

    def get_urls(self):
        dashboard_url = path(
            "dashboard/",
            self.admin_site.admin_view(lambda request: dashboard.dashboard_view(request, self.admin_site)),
            name="exchange_dashboard",
        )
        return [dashboard_url, *super().get_urls()]

    # The change page is a read-only record (ReadOnlyAdminMixin); the review happens through the actions.
    def has_review_permission(self, request):
        return request.user.has_perm("exchange.change_match")

    # Columns

    @admin.display(description="#", ordering="pk")
    def match_id(self, match):
        return match.pk

    @admin.display(description=_("part × quantity"))
    def part_and_quantity(self, match):
        return f"{requested_part_label(match.request)} × {match.quantity}"

    @admin.display(description=_("requesting plant"), ordering="request__plant__name")
    def requesting_plant(self, match):
        return plant_with_state(match.request.plant)

    @admin.display(description=_("source plant"), ordering="source_plant__name")
    def source_plant_and_state(self, match):
        return plant_with_state(match.source_plant)

    @admin.display(description=_("distance (km)"), ordering="distance_km")
    def distance(self, match):
        return "—" if match.distance_km is None else f"{match.distance_km:,.0f}"

    @admin.display(description=_("score"), ordering="score")
    def score_display(self, match):
        return f"{match.score:.2f}"

    @admin.display(description=_("criticality"), ordering="stopped_first")
    def criticality(self, match):
        return match.request.get_criticality_display()

    @admin.display(description=_("waiting for"), ordering="created_at")
    def age(self, match):
        return timesince(match.created_at, timezone.now(), depth=1)

    @admin.display(description=_("quote"))
    def quote(self, match):
        if not match.is_quoted:
            return "—"
        return gettext("%(price)s %(currency)s, %(days)d days") % {
            "price": match.quote_price,
            "currency": match.quote_currency,
            "days": match.quote_lead_time_days,
        }

    # Change page

    @admin.display(description=_("request"))
    def request_link(self, match):
        return admin_link(match.request)

    @admin.display(description=_("stock item or capability"))
    def source_link(self, match):
        return admin_link(match.stock_item or match.capability)

    @admin.display(description=_("why this match"))
    def explanation_table(self, match):
        explanation = match.explanation or {}
        weights = explanation.get("weights", {})
        score_rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((name, f"{value:.2f}", weights.get(name, "—")) for name, value in explanation.get("parts", {}).items()),
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
            explanation.get("summary", ""),
            gettext("part of the score"),
            gettext("value (0–1)"),
            gettext("weight"),
            score_rows,
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", facts),
        )

    # Actions

    @admin.action(description=_("Approve the selected matches"), permissions=["review"])
    def approve_selected(self, request, queryset):
        self._apply_to_each(
            request,
            queryset,
            lambda match: services.match_approve(match=match, user=request.user),
            lambda count: ngettext("%(count)d match approved.", "%(count)d matches approved.", count),
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

    def _apply_to_each(self, request, queryset, service_call, success_message):
        """Each match in its own transaction: one refusal does not undo the others."""
        done = 0
        for match in queryset.order_by("pk"):
            try:
                service_call(match)
            except SERVICE_REFUSALS as error:
                self.message_user(
                    request,
                    gettext("Match #%(id)d: %(reason)s") % {"id": match.pk, "reason": refusal_text(error)},
                    messages.ERROR,
                )
            else:
                done += 1
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
        return (match.explanation or {}).get("summary", "")


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
class PartRequestAdmin(PartNumberSearchMixin, ServiceErrorsAsMessagesMixin, PlantStateColumn, admin.ModelAdmin):
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
        "status",
        "needed_by",
        "created_at",
    ]
    list_display_links = ["request_id", "what"]
    list_filter = ["status", "criticality", plant_state_filter("plant__state")]
    list_select_related = ["plant", "part"]
    search_fields = ["plant__name", "number", "description"]
    show_full_result_count = False
    autocomplete_fields = ["part", "material"]
    readonly_fields = ["plant", "status", "quantity_fulfilled", "created_by", "created_at", "matched_at"]
    inlines = [RequestPhotoInline, MatchInline, RequestStatusChangeInline]
    actions = ["rematch_selected"]

    def get_fields(self, request, obj=None):
        return [*self.readonly_fields, *PartRequestForm.Meta.fields]

    @admin.display(description="#", ordering="pk")
    def request_id(self, part_request):
        return part_request.pk

    @admin.display(description=_("part"))
    def what(self, part_request):
        return requested_part_label(part_request)

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
                    "Merged into %(part)s: %(numbers)d numbers, %(stock)d stock items and %(requests)d requests moved."
                )
                % {
                    "part": result.part,
                    "numbers": result.numbers_moved,
                    "stock": result.stock_items_moved,
                    "requests": result.requests_moved,
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
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "user", "plant", "kind", "request_id", "text", "read_at"]
    list_filter = ["kind", NotificationReadFilter]
    list_select_related = ["user", "plant", "request__part", "match__source_plant"]
    search_fields = ["user__username", "plant__name"]
    show_full_result_count = False
    fields = ["at", "user", "plant", "kind", "request", "match", "text", "details", "read_at"]
    readonly_fields = fields
