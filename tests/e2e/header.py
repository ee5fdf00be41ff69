"""Reaching the header's links as a person would at any width: on a phone the navigation and
the account links fold behind the Menu button, so open it first when the link is folded away."""


def _unfold(page, target):
    toggle = page.locator("summary.site-menu__toggle")
    if not target.is_visible() and toggle.is_visible():
        toggle.click()
    return target


def nav_link(page, name: str):
    return _unfold(page, page.locator("nav.site-nav").get_by_role("link", name=name, exact=True))


def log_out(page) -> None:
    _unfold(page, page.get_by_role("button", name="Log out")).click()
    page.wait_for_load_state()
