"""The public showcase: Russian at /showcase/, English at /en/showcase/."""

from django.urls import path

from projectoffice.flagships import views

app_name = "showcase"

urlpatterns = [
    path("showcase/", views.showcase, {"lang": "ru"}, name="list"),
    path("showcase/<int:pk>/", views.showcase_detail, {"lang": "ru"}, name="detail"),
    path("en/showcase/", views.showcase, {"lang": "en"}, name="list_en"),
    path("en/showcase/<int:pk>/", views.showcase_detail, {"lang": "en"}, name="detail_en"),
]
