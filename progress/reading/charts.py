"""Stacked bar charts drawn as SVG by the template (templates/progress/includes/bar_chart.svg): the geometry
here, pure Python. Each series has its own fill pattern as well as its colour, so the chart still reads when
printed in black and white."""

from __future__ import annotations

from dataclasses import dataclass, field

# Bottom to top: what is done at the bottom, what is missing on top.
SERIES = (
    ("completed", "已完成"),
    ("in_progress", "推进中"),
    ("not_started", "未启动"),
    ("lagging", "滞后"),
    ("missing", "未报送"),
)


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    value: int
    y: float
    height: float


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    width: float
    total: int
    segments: list[Segment]

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass
class Chart:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    plot_left: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    legend: tuple = SERIES

    @property
    def empty(self) -> bool:
        return not self.bars


def _nice_step(maximum: int) -> int:
    """A round step for about four gridlines: 1, 2, 5, 10, 20, 50 …"""
    rough = max(1, maximum / 4)
    magnitude = 10 ** (len(str(int(rough))) - 1)
    for factor in (1, 2, 5, 10):
        if magnitude * factor >= rough:
            return magnitude * factor
    return magnitude * 10


def stacked_bars(columns: list[tuple[str, dict[str, int]]], *, width: int = 760, height: int = 300) -> Chart:
    """One bar per (label, counts by series key), left to right."""
    chart = Chart(width, height, plot_top=16, plot_bottom=height - 70, plot_left=44)
    if not columns:
        return chart
    top = max(1, max(sum(counts.get(key, 0) for key, _ in SERIES) for _, counts in columns))
    step = _nice_step(top)
    scale_max = -(-top // step) * step
    plot_height = chart.plot_bottom - chart.plot_top
    unit = plot_height / scale_max
    chart.ticks = [Tick(v, chart.plot_bottom - v * unit) for v in range(0, scale_max + 1, step)]
    slot = (width - chart.plot_left - 8) / len(columns)
    bar_width = max(4.0, min(40.0, slot * 0.7))
    for index, (label, counts) in enumerate(columns):
        x = chart.plot_left + slot * index + (slot - bar_width) / 2
        y = float(chart.plot_bottom)
        segments = []
        for key, name in SERIES:
            value = counts.get(key, 0)
            if value:
                h = value * unit
                y -= h
                segments.append(Segment(key, name, value, round(y, 1), round(h, 1)))
        total = sum(counts.get(key, 0) for key, _ in SERIES)
        chart.bars.append(Bar(label, round(x, 1), round(bar_width, 1), total, segments))
    return chart
