"""Request hygiene at the edge, for every view: no control characters reach a form, a filter or a query.

PostgreSQL refuses a NUL in a query parameter, so a NUL typed (or sent) into the
search box answered 500. Query-string and form values lose NUL and the other
control characters except tab and line breaks; files are left as they are.
"""

import re

from django.http import QueryDict

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _cleaned(data: QueryDict) -> QueryDict:
    if not any(_CONTROL.search(key) or any(_CONTROL.search(v) for v in values) for key, values in data.lists()):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(_CONTROL.sub("", key), [_CONTROL.sub("", v) for v in values])
    cleaned._mutable = False
    return cleaned


class CleanInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _cleaned(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _cleaned(request.POST)
        return self.get_response(request)
