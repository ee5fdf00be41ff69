"""Charts drawn on the server as SVG: no script, nothing from a CDN, nothing the Content
Security Policy has to allow. The geometry is worked out here; templates/partials/ draws it
(``stacked_bars.html``), and every chart is shown beside the table of the numbers it draws.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    series: str
    label: str
    value: int
    x: float
    width: float
    percent: int


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    y: float
    segments: list[Segment]


@dataclass(frozen=True)
class StackedBars:
    """One bar a row, each split into its series as shares of the row's total (100 %)."""

    bars: list[Bar]
    series: list[tuple[str, str]]
    width: int
    height: int
    label_width: int
    bar_width: int
    bar_height: int

    @property
    def text_y(self) -> float:
        """Where a bar's label sits, below the bar's top: its middle, for one line of text."""
        return self.bar_height / 2 + 5


def stacked_bars(
    rows: list[tuple[str, dict[str, int]]],
    series: list[tuple[str, str]],
    *,
    width: int = 640,
    label_width: int = 180,
    bar_height: int = 26,
    gap: int = 12,
) -> StackedBars:
    """``rows``: (label, {series key: value}); ``series``: (key, label) in drawing order."""
    bar_width = width - label_width - 48  # room on the right for the row's total
    bars = []
    for index, (label, values) in enumerate(rows):
        total = sum(values.get(key, 0) for key, _ in series)
        x = float(label_width)
        segments = []
        for key, name in series:
            value = values.get(key, 0)
            share = value / total if total else 0
            segments.append(
                Segment(
                    series=key,
                    label=name,
                    value=value,
                    x=round(x, 2),
                    width=round(share * bar_width, 2),
                    percent=round(share * 100),
                )
            )
            x += share * bar_width
        bars.append(Bar(label=label, total=total, y=index * (bar_height + gap), segments=segments))
    height = max(len(rows) * (bar_height + gap) - gap, bar_height)
    return StackedBars(
        bars=bars,
        series=series,
        width=width,
        height=height,
        label_width=label_width,
        bar_width=bar_width,
        bar_height=bar_height,
    )
