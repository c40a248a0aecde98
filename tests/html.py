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
