"""Read a page as its elements, not its bytes: the tests assert on the element a user (or their
screen reader) meets, its text and attributes, whatever the order of the attributes or the
spaces between tags."""

from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any, Optional

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)
    own: list[str] = field(default_factory=list, repr=False)  # text not inside a child
    parent: Optional["Element"] = field(default=None, repr=False)
    inside: list["Element"] = field(default_factory=list, repr=False)  # its descendants, in order

    @property
    def text(self) -> str:
        """The element's text and its descendants', spaces collapsed."""
        return " ".join("".join(self.parts).split())

    @property
    def own_text(self) -> str:
        """The element's own text, not its children's, spaces collapsed."""
        return " ".join("".join(self.own).split())

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def ancestors(self) -> list["Element"]:
        found, element = [], self.parent
        while element is not None:
            found.append(element)
            element = element.parent
        return found


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Element] = []
        self.open: list[Element] = []

    def _add(self, tag, attrs) -> Element:
        element = Element(
            tag,
            {name: value or "" for name, value in attrs},
            parent=self.open[-1] if self.open else None,
        )
        self.found.append(element)
        for ancestor in self.open:
            ancestor.inside.append(element)
        return element

    def handle_starttag(self, tag, attrs) -> None:
        element = self._add(tag, attrs)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs) -> None:
        self._add(tag, attrs)

    def handle_endtag(self, tag) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                return

    def handle_data(self, data) -> None:
        for element in self.open:
            element.parts.append(data)
        if self.open:
            self.open[-1].own.append(data)


@lru_cache(maxsize=16)
def _parse(page: str) -> list[Element]:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser.found


def _all(page: Any) -> list[Element]:
    """Every element, in reading order; one parse per page, so elements found by two calls on
    the same page are the same objects."""
    if isinstance(page, Element):
        return page.inside
    page = getattr(page, "content", page)  # a response
    if isinstance(page, bytes):
        page = page.decode()
    return _parse(page)


def _matches(element: Element, wanted: dict[str, str | bool]) -> bool:
    for name, value in wanted.items():
        if value is False:
            if name in element.attrs:
                return False
        elif name not in element.attrs:
            return False
        elif name == "class" and value is not True:
            if not set(str(value).split()) <= element.classes:
                return False
        elif value is not True and element.attrs[name] != value:
            return False
    return True


def elements(page: Any, tag: str, **attrs: str | bool) -> list[Element]:
    """The `tag` elements of the page (a string, bytes, a response, or the inside of an element)
    that have these attributes: `class_` for class, where each class named must be among the
    element's; `True` for an attribute that must be there whatever its value, `False` for one
    that must not be there; `_` in a name for `-` (`aria_current` is `aria-current`); `*` for
    any tag."""
    wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
    return [
        element for element in _all(page) if tag in ("*", element.tag) and _matches(element, wanted)
    ]


def element(page: Any, tag: str, **attrs: str | bool) -> Element:
    """The one `tag` element with these attributes; fails if there is none or more than one."""
    found = elements(page, tag, **attrs)
    assert len(found) == 1, f"{len(found)} <{tag}> elements with {attrs}, not one"
    return found[0]


def links(page: Any) -> list[tuple[str, str]]:
    """Each link of the page as (its text, its href)."""
    return [(a.text, a.attrs.get("href", "")) for a in elements(page, "a")]


def link_texts(page: Any) -> list[str]:
    return [text for text, _ in links(page)]


def hrefs(page: Any) -> list[str]:
    return [href for _, href in links(page)]


def language(page: Any) -> str:
    """The language the page declares on its <html> element."""
    return elements(page, "html")[0].attrs.get("lang", "")


def title(page: Any) -> str:
    return elements(page, "title")[0].text


def texts(page: Any, tag: str, **attrs: str | bool) -> list[str]:
    return [element.text for element in elements(page, tag, **attrs)]


def rows(page: Any) -> list[list[str]]:
    """Each table row of the page (or of an element) as the texts of its cells."""
    return [
        [cell.text for cell in row.inside if cell.tag in ("th", "td")]
        for row in elements(page, "tr")
    ]


def roots(page: Any) -> list[Element]:
    """The elements at the top of a page or fragment (an htmx swap sends one)."""
    return [element for element in _all(page) if element.parent is None]


def comes_before(page: Any, first: Element, second: Element) -> bool:
    """Whether `first` starts before `second` in the page, in reading order."""
    found = _all(page)
    return found.index(first) < found.index(second)


def page_text(page: Any) -> str:
    """What the page says, its tags taken away and spaces collapsed."""
    return " ".join(" ".join(root.text for root in roots(page)).split())


def value(page: Any, name: str) -> str | None:
    """What the one form control called `name` holds as the page comes: a box's value, a text
    area's text, the chosen option of a list; None when it holds nothing."""
    control = element(page, "*", name=name)
    if control.tag == "textarea":
        return "".join(control.parts).removeprefix("\n")
    if control.tag == "select":
        chosen = elements(control, "option", selected=True)
        return chosen[0].attrs.get("value", chosen[0].text) if chosen else None
    return control.attrs.get("value")


def checked(page: Any, name: str) -> list[str]:
    """The values of the radios or checkboxes called `name` that are chosen."""
    return [box.attrs.get("value", "") for box in elements(page, "input", name=name, checked=True)]
