from django.urls import include, path
from rest_framework.routers import SimpleRouter

from projectoffice.api import (
    application_views,
    auth_views,
    event_views,
    flagship_views,
    kpi_views,
    material_views,
    needs_views,
    opportunity_views,
    participation_views,
    views,
)
from projectoffice.api.schema_view import SchemaView

router = SimpleRouter(trailing_slash=False)
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("classifiers/okved2", views.OkvedViewSet, basename="okved2")
router.register("classifiers/okpd2", views.OkpdViewSet, basename="okpd2")
router.register("classifiers/regions", views.RegionViewSet, basename="region")
router.register("opportunities", opportunity_views.OpportunityViewSet, basename="opportunity")
router.register("subscriptions", opportunity_views.SubscriptionViewSet, basename="subscription")
router.register("applications", application_views.ApplicationViewSet, basename="application")
router.register("events", event_views.EventViewSet, basename="event")
router.register("kpis/indicators", kpi_views.IndicatorViewSet, basename="indicator")
router.register("kpis/reports", kpi_views.ReportViewSet, basename="report")
router.register("flagships/funders", flagship_views.FunderProfileViewSet, basename="flagship-funder")
router.register("flagships/deals", flagship_views.DealViewSet, basename="flagship-deal")
router.register("flagships", flagship_views.FlagshipViewSet, basename="flagship")
router.register("materials", material_views.MaterialsViewSet, basename="materials")
router.register("participation/processes", participation_views.ProcessViewSet, basename="participation-process")
router.register("participation/proposals", participation_views.ProposalViewSet, basename="participation-proposal")
router.register("needs/solutions", needs_views.SolutionViewSet, basename="need-solution")
router.register("needs/matches", needs_views.MatchViewSet, basename="need-match")
router.register("needs", needs_views.NeedViewSet, basename="need")

app_name = "api"
urlpatterns = [
    path("auth/token", auth_views.token_obtain, name="token"),
    path("auth/logout", auth_views.token_logout, name="logout"),
    path("auth/tokens", auth_views.token_list, name="tokens"),
    path("auth/tokens/<str:key>", auth_views.token_revoke, name="token_revoke"),
    path("openapi.json", SchemaView.as_view(), name="openapi"),
    path("classify", opportunity_views.classify_text, name="classify"),
    path("matches", opportunity_views.matches, name="matches"),
    path("matches/feedback", opportunity_views.feedback, name="feedback"),
    path("needs/landscape", needs_views.landscape_view, name="needs-landscape"),
    path("", include(router.urls)),
]
