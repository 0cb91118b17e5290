"""A choice field's labels, looked up in a dict made once per field.

Django's ``get_FOO_display()`` and the admin's cells build that dict anew from the field's choices on every
call: for a plant's 24 states, on each of a page's rows, a tenth of the review queue's time.
"""

from functools import cache

from django.utils.encoding import force_str


@cache
def choice_labels(field) -> dict:
    """{value: label} of a model field's choices; labels stay lazy, so that each is read in the request's language."""
    return dict(field.flatchoices)


class ChoiceLabels:
    """Model mixin: ``get_FOO_display()`` reads choice_labels()."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(value, value), strings_only=True)
