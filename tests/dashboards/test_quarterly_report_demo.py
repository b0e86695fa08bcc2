"""The demo force has a published quarterly report and a draft, and seeding again adds none."""

import io

import pytest
from django.core.management import call_command

from dashboards.models import QuarterlyReport

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_published_report_and_one_draft_however_often_it_is_seeded():
    for _ in range(2):
        call_command("seed_demo", stdout=io.StringIO())
    published = QuarterlyReport.objects.published().get()
    draft = QuarterlyReport.objects.drafts().get()
    assert published.snapshot["schema"] == 2
    assert published.snapshot["quarter"] == published.quarter.slug
    assert "72-hour target" in published.commentary_html
    assert draft.quarter == published.quarter.previous()
