"""The ``query`` protocol's XML responses, and the XML writer ``ec2`` and ``rest-xml`` share.

Mirrors botocore's BaseXMLResponseParser: element names are ``locationName`` or the member name, a
flattened list repeats its element (named by the list member's ``locationName`` when it has one),
other lists nest ``<member>`` elements, maps nest ``<entry><key/><value/></entry>``, ``xmlAttribute``
members are attributes of their structure's element.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.awsrequest import HeadersDict
from botocore.model import OperationModel, Shape, StructureShape

from botocontract.generators.wire._common import (
    REQUEST_ID,
    RESPONSE_LOCATIONS,
    WireResponse,
    WireValueError,
    check_members,
    default_status,
    scalar_text,
    xml_safe,
)

__all__ = ["QueryEncoder", "XmlNode", "xml_bytes", "xml_value"]

_FALLBACK_NS = "urn:botocontract:{prefix}"


class XmlNode:
    """An element: a tag, attributes, and either text or children (written by :func:`xml_bytes`)."""

    __slots__ = ("attrib", "children", "tag", "text")

    def __init__(self, tag: str, text: str | None = None) -> None:
        self.tag = tag
        self.text = text
        self.attrib: dict[str, str] = {}
        self.children: list[XmlNode] = []

    def add(self, tag: str, text: str | None = None) -> XmlNode:
        child = XmlNode(tag, text)
        self.children.append(child)
        return child


def _escape(text: str, *, attribute: bool = False) -> str:
    # \r is escaped because an XML parser turns a literal CR (or CRLF) into LF.
    text = xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _write(node: XmlNode, out: list[str]) -> None:
    attrs = "".join(f' {k}="{_escape(v, attribute=True)}"' for k, v in node.attrib.items())
    out.append(f"<{node.tag}{attrs}>")
    if node.text is not None:
        out.append(_escape(node.text))
    for child in node.children:
        _write(child, out)
    out.append(f"</{node.tag}>")


def xml_bytes(root: XmlNode) -> bytes:
    """The document as UTF-8 bytes with an XML declaration."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    _write(root, out)
    return "".join(out).encode("utf-8")


def member_tag(member: Shape, name: str) -> str:
    """The element name botocore looks a member up by (``_member_key_name``)."""
    if member.type_name == "list" and member.serialization.get("flattened"):
        inner = member.member.serialization.get("name")
        if inner is not None:
            return str(inner)
    return str(member.serialization.get("name", name))


def _declare(node: XmlNode, owners: tuple[Shape, ...], qualified: str) -> None:
    """Declare the prefix of an attribute name, from the attribute's or its structure's ``xmlNamespace``."""
    if ":" not in qualified:
        return
    prefix = qualified.split(":", 1)[0]
    uri = None
    for owner in owners:
        namespace = owner.serialization.get("xmlNamespace")
        if isinstance(namespace, dict) and namespace.get("uri") and namespace.get("prefix", prefix) == prefix:
            uri = namespace["uri"]
            break
    node.attrib.setdefault(f"xmlns:{prefix}", uri or _FALLBACK_NS.format(prefix=prefix))


def fill_structure(
    node: XmlNode, shape: StructureShape, value: Mapping[str, Any], *, skip_located: bool
) -> None:
    """Write a structure's members into ``node`` (``skip_located``: leave header/status members out)."""
    check_members(shape, value)
    for name, item in value.items():
        if item is None or name == "ResponseMetadata":
            continue
        member = shape.members[name]
        located = member.serialization.get("location") in RESPONSE_LOCATIONS
        if skip_located and (located or member.serialization.get("eventheader")):
            continue
        if member.serialization.get("xmlAttribute"):
            qualified = member.serialization.get("name", name)
            _declare(node, (member, shape), qualified)
            node.attrib[qualified] = scalar_text(member, item, "iso8601")
            continue
        tag = member_tag(member, name)
        if member.type_name == "list" and member.serialization.get("flattened"):
            for entry in _list_items(member, item):
                _fill(node.add(tag), member.member, entry)
        elif member.type_name == "map" and member.serialization.get("flattened"):
            for key, entry in _map_items(member, item):
                _fill_entry(node.add(tag), member, key, entry)
        else:
            _fill(node.add(tag), member, item)


def _list_items(shape: Shape, value: Any) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise WireValueError(f"value for list {shape.name} is {type(value).__name__}, not a list")
    # XML has no null: a sparse list's None items cannot be sent.
    return [item for item in value if item is not None]


def _map_items(shape: Shape, value: Any) -> list[tuple[Any, Any]]:
    if not isinstance(value, Mapping):
        raise WireValueError(f"value for map {shape.name} is {type(value).__name__}, not a dict")
    return [(k, v) for k, v in value.items() if v is not None]


def _fill_entry(node: XmlNode, shape: Shape, key: Any, value: Any) -> None:
    _fill(node.add(shape.key.serialization.get("name", "key")), shape.key, key)
    _fill(node.add(shape.value.serialization.get("name", "value")), shape.value, value)


def _fill(node: XmlNode, shape: Shape, value: Any) -> None:
    kind = shape.type_name
    if kind == "structure":
        fill_structure(node, shape, value, skip_located=False)
    elif kind == "list":
        tag = shape.member.serialization.get("name", "member")
        for item in _list_items(shape, value):
            _fill(node.add(tag), shape.member, item)
    elif kind == "map":
        for key, item in _map_items(shape, value):
            _fill_entry(node.add("entry"), shape, key, item)
    else:
        node.text = scalar_text(shape, value, "iso8601")


def xml_value(tag: str, shape: Shape, value: Any) -> XmlNode:
    """One shape's value as an element named ``tag``."""
    node = XmlNode(tag)
    _fill(node, shape, value)
    return node


def namespace_of(operation_model: OperationModel, shape: Shape | None = None) -> str | None:
    """The ``xmlNamespace`` uri of a shape, else of the service."""
    for source in (shape.serialization if shape is not None else {}, operation_model.metadata):
        namespace = source.get("xmlNamespace")
        if isinstance(namespace, dict):
            namespace = namespace.get("uri")
        if namespace:
            return str(namespace)
    return None


def xml_headers() -> HeadersDict:
    return HeadersDict({"x-amzn-requestid": REQUEST_ID, "content-type": "text/xml"})


def error_document(code: str, message: str, status: int, namespace: str | None) -> bytes:
    """The ``<ErrorResponse><Error>`` document query and rest-xml services send."""
    root = XmlNode("ErrorResponse")
    if namespace:
        root.attrib["xmlns"] = namespace
    error = root.add("Error")
    error.add("Type", "Sender" if status < 500 else "Receiver")
    error.add("Code", code)
    error.add("Message", message)
    root.add("RequestId", REQUEST_ID)
    return xml_bytes(root)


class QueryEncoder:
    """``<OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>`` documents."""

    name = "query"

    def encode_response(
        self, operation_model: OperationModel, value: Mapping[str, Any], *, status: int | None = None
    ) -> WireResponse:
        root = XmlNode(f"{operation_model.name}Response")
        namespace = namespace_of(operation_model)
        if namespace:
            root.attrib["xmlns"] = namespace
        shape = operation_model.output_shape
        if shape is not None:
            wrapper = shape.serialization.get("resultWrapper")
            target = root.add(wrapper) if wrapper else root
            fill_structure(target, shape, value, skip_located=False)
        root.add("ResponseMetadata").add("RequestId", REQUEST_ID)
        return {
            "status_code": default_status(operation_model, status),
            "headers": xml_headers(),
            "body": xml_bytes(root),
        }

    def encode_error(
        self, operation_model: OperationModel, code: str, message: str, status: int = 400
    ) -> WireResponse:
        body = error_document(code, message, status, namespace_of(operation_model))
        return {"status_code": status, "headers": xml_headers(), "body": body}
