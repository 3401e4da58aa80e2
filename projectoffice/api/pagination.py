"""Page-number pagination that refuses what it cannot honour instead of silently falling back."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from rest_framework import pagination
from rest_framework.request import Request

from projectoffice.api.queryparams import integer_schema, query_int

PAGE_MAX = 10**9


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()  # `page` is a number, as the schema says

    def get_page_size(self, request: Request) -> int:
        size = query_int(request.query_params, self.page_size_query_param, minimum=1, maximum=self.max_page_size)
        return self.page_size if size is None else size

    def get_page_number(self, request: Request, paginator: Paginator) -> int:
        number = query_int(request.query_params, self.page_query_param, minimum=1, maximum=PAGE_MAX, default=1)
        assert number is not None
        return number

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.page_query_param: (1, PAGE_MAX), self.page_size_query_param: (1, self.max_page_size)}
        for parameter in parameters:
            if parameter["name"] in bounds:
                parameter["schema"] = integer_schema(*bounds[parameter["name"]])
        return parameters
