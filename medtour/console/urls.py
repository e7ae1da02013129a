from django.urls import path

from medtour.console import views
from medtour.console.briefing.urls import urlpatterns as briefing_urls
from medtour.console.cases.urls import urlpatterns as cases_urls
from medtour.console.consultations.urls import urlpatterns as consultations_urls
from medtour.console.dispatch.urls import urlpatterns as dispatch_urls
from medtour.console.interpreting.urls import urlpatterns as interpreting_urls
from medtour.console.pages.urls import urlpatterns as pages_urls
from medtour.console.people.urls import urlpatterns as people_urls
from medtour.console.pickups.urls import urlpatterns as pickups_urls
from medtour.console.registry.urls import urlpatterns as registry_urls
from medtour.console.reporting.urls import urlpatterns as reporting_urls
from medtour.console.statistics.urls import urlpatterns as statistics_urls
from medtour.console.targets.urls import urlpatterns as targets_urls

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    *registry_urls,
    *reporting_urls,
    *people_urls,
    *briefing_urls,
    *statistics_urls,
    *targets_urls,
    *cases_urls,
    *consultations_urls,
    *pickups_urls,
    *interpreting_urls,
    *dispatch_urls,
    *pages_urls,
]
