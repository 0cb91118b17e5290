"""The inventory in the Django admin.

Every save and delete goes through inventory.services, as the API's do, so
that who may act and each rule (a count never below the units reserved, a
capability announced to the matching engine) are written once. The forms
only shape the input and show the services' refusals.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from knox.admin import AuthTokenAdmin
from knox.models import AuthToken

from . import access, services
from .changelists import CappedChangeListMixin
from .errors import ConflictError
from .models import (
    Capability,
    Interchange,
    Material,
    MaterialDesignation,
    Membership,
    Part,
    PartNumber,
    Plant,
    StockItem,
    StockMovement,
)
from .normalization import normalize_code
from .processes import Process
from .selectors import part_categories, part_ids_by_numbers, plant_states
from .spreadsheet_admin import (
    CapabilitySpreadsheetAdminMixin,
    PartSpreadsheetAdminMixin,
    StockItemSpreadsheetAdminMixin,
)


def processes_field(**kwargs):
    """The process codes as checkboxes instead of a raw JSON text area."""
    return forms.MultipleChoiceField(
        label=_("processes"), choices=Process.choices, widget=forms.CheckboxSelectMultiple, required=False, **kwargs
    )


def part_ids_numbered(search_term: str):
    """Ids of the parts with a number starting with the search term, normalized, any brand, and of the
    part the term names as a number written with its brand ("fag6205-2rsr", the catalogue's lookup).

    "FAG 6205-2RS" is also tried without its first word, taken as the brand.
    """
    text = search_term.strip()
    brand, _separator, rest = text.partition(" ")
    codes = {normalize_code(text), normalize_code(rest)} - {""}
    prefix_match = Q()
    for code in codes:
        prefix_match |= Q(normalized__startswith=code)
    named = part_ids_by_numbers([text]).get(text)
    if named is not None:
        prefix_match |= Q(part_id=named)
    return PartNumber.objects.filter(prefix_match).values("part_id")


class PartNumberSearchMixin:
    """Search by part number through the indexed normalized column, not icontains on raw text."""

    part_lookup = "part"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if normalize_code(search_term):
            results |= queryset.filter(**{f"{self.part_lookup}__in": part_ids_numbered(search_term)})
        return results, may_have_duplicates


class ServiceErrorsAsMessagesMixin:
    """A service refusing a save (a conflict, a rule) shows as an error message, not a server error.

    The admin's change view runs in one transaction, so whatever the refused
    save had written is rolled back; so does the changelist's delete action.
    """

    def changeform_view(self, request, *args, **kwargs):
        return self._refusals_as_messages(request, super().changeform_view, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._refusals_as_messages(request, super().delete_view, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self._refusals_as_messages(request, super().changelist_view, *args, **kwargs)

    def _refusals_as_messages(self, request, view, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (ConflictError, ValidationError) as error:
            text = error.message if isinstance(error, ConflictError) else " ".join(error.messages)
            self.message_user(request, text, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class NormalizedCodeInlineForm(forms.ModelForm):
    """Reports a code already taken as a form error: the unique constraint is on a column the form does not show."""

    code_field = ""

    def taken(self, normalized):
        raise NotImplementedError

    def clean(self):
        cleaned_data = super().clean()
        code = cleaned_data.get(self.code_field)
        if code and self.taken(normalize_code(code)):
            self.add_error(self.code_field, gettext("This code is already recorded."))
        return cleaned_data


class ReadOnlyAdminMixin:
    """For records that are history: shown, never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


def listed_values_filter(field_path, values, title):
    """Filter by the values ``values()`` lists, a cheap read, where Django's own filter of the field would
    scan the whole filtered table (matches, movements, parts) for its distinct values on every page load."""

    class ListedValuesFilter(admin.SimpleListFilter):
        parameter_name = field_path

        def lookups(self, request, model_admin):
            return [(value, value) for value in values()]

        def queryset(self, request, queryset):
            return queryset.filter(**{field_path: self.value()}) if self.value() else queryset

    ListedValuesFilter.title = title
    return ListedValuesFilter


def plant_state_filter(field_path, title=_("state")):
    """Filter by a plant's state, listing the states from the small plant table."""
    return listed_values_filter(field_path, plant_states, title)


class PlantStateColumn:
    @admin.display(description=_("state"), ordering="plant__state")
    def plant_state(self, obj):
        return obj.plant.state


class PartNumberForm(NormalizedCodeInlineForm):
    code_field = "number"

    class Meta:
        model = PartNumber
        fields = ["brand", "number"]

    def taken(self, normalized):
        part_id = self.instance.part_id
        brand = (self.cleaned_data.get("brand") or "").strip()
        return (
            part_id is not None
            and PartNumber.objects.filter(part_id=part_id, brand=brand, normalized=normalized)
            .exclude(pk=self.instance.pk)
            .exists()
        )


class MaterialDesignationForm(NormalizedCodeInlineForm):
    code_field = "designation"

    class Meta:
        model = MaterialDesignation
        fields = ["designation"]

    def taken(self, normalized):
        return MaterialDesignation.objects.filter(normalized=normalized).exclude(pk=self.instance.pk).exists()


class PartNumberInline(admin.TabularInline):
    model = PartNumber
    form = PartNumberForm
    extra = 1
    fields = ["brand", "number", "normalized"]
    readonly_fields = ["normalized"]


class MaterialDesignationInline(admin.TabularInline):
    model = MaterialDesignation
    form = MaterialDesignationForm
    extra = 1
    fields = ["designation", "normalized"]
    readonly_fields = ["normalized"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


class StockItemInline(ReadOnlyInline):
    """The plant's store at a glance; items are added and counted on the stock item page, through the ledger."""

    model = StockItem
    show_change_link = True
    fields = ["part", "condition", "location", "quantity", "reserved", "exchangeable"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("part")


class CapabilityForm(forms.ModelForm):
    class Meta:
        model = Capability
        fields = [
            "plant",
            "process",
            "materials",
            "max_diameter_mm",
            "max_length_mm",
            "max_weight_kg",
            "best_it_grade",
            "lead_time_days",
            "notes",
        ]


def capability_save(form, plant, user) -> Capability:
    """Create or change a capability through the service, so the engine hears of it."""
    fields = {name: form.cleaned_data[name] for name in CapabilityForm.Meta.fields if name in form.cleaned_data}
    fields.pop("plant", None)
    materials = fields.pop("materials", [])
    if form.instance.pk is None:
        return services.capability_create(plant=plant, materials=materials, user=user, **fields)
    return services.capability_update(capability=form.instance, materials=materials, user=user, **fields)


def record_formset_changes(formset):
    """Fill in what formset.save() would have recorded, for the admin's change message, without saving."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for inline_form in formset.forms:
        if inline_form in formset.deleted_forms:
            if inline_form.instance.pk is not None:
                formset.deleted_objects.append(inline_form.instance)
        elif inline_form.has_changed():
            if inline_form.instance.pk is None:
                formset.new_objects.append(inline_form.instance)
            else:
                formset.changed_objects.append((inline_form.instance, inline_form.changed_data))
    return formset.new_objects or formset.changed_objects or formset.deleted_objects


def inline_formset(formsets, model):
    """The formset of ``model`` among the change form's; None where the user may not change that inline."""
    return next((formset for formset in formsets if formset.model is model), None)


def kept_rows(formset, *fields):
    """The cleaned values of the rows the formset keeps: its list as it will stand after the save."""
    return [
        tuple(inline_form.cleaned_data[name] for name in fields)
        for inline_form in formset.forms
        if inline_form not in formset.deleted_forms and inline_form.cleaned_data.get(fields[-1])
    ]


class ServiceDeletesMixin:
    """Deletes, one by one or from the changelist's action, go through the model's delete service."""

    def delete_object(self, request, obj):
        raise NotImplementedError

    def delete_model(self, request, obj):
        self.delete_object(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_object(request, obj)


class CapabilityInline(admin.StackedInline):
    model = Capability
    form = CapabilityForm
    extra = 0
    show_change_link = True
    filter_horizontal = ["materials"]


def saved_as(obj, saved):
    """Point the admin's object at the row a service created, for the redirect and the log."""
    obj.pk = saved.pk
    obj._state.adding = False


@admin.register(Plant)
class PlantAdmin(CappedChangeListMixin, ServiceErrorsAsMessagesMixin, ServiceDeletesMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "ownership", "sector", "state", "city"]
    list_filter = ["kind", "ownership", plant_state_filter("state")]
    search_fields = ["name", "city", "state", "sector"]
    inlines = [MembershipInline, CapabilityInline, StockItemInline]

    def save_model(self, request, obj, form, change):
        if change:
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            services.plant_update(plant=obj, user=request.user, **changed)
        else:
            saved_as(obj, services.plant_create(user=request.user, **form.cleaned_data))

    def delete_object(self, request, obj):
        services.plant_delete(plant=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is Capability:
            self._save_capabilities(request, form.instance, formset)
        elif formset.model is Membership:
            self._save_memberships(request, form.instance, formset)
        else:
            super().save_formset(request, form, formset, change)

    def _save_capabilities(self, request, plant, formset):
        record_formset_changes(formset)
        for capability in formset.deleted_objects:
            services.capability_delete(capability=capability, user=request.user)
        for capability_form in formset.forms:
            if capability_form in formset.deleted_forms or not capability_form.has_changed():
                continue
            saved_as(capability_form.instance, capability_save(capability_form, plant, request.user))

    def _save_memberships(self, request, plant, formset):
        record_formset_changes(formset)
        for membership in formset.deleted_objects:
            services.membership_delete(membership=membership, user=request.user)
        for membership_form in formset.forms:
            if membership_form in formset.deleted_forms or not membership_form.has_changed():
                continue
            membership = membership_form.instance
            if membership.pk is not None and "user" in membership_form.changed_data:
                # The row now names someone else: the first person leaves, the second joins.
                stored = Membership.objects.select_related("user").get(pk=membership.pk)
                services.membership_delete(membership=stored, user=request.user)
            saved = services.membership_create(
                member=membership_form.cleaned_data["user"],
                plant=plant,
                role=membership_form.cleaned_data["role"],
                user=request.user,
            )
            saved_as(membership, saved)


@admin.register(Material)
class MaterialAdmin(CappedChangeListMixin, ServiceErrorsAsMessagesMixin, ServiceDeletesMixin, admin.ModelAdmin):
    list_display = ["name", "family", "designation_list"]
    list_filter = ["family"]
    search_fields = ["name"]
    inlines = [MaterialDesignationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("designations")

    def save_model(self, request, obj, form, change):
        # Saved in save_related, with its designations, in one call of the service.
        pass

    def save_related(self, request, form, formsets, change):
        designations = inline_formset(formsets, MaterialDesignation)
        fields = dict(form.cleaned_data)
        names = None
        if designations is not None and (record_formset_changes(designations) or not change):
            names = [designation for (designation,) in kept_rows(designations, "designation")]
        if change:
            services.material_update(material=form.instance, designations=names, user=request.user, **fields)
        else:
            saved_as(form.instance, services.material_create(designations=names or (), user=request.user, **fields))

    def delete_object(self, request, obj):
        services.material_delete(material=obj, user=request.user)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        code = normalize_code(search_term)
        if code:
            results |= queryset.filter(designations__normalized__startswith=code)
        return results, True

    @admin.display(description=_("designations"))
    def designation_list(self, material):
        return ", ".join(designation.designation for designation in material.designations.all())


class PartForm(forms.ModelForm):
    processes = processes_field()

    class Meta:
        model = Part
        fields = [
            "name",
            "category",
            "description",
            "material",
            "processes",
            "diameter_mm",
            "length_mm",
            "weight_kg",
            "it_grade",
            "import_price_usd",
        ]

    def clean_processes(self):
        return sorted(set(self.cleaned_data["processes"]))


@admin.register(Part)
class PartAdmin(
    CappedChangeListMixin,
    PartSpreadsheetAdminMixin,
    PartNumberSearchMixin,
    ServiceErrorsAsMessagesMixin,
    ServiceDeletesMixin,
    admin.ModelAdmin,
):
    form = PartForm
    part_lookup = "pk"
    list_display = ["name", "category", "number_list", "material", "import_price_usd"]
    list_filter = [listed_values_filter("category", part_categories, _("category")), "material__family"]
    list_select_related = ["material"]
    search_fields = ["name"]
    autocomplete_fields = ["material"]
    inlines = [PartNumberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("numbers")

    def save_model(self, request, obj, form, change):
        # Saved in save_related, with its numbers, in one call of the service.
        pass

    def save_related(self, request, form, formsets, change):
        numbers = inline_formset(formsets, PartNumber)
        fields = dict(form.cleaned_data)
        specs = None
        if numbers is not None and (record_formset_changes(numbers) or not change):
            specs = [services.NumberSpec(brand, number) for brand, number in kept_rows(numbers, "brand", "number")]
        if change:
            services.part_update(part=form.instance, numbers=specs, user=request.user, **fields)
        else:
            saved_as(form.instance, services.part_create(numbers=specs or (), user=request.user, **fields))

    def delete_object(self, request, obj):
        services.part_delete(part=obj, user=request.user)

    @admin.display(description=_("numbers"))
    def number_list(self, part):
        return ", ".join(str(number) for number in part.numbers.all())


class InterchangeForm(forms.ModelForm):
    class Meta:
        model = Interchange
        fields = ["part", "substitute", "two_way", "note"]


@admin.register(Interchange)
class InterchangeAdmin(CappedChangeListMixin, ServiceErrorsAsMessagesMixin, admin.ModelAdmin):
    """Proposals of interchangeable parts, approved or rejected here through the services."""

    form = InterchangeForm
    list_display = ["id", "substitute", "part", "two_way", "status", "created_by", "approved_by", "created_at"]
    list_filter = ["status", "two_way"]
    list_select_related = ["part", "substitute", "created_by", "approved_by"]
    search_fields = ["part__name", "substitute__name", "note"]
    autocomplete_fields = ["part", "substitute"]
    readonly_fields = ["status", "created_by", "approved_by", "decided_at", "created_at", "updated_at"]
    actions = ["approve_selected", "reject_selected"]

    def get_readonly_fields(self, request, obj=None):
        # The pair and its way are what was proposed and decided: another one is another proposal.
        if obj is None:
            return self.readonly_fields
        return [*InterchangeForm.Meta.fields, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if not change:
            saved_as(obj, services.interchange_propose(user=request.user, **form.cleaned_data))

    def has_delete_permission(self, request, obj=None):
        # Rejected rather than deleted: who proposed what, and who decided, stay known.
        return False

    def has_decide_permission(self, request):
        return access.is_administrator(request.user)

    @admin.action(description=_("Approve the selected interchanges"), permissions=["decide"])
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, services.interchange_approve)

    @admin.action(description=_("Reject the selected interchanges (withdraws approved ones)"), permissions=["decide"])
    def reject_selected(self, request, queryset):
        self._decide(request, queryset, services.interchange_reject)

    def _decide(self, request, queryset, decide):
        for interchange in queryset:
            decide(interchange=interchange, user=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d interchange updated.", "%(count)d interchanges updated.", count) % {"count": count},
        )


class StockItemForm(forms.ModelForm):
    """Quantities enter through the ledger: an initial count on creation, a recorded count afterwards."""

    counted_quantity = forms.IntegerField(
        label=_("counted quantity"),
        min_value=0,
        required=False,
        help_text=_("Units physically counted. The ledger records the difference; leave blank to keep the quantity."),
    )
    count_note = forms.CharField(label=_("note on the count"), max_length=300, required=False)

    class Meta:
        model = StockItem
        fields = ["plant", "part", "condition", "location", "exchangeable"]

    def clean_counted_quantity(self):
        counted = self.cleaned_data["counted_quantity"]
        if counted is not None:
            refusal = services.stock_count_refusal(quantity=counted, reserved=self.instance.reserved)
            if refusal:
                raise ValidationError(refusal)
        return counted


class StockMovementInline(ReadOnlyInline):
    model = StockMovement
    fields = ["at", "delta", "reason", "match", "user", "note"]
    readonly_fields = fields
    ordering = ["-at", "-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(StockItem)
class StockItemAdmin(
    CappedChangeListMixin,
    StockItemSpreadsheetAdminMixin,
    PartNumberSearchMixin,
    ServiceErrorsAsMessagesMixin,
    PlantStateColumn,
    admin.ModelAdmin,
):
    form = StockItemForm
    list_display = ["part", "plant", "plant_state", "condition", "location", "quantity", "reserved", "exchangeable"]
    list_filter = ["condition", "exchangeable", "plant__kind", "plant__ownership", plant_state_filter("plant__state")]
    list_select_related = ["part", "plant"]
    search_fields = ["part__name", "plant__name", "location"]
    autocomplete_fields = ["plant", "part"]
    readonly_fields = ["quantity", "reserved", "created_at", "updated_at"]
    actions = ["mark_exchangeable", "mark_not_exchangeable"]

    def get_inlines(self, request, obj):
        return [StockMovementInline] if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        # The ledger and the matches name the item's plant and part: both are fixed once it exists.
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "plant", "part"]

    def get_fields(self, request, obj=None):
        descriptive = StockItemForm.Meta.fields
        if obj is None:
            return [*descriptive, "counted_quantity"]
        return [*descriptive, "quantity", "reserved", "counted_quantity", "count_note", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        counted = form.cleaned_data.get("counted_quantity")
        descriptive = {name: form.cleaned_data[name] for name in StockItemForm.Meta.fields if name in form.cleaned_data}
        if not change:
            created = services.stock_item_create(quantity=counted or 0, user=request.user, **descriptive)
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        # The form has already copied its values onto obj; the service compares with the stored row.
        stored = StockItem.objects.get(pk=obj.pk)
        changed = {name: value for name, value in descriptive.items() if name in form.changed_data}
        services.stock_item_update(stock_item=stored, user=request.user, **changed)
        if counted is not None:
            services.stock_set_quantity(
                stock_item=stored, quantity=counted, user=request.user, note=form.cleaned_data["count_note"]
            )
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.stock_item_delete(stock_item=obj, user=request.user)

    def has_delete_permission(self, request, obj=None):
        # Bulk deletion would bypass the ledger checks of stock_item_delete; items are deleted one at a time.
        return obj is not None and super().has_delete_permission(request, obj)

    def _set_exchangeable(self, request, queryset, exchangeable):
        for stock_item in queryset:
            services.stock_item_update(stock_item=stock_item, user=request.user, exchangeable=exchangeable)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d stock item updated.", "%(count)d stock items updated.", count) % {"count": count},
        )

    @admin.action(description=_("Offer the selected items for exchange"), permissions=["change"])
    def mark_exchangeable(self, request, queryset):
        self._set_exchangeable(request, queryset, True)

    @admin.action(description=_("Withdraw the selected items from exchange"), permissions=["change"])
    def mark_not_exchangeable(self, request, queryset):
        self._set_exchangeable(request, queryset, False)


@admin.register(StockMovement)
class StockMovementAdmin(CappedChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The ledger: read only, never edited."""

    list_display = ["at", "stock_item", "plant", "delta", "reason", "match", "user"]
    # Dated by ranges (today, the past 7 days, this month, this year), which cost no query: a date
    # hierarchy reads the distinct days of the whole ledger on every page.
    list_filter = ["reason", plant_state_filter("stock_item__plant__state"), ("at", admin.DateFieldListFilter)]
    list_select_related = ["stock_item__part", "stock_item__plant", "user"]
    search_fields = ["stock_item__plant__name", "stock_item__part__name", "note"]

    @admin.display(description=_("plant"), ordering="stock_item__plant__name")
    def plant(self, movement):
        return movement.stock_item.plant


@admin.register(Capability)
class CapabilityAdmin(
    CappedChangeListMixin,
    CapabilitySpreadsheetAdminMixin,
    ServiceErrorsAsMessagesMixin,
    ServiceDeletesMixin,
    PlantStateColumn,
    admin.ModelAdmin,
):
    form = CapabilityForm
    list_display = [
        "plant",
        "process",
        "plant_state",
        "max_diameter_mm",
        "max_length_mm",
        "max_weight_kg",
        "best_it_grade",
        "lead_time_days",
    ]
    list_filter = [
        "process",
        "plant__kind",
        "plant__ownership",
        plant_state_filter("plant__state"),
        "materials__family",
    ]
    list_select_related = ["plant"]
    search_fields = ["plant__name", "notes"]
    autocomplete_fields = ["plant"]
    filter_horizontal = ["materials"]

    def save_model(self, request, obj, form, change):
        saved_as(obj, capability_save(form, form.cleaned_data["plant"], request.user))

    def save_related(self, request, form, formsets, change):
        # capability_save already set the materials; saving them again would do nothing but add queries.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def delete_object(self, request, obj):
        services.capability_delete(capability=obj, user=request.user)


@admin.register(Membership)
class MembershipAdmin(CappedChangeListMixin, ServiceErrorsAsMessagesMixin, ServiceDeletesMixin, admin.ModelAdmin):
    list_display = ["user", "plant", "role", "created_at"]
    list_filter = ["role", "plant__kind"]
    list_select_related = ["user", "plant"]
    search_fields = ["user__username", "user__email", "plant__name"]
    autocomplete_fields = ["user", "plant"]

    def get_readonly_fields(self, request, obj=None):
        # A membership is one person at one plant; another person or plant is another membership.
        return ["user", "plant"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = services.membership_create(member=obj.user, plant=obj.plant, role=obj.role, user=request.user)
        saved_as(obj, saved)

    def delete_object(self, request, obj):
        services.membership_delete(membership=obj, user=request.user)


# Django's and knox's own changelists, with the capped count like every other.
admin.site.unregister(Group)
admin.site.unregister(AuthToken)
admin.site.unregister(get_user_model())


@admin.register(Group)
class ExchangeGroupAdmin(CappedChangeListMixin, GroupAdmin):
    pass


@admin.register(AuthToken)
class ExchangeAuthTokenAdmin(CappedChangeListMixin, AuthTokenAdmin):
    pass


@admin.register(get_user_model())
class ExchangeUserAdmin(CappedChangeListMixin, UserAdmin):
    def get_deleted_objects(self, objs, request):
        deleted = super().get_deleted_objects(objs, request)
        protected = deleted[3]
        if protected:
            messages.warning(
                request,
                gettext(
                    "This user's name is on the ledger, on requests or on match history, which must keep "
                    "saying who did what. Deactivate the user instead: untick “Active” on the user's page."
                ),
            )
        return deleted
