import logging

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from config.forms import GovukFormMixin

logger = logging.getLogger(__name__)


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask an administrator to reactivate it.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false"}
        )


class StaffPasswordResetForm(GovukFormMixin, PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The email address on your staff account.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.police.uk",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def send_mail(self, *args, **kwargs) -> None:
        # The page says the same whether or not an account matched, so a failed send must not
        # turn into an error page that tells an attacker which addresses exist. It is logged.
        try:
            super().send_mail(*args, **kwargs)
        except OSError:
            logger.exception("Could not send a password reset email")


class StaffSetPasswordForm(GovukFormMixin, SetPasswordForm):
    pass
