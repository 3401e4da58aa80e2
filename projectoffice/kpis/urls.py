from django.urls import path

from projectoffice.kpis import views

app_name = "kpis"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("public/", views.public, name="public"),
    path("entries/", views.entries, name="entries"),
    path("entries/<int:pk>/", views.entry, name="entry"),
    path("entries/<int:pk>/decide/", views.entry_decide, name="entry_decide"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/report.<str:fmt>", views.report_download, name="report_download"),
    path("<slug:code>/<int:year>/<str:quarter>/", views.records, name="records"),
]
