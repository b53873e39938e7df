"""Reading rendered pages in tests: fetch a URL, check the status, and query the HTML by CSS selector."""

from bs4 import BeautifulSoup


def get_page(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return BeautifulSoup(response.content, "html.parser")


def get_page_from(response) -> BeautifulSoup:
    """A response already in hand (a POST's answer, say), parsed like get_page's."""
    return BeautifulSoup(response.content, "html.parser")


def texts(soup, selector: str) -> list[str]:
    """The stripped text of every element the selector matches, in document order."""
    return [element.get_text(" ", strip=True) for element in soup.select(selector)]


def text(soup, selector: str) -> str:
    element = soup.select_one(selector)
    assert element is not None, f"nothing matches {selector!r}"
    return element.get_text(" ", strip=True)
