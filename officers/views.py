from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from officers.selectors import staff_overview


@require_GET
@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "officers/staff_home.html", {"overview": staff_overview(user=request.user)}
    )
