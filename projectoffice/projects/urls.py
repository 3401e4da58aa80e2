from django.urls import path

from projectoffice.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("board/", views.project_board, name="board"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/move/", views.project_move, name="move"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
]
