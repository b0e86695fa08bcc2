"""The urgent-words rules, measured on a labelled corpus of residents' messages.

`urgency_corpus.jsonl` holds one message a line: its text and the codes a reader expects (empty
for an ordinary query). Lines without a `set` were written before the rules. Three sets of 50
(`first_held_out`, `second_held_out`, `third_held_out`) were each written after a version of the
rules, measured (recall 0.40, 0.43 and 0.42), and then used to widen them, so they are development
data now. The last set (`held_out`) was written after the rules were final and has never been used
to change them: its figures are the honest estimate of how the rules do on new phrasings.
A message counts as urgent when it has any reason; precision and recall are over messages.
"""

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from queries.urgency import UrgentReason, load_rules, urgency_reasons

CORPUS = Path(__file__).with_name("urgency_corpus.jsonl")
CODES = [
    "crime_in_progress",
    "violence",
    "weapon",
    "danger",
    "self_harm",
    "domestic_abuse",
    "missing_child",
]


def _corpus() -> list[dict]:
    with CORPUS.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@dataclass
class Figures:
    messages: int
    urgent: int
    true_positives: int
    false_positives: int
    false_negatives: int
    per_category: dict[str, tuple[int, int]]
    missed: list[str]
    wrongly_flagged: list[str]

    @property
    def recall(self) -> float:
        return self.true_positives / max(1, self.true_positives + self.false_negatives)

    @property
    def precision(self) -> float:
        return self.true_positives / max(1, self.true_positives + self.false_positives)

    def report(self, name: str) -> str:
        lines = [
            f"{name}: {self.messages} messages ({self.urgent} urgent, "
            f"{self.messages - self.urgent} ordinary): recall {self.recall:.3f}, "
            f"precision {self.precision:.3f} "
            f"(TP {self.true_positives}, FP {self.false_positives}, FN {self.false_negatives})",
        ]
        lines += [
            f"  {code}: recall {found}/{total}"
            for code, (found, total) in self.per_category.items()
        ]
        lines += [f"  missed: {text}" for text in self.missed]
        lines += [f"  wrongly flagged: {text}" for text in self.wrongly_flagged]
        return "\n".join(lines)


def _measure(rows: list[dict]) -> Figures:
    tp = fp = fn = 0
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    missed, wrongly_flagged = [], []
    for row in rows:
        got = {reason.code for reason in urgency_reasons(row["text"])}
        expected = set(row["codes"])
        if expected and got:
            tp += 1
        elif expected:
            fn += 1
            missed.append(row["text"])
        elif got:
            fp += 1
            wrongly_flagged.append(f"{row['text']} -> {sorted(got)}")
        for code in expected:
            total[code] += 1
            found[code] += code in got
    return Figures(
        messages=len(rows),
        urgent=sum(1 for row in rows if row["codes"]),
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        per_category={code: (found[code], total[code]) for code in CODES if total[code]},
        missed=missed,
        wrongly_flagged=wrongly_flagged,
    )


def test_corpus_is_large_and_covers_every_category():
    rows = _corpus()
    labelled = Counter(code for row in rows for code in row["codes"])
    assert len(rows) >= 300
    assert sum(1 for row in rows if row["codes"]) >= 100
    assert sum(1 for row in rows if not row["codes"]) >= 190
    assert set(labelled) == set(CODES), labelled
    assert min(labelled.values()) >= 12, labelled
    assert sum(1 for row in rows if row.get("set") == "held_out") >= 30
    assert len({row["text"] for row in rows}) == len(rows)


def _development(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row.get("set") != "held_out"]


def _held_out(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row.get("set") == "held_out"]


def test_rules_find_urgent_messages_with_high_recall_and_precision():
    rows = _corpus()
    figures = {
        "whole corpus": _measure(rows),
        "development (the rules were written and widened on these)": _measure(_development(rows)),
        "held out (written after the final rules, never used to change them)": _measure(
            _held_out(rows)
        ),
    }
    report = "\n".join(figure.report(name) for name, figure in figures.items())
    print("\n" + report)
    development = figures["development (the rules were written and widened on these)"]
    assert development.recall >= 0.95 and development.precision >= 0.8, report
    held_out = figures["held out (written after the final rules, never used to change them)"]
    # Held-out recall was 0.42 when the rules were final (as it was on each earlier held-out set):
    # this guards against it falling, and says plainly that phrasings nobody thought of are missed
    # far more often than the development figure suggests.
    assert held_out.precision >= 0.8 and held_out.recall >= 0.4, report


def test_each_expected_category_is_named_for_most_of_its_messages():
    figures = _measure(_development(_corpus()))
    weak = {
        code: f"{found}/{total}"
        for code, (found, total) in figures.per_category.items()
        if found / total < 0.8
    }
    assert not weak, figures.report("development")


@pytest.mark.parametrize(
    "text",
    [
        "Not urgent, but kids are fighting on the rec every evening at the moment",
        "This is not an emergency, just a question about parking",
        "no emergency, who is our PCSO?",
        "Is the urgent care centre open on Sundays?",
        "There's a break in the fence by the playground",
        "kids shooting hoops in the park until late",
        "I'm killing time until the meeting starts",
        "Could you give a knife crime awareness talk at the school?",
        "last month someone broke into my shed",
        "there was a fight outside the pub last Saturday",
        "my car was broken into last week",
        "nobody is in danger, it's about the bins",
        "He is not threatening anyone, he just sits on the wall",
        "Our suicide prevention walk needs a road closure",
        "Can I ask about Clare's Law?",
        "My cat has gone missing",
    ],
)
def test_ordinary_messages_that_use_urgent_words_are_not_flagged(text):
    assert urgency_reasons(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("someone is trying to break in right now", "crime_in_progress"),
        ("someones braking in next door at the moment", "crime_in_progress"),
        ("my shed was broken into, they are still in the garden now", "crime_in_progress"),
        ("a lad has just been stabed outside the shop", "violence"),
        ("man waving a knife on the high street", "weapon"),
        ("i want to kill my self", "self_harm"),
        ("thinking about sucide", "self_harm"),
        ("my partner hits me and I'm frightened", "domestic_abuse"),
        ("my 6 year old son is missing", "missing_child"),
        ("a man has collapsed and isn't breathing", "danger"),
        ("NOT URGENT BUT SOMEONE IS BREAKING IN RIGHT NOW", "crime_in_progress"),
    ],
)
def test_urgent_messages_name_their_reason(text, code):
    assert code in [reason.code for reason in urgency_reasons(text)]


def test_each_reason_comes_once_in_the_order_of_the_rules():
    text = (
        "my ex is outside with a knife and he's threatening to kill me, "
        "he has a knife, a KNIFE, and my daughter is missing, she's 7"
    )
    codes = [reason.code for reason in urgency_reasons(text)]
    assert len(codes) == len(set(codes))
    assert codes == [code for code in CODES if code in codes]
    assert {"weapon", "domestic_abuse", "missing_child"} <= set(codes)


def test_every_reason_tells_the_resident_to_call_999():
    rules = load_rules()
    assert [rule.reason.code for rule in rules] == CODES
    for rule in rules:
        assert isinstance(rule.reason, UrgentReason)
        assert "999" in rule.reason.advice, rule.reason
        assert rule.reason.label and rule.reason.label[0].isupper(), rule.reason


def test_self_harm_and_domestic_abuse_advice_give_their_helplines():
    advice = {rule.reason.code: rule.reason.advice for rule in load_rules()}
    assert "Samaritans" in advice["self_harm"] and "116 123" in advice["self_harm"]
    assert "0808 2000 247" in advice["domestic_abuse"]


def _write_rules(path: Path, rules: list[dict], **markers: list[str]) -> Path:
    path.write_text(json.dumps({"markers": markers, "rules": rules}), encoding="utf-8")
    return path


def test_a_forces_rules_file_replaces_the_default(settings, tmp_path):
    assert urgency_reasons("the sheep are loose on the A6") == []
    settings.QUERY_URGENCY_RULES = str(
        _write_rules(
            tmp_path / "rules.json",
            [
                {
                    "code": "livestock",
                    "label": "Animals on the road",
                    "advice": "Call 999 if animals are on a road now.",
                    "patterns": [r"\b(?:sheep|cows?|horses?)\b.{0,30}\bloose\b"],
                }
            ],
        )
    )
    assert urgency_reasons("the sheep are loose on the A6") == [
        UrgentReason(
            code="livestock",
            label="Animals on the road",
            advice="Call 999 if animals are on a road now.",
        )
    ]
    assert urgency_reasons("someone is trying to break in right now") == []


def test_an_edited_rules_file_is_read_again(settings, tmp_path):
    rule = {"code": "test", "label": "Test", "advice": "Call 999.", "patterns": [r"\bpelican\b"]}
    path = _write_rules(tmp_path / "rules.json", [rule])
    settings.QUERY_URGENCY_RULES = str(path)
    assert [r.code for r in urgency_reasons("a pelican")] == ["test"]
    _write_rules(path, [{**rule, "patterns": [r"\bheron\b"]}])
    later = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(later, later))
    assert urgency_reasons("a pelican") == []
    assert [r.code for r in urgency_reasons("a heron")] == ["test"]


def test_a_bad_pattern_names_its_rule(settings, tmp_path):
    settings.QUERY_URGENCY_RULES = str(
        _write_rules(
            tmp_path / "rules.json",
            [{"code": "broken", "label": "Broken", "advice": "999", "patterns": ["(unclosed"]}],
        )
    )
    with pytest.raises(ImproperlyConfigured, match=r"broken.*\(unclosed"):
        urgency_reasons("anything")


def test_a_rule_without_advice_names_its_rule(settings, tmp_path):
    settings.QUERY_URGENCY_RULES = str(
        _write_rules(
            tmp_path / "rules.json",
            [{"code": "silent", "label": "Silent", "patterns": [r"\bx\b"]}],
        )
    )
    with pytest.raises(ImproperlyConfigured, match=r"silent.*advice"):
        urgency_reasons("anything")


def test_a_missing_rules_file_is_reported(settings, tmp_path):
    settings.QUERY_URGENCY_RULES = str(tmp_path / "nowhere.json")
    with pytest.raises(ImproperlyConfigured, match=r"nowhere\.json"):
        urgency_reasons("anything")


def test_manage_py_check_reports_a_broken_rules_file(settings, tmp_path):
    settings.QUERY_URGENCY_RULES = str(
        _write_rules(
            tmp_path / "rules.json",
            [{"code": "broken", "label": "Broken", "advice": "999", "patterns": ["[a-"]}],
        )
    )
    with pytest.raises(SystemCheckError, match=r"queries\.E001.*broken"):
        call_command("check")


def test_manage_py_check_accepts_the_shipped_rules(capsys):
    call_command("check")
    assert "no issues" in capsys.readouterr().out
