from django.urls import path

from projectoffice.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("feed.ics", views.feed_ics, name="feed"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("cancel/<str:token>/", views.cancel, name="cancel"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
    path("ticket/<str:code>/", views.ticket, name="ticket"),
    path("certificates/<str:code>/", views.certificate_verify, name="certificate"),
    path("certificates/<str:code>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/event.ics", views.event_ics, name="ics"),
    path("<slug:slug>/attendees/", views.attendees, name="attendees"),
    path("<slug:slug>/attendees.xlsx", views.attendees_xlsx, name="attendees_xlsx"),
    path("<slug:slug>/attendees/<int:pk>/decide/", views.decide, name="decide"),
    path("<slug:slug>/checkin/", views.checkin, name="checkin"),
    path("<slug:slug>/results/", views.results, name="results"),
]
