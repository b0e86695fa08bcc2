from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    """What every page's layout needs. No database here: the error pages use it too."""
    return {
        "force_name": settings.FORCE_NAME,
        "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
        "exit_page_url": settings.EXIT_PAGE_URL,
        "report_online_url": settings.REPORT_ONLINE_URL,
        "police_uk_area_url": settings.POLICE_UK_AREA_URL,
        "cookie_notice_seen": request.COOKIES.get("cookie_notice_seen") == "1",
    }
