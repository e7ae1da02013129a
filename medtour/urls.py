from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from medtour.localization import views as localization_views

urlpatterns = [
    path("i18n/setlang/", localization_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("console/", include("medtour.console.urls")),
    path("api/v1/", include("medtour.api.urls")),
    path("", localization_views.root_redirect, name="root"),
]
urlpatterns += i18n_patterns(path("", include("medtour.portal.urls")), prefix_default_language=True)

handler400 = "medtour.errors.views.bad_request"
handler403 = "medtour.errors.views.permission_denied"
handler404 = "medtour.errors.views.page_not_found"
handler500 = "medtour.errors.views.server_error"
