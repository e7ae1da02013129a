from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path, re_path, reverse

from medtour.api.errors import not_found_message
from medtour.api.language import in_requested_language
from medtour.api.v1 import api


@in_requested_language
def index(request: HttpRequest) -> HttpResponse:
    """/api/v1/ itself: where the description of the API is."""
    openapi = request.build_absolute_uri(reverse("api-v1:openapi-json"))
    return JsonResponse({"title": str(api.title), "version": api.version, "openapi": openapi})


@in_requested_language
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Unknown addresses under /api/v1/ answer in JSON too, not with the HTML error page."""
    return JsonResponse({"detail": not_found_message()}, status=404)


urlpatterns = [
    path("", index, name="api-index"),
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found),
]
