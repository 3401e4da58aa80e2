from django.urls import URLPattern, URLResolver, include, path

from projectoffice.needs import views

app_name = "needs"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("new/", views.intake, name="intake"),
    path("embed/", views.intake_embed, name="intake_embed"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("status/<str:token>/", views.status, name="status"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/spam/", views.request_spam, name="request_spam"),
    path("<int:pk>/", views.need_detail, name="need"),
    path("<int:pk>/send/", views.need_send, name="send"),
    path("<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("<int:pk>/diagnosis/", views.need_diagnosis, name="diagnosis"),
    path("<int:pk>/merge/", views.need_merge, name="merge"),
    path("work/", views.work, name="work"),
    path("matches/<int:pk>/", views.match_detail, name="match"),
    path("solutions/", views.solution_catalogue, name="catalogue"),
    path("solutions/new/", views.solution_new, name="solution_new"),
    path("solutions/<int:pk>/", views.solution_detail, name="solution"),
    path("solutions/<int:pk>/edit/", views.solution_edit, name="solution_edit"),
    path("solutions/<int:pk>/cases/new/", views.case_new, name="case_new"),
    path("solutions/<int:pk>/verify/", views.solution_verify, name="solution_verify"),
]

# The operations part (reminders, survey, pilot, landscape, statistics): needs/urls_ops.py.
urlpatterns += [path("", include("projectoffice.needs.urls_ops"))]
