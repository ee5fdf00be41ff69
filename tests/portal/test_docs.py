"""The project's documentation stands on its own: it names nothing outside the repository, and
every relative link in README.md and docs/ leads to a file, and a heading, that exist."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target), not inside inline code; images and autolinks are not used.
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"`[^`\n]*`")


def _prose(path: Path) -> str:
    """The document without its code blocks and inline code, where brackets are not links."""
    return INLINE_CODE.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))


def _anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the document's headings: lower case, punctuation dropped,
    spaces as hyphens."""
    anchors = set()
    for line in FENCE.sub("", path.read_text(encoding="utf-8")).splitlines():
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            text = re.sub(r"[^\w\- ]", "", heading.group(1).lower().replace("`", ""))
            anchors.add(text.replace(" ", "-"))
    return anchors


def _links(path: Path) -> list[str]:
    return [t for t in LINK.findall(_prose(path)) if not re.match(r"^[a-z]+:", t)]


def test_the_docs_exist_and_the_readme_links_each():
    names = {p.name for p in DOCUMENTS}
    assert {"api.md", "domain.md", "architecture.md", "operations.md"} <= names
    readme_links = set(_links(ROOT / "README.md"))
    for doc in DOCUMENTS[1:]:
        assert f"docs/{doc.name}" in readme_links, f"README.md does not link docs/{doc.name}"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_documents_name_nothing_outside_the_repository(path):
    text = path.read_text(encoding="utf-8")
    assert "../shared" not in text
    assert "/work/" not in text


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(path):
    broken = []
    for target in _links(path):
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target}: no such heading")
    assert broken == [], f"{path.name} has broken links: {broken}"


def test_the_link_checker_sees_a_broken_file_and_a_broken_heading(tmp_path):
    """The checks above would pass vacuously if links were not found; prove they are."""
    page = tmp_path / "page.md"
    page.write_text(
        "# A title\n\nSee [here](#a-title), [gone](#nowhere) and [missing](missing.md).\n"
        "`[not a link](nothing.md)`\n",
        encoding="utf-8",
    )
    assert _links(page) == ["#a-title", "#nowhere", "missing.md"]
    assert _anchors(page) == {"a-title"}


PATH_IN_CODE = re.compile(
    r"`((?:portal|accounts|programs|tests|scripts|templates|docs|seeds)/[\w./-]+\.(?:py|html|md|txt|json))`"
)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_file_the_docs_name_exists(document):
    """A file named in the docs (`programs/empowerment/services/ledger.py`) is there, so a move
    of the code cannot leave the docs pointing at nothing."""
    named = set(PATH_IN_CODE.findall(document.read_text(encoding="utf-8")))
    assert [path for path in sorted(named) if not (ROOT / path).exists()] == []
