"""The Welsh text: every marked string has its translation, the compiled catalogue is the one
the portal reads, no public page shows English template text under /cy/, and no staff page
shows any to a member of staff who chose Cymraeg."""

import ast
import html
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.html import element, language
from tests.test_languages import ENGLISH_ONLY_FOR_NOW, PUBLIC_PAGES, welsh
from tests.test_urls_kept import AREA, HTML, ROWS, body, demo, sign_in  # noqa: F401 (a fixture)

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
WELSH_PLURALS = (
    "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"
)


def test_the_welsh_catalogue_has_every_translation_and_no_guess():
    catalogue = polib.pofile(str(CATALOGUE))

    assert catalogue.metadata["Plural-Forms"] == WELSH_PLURALS
    assert len(catalogue) > 100
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    for entry in catalogue:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(6)), entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


def _messages(catalogue) -> dict:
    found = {}
    for entry in catalogue:
        if entry.obsolete or (not entry.msgstr and not entry.msgstr_plural):
            continue
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
        found[key] = entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
    return found


def test_the_compiled_catalogue_is_the_current_one(tmp_path):
    """The .mo is committed (a clean clone has no gettext to compile it): it must say what
    the .po says. After editing the .po: `python manage.py compilemessages`."""
    written = polib.mofile(str(COMPILED))
    recompiled_path = tmp_path / "django.mo"
    polib.pofile(str(CATALOGUE)).save_as_mofile(str(recompiled_path))

    assert _messages(written) == _messages(polib.mofile(str(recompiled_path)))


# One Welsh word for each idea (locale/cy/GLOSSARY.md): each English word of the glossary, and
# the stem every translation of a message holding it must contain. Stems leave out the first
# letter where Welsh mutates it (cymdogaeth, gymdogaeth, nghymdogaeth).
GLOSSARY_STEMS = {
    r"\babstract": "absen",  # absenoldeb, absenoldebau, absennol
    r"\bneighbourhood": r"ymdogaeth|\b[bf]ro\b",  # and "cyfarfod bro"
    r"\bbeat meeting": r"yfarfod(ydd)? bro",
    r"\bquer(y|ies)\b": "ymholiad",
    r"\bofficer": "swyddog",
    r"\bnamed officer": "swyddog a enwir",
    r"\bsergeant": "ingyll",  # rhingyll, ringyll
    r"\binspector": "arolygydd|arolygwyr",
    r"\bpriorit(y|ies)\b": "laenoriaeth",
    r"\bsurvey": "arolw|arolyg",
    r"\bmeeting": "yfarfod",
    r"\bresidents?\b": "reswylydd|reswylwyr|rigolion",
    r"\bdivision": "adran",
    r"\bdashboard": "angosf",
    r"\binbox": "mewnflwch",
    r"\boutbox": "allflwch",
    r"\bbreach": r"eth(ian|u\b|odd)",  # methiant; wedi methu'r targed
    r"\bevent": "igwyddiad",
    r"\boutcome": "anlyniad",
    r"\bpatrol": "atr[oô]l",
    r"\bhotspot": "problemus",
    r"\bcommentary": "sylwebaeth",
    r"\bsatisfaction": "odlonrwydd",
    r"\bassignment": "aseiniad",
    r"\bguarantee": "arant",
    r"\bstaff area": "ardal staff",
    r"\bforce\b": "eddlu",
}
# Placeholders and markup are not words of the message: %(neighbourhood)s, {force}, <a href>.
_NOT_WORDS = re.compile(r"%\([^)]*\)[sd]|\{[^}]*\}|<[^>]*>")


def glossary_strays(catalogue: polib.POFile) -> dict[str, list[str]]:
    """For each English word of GLOSSARY_STEMS, the messages holding it whose Welsh (any of its
    plural forms) lacks the glossary's stem."""
    strays: dict[str, list[str]] = {}
    for english, stem in GLOSSARY_STEMS.items():
        for entry in catalogue:
            if entry.obsolete or not re.search(english, _NOT_WORDS.sub(" ", entry.msgid), re.I):
                continue
            welsh = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            if not all(re.search(stem, text, re.I) for text in welsh):
                strays.setdefault(english, []).append(entry.msgid)
    return strays


def test_the_catalogue_says_each_glossary_term_one_way():
    assert glossary_strays(polib.pofile(str(CATALOGUE))) == {}


def test_the_glossary_check_finds_a_second_word_for_an_idea():
    catalogue = polib.pofile(str(CATALOGUE))
    catalogue.append(
        polib.POEntry(msgid="Hours abstracted", msgstr="Oriau a dynnwyd oddi ar ddyletswydd")
    )

    assert glossary_strays(catalogue) == {r"\babstract": ["Hours abstracted"]}


def _copy_of_the_sources(into: Path) -> None:
    skip = shutil.ignore_patterns(
        ".*", "var", "node_modules", "__pycache__", "*.mo", "bench", "mutants", "static"
    )
    for item in Path(settings.BASE_DIR).iterdir():
        if item.name.startswith(".") or item.name in ("var", "node_modules", "tests", "bench"):
            continue
        if item.is_dir():
            shutil.copytree(item, into / item.name, ignore=skip)
        elif item.suffix in (".py", ".toml"):
            shutil.copy(item, into / item.name)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (system_packages.sh)")
def test_every_marked_string_has_a_welsh_translation(tmp_path):
    """`makemessages` over a copy of the sources finds no string the catalogue lacks."""
    _copy_of_the_sources(tmp_path)

    run = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale=cy", "--add-location=file"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )

    assert run.returncode == 0, run.stderr
    merged = polib.pofile(str(tmp_path / "locale" / "cy" / "LC_MESSAGES" / "django.po"))
    assert [entry.msgid for entry in merged.untranslated_entries()] == []
    assert [entry.msgid for entry in merged.fuzzy_entries()] == []


# --- No English text of a template on a Welsh page --------------------------------------------

# Names that read the same in both languages.
SAME_IN_BOTH = {
    "English",
    "Cymraeg",
    "csrftoken",
    "cookie_notice_seen",
    "django_language",
    "sessionid",
}
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# The dashboards' templates residents see (the rest of templates/dashboards is the staff's):
# the scorecard, the performance pages and the published quarterly reports.
PUBLIC_DASHBOARDS_TEMPLATES = {
    "dashboards/_neighbourhood_scorecard.html",
    "dashboards/_trend_chart.html",
    "dashboards/performance.html",
    "dashboards/how_we_count.html",
    "dashboards/reports/public_list.html",
    "dashboards/reports/report.html",
    "dashboards/reports/_body.html",
}
# Staff pages and sections that sit in an app's folder beside its public templates.
STAFF_TEMPLATES_BESIDE_PUBLIC_ONES = {
    "_staff_home.html",
    "patrols/staff_home.html",
    "patrols/hotspots.html",
    "patrols/hotspot_form.html",
    "patrols/log.html",
}
UNTRANSLATED_BLOCKS = re.compile(
    r"{%\s*(blocktranslate|blocktrans|comment)\b.*?{%\s*end\1\s*%}|{#.*?#}", re.DOTALL
)
TAGS = re.compile(r"<[^>]*>|{%.*?%}|{{.*?}}", re.DOTALL)
WORDS = re.compile(r"[A-Za-z]{3,}")


def _template_texts() -> set[str]:
    """The literal text of every public template, between its tags, spaces collapsed."""
    texts = set()
    for template in TEMPLATES.rglob("*.html"):
        relative = template.relative_to(TEMPLATES).as_posix()
        if {"staff", "admin", "email", "dashboards"} & set(template.parts) and (
            relative not in PUBLIC_DASHBOARDS_TEMPLATES
        ):
            continue
        if {template.name, relative} & (STAFF_TEMPLATES_BESIDE_PUBLIC_ONES):
            continue
        if set(ENGLISH_ONLY_FOR_NOW) & set(template.parts):
            continue
        source = UNTRANSLATED_BLOCKS.sub(" ", template.read_text())
        for piece in TAGS.split(source):
            text = " ".join(html.unescape(piece).split())
            if WORDS.search(text) and text not in SAME_IN_BOTH:
                texts.add(text)
    return texts


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.texts.append(" ".join(data.split()))


def english_on(page: str, texts: set[str]) -> list[str]:
    parser = _VisibleText()
    parser.feed(page)
    shown = " | ".join(parser.texts)
    # A whole text of the page, or a phrase of several words within one.
    return sorted(
        text
        for text in texts
        if text in parser.texts or (len(text.split()) >= 3 and f" {text} " in f" {shown} ")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in PUBLIC_PAGES])
def test_no_public_page_shows_english_template_text_in_welsh(demo, client, row):  # noqa: F811
    path = row.path.format(**demo)
    query = {key: value.format(**demo) for key, value in row.query.items()}

    page = body(client.get(welsh(path), query))

    assert english_on(page, _template_texts()) == []


@pytest.mark.django_db
def test_the_contact_form_errors_and_tracking_page_are_welsh(demo, client):  # noqa: F811
    refused = client.post(f"/cy/neighbourhoods/{AREA}/contact/", {"topic": "other"})
    page = refused.content.decode()

    assert "Mae problem" in page
    assert "Gwall:" in page
    assert english_on(page, _template_texts()) == []

    sent = client.post(
        f"/cy/neighbourhoods/{AREA}/contact/",
        {
            "topic": "other",
            "message": "A oes cyfarfod wedi'i drefnu ger yr orsaf fis nesaf?",
            "name": "Robin Resident",
            "email": "robin.resident@example.com",
            "contact_preference": "email",
            "consent": "on",
        },
    )
    assert sent["Location"] == "/cy/contact/sent/"
    confirmation = client.get("/cy/contact/sent/").content.decode()
    assert english_on(confirmation, _template_texts()) == []
    link = re.search(r'href="https?://[^/"]+(/cy/queries/track/[A-Za-z0-9_-]+/)"', confirmation)
    assert link, "no Welsh tracking link on the confirmation page"
    tracked = client.get(link.group(1)).content.decode()
    assert language(tracked) == "cy"
    assert english_on(tracked, _template_texts()) == []


WELSH_DATE = re.compile(
    r"\b\d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|"
    r"Tachwedd|Rhagfyr) \d{4}\b"
)
ENGLISH_DATE = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{4}\b"
)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/police-and-crime-plan/", "/asb/"])
def test_the_plan_and_asb_dates_are_welsh(demo, client, path):  # noqa: F811
    page = body(client.get(welsh(path)))

    assert WELSH_DATE.search(page), "no Welsh date"
    assert not ENGLISH_DATE.search(page)
    assert ENGLISH_DATE.search(body(client.get(path)))


@pytest.mark.django_db
def test_the_neighbourhood_scorecard_is_welsh(demo, client):  # noqa: F811
    from dashboards.tasks import refresh_public_scorecards

    refresh_public_scorecards()
    page = body(client.get(welsh(f"/neighbourhoods/{AREA}/")))

    assert element(page, "*", id="scorecard-heading")
    assert "Figures as of" not in page
    assert english_on(page, _template_texts()) == []


# --- The staff area -----------------------------------------------------------------------------

# Staff templates not yet in Welsh, by the start of their path under templates/: their text is
# not looked for on the staff pages below. Remove a line once its templates are translated.
STAFF_ENGLISH_FOR_NOW: tuple[str, ...] = ()
STAFF_PAGES = [
    row
    for row in ROWS
    if row.user is not None
    and row.status == 200
    and row.content_type == HTML
    and row.path.startswith("/staff/")
]


def _staff_template_texts() -> set[str]:
    """The literal text of every template but the emails and those not yet in Welsh."""
    texts = set()
    for template in TEMPLATES.rglob("*.html"):
        relative = template.relative_to(TEMPLATES).as_posix()
        if "email" in template.parts or relative.startswith(STAFF_ENGLISH_FOR_NOW):
            continue
        source = UNTRANSLATED_BLOCKS.sub(" ", template.read_text())
        for piece in TAGS.split(source):
            text = " ".join(html.unescape(piece).split())
            if WORDS.search(text) and text not in SAME_IN_BOTH:
                texts.add(text)
    return texts


def test_the_staff_pages_are_many():
    assert len(STAFF_PAGES) >= 30


@pytest.mark.django_db
@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in STAFF_PAGES])
def test_no_staff_page_shows_english_template_text_to_staff_who_chose_welsh(
    demo,  # noqa: F811
    client,
    row,
):
    sign_in(client, row.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    path = row.path.format(**demo)
    query = {key: value.format(**demo) for key, value in row.query.items()}

    response = client.get(path, query)

    page = body(response)
    assert response.status_code == 200, f"GET {path}"
    assert language(page) == "cy"
    assert english_on(page, _staff_template_texts()) == []


# --- Python text people read ----------------------------------------------------------------

PYTHON_APPS = (
    "alerts", "api", "asb", "audit", "config", "crimeplan", "dashboards", "engagement",
    "meetings", "neighbourhoods", "notifications", "officers", "patrols", "queries",
)  # fmt: skip
# Calls whose text a person reads: form errors, flash messages, and the keywords below. A
# PermissionDenied's or Http404's text is for the logs: the error pages never show it.
SHOWN_BY_CALLS = {"ValidationError", "add_error"}
FLASH_MESSAGES = {"success", "error", "info", "warning"}
SHOWN_KEYWORDS = {"label", "help_text", "empty_label", "missing", "subject", "error_messages"}
# Kept in English on purpose: the stored label of a dashboard scope (officers.scopes: the
# title shown is translated) and a developer's note on a column.
ENGLISH_ON_PURPOSE_CALLS = {"Scope"}
ENGLISH_ON_PURPOSE = {"response_seconds // 3600"}


def _words(node: ast.expr) -> bool:
    """A literal with words in it: a plain string, or an f-string's literal parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORDS.search(node.value)) and node.value not in ENGLISH_ON_PURPOSE
    if isinstance(node, ast.JoinedStr):
        return any(_words(part) for part in node.values if isinstance(part, ast.Constant))
    return False


def _shown_texts(call: ast.Call) -> list[ast.expr]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name in ENGLISH_ON_PURPOSE_CALLS:
        return []
    texts = [keyword.value for keyword in call.keywords if keyword.arg in SHOWN_KEYWORDS]
    if name in SHOWN_BY_CALLS:
        texts += call.args[1:2] if name == "add_error" else call.args[:1]
    if name in FLASH_MESSAGES and getattr(getattr(func, "value", None), "id", "") == "messages":
        texts += call.args[1:2]
    found = []
    while texts:
        text = texts.pop()
        if isinstance(text, ast.Dict):
            texts += text.values
        elif _words(text):
            found.append(text)
    return found


def test_no_python_text_people_read_is_left_out_of_the_catalogue():
    """Every form label, hint, error and flash message written in Python goes through
    gettext, so a Welsh page never shows English from the code (the templates' text is
    checked on every page above)."""
    unmarked = []
    for app in PYTHON_APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if {"migrations", "management"} & set(path.parts) or path.name == "demo.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call):
                    unmarked += [
                        f"{path.relative_to(settings.BASE_DIR)}:{text.lineno}: "
                        f"{ast.unparse(text)[:80]}"
                        for text in _shown_texts(node)
                    ]

    assert unmarked == []


def test_no_page_shows_a_neighbourhood_name_without_its_welsh():
    """Place names have Welsh forms (`Neighbourhood.name_cy`): a page names a neighbourhood
    through the `bilingual` filters, which show the Welsh on Welsh pages where it is written
    and mark the English `lang="en"` where it is not. (Emails are given the name in their
    reader's language by the code that sends them.)"""
    direct = re.compile(r"neighbourhood\.name\b(?!_cy)")
    found = [
        f"{template.relative_to(TEMPLATES)}:{number}"
        for template in TEMPLATES.rglob("*.html")
        if "email" not in template.parts
        for number, line in enumerate(template.read_text().splitlines(), start=1)
        if direct.search(line)
    ]
    assert found == []
