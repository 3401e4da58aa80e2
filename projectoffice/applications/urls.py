from django.urls import path

from projectoffice.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("board/", views.application_board, name="board"),
    path("calendar/", views.deadline_calendar, name="calendar"),
    path("new/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/sections/<int:section_pk>/", views.section_save, name="section_save"),
    path("<int:pk>/sections/<int:section_pk>/history/", views.section_history, name="section_history"),
    path("<int:pk>/sections/<int:section_pk>/comments/", views.comment_add, name="comment_add"),
    path("<int:pk>/budget/", views.budget_add, name="budget_add"),
    path("<int:pk>/budget/<int:item_pk>/delete/", views.budget_delete, name="budget_delete"),
    path("<int:pk>/documents/<int:document_pk>/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
]
