from __future__ import annotations

from django.contrib import admin

from projectoffice.audit.admin_mixins import AuditedAdminMixin
from projectoffice.organisations.models import Contact, Organisation, OrganisationFigures, SoftwareProduct


class FiguresInline(admin.TabularInline):
    model = OrganisationFigures
    extra = 0


class ProductInline(admin.TabularInline):
    model = SoftwareProduct
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "inn", "ogrn", "region", "size_category", "it_accredited"]
    list_filter = ["kind", "it_accredited", "size_category", "is_demo"]
    search_fields = ["name", "short_name", "inn", "ogrn", "search_text"]
    autocomplete_fields = ["main_okved", "extra_okveds", "competencies", "technologies"]
    inlines = [FiguresInline, ProductInline, ContactInline]
