from django.contrib import admin

from projectoffice.audit.admin_mixins import AuditedAdminMixin
from projectoffice.opportunities.models import Opportunity


@admin.register(Opportunity)
class OpportunityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "provider_name", "status", "closes_on", "verified_on"]
    list_filter = ["kind", "status", "is_demo"]
    search_fields = ["title", "provider_name", "external_id"]
