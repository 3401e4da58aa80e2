from django.urls import path

from projectoffice.classifiers import views

app_name = "classifiers"
urlpatterns = [
    path("<str:scheme>/", views.browse, name="browse"),
    path("<str:scheme>/suggest/", views.suggest, name="suggest"),
]
