"""Spreadsheet endpoints under /api/stock/: import a plant's counts, export stock or the catalogue, get a template."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from config import fields as strict
from config.parsers import BoundedMultiPartParser

from . import spreadsheets
from .models import Plant


class _FileRenderer(BaseRenderer):
    """Lets ?format=csv|xlsx name the file format; the views answer files themselves, errors stay JSON."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, "application/json", renderer_context)


class CsvRenderer(_FileRenderer):
    media_type = "text/csv"
    format = spreadsheets.CSV


class XlsxRenderer(_FileRenderer):
    media_type = spreadsheets.CONTENT_TYPES[spreadsheets.XLSX]
    format = spreadsheets.XLSX


FORMAT_PARAMETER = OpenApiParameter("format", enum=[spreadsheets.CSV, spreadsheets.XLSX], default=spreadsheets.CSV)


def file_response(content: bytes, file_format: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=spreadsheets.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


class _FileView(APIView):
    renderer_classes = [JSONRenderer, CsvRenderer, XlsxRenderer]

    def file_format(self):
        return spreadsheets.XLSX if self.request.query_params.get("format") == spreadsheets.XLSX else spreadsheets.CSV


class StockImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    plant = strict.PrimaryKeyRelatedField(queryset=Plant.objects.all())
    create_parts = serializers.BooleanField(default=False)
    dry_run = serializers.BooleanField(default=False)


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    column = serializers.CharField()
    reason = serializers.CharField()


class ImportedRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    number = serializers.CharField()
    part = serializers.IntegerField()
    stock_item = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["created", "updated", "unchanged"])
    quantity_before = serializers.IntegerField(allow_null=True)
    quantity = serializers.IntegerField()


class StockImportReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    counts = serializers.DictField(child=serializers.IntegerField())
    rows = ImportedRowSerializer(many=True)
    errors = RowErrorSerializer(many=True)
    ignored_columns = serializers.ListField(child=serializers.CharField())


class StockImportView(APIView):
    parser_classes = [BoundedMultiPartParser]

    @extend_schema(
        request=StockImportSerializer,
        responses={200: StockImportReportSerializer, 400: StockImportReportSerializer},
        description=gettext_lazy("Load a plant's stock counts from a CSV or XLSX file: every row or none."),
    )
    def post(self, request):
        serializer = StockImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plant = serializer.validated_data["plant"]
        upload = serializer.validated_data["file"]
        try:
            report = spreadsheets.import_stock(
                plant=plant,
                upload=upload,
                user=request.user,
                name=upload.name,
                create_parts=serializer.validated_data["create_parts"],
                dry_run=serializer.validated_data["dry_run"],
            )
        except spreadsheets.SpreadsheetRefused as refusal:
            return Response({"file": [refusal.message]}, status=status.HTTP_400_BAD_REQUEST)
        body = StockImportReportSerializer(report).data
        return Response(body, status=status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST)


class StockExportView(_FileView):
    @extend_schema(parameters=[OpenApiParameter("plant", int, required=True), FORMAT_PARAMETER], responses={200: bytes})
    def get(self, request):
        plant_id = request.query_params.get("plant", "")
        if not plant_id.isdigit():
            raise exceptions.ValidationError({"plant": [_("Give the id of the plant whose stock to export.")]})
        plant = get_object_or_404(Plant, pk=plant_id)
        content = spreadsheets.export_stock(plant=plant, file_format=self.file_format())
        return file_response(content, self.file_format(), f"stock-{plant.pk}")


class CatalogueExportView(_FileView):
    @extend_schema(parameters=[FORMAT_PARAMETER], responses={200: bytes})
    def get(self, request):
        return file_response(
            spreadsheets.export_catalogue(file_format=self.file_format()), self.file_format(), "catalogue"
        )


class TemplateView(_FileView):
    @extend_schema(
        parameters=[FORMAT_PARAMETER, OpenApiParameter("kind", enum=["stock", "capabilities"], default="stock")],
        responses={200: bytes},
    )
    def get(self, request):
        kind = "capabilities" if request.query_params.get("kind") == "capabilities" else "stock"
        content = spreadsheets.template(kind=kind, file_format=self.file_format())
        return file_response(content, self.file_format(), f"template-{kind}")


urlpatterns = [
    path("import/", StockImportView.as_view(), name="stock-import"),
    path("export/", StockExportView.as_view(), name="stock-export"),
    path("catalogue/", CatalogueExportView.as_view(), name="catalogue-export"),
    path("template/", TemplateView.as_view(), name="stock-template"),
]
