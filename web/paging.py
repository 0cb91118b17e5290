"""Lists of the pages shown 25 lines at a time, with links to the previous and next pages."""

from django.utils.http import urlencode

PAGE_SIZE = 25


def page_bounds(page: int) -> tuple[int, int]:
    """The rows of a page, and one row more, which says whether there is a next page without counting them all."""
    return (page - 1) * PAGE_SIZE, page * PAGE_SIZE + 1


def page_links(request, page: int, rows: list) -> dict:
    """The page's lines (``rows`` read with page_bounds) and the addresses of the pages before and after it,
    keeping the rest of the query string."""
    query = {name: value for name, value in request.GET.items() if name != "page" and value}
    has_next = len(rows) > PAGE_SIZE
    return {
        "next_url": f"?{urlencode({**query, 'page': page + 1})}" if has_next else "",
        "previous_url": f"?{urlencode({**query, 'page': page - 1})}" if page > 1 else "",
    }
