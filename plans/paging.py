"""Pages of a list whose length the view already knows, so that paging costs no COUNT query."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


class CountedPage(Page):
    def nearby(self):
        """Page numbers to link: the first, two either side of this one, the last, ellipses between."""
        return self.paginator.get_elided_page_range(self.number, on_each_side=2, on_ends=1)


class CountedPaginator(Paginator):
    """A Paginator given its count, taken from the grouped counts the page computes anyway.

    A page of rows is then one query with LIMIT and OFFSET, whatever the page number.
    """

    def __init__(self, object_list, per_page: int, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count

    def _get_page(self, *args, **kwargs) -> CountedPage:
        return CountedPage(*args, **kwargs)


def page_of(object_list, number, per_page: int, count: int) -> Page:
    """The page `number` asks for (as typed in a URL); page 1 for nonsense, the last page past the end."""
    return CountedPaginator(object_list, per_page, count).get_page(number)
