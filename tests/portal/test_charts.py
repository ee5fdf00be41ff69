"""The SVG charts' geometry and the text they print."""

from decimal import Decimal

from portal.charts import stacked_bars, stacked_columns


def test_stacked_bars_split_each_row_into_shares_of_its_total():
    chart = stacked_bars(
        [("Food", {"good": 3, "bad": 1})], [("good", "Good"), ("bad", "Bad")], width=680
    )
    bar = chart.bars[0]
    assert [s.percent for s in bar.segments] == [75, 25]
    assert [s.width for s in bar.segments] == [321.0, 107.0]
    assert bar.total_text == "4"


def test_amounts_are_printed_through_the_money_formatter():
    bars = stacked_bars(
        [("Food", {"spent": Decimal("1234.5"), "waiting": Decimal("10")})],
        [("spent", "Spent"), ("waiting", "Waiting")],
        one_scale=True,
        currency="GBP",
    )
    assert bars.bars[0].total_text == "£1,244.50"
    assert [s.value_text for s in bars.bars[0].segments] == ["£1,234.50", "£10.00"]
    columns = stacked_columns(
        [("1", {"spent": Decimal("5")})], [("spent", "Spent")], reference=10, currency="EUR"
    )
    assert columns.columns[0].blocks[0].value_text == "€5.00"
    # The budget is the tallest thing drawn: it sets the scale, half-way for half of it.
    assert columns.reference_y == 0.0
    assert columns.columns[0].blocks[0].height == 90.0


def test_phones_get_narrow_drawings_with_labels_above_the_bars():
    bars = stacked_bars([("Food", {"a": 1}), ("Fees", {"a": 2})], [("a", "A")]).narrow
    assert (bars.width, bars.label_width, bars.labels_above) == (360, 0, True)
    # Each bar leaves a line above itself for its label.
    assert [bar.y for bar in bars.bars] == [18, 74]
    assert bars.bars[0].segments[0].x == 0.0


def test_columns_too_close_for_every_label_write_every_second_one():
    rows = [(str(day), {"spent": day}) for day in range(1, 31)]
    chart = stacked_columns(rows, [("spent", "Spent")])
    assert all(c.show_label for c in stacked_columns(rows[:8], [("spent", "Spent")]).columns)
    assert [c.label for c in chart.columns if c.show_label][:3] == ["1", "3", "5"]
    assert [c.label for c in chart.narrow.columns if c.show_label][:3] == ["1", "5", "9"]
