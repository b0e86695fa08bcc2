"""Read a page as its elements, not its bytes: the tests assert on the element a user (or their
screen reader) meets, its text and attributes, whatever the order of the attributes or the
spaces between tags."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text and its descendants', spaces collapsed."""
        return " ".join("".join(self.parts).split())


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.found.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs) -> None:
        self.found.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                return

    def handle_data(self, data) -> None:
        for element in self.open:
            element.parts.append(data)


def elements(page: str | bytes, tag: str, **attrs: str) -> list[Element]:
    """The `tag` elements of the page that have these attributes (`class_` for class)."""
    if isinstance(page, bytes):
        page = page.decode()
    parser = _Elements()
    parser.feed(page)
    parser.close()
    wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
    return [
        element
        for element in parser.found
        if element.tag == tag and all(element.attrs.get(k) == v for k, v in wanted.items())
    ]


def links(page: str | bytes) -> list[tuple[str, str]]:
    """Each link of the page as (its text, its href)."""
    return [(a.text, a.attrs.get("href", "")) for a in elements(page, "a")]


def link_texts(page: str | bytes) -> list[str]:
    return [text for text, _ in links(page)]


def language(page: str | bytes) -> str:
    """The language the page declares on its <html> element."""
    return elements(page, "html")[0].attrs.get("lang", "")


def title(page: str | bytes) -> str:
    return elements(page, "title")[0].text


def texts(page: str | bytes, tag: str, **attrs: str) -> list[str]:
    return [element.text for element in elements(page, tag, **attrs)]
