"""Admin changelists that stay quick on tables of a million rows: a count that stops at a limit, rows drawn cheaply.

Every changelist of both apps takes CappedChangeListMixin (the exchange's review queue too, whose paginator
adds its own order of reading); templates/admin/pagination.html and actions.html say "more than" for it.
"""

import datetime
from operator import attrgetter

from django.contrib.admin import helpers
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .choices import choice_labels


class CappedCountPaginator(Paginator):
    """Counts up to COUNT_LIMIT + 1 rows, not the whole table: beyond the limit the page says "more than
    COUNT_LIMIT" and offers the pages up to it (the 21st of 50 rows); the filters and the search narrow the rest."""

    COUNT_LIMIT = 1000

    @cached_property
    def count(self):
        # Only the keys: a list's annotations (the review queue's urgency) need not be worked out to be counted.
        return self.object_list.order_by().values("pk")[: self.COUNT_LIMIT + 1].count()

    @property
    def count_is_limited(self):
        return self.count > self.COUNT_LIMIT


class CappedChangeListMixin:
    """A changelist that counts with CappedCountPaginator, never the unfiltered table too, and draws 50 rows."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    # Rendering the rows is most of a changelist's time: 50 render in half the time of Django's 100.
    list_per_page = 50
    # The columns a page's rows are read with, where a list names them (what its columns and str() write):
    # the other columns of the tables it joins are then neither parsed nor built into instances.
    list_row_fields = ()

    def get_paginator(self, request, queryset, *args, **kwargs):
        return super().get_paginator(request, self.rows_read(queryset), *args, **kwargs)

    def rows_read(self, queryset):
        return queryset.only(*self.list_row_fields) if self.list_row_fields else queryset

    def action_checkbox(self, obj):
        # Django's markup, written directly: through the form widget templates it cost a third of each row.
        label = gettext("Select this object for an action - {}").format(conditional_escape(str(obj)))
        return SafeString(
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{conditional_escape(obj.pk)}"'
            f' class="action-select" aria-label="{label}">'
        )


def changelist_rows(cl):
    """A page's rows, cell for cell as Django's admin draws them (admin_list.results), with what the cells of
    a column share (how a value is read and written, its class, its link's address) worked out once a page,
    not once a cell: Django's way took half of a 50-row page's time. A list with editable columns keeps
    Django's own drawing."""
    if cl.formset:
        return list(admin_list.results(cl))
    columns = []
    change_url = _change_url_of(cl)
    linked_yet = False
    for index, field_name in enumerate(cl.list_display):
        linked = _links_to_change_page(cl, field_name, first=not linked_yet)
        tag = "th" if linked and not linked_yet else "td"
        linked_yet = linked_yet or linked
        columns.append(_column(cl, field_name, index, tag, change_url if linked else None))
    return [admin_list.ResultList(None, [column(result) for column in columns]) for result in cl.result_list]


def _links_to_change_page(cl, field_name, *, first):
    if cl.list_display_links is None:
        return False
    if first and not cl.list_display_links:
        return True
    return field_name in cl.list_display_links


def _change_url_of(cl):
    """result -> the address of its change page, the list's filters kept, from one address reversed a page."""
    marker = "__pk__"
    try:
        address = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(marker,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    filters = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}
    before, _, after = add_preserved_filters(filters, address).partition(marker)

    def change_url(result):
        pk = getattr(result, cl.pk_attname)
        # A key other than a number goes through the admin's quoting and reverse()'s, as in Django's cells.
        return (
            f"{before}{pk}{after}" if isinstance(pk, int) else add_preserved_filters(filters, cl.url_for_result(result))
        )

    return change_url


def _column(cl, field_name, index, tag, change_url):
    """result -> its cell in this column, read as admin.utils.lookup_field reads it and written as
    admin_list.items_for_result writes it."""
    empty_value_display = cl.model_admin.get_empty_value_display()
    classes = [f"field-{admin_list._coerce_field_name(field_name, index)}"]
    try:
        field = admin_utils._get_non_gfk_field(cl.lookup_opts, field_name)
    except (FieldDoesNotExist, admin_utils.FieldIsAForeignKeyColumnName):
        field = None
    dates_nowrap = field is None or field.auto_created
    if not dates_nowrap:
        if isinstance(field, models.DateField | models.TimeField | models.ForeignKey):
            classes.append("nowrap")
        read, write = attrgetter(field_name), _field_writer(field, empty_value_display, avoid_link=bool(change_url))
    else:
        if field_name == "action_checkbox":
            classes = ["action-checkbox"]
        read, write = _value_reader_and_writer(cl, field_name, field, empty_value_display)
    plain_class = mark_safe(f' class="{" ".join(classes)}"')
    nowrap_class = mark_safe(f' class="{" ".join([*classes, "nowrap"])}"')
    link_opener = cl.to_field or cl.pk_attname

    def cell(result):
        css = plain_class
        try:
            value = read(result)
        except ObjectDoesNotExist:
            text = empty_value_display
        else:
            if isinstance(value, str) and value.strip() == "":
                value = ""
            text = write(value)
            if dates_nowrap and isinstance(value, datetime.date | datetime.time):
                css = nowrap_class
        # The markup around the text is the column's own: only what a row brings is escaped.
        text = conditional_escape(text)
        if change_url:
            opener = (
                format_html(' data-popup-opener="{}"', result.serializable_value(link_opener)) if cl.is_popup else ""
            )
            text = f'<a href="{conditional_escape(change_url(result))}"{opener}>{text}</a>'
        return SafeString(f"<{tag}{css}>{text}</{tag}>")

    return cell


def _field_writer(field, empty_value_display, *, avoid_link):
    if isinstance(field.remote_field, models.ManyToOneRel):
        return lambda related: empty_value_display if related is None else related
    if getattr(field, "flatchoices", None):
        labels = choice_labels(field)
        return lambda value: labels.get(value, empty_value_display)
    if isinstance(field, models.BooleanField):
        return _boolean_icons().__getitem__
    return lambda value: admin_utils.display_for_field(value, field, empty_value_display, avoid_link=avoid_link)


def _boolean_icons():
    """The admin's three icons, each addressed once a page: static() costs a look into the manifest."""
    return {value: admin_list._boolean_icon(value) for value in (True, False, None)}


def _value_reader_and_writer(cl, field_name, field, empty_value_display):
    """A column that is no model field of its own: an automatic key, a method of the admin or, for anything
    else, lookup_field row by row."""
    if field is not None:
        return attrgetter(field_name), _value_writer(None, empty_value_display)
    if isinstance(field_name, str) and field_name != "__str__" and hasattr(cl.model_admin, field_name):
        method = getattr(cl.model_admin, field_name)
        return method, _value_writer(method, empty_value_display)
    # What lookup_field finds may change from row to row: read it, then write it, as Django does.
    found = {}

    def read(result):
        _, found["attr"], value = admin_utils.lookup_field(field_name, result, cl.model_admin)
        return value

    return read, lambda value: _value_writer(found["attr"], empty_value_display)(value)


def _value_writer(attr, default_empty):
    boolean = getattr(attr, "boolean", False)
    if isinstance(attr, property) and hasattr(attr, "fget"):
        boolean = getattr(attr.fget, "boolean", False)
    if boolean:
        return _boolean_icons().__getitem__
    empty_value_display = getattr(attr, "empty_value_display", default_empty)
    return lambda value: admin_utils.display_for_value(value, empty_value_display)
