"""GeoReport v2's two formats: the same data as JSON or as XML, and its error lists.

Every answer is a list or a mapping of plain values. In XML a list becomes one element per item
under the root (`<services><service>…`), and a list inside an item is named after its items
(`<endpoints><endpoint>…`), as the specification's examples show."""

import datetime
import json
from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse
from django.utils import timezone

FORMATS = ("json", "xml")
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
# The element each item of a nested list becomes in XML.
ITEM_TAGS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute"}


def iso(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 with the offset, in the force's time zone: 2026-11-02T09:30:00+00:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _xml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_fill(element: ElementTree.Element, data: dict[str, Any]) -> None:
    for key, value in data.items():
        child = ElementTree.SubElement(element, key)
        if isinstance(value, list):
            for item in value:
                grandchild = ElementTree.SubElement(child, ITEM_TAGS.get(key, "item"))
                if isinstance(item, dict):
                    _xml_fill(grandchild, item)
                else:
                    grandchild.text = _xml_text(item)
        elif isinstance(value, dict):
            _xml_fill(child, value)
        else:
            child.text = _xml_text(value)


def xml_document(root: str, data: dict[str, Any] | list[dict[str, Any]], item: str = "") -> bytes:
    element = ElementTree.Element(root)
    if isinstance(data, list):
        for entry in data:
            _xml_fill(ElementTree.SubElement(element, item), entry)
    else:
        _xml_fill(element, data)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


def answer(
    fmt: str,
    data: dict[str, Any] | list[dict[str, Any]],
    *,
    root: str,
    item: str = "",
    status: int = 200,
) -> HttpResponse:
    """`data` in the format asked for: JSON as it is, XML under `root` (each list entry an
    `item` element)."""
    if fmt == "xml":
        body = xml_document(root, data, item)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error_answer(fmt: str, status: int, description: str) -> HttpResponse:
    """The specification's error list: [{"code": 400, "description": "…"}], or
    <errors><error><code>400</code><description>…</description></error></errors>."""
    errors = [{"code": status, "description": description}]
    return answer(fmt, errors, root="errors", item="error", status=status)
