"""What each part of an urgency rules file does, on small files written for the test: the
apostrophes residents type, markers, exclusions, negation, sentences, `cancelled_by`, and the
errors a force sees for a file that does not load. (The shipped rules are measured on the corpus
in test_urgency_corpus.py.)"""

import json
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from queries.urgency import message_urgency, urgency_reasons

MARKERS = {
    "now": [r"\bright\s+now\b", r"\bat\s+the\s+moment\b"],
    "past": [r"\byesterday\b"],
    "habitual": [r"\bevery\s+evening\b"],
    "negation": [r"\bnot\b"],
    "not_urgent": [r"\bnot\s+urgent\b"],
}


def rule(**fields) -> dict:
    return {"code": "test", "label": "Test", "advice": "Call 999.", **fields}


@pytest.fixture
def rules_file(settings, tmp_path):
    """Write a rules file with these rules (and the markers above) and put it in force."""
    written = iter(range(1000))

    def write(*rules: dict, markers: dict | None = None) -> None:
        path = tmp_path / f"rules-{next(written)}.json"
        data = {"markers": MARKERS if markers is None else markers, "rules": list(rules)}
        path.write_text(json.dumps(data), encoding="utf-8")
        settings.QUERY_URGENCY_RULES = str(path)

    return write


def flagged(text: str) -> bool:
    return bool(urgency_reasons(text))


@pytest.mark.parametrize("apostrophe", ["\u2019", "\u2018", "'"])
def test_a_typographic_apostrophe_reads_as_a_plain_one(rules_file, apostrophe):
    rules_file(rule(patterns=[r"\bcan't\s+breathe\b"]))

    assert flagged(f"He can{apostrophe}t breathe")


def test_patterns_match_in_any_case(rules_file):
    rules_file(rule(patterns=[r"\ba man with a knife\b"]))

    assert flagged("THERE IS A MAN WITH A KNIFE")


def test_a_pattern_if_now_needs_a_now_marker_in_any_case(rules_file):
    rules_file(rule(patterns_if_now=[r"\bfight\b"]))

    assert not flagged("There is a fight outside")
    assert flagged("There is a fight outside right now")
    assert flagged("There is a fight outside AT THE MOMENT")


def test_saying_not_urgent_drops_a_pattern_if_now_but_not_a_pattern(rules_file):
    rules_file(
        rule(code="fight", patterns_if_now=[r"\bfight\b"]),
        rule(code="knife", patterns=[r"\bknife\b"]),
    )

    assert urgency_reasons("A fight right now, but it is not urgent") == []
    assert [r.code for r in urgency_reasons("A knife right now, but it is not urgent")] == ["knife"]


def test_a_habit_is_never_an_event_even_at_the_moment(rules_file):
    """A pattern_if_now is dropped by a habit in its sentence whatever the rule's
    cancelled_by says: 'every evening at the moment' is a neighbourhood priority."""
    rules_file(rule(patterns_if_now=[r"\bfight\b"], cancelled_by=[]))

    assert not flagged("There is a fight outside every evening at the moment")
    assert flagged("There is a fight outside at the moment")


def test_the_past_drops_a_pattern_if_now_whatever_cancelled_by_says(rules_file):
    rules_file(rule(patterns_if_now=[r"\bfight\b"], cancelled_by=[]))

    assert not flagged("There was a fight yesterday. I am at home right now")


def test_the_past_drops_a_pattern_unless_cancelled_by_leaves_it_out(rules_file):
    rules_file(
        rule(code="burglary", patterns=[r"\bbroken\s+into\b"]),
        rule(code="threat", patterns=[r"\bthreatened\b"], cancelled_by=[]),
    )

    assert urgency_reasons("We were broken into yesterday") == []
    assert [r.code for r in urgency_reasons("He threatened me yesterday")] == ["threat"]
    assert [r.code for r in urgency_reasons("We were broken into yesterday, right now")] == [
        "burglary"
    ]


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("Yesterday a man had a knife. It was scary", False),
        ("Help. Yesterday a man had a knife. It was scary", False),
        ("A man has a knife outside. It happened yesterday too", True),
        ("Yesterday was quiet! A man has a knife outside", True),
    ],
)
def test_a_past_marker_counts_only_in_the_matchs_own_sentence(rules_file, text, urgent):
    rules_file(rule(patterns=[r"\bknife\b"]))

    assert flagged(text) is urgent


def test_an_exclusion_drops_only_the_match_it_overlaps(rules_file):
    rules_file(rule(patterns=[r"\bknife\b"], exclusions=[r"\bknife\s+crime\s+awareness\b"]))

    assert not flagged("The knife crime awareness talk was good")
    assert flagged("The knife crime awareness talk was good. Now a man has a knife outside")


@pytest.mark.parametrize("text", ["fireworks", "workfire"])
def test_an_exclusion_that_only_touches_a_match_does_not_drop_it(rules_file, text):
    rules_file(rule(patterns=[r"fire"], exclusions=[r"works", r"work"]))

    assert flagged(text)


def test_a_negation_counts_up_to_two_words_and_sixty_characters_before(rules_file):
    rules_file(rule(patterns=[r"\bin\s+danger\b"]))

    assert not flagged("No one is not in danger")
    assert not flagged("We are not really truly in danger")
    assert flagged("We are not really truly very much in danger")
    # The cue must be within the 60 characters before the match.
    assert not flagged("not" + " " * 57 + "in danger")
    assert flagged("not" + " " * 58 + "in danger")


def test_without_the_setting_the_shipped_rules_apply(settings):
    del settings.QUERY_URGENCY_RULES

    assert [r.code for r in urgency_reasons("a man with a knife is outside")] == ["weapon"]


def test_a_broken_rules_file_is_logged_and_the_message_goes_unchecked(settings, tmp_path, caplog):
    broken = tmp_path / "rules.json"
    broken.write_text('{"rules": [{"code": "x"', encoding="utf-8")
    settings.QUERY_URGENCY_RULES = str(broken)

    with caplog.at_level(logging.ERROR):
        assert message_urgency("a man with a knife is outside") == []

    assert [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR] == [
        "Urgent-words rules do not load: messages are not checked"
    ]


def test_a_rule_that_is_not_an_object_is_named_by_its_place(rules_file, settings):
    rules_file(rule(patterns=[r"\bknife\b"]), "knife")

    with pytest.raises(ImproperlyConfigured) as error:
        urgency_reasons("anything")

    assert str(error.value) == (
        f"The urgency rule number 2 in {settings.QUERY_URGENCY_RULES} is not a JSON object."
    )


def test_a_rule_may_have_only_patterns_if_now(rules_file):
    rules_file(rule(patterns_if_now=[r"\bfight\b"]))

    assert flagged("A fight right now")


def test_a_rule_needs_patterns_or_patterns_if_now(rules_file):
    rules_file(rule(code="empty"))

    with pytest.raises(
        ImproperlyConfigured, match=r"rule empty .* needs 'patterns' or 'patterns_if_now'"
    ):
        urgency_reasons("anything")


@pytest.mark.parametrize("cancelled_by", [["sometimes"], "past"])
def test_cancelled_by_may_list_only_past_and_habitual(rules_file, cancelled_by):
    rules_file(rule(code="odd", patterns=[r"\bx\b"], cancelled_by=cancelled_by))

    with pytest.raises(
        ImproperlyConfigured, match=r"rule odd .* 'cancelled_by'.*may list only past, habitual"
    ):
        urgency_reasons("anything")


@pytest.mark.parametrize("key", ["patterns", "patterns_if_now", "exclusions"])
@pytest.mark.parametrize("value", [r"\bknife\b", [r"\bknife\b", 3]])
def test_a_list_that_is_not_of_texts_names_its_rule_and_file(rules_file, settings, key, value):
    fields = {"patterns": [r"\bgun\b"], key: value}
    rules_file(rule(code="odd", **fields))

    with pytest.raises(ImproperlyConfigured) as error:
        urgency_reasons("anything")

    message = str(error.value)
    assert f"The {key} of urgency rule odd in {settings.QUERY_URGENCY_RULES}" in message
    assert f"must be a list of texts ({settings.QUERY_URGENCY_RULES})" in message
