"""Reading rendered pages in tests with a real HTML parser (tinyhtml5) and CSS selectors
(cssselect2), both already installed as WeasyPrint's own dependencies."""

import cssselect2
import tinyhtml5


def text(element) -> str:
    """The element's text as a reader sees it: whitespace collapsed, <br> as a space."""

    def parts(el):
        yield " " if el.tag.endswith("}br") else (el.text or "")
        for child in el:
            yield from parts(child)
            yield child.tail or ""

    return " ".join("".join(parts(element)).split())


def parse(html: str):
    return cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(html))


def page(response):
    return parse(response.content.decode())


def texts(root, selector: str) -> list[str]:
    return [text(e.etree_element) for e in root.query_all(selector)]


def attrs(root, selector: str, name: str) -> list[str | None]:
    return [e.etree_element.get(name) for e in root.query_all(selector)]


def form_data(root, selector: str = "form") -> dict[str, list[str]]:
    """What a browser submits for the form ``selector`` as the page stands: every named
    input (checkboxes and radios only when checked), textarea and select, with its value.
    A field injected into the page shows up here exactly as a browser would send it."""
    form = root.query(selector)
    if form is None:
        raise AssertionError(f"no {selector!r} on the page")
    data: dict[str, list[str]] = {}
    for element in form.query_all("input, textarea, select"):
        node = element.etree_element
        name = node.get("name")
        tag = node.tag.rsplit("}", 1)[-1]
        if not name or node.get("disabled") is not None:
            continue
        kind = (node.get("type") or "text").lower()
        if tag == "input" and kind in ("submit", "button", "image", "reset", "file"):
            continue
        if tag == "input" and kind in ("checkbox", "radio"):
            if node.get("checked") is None:
                continue
            value = node.get("value", "on")
        elif tag == "textarea":
            value = (node.text or "").removeprefix("\n")
        elif tag == "select":
            options = [o for o in node.iter() if o.tag.rsplit("}", 1)[-1] == "option"]
            chosen = [o for o in options if o.get("selected") is not None] or options[:1]
            for option in chosen:
                data.setdefault(name, []).append(option.get("value", option.text or ""))
            continue
        else:
            value = node.get("value", "")
        data.setdefault(name, []).append(value)
    return data
