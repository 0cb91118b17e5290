from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

from config.fields import ASCII_INTEGER


class IdCursorPagination(CursorPagination):
    """Keyset pagination: constant time at any depth, no COUNT over a million rows."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        # DRF falls back to the default page for "0" or "abc": the client would read a page it did not ask for.
        if not ASCII_INTEGER.fullmatch(text) or int(text) < 1:
            raise ValidationError({self.page_size_query_param: [_("Give a whole number of rows, at least 1.")]})
        return min(int(text), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
