"""The public catalog over the API: search with filters, a procedure's full record, the
fields and agencies. Anyone may read (an API key needs ``catalog:read``); answers carry
an ETag computed from the rendered body (Django's ``conditional_page``) and a matching
``If-None-Match`` gets 304."""

import json
import re

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.http import conditional_page
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from api.permissions import PUBLIC

from .. import selectors
from ..constants import NATIONAL_CODE_PATTERN
from ..models import Agency, Field
from . import serializers as s

RECORD_CACHE_SECONDS = 600


class CatalogView(GenericAPIView):
    permission_classes = PUBLIC
    public_api = True  # anyone, without signing in (api.schema.PortalAutoSchema says so)
    required_scopes = {"GET": "catalog:read"}


@method_decorator(conditional_page, name="get")
class ProcedureList(CatalogView):
    @extend_schema(
        operation_id="procedures_search",
        summary="Tìm thủ tục hành chính",
        parameters=[s.CatalogQuery],
        responses=s.CatalogPage,
        tags=["Danh mục thủ tục"],
    )
    def get(self, request):
        query = s.CatalogQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        filters = selectors.CatalogFilters(
            q=v.get("q", ""),
            level=v.get("level"),
            field=v.get("field", ""),
            agency=v.get("agency", ""),
            tier=v.get("tier", ""),
            audience=v.get("audience", ""),
        )
        results, fuzzy = selectors.catalog_search(filters)
        paginator = Paginator(results, settings.CATALOG_PAGE_SIZE)
        number = v.get("page", 1)
        try:
            page = paginator.page(number)
        except EmptyPage:
            page = None
        body = {
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages,
            "fuzzy": fuzzy,
            "results": s.ProcedureRow(page.object_list if page else [], many=True).data,
        }
        return Response(body)


@method_decorator(conditional_page, name="get")
class ProcedureDetail(CatalogView):
    @extend_schema(
        operation_id="procedures_read",
        summary="Hồ sơ đầy đủ của một thủ tục (phiên bản đang áp dụng)",
        responses=s.ProcedureSerializer,
        tags=["Danh mục thủ tục"],
    )
    def get(self, request, code: str):
        # A record only changes with the catalog: kept under the catalog generation, like the
        # public pages (DECISIONS §24); a communal procedure lists ~90 communes to serialise.
        if not re.match(NATIONAL_CODE_PATTERN, code):
            raise Http404("Không tìm thấy thủ tục.")
        key = f"api:procedure:v1:{selectors.catalog_generation()}:{get_language()}:{code}"
        data = cache.get(key)
        if data is None:
            version = selectors.procedure_record(code)
            if version is None:
                raise Http404("Không tìm thấy thủ tục.")
            # Plain JSON types in the cache, encoded as the renderer encodes them (DRF's
            # encoder: a decimal is a number; Django's would serve "5.00", a string).
            data = json.loads(json.dumps(s.ProcedureSerializer(version).data, cls=JSONEncoder))
            cache.set(key, data, RECORD_CACHE_SECONDS)
        return Response(data)


@method_decorator(conditional_page, name="get")
class FieldList(CatalogView):
    @extend_schema(
        operation_id="fields_list",
        summary="Các lĩnh vực",
        responses=s.FieldSerializer(many=True),
        tags=["Danh mục thủ tục"],
    )
    def get(self, request):
        return Response(s.FieldSerializer(Field.objects.order_by("name"), many=True).data)


@method_decorator(conditional_page, name="get")
class AgencyList(CatalogView):
    @extend_schema(
        operation_id="agencies_list",
        summary="Các cơ quan đang hoạt động",
        responses=s.AgencySerializer(many=True),
        tags=["Danh mục thủ tục"],
    )
    def get(self, request):
        agencies = Agency.objects.filter(effective_to__isnull=True).order_by("tier", "name")
        return Response(s.AgencySerializer(agencies, many=True).data)
