"""The administrators' dashboard: shortages, the review queue and the dollars not spent.

Every figure comes from exchange.savings and exchange.selectors, so the page
always says what the savings service and the API say. The chart is drawn
here as inline SVG: the admin loads no script and no outside resource.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from . import figures
from .models import Criticality

CHART_WIDTH = 640
CHART_HEIGHT = 220
CHART_MARGIN_LEFT = 70
CHART_MARGIN_BOTTOM = 40
CHART_MARGIN_TOP = 20


@dataclass(frozen=True)
class MonthBars:
    label: str
    gross: Decimal
    net: Decimal


GROSS_COLOUR = "#417690"
NET_COLOUR = "#70bf2b"


def _coordinate(value) -> str:
    # format_html escapes its arguments to strings first, so numbers are formatted here.
    return f"{value:.1f}"


def usd_by_month_svg(months: list[MonthBars]) -> str:
    """Bars of the USD avoided (gross) and the net saving per month, as an accessible SVG element.

    A month whose domestic cost exceeded the import it replaced has a net bar below the zero line.
    """
    title = _("USD avoided and net saving by month")
    if not months:
        return format_html('<p class="help">{}</p>', _("Nothing fulfilled yet."))
    plot_width = CHART_WIDTH - CHART_MARGIN_LEFT - 10
    plot_height = CHART_HEIGHT - CHART_MARGIN_TOP - CHART_MARGIN_BOTTOM
    highest = max(max(month.gross, month.net) for month in months)
    lowest = min(Decimal(0), *(month.net for month in months))
    span = (highest - lowest) or Decimal(1)
    slot = plot_width / len(months)
    zero_y = CHART_MARGIN_TOP + float(highest / span) * plot_height
    bar_rows = []
    for index, month in enumerate(months):
        left = CHART_MARGIN_LEFT + index * slot + slot * 0.1
        for offset, value, colour, name in (
            (0, month.gross, GROSS_COLOUR, _("gross")),
            (slot * 0.4, month.net, NET_COLOUR, _("net")),
        ):
            height = float(abs(value) / span) * plot_height
            top = zero_y - height if value >= 0 else zero_y
            bar_rows.append(
                (
                    *map(_coordinate, (left + offset, top, slot * 0.38, height)),
                    colour,
                    month.label,
                    name,
                    number_format(value, 2, force_grouping=True),
                )
            )
    shapes = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} ({}): {} USD</title></rect>',
        bar_rows,
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
        (
            (
                _coordinate(CHART_MARGIN_LEFT + index * slot + slot * 0.5),
                _coordinate(CHART_HEIGHT - CHART_MARGIN_BOTTOM + 16),
                month.label,
            )
            for index, month in enumerate(months)
        ),
    )
    axis = format_html(
        '<line x1="{left}" y1="{zero}" x2="{right}" y2="{zero}" stroke="#666"/>'
        '<text x="{label_x}" y="{top_y}" font-size="11" text-anchor="end">{top}</text>'
        '<text x="{label_x}" y="{zero}" font-size="11" text-anchor="end">0</text>'
        '<rect x="{legend_x}" y="4" width="10" height="10" fill="{gross_colour}"/>'
        '<text x="{legend_text_x}" y="13" font-size="11">{gross}</text>'
        '<rect x="{legend_net_x}" y="4" width="10" height="10" fill="{net_colour}"/>'
        '<text x="{legend_net_text_x}" y="13" font-size="11">{net}</text>',
        left=CHART_MARGIN_LEFT,
        right=CHART_WIDTH - 10,
        zero=_coordinate(zero_y),
        label_x=CHART_MARGIN_LEFT - 6,
        top_y=CHART_MARGIN_TOP + 4,
        top=number_format(highest, 0, force_grouping=True),
        legend_x=CHART_MARGIN_LEFT,
        legend_text_x=CHART_MARGIN_LEFT + 14,
        legend_net_x=CHART_MARGIN_LEFT + 160,
        legend_net_text_x=CHART_MARGIN_LEFT + 174,
        gross_colour=GROSS_COLOUR,
        net_colour=NET_COLOUR,
        gross=_("USD avoided (gross)"),
        net=_("Net saving"),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="usd-by-month-title" '
        'viewBox="0 0 {} {}" width="{}" height="{}"><title id="usd-by-month-title">{}</title>{}{}{}</svg>',
        CHART_WIDTH,
        CHART_HEIGHT,
        CHART_WIDTH,
        CHART_HEIGHT,
        title,
        axis,
        shapes,
        labels,
    )


def dashboard_context() -> dict:
    shared, computed_at = figures.dashboard_figures()
    summary = shared["summary"]
    by_month = [MonthBars(row["month"], row["usd_avoided"], row["usd_net"]) for row in summary["usd_avoided_by_month"]]
    return {
        "open_by_criticality": [
            (Criticality(criticality).label, count) for criticality, count in shared["open_by_criticality"].items()
        ],
        "stopped_downtime": shared["stopped_downtime"],
        "proposals_awaiting_review": shared["awaiting"]["count"],
        "oldest_proposal_at": shared["awaiting"]["oldest"],
        "usd_avoided_total": summary["usd_avoided_total"],
        "usd_domestic_cost_total": summary["usd_domestic_cost_total"],
        "usd_net_total": summary["usd_net_total"],
        "days_gained_average": summary["days_gained_average"],
        "usd_avoided_by_month": summary["usd_avoided_by_month"],
        "usd_by_month_chart": usd_by_month_svg(by_month),
        "states_with_most_open_requests": shared["states_with_most_open_requests"],
        "figures_computed_at": computed_at,
        "figures_age_seconds": round((timezone.now() - computed_at).total_seconds()),
    }


def dashboard_view(request, admin_site):
    context = {
        **admin_site.each_context(request),
        "title": _("Exchange dashboard"),
        **dashboard_context(),
    }
    return TemplateResponse(request, "admin/exchange/dashboard.html", context)
