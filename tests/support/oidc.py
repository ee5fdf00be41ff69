"""A genuine OpenID Connect provider for the sign-in tests (devtools/oidc_provider), and a
client that walks its pages the way a browser would.

``TestProvider.start`` runs the provider as a subprocess on a free loopback port with the
people in ``PEOPLE`` and waits for its discovery document; ``provider_settings`` is the portal's
``SOCIALACCOUNT_PROVIDERS`` for it. ``sign_in`` follows the whole authorisation-code flow with
PKCE: the portal's button, the provider's login page and consent page, and back to the portal,
which exchanges the code and checks the ID token itself.
"""

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ID = "testidp"
CLIENT_ID = "portal-tests"
CLIENT_SECRET = "portal-tests-secret"
PASSWORD = "provider-pass-1"  # everyone's password at the test provider

# Everyone the tests sign in as. Each test uses its own person, so tests sharing the one
# provider process never depend on one another.
PEOPLE = [
    {"email": "new.agent@portal.test", "name": "Nia Newcomer", "groups": ["cs-team-north"]},
    {"email": "outsider@elsewhere.test", "name": "Otto Outsider"},
    {"email": "unverified@portal.test", "name": "Una Verified", "email_verified": False},
    {"email": "Existing.Person@Portal.test", "name": "Eve Existing"},
    {"email": "switched.off@portal.test", "name": "Sid Off"},
    {
        "email": "grouped@portal.test",
        "name": "Gus Grouped",
        "groups": ["cs-finance", "cs-team-north"],
    },
    {"email": "leaver@portal.test", "name": "Lee Leaver", "groups": ["cs-team-north"]},
    {"email": "browser@portal.test", "name": "Bea Browser", "groups": ["cs-team-north"]},
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class TestProvider:
    process: subprocess.Popen
    port: int
    log: Path

    __test__ = False  # not a test class, whatever pytest thinks of its name

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}/o"

    @classmethod
    def start(cls, directory: Path) -> "TestProvider":
        people_file = directory / "people.json"
        people_file.write_text(
            json.dumps([{**person, "password": PASSWORD} for person in PEOPLE]), encoding="utf-8"
        )
        port = free_port()
        log = directory / "provider.log"
        command = [
            sys.executable,
            "-m",
            "devtools.oidc_provider",
            f"--port={port}",
            f"--dir={directory / 'data'}",
            f"--client-id={CLIENT_ID}",
            f"--client-secret={CLIENT_SECRET}",
            f"--redirect-uri=http://127.0.0.1/accounts/oidc/{PROVIDER_ID}/login/callback/",
            f"--redirect-uri=http://localhost/accounts/oidc/{PROVIDER_ID}/login/callback/",
            f"--people={people_file}",
        ]
        env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
        with log.open("wb") as output:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        provider = cls(process=process, port=port, log=log)
        provider._wait_until_ready()
        return provider

    def _wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                answer = requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=2)
                if answer.ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"The test provider did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def provider_settings(self) -> dict:
        return {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": PROVIDER_ID,
                        "name": "Test IdP",
                        "client_id": CLIENT_ID,
                        "secret": CLIENT_SECRET,
                        "settings": {
                            "server_url": self.issuer,
                            "verified_claim": "email_verified",
                        },
                    }
                ],
            }
        }


class _Forms(HTMLParser):
    """Every form on a page: its action, method and the values its inputs would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": attributes.get("action") or "", "fields": {}, "buttons": []}
            )
        elif tag in {"input", "button"} and self.forms:
            name = attributes.get("name")
            kind = attributes.get("type", "submit" if tag == "button" else "text")
            if kind == "submit":
                self.forms[-1]["buttons"].append((name, attributes.get("value", "")))
            elif name:
                self.forms[-1]["fields"][name] = attributes.get("value") or ""


def forms_on(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def submit(session: requests.Session, page: requests.Response, form: dict, **values):
    """Post ``form`` of ``page`` with its own values (CSRF token, hidden fields) and ``values``."""
    return session.post(
        urljoin(page.url, form["action"]) if form["action"] else page.url,
        data={**form["fields"], **values},
        timeout=30,
    )


def start_sign_in(portal_url: str, session: requests.Session | None = None):
    """Press "Sign in with Test IdP" on the portal's login page; the answer is wherever the
    redirects lead (the provider's login page, for someone not yet signed in there)."""
    session = session or requests.Session()
    login_page = session.get(f"{portal_url}/accounts/login/", timeout=30)
    login_page.raise_for_status()
    button = next(
        form for form in forms_on(login_page.text) if f"/oidc/{PROVIDER_ID}/" in form["action"]
    )
    return session, submit(session, login_page, button)


def sign_in(portal_url: str, email: str, *, password: str = PASSWORD):
    """The whole flow for ``email``; returns the session and the portal's last answer."""
    session, page = start_sign_in(portal_url)
    assert page.url.startswith("http://127.0.0.1:") and "/login/" in page.url, page.url
    (login_form,) = forms_on(page.text)
    consent = submit(session, page, login_form, username=email, password=password)
    assert "Allow" in consent.text, consent.text
    (consent_form,) = forms_on(consent.text)
    answer = submit(session, consent, consent_form, allow="Authorize")
    return session, answer


def running_provider(tmp_path_factory):
    """For a session fixture: ``yield from running_provider(tmp_path_factory)``."""
    provider = TestProvider.start(tmp_path_factory.mktemp("oidc-provider"))
    try:
        yield provider
    finally:
        provider.stop()
