"""Routes of the needs service's operations (included by needs/urls.py): reminders, survey, pilot, landscape,
statistics. Names start with `ops-`."""

from django.urls import path

from projectoffice.needs import views_ops

urlpatterns = [
    path("ages/", views_ops.ages, name="ops-ages"),
    path("ages/<int:pk>/remind/", views_ops.remind, name="ops-remind"),
    path("survey/<str:token>/", views_ops.survey, name="ops-survey"),
    path("pilot/<int:pk>/", views_ops.pilot, name="ops-pilot"),
    path("landscape/", views_ops.landscape_public, name="ops-landscape"),
    path("landscape/staff/", views_ops.landscape_staff, name="ops-landscape-staff"),
    path("landscape/staff/needs/", views_ops.landscape_needs, name="ops-landscape-needs"),
    path("stats/", views_ops.statistics, name="ops-stats"),
]
