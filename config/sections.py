"""Pages a lower app draws and the apps above it fill: each such app registers a section, in
its AppConfig.ready, and the page shows them in the order of their `order`. The neighbourhood
page (neighbourhoods.page) and the staff home (officers.staff_home) are built this way, so the
app that draws a page reads no app above it."""

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar


class _Ordered(Protocol):
    order: int


Section = TypeVar("Section", bound=_Ordered)


class Sections(Generic[Section]):
    """The sections registered for one page, lowest `order` first."""

    def __init__(self) -> None:
        self._sections: list[Section] = []

    def register(self, section: Section) -> None:
        """Add a section (once per class: AppConfig.ready may run again in tests)."""
        if any(type(known) is type(section) for known in self._sections):
            return
        if any(known.order == section.order for known in self._sections):
            raise ValueError(f"Another section already has the place {section.order}")
        self._sections.append(section)
        self._sections.sort(key=lambda known: known.order)

    def __iter__(self) -> Iterator[Section]:
        return iter(list(self._sections))
