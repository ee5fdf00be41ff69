"""Charts drawn on the server as SVG: no script, nothing from a CDN, nothing the Content
Security Policy has to allow. The geometry is worked out here; templates/partials/ draws it
(``stacked_bars.html``), and every chart is shown beside the table of the numbers it draws.
"""

import math
from dataclasses import dataclass, replace
from decimal import Decimal

from portal.formatting import money

# The width of the drawings for phones, in the drawing's units: a phone shows it at about its
# size, where the wide drawing (640) would be scaled to half and its text with it.
NARROW_WIDTH = 360
# Room for a line of text above a bar, and the least room a column's label needs beside the next.
LABEL_HEIGHT = 18
LABEL_SPACING = 40


def _as_text(value: int | float | Decimal, currency: str | None) -> str:
    """A number as the chart prints it: an amount through the one money formatter."""
    return money(value, currency) if currency else str(value)


@dataclass(frozen=True)
class Segment:
    series: str
    label: str
    value: int
    value_text: str
    x: float
    width: float
    percent: int


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    total_text: str
    y: float
    segments: list[Segment]


@dataclass(frozen=True)
class StackedBars:
    """One bar a row, each split into its series: as shares of the row's total (100 %), or
    all on one scale up to the largest total."""

    bars: list[Bar]
    series: list[tuple[str, str]]
    width: int
    height: int
    label_width: int
    bar_width: int
    bar_height: int
    # Phones: the labels stand above their bars, so the chart can be narrow and its text stays
    # readable when the drawing is scaled to the screen.
    labels_above: bool = False
    narrow: "StackedBars | None" = None

    @property
    def text_y(self) -> float:
        """Where a bar's total (and, beside the bar, its label) sits below the bar's top: its
        middle, for one line of text."""
        return self.bar_height / 2 + 5


def stacked_bars(
    rows: list[tuple[str, dict[str, int]]],
    series: list[tuple[str, str]],
    *,
    width: int = 640,
    label_width: int = 180,
    bar_height: int = 26,
    gap: int = 12,
    one_scale: bool = False,
    currency: str | None = None,
) -> StackedBars:
    """``rows``: (label, {series key: value}); ``series``: (key, label) in drawing order;
    ``one_scale``: bars as long as their totals, instead of each filling the width;
    ``currency``: the values are amounts of it. The chart comes with its ``narrow`` form for
    phones."""
    options = {"bar_height": bar_height, "gap": gap, "one_scale": one_scale, "currency": currency}
    wide = _bars(rows, series, width=width, label_width=label_width, **options)
    narrow = _bars(rows, series, width=NARROW_WIDTH, label_width=0, labels_above=True, **options)
    return replace(wide, narrow=narrow)


def _bars(
    rows: list[tuple[str, dict[str, int]]],
    series: list[tuple[str, str]],
    *,
    width: int,
    label_width: int,
    bar_height: int,
    gap: int,
    one_scale: bool,
    currency: str | None,
    labels_above: bool = False,
) -> StackedBars:
    bar_width = width - label_width - 72  # room on the right for the row's total
    label_room = LABEL_HEIGHT if labels_above else 0
    totals = [sum(values.get(key, 0) for key, _ in series) for _, values in rows]
    peak = float(max(totals, default=0)) or 1.0
    bars = []
    for index, (label, values) in enumerate(rows):
        total = totals[index]
        scale = peak if one_scale else float(total)
        x = float(label_width)
        segments = []
        for key, name in series:
            value = values.get(key, 0)
            share = float(value) / scale if scale else 0.0
            segments.append(
                Segment(
                    series=key,
                    label=name,
                    value=value,
                    value_text=_as_text(value, currency),
                    x=round(x, 2),
                    width=round(share * bar_width, 2),
                    percent=round(float(value) * 100 / float(total)) if total else 0,
                )
            )
            x += share * bar_width
        bars.append(
            Bar(
                label=label,
                total=total,
                total_text=_as_text(total, currency),
                y=index * (label_room + bar_height + gap) + label_room,
                segments=segments,
            )
        )
    height = max(len(rows) * (label_room + bar_height + gap) - gap, label_room + bar_height)
    return StackedBars(
        bars=bars,
        series=series,
        width=width,
        height=height,
        label_width=label_width,
        bar_width=bar_width,
        bar_height=bar_height,
        labels_above=labels_above,
    )


@dataclass(frozen=True)
class Block:
    """One series' part of a column: from ``y`` (the top, in SVG's downward axis) for
    ``height``."""

    series: str
    label: str
    value: int | float
    value_text: str
    y: float
    height: float


@dataclass(frozen=True)
class Column:
    label: str
    total: int | float
    x: float
    blocks: list[Block]
    # Where columns are too close for every label, every second (third...) one is written.
    show_label: bool = True


@dataclass(frozen=True)
class StackedColumns:
    """One column a period, split into its series, all on one scale (0 to the tallest)."""

    columns: list[Column]
    series: list[tuple[str, str]]
    width: int
    height: int
    plot_height: int
    column_width: float
    reference_y: float | None = None
    reference_label: str = ""
    narrow: "StackedColumns | None" = None


def stacked_columns(
    rows: list[tuple[str, dict[str, int | float]]],
    series: list[tuple[str, str]],
    *,
    width: int = 640,
    plot_height: int = 180,
    reference: float | None = None,
    reference_label: str = "",
    currency: str | None = None,
) -> StackedColumns:
    """``rows``: (label, {series key: value}) in time order; each column stacks its series from
    the bottom up, in the order of ``series``. ``reference`` draws a level across the chart (a
    budget), on the same scale; ``currency``: the values are amounts of it. The chart comes
    with its ``narrow`` form for phones."""
    options = {
        "plot_height": plot_height,
        "reference": reference,
        "reference_label": reference_label,
        "currency": currency,
    }
    wide = _columns(rows, series, width=width, **options)
    return replace(wide, narrow=_columns(rows, series, width=NARROW_WIDTH, **options))


def _columns(
    rows: list[tuple[str, dict[str, int | float]]],
    series: list[tuple[str, str]],
    *,
    width: int,
    plot_height: int,
    reference: float | None,
    reference_label: str,
    currency: str | None,
) -> StackedColumns:
    slot = width / max(len(rows), 1)
    label_step = max(1, math.ceil(LABEL_SPACING / slot))
    column_width = round(slot * 0.6, 2)
    tallest = max((sum(v.get(k, 0) for k, _ in series) for _, v in rows), default=0)
    peak = float(max(tallest, reference or 0)) or 1.0
    columns = []
    for index, (label, values) in enumerate(rows):
        top = float(plot_height)
        blocks = []
        for key, name in series:
            value = values.get(key, 0)
            height = float(value) / peak * plot_height
            top -= height
            blocks.append(
                Block(
                    series=key,
                    label=name,
                    value=value,
                    value_text=_as_text(value, currency),
                    y=round(top, 2),
                    height=round(height, 2),
                )
            )
        columns.append(
            Column(
                label=label,
                total=sum(values.get(k, 0) for k, _ in series),
                x=round(index * slot + (slot - column_width) / 2, 2),
                blocks=blocks,
                show_label=index % label_step == 0,
            )
        )
    return StackedColumns(
        columns=columns,
        series=series,
        width=width,
        height=plot_height + 24,
        plot_height=plot_height,
        column_width=column_width,
        reference_y=(
            round(plot_height - float(reference) / peak * plot_height, 2)
            if reference is not None
            else None
        ),
        reference_label=reference_label,
    )
