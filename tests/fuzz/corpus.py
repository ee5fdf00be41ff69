"""Hostile values: what a careless client, a broken integration or an attacker types.

Each one must get a 4xx or a message beside the field, never a server error.
"""

MEGABYTE = 1_000_000
# A front server refuses a longer request line (gunicorn's default is 4094 bytes, nginx's 8 KB)
# before the portal sees it, so a query string value is cut to this.
IN_A_URL = 8_192

HOSTILE: dict[str, str] = {
    "nul byte": "gift\x00",
    "1 MB string": "A" * MEGABYTE,
    "nested brackets": "[" * 5_000 + "]" * 5_000,
    "nested json": '{"a":' * 2_000 + "1" + "}" * 2_000,
    "control characters": "ref\x01\x07\x1b[31m\x7f",
    "cr/lf header": "TCK-1\r\nBcc: victim@example.test",
    "rtl override and zero-width": "TCK\u202e1001\u200b\ufeff",
    "arabic-indic digits": "١٠",
    "fullwidth digits": "１０",
    "first date": "0001-01-01",
    "last date": "9999-12-31",
    "last moment": "9999-12-31T23:59",
    "first period": "0001-01",
    "last period": "9999-12",
    "negative": "-1",
    "huge number": "9" * 40,
    "overflowing float": "1e309",
    "not a number": "NaN",
    "minus infinity": "-Infinity",
    "float id": "1.5",
    "empty": "",
    "markup": '"><script>alert(1)</script>',
}

# Numbers that fit a URL's <int:pk> but no database row, or no database column.
HOSTILE_IDS: dict[str, str] = {
    "zero id": "0",
    "bigint overflow": "9" * 20,
}
