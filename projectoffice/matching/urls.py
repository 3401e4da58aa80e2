from django.urls import path

from projectoffice.matching import views

app_name = "matching"
urlpatterns = [
    path("<str:kind>/<int:pk>/matches/", views.matches_panel, name="matches"),
    path("<str:kind>/<int:pk>/feedback/<int:opportunity_pk>/", views.feedback, name="feedback"),
    path("opportunity/<int:pk>/participants/", views.participants_panel, name="participants"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/<int:pk>/toggle/", views.subscription_toggle, name="subscription_toggle"),
    path("subscriptions/confirm/<str:token>/", views.subscription_confirm_view, name="subscription_confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
