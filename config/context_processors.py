from django.conf import settings
from django.http import HttpRequest

from config.bilingual import force_name_context


def portal(request: HttpRequest) -> dict:
    """What every page's layout needs. No database here: the error pages use it too. The
    force's name is in the page's language: `force_name_html` in the page's text, `force_name`
    in its <title> and attributes (config.bilingual.force_name_context)."""
    return {
        **force_name_context(),
        "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
        "exit_page_url": settings.EXIT_PAGE_URL,
        "report_online_url": settings.REPORT_ONLINE_URL,
        "police_uk_area_url": settings.POLICE_UK_AREA_URL,
        "cookie_notice_seen": request.COOKIES.get("cookie_notice_seen") == "1",
    }
