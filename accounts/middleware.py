"""Site-wide access: whether visitors who have not signed in may read the site."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import JsonResponse


class AnonymousReadMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, switched by settings.ANONYMOUS_READ.

    With ANONYMOUS_READ on, anyone may read (writing is still decided by each
    view). With it off, every page but the sign-in pages (marked
    login_not_required by Django) sends a visitor to sign in first, and the
    JSON API answers 401 rather than redirecting a program to a form.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.ANONYMOUS_READ:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        if request.path.startswith("/api/"):
            return JsonResponse({"error": "请先登录（authentication required）"}, status=401)
        return super().handle_no_permission(request, view_func)
