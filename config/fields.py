"""Serializer fields that take numbers only as a client writes them on purpose.

DRF's own fields pass their input through int() and float(), which read
62.9 as part 62, "٦٢" (Arabic-Indic digits) as 62, true as 1 and "NaN" as a
coordinate. The API's serializers use these instead.
"""

import copy
import math
import re

from django.utils.text import capfirst
from rest_framework import serializers

ASCII_INTEGER = re.compile(r"[+-]?[0-9]+")
ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def is_whole_number(data) -> bool:
    if isinstance(data, bool):
        return False
    return isinstance(data, int) or (isinstance(data, str) and ASCII_INTEGER.fullmatch(data.strip()) is not None)


class IntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if not is_whole_number(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    def to_internal_value(self, data):
        if not is_whole_number(data):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class FloatField(serializers.FloatField):
    default_error_messages = {"invalid": serializers.FloatField.default_error_messages["invalid"]}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not (
            isinstance(data, int | float) or (isinstance(data, str) and ASCII_NUMBER.fullmatch(data.strip()))
        ):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("invalid")
        return value


class DecimalField(serializers.DecimalField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or (isinstance(data, str) and not ASCII_NUMBER.fullmatch(data.strip())):
            self.fail("invalid")
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    """Model fields map to the fields above; a field declared without a label takes its model field's name."""

    serializer_related_field = PrimaryKeyRelatedField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        **{
            model_field: IntegerField
            for model_field, field in serializers.ModelSerializer.serializer_field_mapping.items()
            if field is serializers.IntegerField
        },
        **{
            model_field: FloatField
            for model_field, field in serializers.ModelSerializer.serializer_field_mapping.items()
            if field is serializers.FloatField
        },
        **{
            model_field: DecimalField
            for model_field, field in serializers.ModelSerializer.serializer_field_mapping.items()
            if field is serializers.DecimalField
        },
    }

    def get_fields(self):
        fields = {name: _unbound_copy(field) for name, field in self._fields_of_class().items()}
        model_fields = {
            field.name: field for field in self.Meta.model._meta.get_fields() if hasattr(field, "verbose_name")
        }
        for name, field in fields.items():
            model_field = model_fields.get(field.source or name)
            if field.label is None and model_field is not None:
                field.label = capfirst(model_field.verbose_name)
        return fields

    def _fields_of_class(self) -> dict:
        """DRF's fields for this serializer class, built once: building them reads the model's fields and
        makes every validator anew on each request, several times what copying them costs."""
        serializer_class = type(self)
        if serializer_class not in _FIELDS_BY_SERIALIZER:
            _FIELDS_BY_SERIALIZER[serializer_class] = super().get_fields()
        return _FIELDS_BY_SERIALIZER[serializer_class]


# Unbound fields of each ModelSerializer class; they depend on the class alone, never on a request.
_FIELDS_BY_SERIALIZER = {}


def _unbound_copy(field):
    """A field to bind to one serializer: a shallow copy, or DRF's deep copy for a field holding fields of
    its own (a nested serializer, a list's child, a many-related field), which are bound to their holder."""
    if isinstance(field, serializers.BaseSerializer | serializers.ListField | serializers.DictField) or hasattr(
        field, "child_relation"
    ):
        return copy.deepcopy(field)
    return copy.copy(field)
