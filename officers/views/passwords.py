"""Asking for a password reset link, limited like the public forms."""

import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy

from config.http import client_ip
from officers.forms import StaffPasswordResetForm
from officers.passwords import password_reset_limit_message, password_reset_rate_limit_hit


class StaffPasswordResetView(auth_views.PasswordResetView):
    template_name = "officers/password_reset_form.html"
    email_template_name = "officers/email/password_reset.txt"
    subject_template_name = "officers/email/password_reset_subject.txt"
    form_class = StaffPasswordResetForm
    success_url = reverse_lazy("officers:password_reset_done")

    def form_valid(self, form: StaffPasswordResetForm) -> HttpResponse:
        started = time.monotonic()
        retry_at = password_reset_rate_limit_hit(
            ip=client_ip(self.request), email=form.cleaned_data["email"]
        )
        if retry_at is not None:
            form.add_error(None, password_reset_limit_message(retry_at))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response = super().form_valid(form)
        # Writing the email takes a few milliseconds that a request for an unknown address does
        # not: answer both at the same moment, so timing cannot tell which addresses exist.
        time.sleep(max(0.0, settings.PASSWORD_RESET_ANSWER_SECONDS - (time.monotonic() - started)))
        return response
