"""Template hygiene that Django itself does not enforce."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Django's {# #} comment ends at the line's end: spread over lines, its text is printed.
UNCLOSED_COMMENT = re.compile(r"\{#(?:(?!#\}).)*$", re.MULTILINE)


def unclosed_comments(text: str) -> list[str]:
    return [match.group(0) for match in UNCLOSED_COMMENT.finditer(text)]


def test_the_check_finds_a_comment_spread_over_two_lines():
    assert unclosed_comments("{# one line #}\n<p>{# starts here\n ends here #}</p>") == [
        "{# starts here"
    ]


def test_no_template_spreads_a_short_comment_over_lines():
    found = {
        str(path.relative_to(TEMPLATES)): unclosed_comments(path.read_text())
        for path in TEMPLATES.rglob("*.*")
    }
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_home_page_prints_no_template_comment(client, agent):
    client.force_login(agent)
    html = client.get("/").content.decode()
    assert "{#" not in html and "#}" not in html
