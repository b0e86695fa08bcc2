"""`make run` as a newcomer runs it, on a port of their choosing: the embedded defaults (SQLite,
the file cache, the filesystem broker), a real web server, worker and beat, and Chromium.

Every link the portal emails must point at the port it runs on, and a mistyped address gets
the portal's own "Page not found", not Django's debug page listing every URL pattern."""

import email
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import new_page
from tests.ports import unused_port
from tests.waiting import wait_until

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
STARTUP_SECONDS = 240


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """`make run PORT=…` with its own var/ directory; stopped with Ctrl-C as the README says."""
    port = unused_port()
    var_dir = tmp_path_factory.mktemp("var")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SITE_URL"}
    } | {"VAR_DIR": str(var_dir)}
    log = (var_dir / "make-run.log").open("w")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not answers(f"{url}/healthz"):
            assert process.poll() is None, (var_dir / "make-run.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "make run did not start in time"
            time.sleep(0.5)
        yield SimpleNamespace(url=url, port=port, mail=var_dir / "mail")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@pytest.fixture
def page(browser, portal):
    yield from new_page(browser, portal)


def emails_in(folder: Path) -> list[email.message.Message]:
    if not folder.exists():
        return []
    messages = []
    for path in sorted(folder.iterdir()):
        # The file backend writes each message followed by a line of dashes.
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip()))
    return messages


def text_of(message: email.message.Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode()
    return ""


def test_a_mistyped_address_gets_the_portals_own_page_not_found(page, portal):
    response = page.goto("/neighbourhods/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert "URLconf" not in page.content()
    # Styles load with debug off, without collectstatic.
    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert page.request.get(stylesheet).status == 200


def test_emailed_tracking_link_points_at_the_port_the_portal_runs_on(page, portal):
    page.goto("/neighbourhoods/derby-city-centre/contact/")
    page.get_by_label("Road safety").check()
    page.get_by_label("Your message").fill("Cars race along Fox Lane after midnight.")
    page.get_by_label("Your name").fill("Sam Resident")
    page.get_by_label("Email address").fill("sam.port@example.com")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("I agree that my details are used to answer my query").check()
    page.get_by_role("button", name="Send your query").click()
    expect(page.get_by_role("heading", name="Query sent")).to_be_visible()

    # The worker sends it through the outbox into var/mail/.
    def confirmation():
        for message in emails_in(portal.mail):
            if message["To"] == "sam.port@example.com":
                return message
        return None

    wait_until(lambda: confirmation() is not None, timeout=60)
    message = confirmation()
    links = re.findall(r"https?://[^\s\"'<>]+", text_of(message))
    tracking = [link for link in links if "/queries/track/" in link]
    assert tracking, links
    assert all(link.startswith(f"{portal.url}/") for link in links if "127.0.0.1" in link)

    page.goto(tracking[0])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your query")
    expect(page.get_by_text("Cars race along Fox Lane after midnight.")).to_be_visible()
