"""Officers' and administrators' text in the page's language (config.bilingual): the Welsh twin
where it is written, the English marked lang="en" where it is not."""

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation
from pytest_django.asserts import assertHTMLEqual

from config.bilingual import falls_back, in_language

BOTH = SimpleNamespace(title="Beat meeting", title_cy="Cyfarfod cymdogaeth")
ENGLISH_ONLY = SimpleNamespace(title="Beat meeting <Normanton>", title_cy="")


def render(text: str, obj) -> str:
    return Template(text).render(Context({"event": obj}))


def test_english_pages_show_the_english_whatever_is_written():
    with translation.override("en-gb"):
        assert in_language(BOTH, "title") == "Beat meeting"
        assert render('{{ event|bilingual:"title" }}', BOTH) == "Beat meeting"
        assert not falls_back(ENGLISH_ONLY, "title")


def test_welsh_pages_show_the_welsh_where_it_is_written():
    with translation.override("cy"):
        assert in_language(BOTH, "title") == "Cyfarfod cymdogaeth"
        assert render('{{ event|bilingual:"title" }}', BOTH) == "Cyfarfod cymdogaeth"


def test_a_welsh_page_marks_the_english_it_falls_back_to_and_escapes_it():
    with translation.override("cy"):
        shown = render('<h1>{{ event|bilingual:"title" }}</h1>', ENGLISH_ONLY)
        in_attribute = render('<a title="{{ event|bilingual_text:"title" }}">', ENGLISH_ONLY)

    assertHTMLEqual(shown, '<h1><span lang="en">Beat meeting &lt;Normanton&gt;</span></h1>')
    # Escaped in an attribute too (a parser would take a bare "<" there as text, so the bytes).
    assert in_attribute == '<a title="Beat meeting &lt;Normanton&gt;">'


def test_a_language_can_be_asked_for_outside_a_request():
    assert in_language(BOTH, "title", "cy") == "Cyfarfod cymdogaeth"
    assert in_language(ENGLISH_ONLY, "title", "cy") == "Beat meeting <Normanton>"
    assert falls_back(ENGLISH_ONLY, "title", "cy")
    assert not falls_back(SimpleNamespace(title="", title_cy=""), "title", "cy")


OUTCOME = SimpleNamespace(
    summary="We met.\n\nWe agreed.", summary_cy="", issues_raised="Parking\n\nLitter <bins>"
)


def test_paragraphs_a_span_cannot_wrap_mark_their_element_instead():
    with translation.override("cy"):
        shown = render(
            '<div{{ event|bilingual_lang:"summary" }}>{{ event|bilingual_text:"summary"'
            "|linebreaks }}</div>",
            OUTCOME,
        )
    with translation.override("en-gb"):
        english = render('<div{{ event|bilingual_lang:"summary" }}>', OUTCOME)

    assertHTMLEqual(shown, '<div lang="en"><p>We met.</p><p>We agreed.</p></div>')
    assertHTMLEqual(english, "<div>")


def test_lines_are_marked_one_by_one_and_escaped():
    with translation.override("cy"):
        shown = render(
            '{% for line in event|bilingual_lines:"issues_raised" %}<li>{{ line }}</li>'
            "{% endfor %}",
            SimpleNamespace(issues_raised=OUTCOME.issues_raised, issues_raised_cy=""),
        )

    assertHTMLEqual(
        shown,
        '<li><span lang="en">Parking</span></li>'
        '<li><span lang="en">Litter &lt;bins&gt;</span></li>',
    )
