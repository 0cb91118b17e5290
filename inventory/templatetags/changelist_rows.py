"""{% changelist_results cl %}: Django's {% result_list cl %}, its rows drawn by changelists.changelist_rows."""

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

from ..changelists import changelist_rows

register = template.Library()


def changelist_results(cl):
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": changelist_rows(cl),
    }


@register.tag(name="changelist_results")
def changelist_results_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=changelist_results, template_name="change_list_results.html", takes_context=False
    )
