"""Rendering an email from its templates: `<path>_subject.txt`, `<path>.txt` and, if present,
`<path>.html`. Used when an email is written to the outbox, or, for one written to be rendered
when sent (see notifications.services.outbox_emails_enqueue), by the worker that sends it."""

import html

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation


class EmailTemplates:
    """An email's templates, loaded once however many emails they render."""

    def __init__(self, path: str) -> None:
        self.subject = get_template(f"{path}_subject.txt")
        self.text = get_template(f"{path}.txt")
        try:
            self.html = get_template(f"{path}.html")
        except TemplateDoesNotExist:
            # Mutation testing keeps "" for None alive: `html` is only tested for truth.
            self.html = None

    def render(self, context: dict, language: str = "") -> tuple[str, str, str]:
        """The email's subject, text body and HTML body (empty without an HTML template), in
        `language` (the active one when empty)."""
        if language and language != translation.get_language():
            with translation.override(language):
                return self.render(context)
        # Subjects and text bodies are plain text: undo the HTML escaping templates apply.
        return (
            html.unescape(" ".join(self.subject.render(context).split())),
            html.unescape(self.text.render(context)),
            self.html.render(context) if self.html else "",
        )
