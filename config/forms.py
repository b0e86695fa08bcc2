"""Forms render in the GOV.UK Frontend patterns: label, hint, error message, then the control."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input",
    "url": "govuk-input",
    "date": "govuk-input",
    "datetime": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


class GovukBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        css = WIDGET_CLASSES.get(self.widget_type)
        if css:
            # Keep the widget's own classes (a width, say) as well as any passed in.
            own = (widget or self.field.widget).attrs.get("class", "")
            classes = [css, *own.split(), *attrs.get("class", "").split()]
            if self.errors and css != "govuk-checkboxes__input":
                classes.append(f"{css}--error")
            attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs


class GovukFormMixin:
    """Mix into a form so each field renders with GOV.UK classes and error ids."""

    bound_field_class = GovukBoundField


class GovukForm(GovukFormMixin, forms.Form):
    pass


def add_service_errors(
    form: forms.Form, error: ValidationError, fields: dict[str, str] | None = None
) -> None:
    """Show what a service refused next to the form field it concerns (`fields` maps a
    service's field name to the form's, where they differ), or at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = (fields or {}).get(name, name)
        form.add_error(field if field in form.fields else None, errors)


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


# --- What every public form that takes a resident's email address shares ---------------------

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def resident_email_field(
    *, label: str = "Email address", help_text: str = "", required: bool = True
) -> forms.EmailField:
    messages = {
        "invalid": EMAIL_FORMAT,
        "max_length": "Your email address must be 254 characters or fewer",
    }
    if required:
        messages["required"] = "Enter your email address"
    return forms.EmailField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages=messages,
    )


def honeypot_field() -> forms.CharField:
    """A field for robots: hidden from sight and from the tab order, so people leave it empty.
    Name it `website` and mix HoneypotMixin into the form."""
    return forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        template_name="queries/_resident_honeypot.html",
    )


class HoneypotMixin:
    @property
    def is_from_robot(self) -> bool:
        """The honeypot was filled: answer as usual, and store and send nothing."""
        return bool(str(self.data.get("website", "")).strip())
