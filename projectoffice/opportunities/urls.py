from django.urls import path

from projectoffice.opportunities import views

app_name = "opportunities"
urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("closing-soon/", views.closing_soon, name="closing_soon"),
    path("new/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<int:pk>/verify/", views.opportunity_verify, name="verify"),
    path("<int:pk>/status/", views.opportunity_status, name="status"),
    path("<int:pk>/suspend/", views.opportunity_suspend, name="suspend"),
]
