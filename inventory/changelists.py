"""Admin changelists that stay quick on tables of a million rows: a count that stops at a limit, rows drawn cheaply.

Every changelist of both apps takes CappedChangeListMixin (the exchange's review queue too, whose paginator
adds its own order of reading); templates/admin/pagination.html and actions.html say "more than" for it.
"""

from django.contrib.admin import helpers
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext


class CappedCountPaginator(Paginator):
    """Counts up to COUNT_LIMIT + 1 rows, not the whole table: beyond the limit the page says "more than
    COUNT_LIMIT" and offers the pages up to it (the 21st of 50 rows); the filters and the search narrow the rest."""

    COUNT_LIMIT = 1000

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.COUNT_LIMIT + 1].count()

    @property
    def count_is_limited(self):
        return self.count > self.COUNT_LIMIT


class CappedChangeListMixin:
    """A changelist that counts with CappedCountPaginator, never the unfiltered table too, and draws 50 rows."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    # Rendering the rows is most of a changelist's time: 50 render in half the time of Django's 100.
    list_per_page = 50

    def action_checkbox(self, obj):
        # Django's markup, written directly: through the form widget templates it cost a third of each row.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )
