"""The open data in the admin: import runs (read-only; new imports start on the staff page or by command) and
the companies found, for looking up."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from projectoffice.opendata.models import Company, ImportRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "dataset", "status", "as_of", "documents", "created", "updated", "unchanged",
                    "refused"]  # fmt: skip
    list_filter = ["dataset", "status"]
    exclude = ["files"]  # each file's verdict is on the staff page of the run


@admin.register(Company)
class CompanyAdmin(ReadOnlyAdmin):
    list_display = ["name", "inn", "kind", "category", "municipality", "status", "change"]
    list_filter = ["kind", "category", "status", "change", "in_sme_registry"]
    search_fields = ["name", "short_name", "inn"]
    exclude = ["extra_okveds", "licences"]  # shown on the organisation page and in the feed
