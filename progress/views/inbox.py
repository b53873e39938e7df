"""待办: a signed-in person's messages from 督办, newest first, unread marked; opening one marks it read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from progress.access import own_inbox, reader_required
from progress.models import InboxItem

PAGE_SIZE = 50


@reader_required
def inbox(request):
    items = InboxItem.objects.of(request.user)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread": items.unread().count()}
    return render(request, "progress/inbox.html", context)


def inbox_item(request, item_id: int):
    """Mark the message read and go where it points (only ever a path on this site)."""
    item = get_object_or_404(own_inbox(request), pk=item_id)
    if item.read_at is None:
        InboxItem.objects.filter(pk=item.pk).update(read_at=timezone.now())
    if url_has_allowed_host_and_scheme(item.url, {request.get_host()}) and item.url.startswith("/"):
        return redirect(item.url)
    return redirect("progress:inbox")


@require_POST
def inbox_read_all(request):
    marked = own_inbox(request).unread().update(read_at=timezone.now())
    messages.success(request, f"已将 {marked} 条待办标为已读。")
    return redirect("progress:inbox")


@never_cache
@reader_required
def inbox_count(request):
    """The header's badge, filled in by static/js/inbox-count.js so that no page pays a query for it."""
    return JsonResponse({"unread": InboxItem.objects.of(request.user).unread().count()})
