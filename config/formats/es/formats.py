"""Venezuelan Spanish: Django's es formats, with a dot between thousands (1.234,50) as the country writes them."""

from django.conf.locale.es.formats import *  # noqa: F403

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
