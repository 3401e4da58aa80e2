from django.urls import path

from projectoffice.materials import views

app_name = "materials"

urlpatterns = [
    path("rooms/<int:room_id>/", views.room, name="room"),
]
