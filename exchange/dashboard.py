"""The administrators' dashboard: shortages, the review queue and the dollars not spent.

Every figure comes from exchange.savings and exchange.selectors, so the page
always says what the savings service and the API say. The chart is drawn
here as inline SVG: the admin loads no script and no outside resource.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.template.response import TemplateResponse
from django.utils import timezone
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
class Bar:
    label: str
    value: Decimal


def _coordinate(value) -> str:
    # format_html escapes its arguments to strings first, so numbers are formatted here.
    return f"{value:.1f}"


def usd_by_month_svg(bars: list[Bar]) -> str:
    """A bar chart of USD avoided per month, as an accessible SVG element."""
    title = _("USD avoided by month")
    if not bars:
        return format_html('<p class="help">{}</p>', _("Nothing fulfilled yet."))
    plot_width = CHART_WIDTH - CHART_MARGIN_LEFT - 10
    plot_height = CHART_HEIGHT - CHART_MARGIN_TOP - CHART_MARGIN_BOTTOM
    highest = max(bar.value for bar in bars) or Decimal(1)
    slot = plot_width / len(bars)
    baseline = CHART_MARGIN_TOP + plot_height
    bar_rows = []
    for index, bar in enumerate(bars):
        height = float(bar.value / highest) * plot_height
        x = CHART_MARGIN_LEFT + index * slot + slot * 0.15
        bar_rows.append(
            (
                *map(_coordinate, (x, baseline - height, slot * 0.7, height)),
                bar.label,
                bar.value,
                *map(_coordinate, (x + slot * 0.35, baseline + 16)),
                bar.label,
            )
        )
    shapes = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#417690"><title>{}: {} USD</title></rect>'
        '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
        bar_rows,
    )
    axis = format_html(
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="#666"/>'
        '<text x="{label_x}" y="{top_y}" font-size="11" text-anchor="end">{top}</text>'
        '<text x="{label_x}" y="{base}" font-size="11" text-anchor="end">0</text>',
        left=CHART_MARGIN_LEFT,
        right=CHART_WIDTH - 10,
        base=baseline,
        label_x=CHART_MARGIN_LEFT - 6,
        top_y=CHART_MARGIN_TOP + 4,
        top=f"{highest:,.0f}",
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="usd-by-month-title" '
        'viewBox="0 0 {} {}" width="{}" height="{}"><title id="usd-by-month-title">{}</title>{}{}</svg>',
        CHART_WIDTH,
        CHART_HEIGHT,
        CHART_WIDTH,
        CHART_HEIGHT,
        title,
        axis,
        shapes,
    )


def dashboard_context() -> dict:
    shared, computed_at = figures.dashboard_figures()
    summary = shared["summary"]
    by_month = [Bar(row["month"], row["usd_avoided"]) for row in summary["usd_avoided_by_month"]]
    return {
        "open_by_criticality": [
            (Criticality(criticality).label, count) for criticality, count in shared["open_by_criticality"].items()
        ],
        "proposals_awaiting_review": shared["awaiting"]["count"],
        "oldest_proposal_at": shared["awaiting"]["oldest"],
        "usd_avoided_total": summary["usd_avoided_total"],
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
