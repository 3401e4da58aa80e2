from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from projectoffice.accounts import views as account_views
from projectoffice.api.errors import not_found_json
from projectoffice.dashboards import views as dashboard_views

# Django's own error pages, in the API's JSON error shape under /api/.
handler400 = "projectoffice.api.errors.bad_request"
handler403 = "projectoffice.api.errors.permission_denied"
handler500 = "projectoffice.api.errors.server_error"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", dashboard_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/revoke/", account_views.token_revoke, name="token_revoke"),
    path("accounts/signup/", account_views.signup, name="signup"),
    path("accounts/signup/confirm/<str:token>/", account_views.signup_confirm, name="signup_confirm"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/profile/", account_views.profile, name="profile"),
    path("organisations/", include("projectoffice.organisations.urls")),
    path("projects/", include("projectoffice.projects.urls")),
    path("opportunities/", include("projectoffice.opportunities.urls")),
    path("matching/", include("projectoffice.matching.urls")),
    path("applications/", include("projectoffice.applications.urls")),
    path("events/", include("projectoffice.events.urls")),
    path("kpis/", include("projectoffice.kpis.urls")),
    path("participation/", include("projectoffice.participation.urls")),
    path("materials/", include("projectoffice.materials.urls")),
    path("flagships/", include("projectoffice.flagships.urls")),
    path("", include("projectoffice.flagships.showcase_urls")),
    path("needs/", include("projectoffice.needs.urls")),
    path("opendata/", include("projectoffice.opendata.urls")),
    path("classifiers/", include("projectoffice.classifiers.urls")),
    path("api/v1/", include("projectoffice.api.urls")),
    re_path(r"^api/", not_found_json),
    path("admin/", admin.site.urls),
]
