from django.urls import path  # noqa: F401

app_name = "needs"
urlpatterns: list = []

# The operations part (reminders, survey, pilot, landscape, statistics): needs/urls_ops.py.
from django.urls import include  # noqa: E402

urlpatterns += [path("", include("projectoffice.needs.urls_ops"))]
