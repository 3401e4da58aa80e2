from django.contrib import admin

from projectoffice.classifiers.models import OkpdCode, OkvedCode, Region, Tag


class CodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "section", "level"]
    search_fields = ["code", "search_text"]
    list_filter = ["section", "level"]
    readonly_fields = ["parent_code", "level"]


admin.site.register(OkvedCode, CodeAdmin)
admin.site.register(OkpdCode, CodeAdmin)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name_with_type", "iso_code", "federal_district", "okato", "tax_code"]
    search_fields = ["name", "iso_code"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
