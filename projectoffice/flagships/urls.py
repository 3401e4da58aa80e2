from django.urls import path

from projectoffice.flagships import views

app_name = "flagships"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/unmark/", views.unmark, name="unmark"),
    path("<int:pk>/deals/add/", views.deal_add, name="deal_add"),
    path("mark/<int:project_pk>/", views.mark, name="mark"),
    path("deals/", views.board, name="board"),
    path("deals/<int:pk>/", views.deal, name="deal"),
    path("deals/<int:pk>/move/", views.deal_move, name="deal_move"),
    path("deals/<int:pk>/step/", views.deal_step, name="deal_step"),
    path("funders/", views.funders, name="funders"),
    path("funders/new/", views.funder_edit, name="funder_new"),
    path("funders/<int:pk>/", views.funder, name="funder"),
    path("funders/<int:pk>/edit/", views.funder_edit, name="funder_edit"),
]
