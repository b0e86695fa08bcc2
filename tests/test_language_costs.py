"""Welsh costs no more than English: every public page under /cy/, and every staff page shown
to a member of staff who chose Cymraeg, runs no more SQL statements than the same page in
English. The Welsh of the content sits in the same rows as the English (`_cy` fields), and the
staff member's language comes from the cookie, so a Welsh page needs no statement of its own.
(Throughput in both languages is measured by bench/pages.py.)"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.caching import forget_local_state
from tests.test_languages import PUBLIC_PAGES, welsh
from tests.test_translations import STAFF_PAGES
from tests.test_urls_kept import demo, sign_in  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def statements(client, path: str, query: dict) -> tuple[int, int, list[str]]:
    """The status and SQL statements of a GET, with nothing cached beforehand (a cached page
    would hide the page's own statements in either language)."""
    cache.clear()
    forget_local_state()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, query)
    return response.status_code, len(captured), [q["sql"] for q in captured.captured_queries]


def _filled(row, demo: dict) -> tuple[str, dict]:  # noqa: F811
    path = row.path.format(**demo)
    return path, {key: value.format(**demo) for key, value in row.query.items()}


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in PUBLIC_PAGES])
def test_a_public_page_in_welsh_runs_no_more_sql_than_in_english(demo, client, row):  # noqa: F811
    path, query = _filled(row, demo)
    statements(client, path, query)  # the session and anything built once, out of the way

    english_status, english, _ = statements(client, path, query)
    welsh_status, in_welsh, sql = statements(client, welsh(path), query)

    assert (english_status, welsh_status) == (200, 200), path
    assert in_welsh <= english, "\n".join(sql)


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in STAFF_PAGES])
def test_a_staff_page_in_welsh_runs_no_more_sql_than_in_english(demo, client, row):  # noqa: F811
    sign_in(client, row.user)
    path, query = _filled(row, demo)
    statements(client, path, query)

    english_status, english, _ = statements(client, path, query)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh_status, in_welsh, sql = statements(client, path, query)

    assert (english_status, welsh_status) == (200, 200), path
    assert in_welsh <= english, "\n".join(sql)
