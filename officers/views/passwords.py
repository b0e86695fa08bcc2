"""Asking for a password reset link, limited like the public forms."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy

from config.http import client_ip
from config.limits import steady_answer
from officers.forms import StaffPasswordResetForm
from officers.passwords import password_reset_limit_message, password_reset_rate_limit_hit


class StaffPasswordResetView(auth_views.PasswordResetView):
    template_name = "officers/password_reset_form.html"
    email_template_name = "officers/email/password_reset.txt"
    subject_template_name = "officers/email/password_reset_subject.txt"
    form_class = StaffPasswordResetForm
    success_url = reverse_lazy("officers:password_reset_done")

    def form_valid(self, form: StaffPasswordResetForm) -> HttpResponse:
        retry_at = password_reset_rate_limit_hit(
            ip=client_ip(self.request), email=form.cleaned_data["email"]
        )
        if retry_at is not None:
            form.add_error(None, password_reset_limit_message(retry_at))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        # Answered at the same moment whether or not the address has an account.
        with steady_answer():
            return super().form_valid(form)
