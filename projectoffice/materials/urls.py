from django.urls import path

from projectoffice.materials import views

app_name = "materials"

urlpatterns = [
    path("projects/<int:pk>/", views.project_materials, name="project"),
    path("projects/<int:pk>/<str:document>/<str:key>/", views.section_edit, name="section"),
    path("projects/<int:pk>/files/<str:document>-<str:lang>.<str:fmt>", views.material_file, name="file"),
    path("projects/<int:pk>/room/", views.room_manage, name="room_manage"),
    path("rooms/", views.my_rooms, name="my_rooms"),
    path("rooms/<int:room_id>/", views.room, name="room"),
    path("rooms/<int:room_id>/nda/", views.nda_accept, name="nda_accept"),
    path("rooms/<int:room_id>/documents/<int:document_id>/", views.room_download, name="download"),
    path("nda/", views.nda_edit, name="nda"),
]
