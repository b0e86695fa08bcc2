"""One page of a long list, with the page links to show, or a message when the page asked for
does not exist (a 404 with the filters still on the page, never an error page)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Paged:
    page: Page | None
    page_range: list
    page_error: str  # "" when the page exists

    @property
    def status(self) -> int:
        return 404 if self.page_error else 200

    def context(self) -> dict:
        return {"page": self.page, "page_range": self.page_range, "page_error": self.page_error}


def paginate(request: HttpRequest, items: Sequence, per_page: int) -> Paged:
    """The page named by `?page=` (the first by default)."""
    paginator = Paginator(items, per_page)
    number = request.GET.get("page") or 1
    try:
        page = paginator.page(number)
    except (PageNotAnInteger, EmptyPage):
        return Paged(
            None, [], _("There is no page {number} in this list.").format(number=str(number)[:20])
        )
    links = paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return Paged(page, list(links), "")
