"""Spot an emergency typed into the non-urgent query form, so the resident is told to call 999.

The rules are data, not code: a JSON file (``queries/urgency_rules.json`` by default; the setting
``QUERY_URGENCY_RULES`` names another) holds a table of categories, each with

- ``code``, ``label`` (plain English for staff) and ``advice`` (what the resident is told; always
  999, and the category's helpline where there is one), with their Welsh in ``label_cy`` and
  ``advice_cy`` for the Welsh pages (without them, those show the English);
- ``patterns``: regular expressions, any one of which is enough on its own ("a man with a knife",
  "being broken into", "kill myself");
- ``patterns_if_now``: words that are an emergency only while it is happening ("burglary",
  "fight"): they count when the message also has a ``now`` marker ("right now", "at the
  moment", "is happening", "outside now") and the resident has not said "not urgent";
- ``exclusions``: a match that overlaps one of these is ignored ("a break in the fence",
  "knife crime awareness", "shooting hoops", "the urgent care centre");
- ``cancelled_by``: kinds of marker that drop a match in the same sentence, unless that sentence
  also says it is happening now: ``past`` ("last month", "a week ago": a burglary or a fight
  that is over is a query for 101, not an emergency) and ``habitual`` ("every evening", "most
  weekends": a pattern of nuisance is a neighbourhood priority, not a 999 call).

Shared ``markers`` (``now``, ``past``, ``habitual``, ``negation``, ``not_urgent``) apply to every
category. A ``negation`` cue up to two words before a match drops it ("no one is in danger",
"not in danger"). ``patterns_if_now`` matches are always dropped by past and habitual markers in
their sentence and by a ``not_urgent`` marker anywhere in the message; a pattern that is enough on
its own is believed even when the resident writes "not urgent" (people play down what frightens
them). Self-harm and domestic abuse are never cancelled by the past: a threat from a partner last
night, or a resident who hurt themselves last week, still get 999 and the helpline.

Every pattern is a Python regular expression matched case-insensitively. Use word boundaries
(``\\b``, written ``"\\\\b"`` inside the JSON text) and allow the misspellings residents make
("braking in", "stabed", "sucide", "kill my self").

To add a category, add an object to ``rules`` in the JSON file with at least ``code``, ``label``,
``advice`` and ``patterns`` (or ``patterns_if_now``), then add labelled messages for it to
``tests/queries/urgency_corpus.jsonl`` and run its test, which reports recall and precision.
A force does the same in its own copy of the file; ``manage.py check`` reports a file that does not
load (a bad regular expression, a missing key), naming the rule.
"""

import functools
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

DEFAULT_RULES_FILE = Path(__file__).with_name("urgency_rules.json")
MARKER_KINDS = ("now", "past", "habitual", "negation", "not_urgent")
CANCELLING_KINDS = ("past", "habitual")
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_WORDS_AFTER_CUE = r"(?:[\s,]+[\w']+){0,2}[\s,]*$"


@dataclass(frozen=True)
class UrgentReason:
    code: str
    label: str
    advice: str
    advice_cy: str = ""
    label_cy: str = ""

    def label_in(self, language: str | None) -> str:
        """The label as a resident reads it in `language` (the Welsh where the rules give it)."""
        if (language or "").startswith("cy") and self.label_cy:
            return self.label_cy
        return self.label

    def advice_in(self, language: str | None) -> str:
        """The advice in `language`: the Welsh where the rules give it, else the English."""
        if (language or "").startswith("cy") and self.advice_cy:
            return self.advice_cy
        return self.advice


@dataclass(frozen=True)
class UrgencyRule:
    reason: UrgentReason
    patterns: tuple[re.Pattern[str], ...]
    patterns_if_now: tuple[re.Pattern[str], ...]
    exclusions: tuple[re.Pattern[str], ...]
    cancelled_by: frozenset[str]


@dataclass(frozen=True)
class RuleBook:
    markers: dict[str, re.Pattern[str] | None]
    rules: tuple[UrgencyRule, ...]


def urgency_reasons(text: str) -> list[UrgentReason]:
    """The reasons `text` reads as an emergency, each once, in the order of the rules file."""
    book = rule_book()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    says_now = _found(book.markers["now"], text)
    says_not_urgent = _found(book.markers["not_urgent"], text)
    reasons = []
    for rule in book.rules:
        # (needs_now=None would read the same: mutation testing keeps it alive.)
        strong = _matches(book, rule, rule.patterns, text, needs_now=False)
        weak = says_now and not says_not_urgent
        if strong or (weak and _matches(book, rule, rule.patterns_if_now, text, needs_now=True)):
            reasons.append(rule.reason)
    return reasons


def message_urgency(text: str) -> list[UrgentReason]:
    """urgency_reasons for the pages and services residents use, on at most the first
    QUERY_MESSAGE_MAX_LENGTH characters. When the rules file does not load: no reasons (logged
    as an error) rather than an error page, so a broken file never stops a resident sending a
    query; `manage.py check` reports the file (queries.E001)."""
    # Only as much as a message may hold is read: a longer one is refused by the form anyway,
    # and the rules take about 5 ms per 1,000 characters (32 s for a 6.7 MB body).
    try:
        return urgency_reasons(text[: settings.QUERY_MESSAGE_MAX_LENGTH])
    except ImproperlyConfigured:
        logger.exception("Urgent-words rules do not load: messages are not checked")
        return []


def load_rules() -> tuple[UrgencyRule, ...]:
    """The rules in force, in the order of the file."""
    return rule_book().rules


def rule_book() -> RuleBook:
    """The compiled rules file the setting names, read again when the file changes."""
    # An unset or empty setting means the shipped file (mutation testing keeps `None` for `""`).
    path = Path(getattr(settings, "QUERY_URGENCY_RULES", "") or DEFAULT_RULES_FILE)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as error:
        raise ImproperlyConfigured(
            f"QUERY_URGENCY_RULES: cannot read the urgency rules file {path}: {error}"
        ) from error
    return _compile_file(str(path), mtime)


@functools.lru_cache(maxsize=8)
def _compile_file(path: str, mtime: int) -> RuleBook:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(
            f"Urgency rules file {path} is not valid JSON: {error}"
        ) from error
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list) or not data["rules"]:
        raise ImproperlyConfigured(f"Urgency rules file {path} needs a non-empty list 'rules'.")
    markers = data.get("markers") or {}
    compiled_markers = {
        kind: _combine(_compile_list(markers.get(kind, []), f"markers.{kind}", path))
        for kind in MARKER_KINDS
    }
    cues = compiled_markers["negation"]
    compiled_markers["negation"] = (
        re.compile(f"(?:{cues.pattern}){_WORDS_AFTER_CUE}", re.IGNORECASE) if cues else None
    )
    rules = [_compile_rule(entry, index, path) for index, entry in enumerate(data["rules"])]
    codes = [rule.reason.code for rule in rules]
    if len(set(codes)) != len(codes):
        raise ImproperlyConfigured(f"Urgency rules file {path} repeats a rule code: {codes}.")
    return RuleBook(markers=compiled_markers, rules=tuple(rules))


def _compile_rule(entry: Any, index: int, path: str) -> UrgencyRule:
    name = entry.get("code") if isinstance(entry, dict) else None
    where = f"urgency rule {name or f'number {index + 1}'} in {path}"
    if not isinstance(entry, dict):
        raise ImproperlyConfigured(f"The {where} is not a JSON object.")
    for key in ("code", "label", "advice"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ImproperlyConfigured(f"The {where} needs a non-empty text '{key}'.")
    for key in ("label_cy", "advice_cy"):
        if not isinstance(entry.get(key, ""), str):
            raise ImproperlyConfigured(f"The {where} has a '{key}' that is not text.")
    if not entry.get("patterns") and not entry.get("patterns_if_now"):
        raise ImproperlyConfigured(f"The {where} needs 'patterns' or 'patterns_if_now'.")
    cancelled_by = entry.get("cancelled_by", list(CANCELLING_KINDS))
    if not isinstance(cancelled_by, list) or not set(cancelled_by) <= set(CANCELLING_KINDS):
        raise ImproperlyConfigured(
            f"The {where} has 'cancelled_by' {cancelled_by!r}; "
            f"it may list only {', '.join(CANCELLING_KINDS)}."
        )
    return UrgencyRule(
        reason=UrgentReason(
            code=entry["code"],
            label=entry["label"],
            advice=entry["advice"],
            advice_cy=entry.get("advice_cy", "").strip(),
            label_cy=entry.get("label_cy", "").strip(),
        ),
        patterns=_compile_list(entry.get("patterns", []), f"patterns of {where}", path),
        patterns_if_now=_compile_list(
            entry.get("patterns_if_now", []), f"patterns_if_now of {where}", path
        ),
        exclusions=_compile_list(entry.get("exclusions", []), f"exclusions of {where}", path),
        cancelled_by=frozenset(cancelled_by),
    )


def _compile_list(patterns: Any, where: str, path: str) -> tuple[re.Pattern[str], ...]:
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ImproperlyConfigured(f"The {where} must be a list of texts ({path}).")
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as error:
            raise ImproperlyConfigured(
                f"The {where} has a bad regular expression {pattern!r}: {error}."
            ) from error
    return tuple(compiled)


def _combine(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


def _found(pattern: re.Pattern[str] | None, text: str) -> bool:
    return bool(pattern and pattern.search(text))


def _matches(
    book: RuleBook,
    rule: UrgencyRule,
    patterns: tuple[re.Pattern[str], ...],
    text: str,
    *,
    needs_now: bool,
) -> bool:
    cancelled_by = CANCELLING_KINDS if needs_now else tuple(rule.cancelled_by)
    for pattern in patterns:
        for match in pattern.finditer(text):
            if _excluded(rule, match, text) or _negated(book, match, text):
                continue
            if not _cancelled(book, _sentence(text, match.start()), cancelled_by, needs_now):
                return True
    return False


def _cancelled(book: RuleBook, sentence: str, kinds: tuple[str, ...], needs_now: bool) -> bool:
    """Whether a past or habitual marker in the sentence drops a match. Saying "now" in the same
    sentence keeps it, except that a habit ("every evening at the moment") is never an event."""
    found = {kind for kind in kinds if _found(book.markers[kind], sentence)}
    if needs_now and "habitual" in found:
        return True
    return bool(found) and not _found(book.markers["now"], sentence)


def _excluded(rule: UrgencyRule, match: re.Match[str], text: str) -> bool:
    return any(
        other.start() < match.end() and match.start() < other.end()
        for exclusion in rule.exclusions
        for other in exclusion.finditer(text)
    )


def _negated(book: RuleBook, match: re.Match[str], text: str) -> bool:
    return _found(book.markers["negation"], text[max(0, match.start() - 60) : match.start()])


def _sentence(text: str, position: int) -> str:
    # Searching from 1 instead of 0 differs only for a text that begins with a full stop or
    # a line break, which then begins the sentence either way (mutation testing keeps it).
    starts = [0] + [end.end() for end in _SENTENCE_END.finditer(text, 0, position)]
    following = _SENTENCE_END.search(text, position)
    return text[starts[-1] : following.start() if following else len(text)]
