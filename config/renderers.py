"""The browsable API, in the reader's language where DRF writes English of its own."""

from django.utils.translation import gettext
from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def get_raw_data_form(self, data, view, method, request):
        # DRF labels its raw-data form's two fields in English, outside any catalogue.
        form = super().get_raw_data_form(data, view, method, request)
        if form is not None:
            form.fields["_content_type"].label = gettext("Media type")
            form.fields["_content"].label = gettext("Content")
        return form
