"""Settings: production refuses to start without its secrets and passes Django's deploy checks."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run_with_production_settings(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "TRUSTED_PROXY_COUNT"}
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_with_production_settings(
        "check", DATABASE_URL="postgres://portal@localhost/portal", ALLOWED_HOSTS="example.org"
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_the_trusted_proxy_count():
    # A default would let a client that reaches gunicorn directly (or through a proxy that
    # passes X-Forwarded-For through) choose its own address and escape every rate limit.
    result = _run_with_production_settings(
        "check",
        DJANGO_SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://portal@localhost/portal",
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT is not set" in result.stderr


def test_production_refuses_a_trusted_proxy_count_that_is_not_a_whole_number():
    result = _run_with_production_settings(
        "check",
        DJANGO_SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://portal@localhost/portal",
        ALLOWED_HOSTS="example.org",
        TRUSTED_PROXY_COUNT="-1",
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


def test_production_takes_the_trusted_proxy_count_it_is_given():
    result = _run_with_production_settings(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.TRUSTED_PROXY_COUNT)",
        DJANGO_SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://portal@localhost/portal",
        ALLOWED_HOSTS="example.org",
        TRUSTED_PROXY_COUNT="0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0"


def test_production_refuses_the_embedded_sqlite_database():
    result = _run_with_production_settings(
        "check", DJANGO_SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org", TRUSTED_PROXY_COUNT="1"
    )
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = _run_with_production_settings(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="a-long-random-production-secret-" + "k3y" * 20,
        DATABASE_URL="postgres://portal@localhost/portal",
        ALLOWED_HOSTS="portal.example.police.uk",
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_seed_demo_refuses_to_run_with_production_settings():
    result = _run_with_production_settings(
        "seed_demo",
        DJANGO_SECRET_KEY="a-long-random-production-secret-" + "k3y" * 20,
        DATABASE_URL="postgres://portal@127.0.0.1:1/portal",
        ALLOWED_HOSTS="portal.example.police.uk",
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.returncode != 0
    assert "refuses to run with production settings" in result.stderr


def _local_setting(name: str, **env: str) -> str:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "PORT", "DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.local")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from django.conf import settings as s; print(s.{name})",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_local_links_follow_the_port_when_site_url_is_unset():
    assert _local_setting("SITE_URL", PORT="8080") == "http://127.0.0.1:8080"
    assert _local_setting("SITE_URL") == "http://127.0.0.1:8000"
    assert _local_setting("SITE_URL", PORT="8080", SITE_URL="https://demo.example/") == (
        "https://demo.example"
    )


def test_the_outbox_claim_follows_the_mail_servers_timeout_unless_set():
    assert _local_setting("OUTBOX_CLAIM_SECONDS") == "90"
    assert _local_setting("OUTBOX_CLAIM_SECONDS", EMAIL_TIMEOUT="2") == "18"
    assert _local_setting("OUTBOX_CLAIM_SECONDS", OUTBOX_CLAIM_SECONDS="300") == "300"


def test_an_outbox_claim_shorter_than_a_slow_live_send_is_refused():
    result = _run_with_production_settings(
        "check",
        DJANGO_SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://portal@localhost/portal",
        ALLOWED_HOSTS="example.org",
        TRUSTED_PROXY_COUNT="1",
        EMAIL_TIMEOUT="10",
        OUTBOX_CLAIM_SECONDS="80",
    )
    assert result.returncode != 0
    assert "OUTBOX_CLAIM_SECONDS (80) must be more than eight times EMAIL_TIMEOUT (10)" in (
        result.stderr
    )


def test_local_settings_show_the_portals_error_pages_unless_debug_is_asked_for():
    assert _local_setting("DEBUG") == "False"
    assert _local_setting("DEBUG", DJANGO_DEBUG="true") == "True"


def _image_sources(**env: str) -> list[str]:
    environment = {key: value for key, value in os.environ.items() if key != "MAP_TILE_URL"}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.test")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django; django.setup(); from django.conf import settings;"
            "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_content_security_policy_allows_images_from_the_map_tile_server():
    assert "https://tile.openstreetmap.org" in _image_sources()

    own = _image_sources(MAP_TILE_URL="https://{s}.maps.example.police.uk/tiles/{z}/{x}/{y}.png")
    assert "https://*.maps.example.police.uk" in own
    assert "https://tile.openstreetmap.org" not in own
    assert own[:2] == ["'self'", "data:"]

    assert _image_sources(MAP_TILE_URL="") == ["'self'", "data:"]


def test_base_settings_read_through_one_env_and_the_sweep_interval_once():
    # A second reader or a second read of the same variable can disagree with the first (a
    # default changed in one place only).
    source = (ROOT / "config" / "settings" / "base.py").read_text()
    tree = ast.parse(source)
    readers = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "environ.Env"
    ]
    names = [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and ast.unparse(node.func.value) == "env"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    assert len(readers) == 1
    assert names.count("VAR_DIR") == 1
    assert names.count("SLA_SWEEP_MINUTES") == 1


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """The dashboards' aggregates spent more on JIT compilation than it saved (see
    config/settings/base.py): every connection turns it off."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_every_demo_sign_in_in_the_readme_skips_the_second_factor_locally():
    """`make run` lets a newcomer try each demo sign-in the README lists at once; with the local
    settings only."""
    readme = (ROOT / "README.md").read_text()
    table = readme.split("Demo sign-ins", 1)[1].split("\n\n", 2)[1]
    usernames = {line.split("`")[1] for line in table.splitlines() if line.startswith("| `")}

    skipped = ast.literal_eval(_local_setting("MFA_SKIP_USERNAMES"))

    assert usernames >= {"officer", "opcc", "admin", "asblead"}
    assert usernames <= set(skipped)
