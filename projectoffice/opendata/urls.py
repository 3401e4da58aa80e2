from django.urls import path

from projectoffice.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("export.xlsx", views.feed_export, name="export"),
    path("companies/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("companies/<int:pk>/merge/", views.merge, name="merge"),
    path("companies/<int:pk>/ignore/", views.ignore, name="ignore"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.run_detail, name="run"),
    path("join/<str:token>/", views.join, name="join"),
]
