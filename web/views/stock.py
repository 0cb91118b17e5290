"""The store: the acting plant's stock, a new item, an item's page with its count form, imports, labels."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from exchange.selectors import match_ids_visible_to
from inventory import access, selectors, services, spreadsheets
from inventory.errors import ConflictError
from inventory.models import StockItem

from ..acting import acting_plant_required, chosen_plant_id
from ..labels import qr_svg
from ..once import create_once
from ..stock_forms import StockCountForm, StockImportConfirmForm, StockImportForm, StockItemForm, StockSearchForm

# The upload waiting for its confirmation: one per session, so per signed-in user on this browser.
PENDING_IMPORT = "web_stock_import"
IMPORT_FOLDER = "stock-imports"
PREVIEW_ROWS = 50


def _add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError beside the form's fields it names; the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _filters(form) -> dict:
    if not form.is_valid():
        return {}
    return {"q": form.cleaned_data["q"], "condition": form.cleaned_data["condition"]}


@acting_plant_required
def stock_list(request):
    plant = request.acting.plant
    form = StockSearchForm(request.GET)
    filters = _filters(form)
    page = (form.is_valid() and form.cleaned_data["page"]) or 1
    items, has_next = selectors.stock_items_page(plant=plant, page=page, **filters)
    next_url = previous_url = None
    if has_next:
        next_url = "?" + urlencode({**filters, "page": page + 1})
    if page > 1:
        previous_url = "?" + urlencode({**filters, "page": page - 1})
    return render(
        request,
        "web/stock/list.html",
        {
            "form": form,
            "items": items,
            "filtered": any(filters.values()),
            "labels_query": urlencode({key: value for key, value in filters.items() if value}),
            "next_url": next_url,
            "previous_url": previous_url,
        },
    )


@acting_plant_required
@require_http_methods(["GET", "POST"])
def stock_new(request):
    plant = request.acting.plant
    if request.method != "POST":
        form = StockItemForm(initial={"part": request.GET.get("part") or None})
        return render(request, "web/stock/new.html", {"form": form, "part": _initial_part(form)})

    form = StockItemForm(request.POST, ask_name=bool(request.POST.get("name")))
    part = None
    if form.is_valid():
        part = form.cleaned_data["part"] or selectors.part_find_by_number(form.cleaned_data["number"])
        name = form.cleaned_data["name"].strip()
        if part is None and not name:
            form = StockItemForm(request.POST, ask_name=True)
            form.is_valid()
            form.add_error(
                "number",
                _(
                    "No part in the catalogue has the number %(number)s. Check it; if it is right, write the "
                    "part's name below and it will be added to the catalogue."
                )
                % {"number": form.cleaned_data["number"]},
            )
    if form.is_valid():
        try:
            url = create_once(
                key=form.cleaned_data["form_key"],
                user=request.user,
                create=lambda: _item_url(_create_item(request, plant, part, form.cleaned_data)),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        except ConflictError as error:
            form.add_error(None, error.message)
        except DuplicateItem as duplicate:
            form.add_error(
                "location",
                _("Your store already holds this part in this condition at this location: count it on its page."),
            )
            return render(request, "web/stock/new.html", {"form": form, "part": part, "duplicate": duplicate.item})
        else:
            messages.success(request, _("The item is in your store. Print its label from the labels page."))
            return redirect(url)
    return render(request, "web/stock/new.html", {"form": form, "part": part})


def _initial_part(form):
    part_id = str(form.initial.get("part") or "")
    return selectors.part_with_numbers(int(part_id)) if part_id.isdigit() else None


def _item_url(item) -> str:
    return reverse("web:stock-item", args=[item.pk])


class DuplicateItem(Exception):
    """The plant already holds the part in that condition at that location (one item per such bin)."""

    def __init__(self, item):
        super().__init__(item)
        self.item = item


def _create_item(request, plant, part, data) -> StockItem:
    """The new item; a part the catalogue lacks is added first, in the same transaction (create_once's).

    The duplicate is looked for here, after create_once has answered a repeated submission, so that a
    double tap finds the item its first tap created instead of an error.
    """
    if part is not None:
        duplicate = selectors.stock_item_at(
            plant=plant, part=part, condition=data["condition"], location=data["location"]
        )
        if duplicate:
            raise DuplicateItem(duplicate)
    else:
        # SPEC: any member adds a part to the shared catalogue; its number is kept as the storekeeper wrote it.
        part = services.part_create(
            name=data["name"].strip(), numbers=[services.NumberSpec("", data["number"])], user=request.user
        )
    return services.stock_item_create(
        plant=plant,
        part=part,
        quantity=data["quantity"],
        condition=data["condition"],
        location=data["location"],
        exchangeable=data["exchangeable"],
        user=request.user,
    )


def _visible_item(request, pk) -> StockItem:
    """The item, for its plant's members and administrators; anyone else learns nothing of it (404)."""
    item = selectors.stock_item_with_part(pk)
    if item is None or not access.keeps_records_of_plant(request.user, item.plant_id):
        raise Http404
    return item


@login_required
@require_http_methods(["GET", "POST"])
def stock_detail(request, pk):
    """The page a bin's QR label opens: the count form comes first, under the item's name."""
    item = _visible_item(request, pk)
    form = StockCountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stock_set_quantity(
                stock_item=item,
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        except ConflictError as error:
            form.add_error("quantity", error.message)
        else:
            # A repeated count (a double tap) sets the same quantity again: the ledger gets no second row.
            messages.success(request, _("Count saved: %(quantity)s units.") % {"quantity": item.quantity})
            return redirect(_item_url(item))
    form.fields["quantity"].help_text = _count_hint(item)
    movements = selectors.stock_movements_latest(item)
    visible_matches = match_ids_visible_to(request.user, {movement.match for movement in movements})
    return render(
        request,
        "web/stock/detail.html",
        {
            "item": item,
            "form": form,
            "movements": movements,
            "visible_matches": visible_matches,
            "ledger_limit": selectors.LEDGER_PAGE_SIZE,
            # The label sheet is the acting plant's; an administrator or another plant's page has none.
            "labels_here": item.plant_id == chosen_plant_id(request),
        },
    )


def _count_hint(item) -> str:
    hint = ngettext("The store says %(quantity)s unit.", "The store says %(quantity)s units.", item.quantity)
    hint %= {"quantity": item.quantity}
    if item.reserved:
        reserved = ngettext(
            "%(reserved)s is reserved for a match: the count cannot be lower.",
            "%(reserved)s are reserved for matches: the count cannot be lower.",
            item.reserved,
        )
        hint += " " + reserved % {"reserved": item.reserved}
    return hint


@acting_plant_required
@require_http_methods(["GET", "POST"])
def stock_import(request):
    """Upload, then the dry run's preview; the file waits server-side until it is confirmed or replaced.

    Keeping the very bytes that were previewed (rather than asking for the file again) guarantees that the
    confirmation imports what the storekeeper saw, and spares a second upload on 3G.
    """
    plant = request.acting.plant
    form = StockImportForm(request.POST, request.FILES) if request.method == "POST" else StockImportForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        pending = _keep_upload(request, plant, upload, form.cleaned_data["create_parts"])
        try:
            report = _run_import(request, pending, dry_run=True)
        except spreadsheets.SpreadsheetRefused as refusal:
            _discard_pending(request)
            form.add_error("file", refusal.message)
        else:
            if not report.ok:
                _discard_pending(request)
            return _import_report(request, report, pending if report.ok else None)
    return render(request, "web/stock/import.html", {"form": form})


@acting_plant_required
@require_POST
def stock_import_confirm(request):
    form = StockImportConfirmForm(request.POST)
    pending = request.session.get(PENDING_IMPORT)
    if (
        not form.is_valid()
        or not pending
        or pending["token"] != str(form.cleaned_data["token"])
        or pending["plant"] != request.acting.plant.pk
    ):
        messages.error(request, _("That preview has expired or was already loaded. Upload the file again."))
        return redirect("web:stock-import")
    try:
        report = _run_import(request, pending, dry_run=False)
    except spreadsheets.SpreadsheetRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("web:stock-import")
    finally:
        _discard_pending(request)
    if not report.ok:
        return _import_report(request, report, None)
    messages.success(
        request,
        _("Loaded %(rows)s rows: %(created)s items added, %(updated)s counts changed.")
        % {"rows": report.counts.get("rows", 0), **{key: report.counts.get(key, 0) for key in ("created", "updated")}},
    )
    return redirect("web:stock")


def _keep_upload(request, plant, upload, create_parts) -> dict:
    _discard_pending(request)
    token = str(uuid.uuid4())
    path = default_storage.save(f"{IMPORT_FOLDER}/{token}", ContentFile(upload.read()))
    pending = {"token": token, "path": path, "plant": plant.pk, "name": upload.name, "create_parts": create_parts}
    request.session[PENDING_IMPORT] = pending
    return pending


def _discard_pending(request) -> None:
    pending = request.session.pop(PENDING_IMPORT, None)
    if pending:
        default_storage.delete(pending["path"])


def _run_import(request, pending, *, dry_run):
    with default_storage.open(pending["path"], "rb") as upload:
        return spreadsheets.import_stock(
            plant=request.acting.plant,
            upload=upload,
            user=request.user,
            name=pending["name"],
            create_parts=pending["create_parts"],
            dry_run=dry_run,
        )


def _import_report(request, report, pending):
    return render(
        request,
        "web/stock/import_preview.html",
        {
            "report": report,
            "rows": report.rows[:PREVIEW_ROWS],
            "more_rows": max(len(report.rows) - PREVIEW_ROWS, 0),
            "confirm": StockImportConfirmForm(initial={"token": pending["token"]}) if pending else None,
            "name": pending["name"] if pending else "",
        },
    )


@acting_plant_required
def stock_labels(request):
    """A printable sheet: the items ticked on /stock/ (``item``), or those its search finds, or all."""
    form = StockSearchForm(request.GET)
    ids = [value for value in request.GET.getlist("item") if value.isdigit()]
    items = list(
        selectors.stock_items_of_plant(plant=request.acting.plant, ids=ids, **_filters(form))[
            : selectors.LABEL_SHEET_LIMIT
        ]
    )
    labels = [
        {"item": item, "url": (url := request.build_absolute_uri(_item_url(item))), "qr": qr_svg(url)} for item in items
    ]
    return render(
        request,
        "web/stock/labels.html",
        {"labels": labels, "limit": selectors.LABEL_SHEET_LIMIT, "at_limit": len(items) == selectors.LABEL_SHEET_LIMIT},
    )
