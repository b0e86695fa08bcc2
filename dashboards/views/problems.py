"""The 400 page every dashboard panel answers when its filters do not make sense."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext


def problem(
    request: HttpRequest, title: str, errors: list[str], filters_qs: str = ""
) -> HttpResponse:
    return render(
        request,
        "dashboards/problem.html",
        {"title": title, "errors": errors, "back_query": filters_qs},
        status=400,
    )


def filters_problem(request: HttpRequest, form: forms.Form) -> HttpResponse:
    """The filters' errors, each as the form says it."""
    errors = [error for errors in form.errors.values() for error in errors]
    return problem(request, gettext("There is a problem with the filters"), errors)
