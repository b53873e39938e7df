"""督查考核: rates and rankings of a period, per agency or per region below one, on a page and in Excel."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render

from agencies.navigation import current_region
from lib.workbooks import dated_filename, xlsx_response
from plans.labels import chinese_date
from progress.access import require_overview_reader
from progress.reading import periods
from progress.reading import rates as rating
from progress.spreadsheets.rates import rates_workbook
from progress.views.common import today

PAGE_ROWS = 200
EXCEL_ROWS = 20_000
PRESETS = {
    "year": "本年",
    "quarter": "本季度",
    "last_quarter": "上季度",
    "last_year": "上年",
}


def _window(request, day: date) -> tuple[rating.Window, str]:
    """The period asked for: a preset or two dates (本年 so far when neither is given or they do not read)."""
    preset = request.GET.get("period", "")
    start, end = _date(request.GET.get("start")), _date(request.GET.get("end"))
    if start and end and start <= end and not preset:
        return rating.Window(start, end, day), ""
    if preset == "quarter":
        period = periods.containing(day, 3)
    elif preset == "last_quarter":
        period = periods.last_complete(day, 3)
    elif preset == "last_year":
        period = periods.Period(date(day.year - 1, 1, 1), date(day.year - 1, 12, 31), 12)
    else:
        preset, period = "year", periods.Period(date(day.year, 1, 1), date(day.year, 12, 31), 12)
    return rating.Window(period.start, period.end, day), preset


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _label(window: rating.Window) -> str:
    return f"{chinese_date(window.start)}至{chinese_date(window.end)}（截至{chinese_date(window.last_due)}已到期的）"


def _rows(request):
    day = today()
    window, preset = _window(request, day)
    region = current_region(request.GET.get("region") or None)
    by_region = request.GET.get("by") == "region"
    order = request.GET.get("sort") if request.GET.get("sort") in rating.ORDERS else rating.DEFAULT_ORDER
    rows = (rating.region_rates if by_region else rating.agency_rates)(window, region, order)
    return day, window, preset, region, by_region, order, rows


def rates(request):
    """Administrators (督查室): the rates and ranks of every agency, or of every region below one."""
    require_overview_reader(request)
    day, window, preset, region, by_region, order, rows = _rows(request)
    context = {
        "window": window,
        "period_label": _label(window),
        "preset": preset,
        "presets": PRESETS,
        "region": region,
        "by_region": by_region,
        "order": order,
        "orders": rating.ORDERS,
        "rows": rows[:PAGE_ROWS],
        "row_total": len(rows),
        "query": request.GET.urlencode(),
    }
    return render(request, "progress/rates.html", context)


def rates_xlsx(request):
    require_overview_reader(request)
    day, window, _, region, by_region, _, rows = _rows(request)
    scope = region.full_name if region else "全国"
    title = f"{scope}督办考核：{'各地区' if by_region else '各单位'}按时报送率、按时完成率"
    content = rates_workbook(title, rows[:EXCEL_ROWS], by_region=by_region, period=_label(window), exported_on=day)
    return xlsx_response(content, dated_filename(f"{scope}-督办考核-{'地区' if by_region else '单位'}", day))
