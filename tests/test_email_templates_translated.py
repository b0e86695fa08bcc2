"""Every email template is marked for translation: no English is left outside the translate
tags, so a Welsh reader gets no English sentence, subject or heading."""

import html
import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
EMAIL_TEMPLATES = sorted(TEMPLATES.glob("*/email/*"))
TRANSLATED = re.compile(
    r"{%\s*(blocktranslate|blocktrans|comment)\b.*?{%\s*end\1\s*%}|{#.*?#}", re.DOTALL
)
TAGS = re.compile(r"<[^>]*>|{%.*?%}|{{.*?}}", re.DOTALL)
WORDS = re.compile(r"[A-Za-z]{2,}")


def test_there_are_email_templates_to_check():
    assert len(EMAIL_TEMPLATES) >= 60


@pytest.mark.parametrize(
    "template", EMAIL_TEMPLATES, ids=[p.relative_to(TEMPLATES).as_posix() for p in EMAIL_TEMPLATES]
)
def test_an_email_template_leaves_no_english_outside_its_translate_tags(template):
    source = TRANSLATED.sub(" ", template.read_text(encoding="utf-8"))
    left = [
        " ".join(html.unescape(piece).split())
        for piece in TAGS.split(source)
        if WORDS.search(html.unescape(piece))
    ]

    assert left == []
