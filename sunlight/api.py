"""The versioned JSON API under /api/v1/ (SYS-5). Each app contributes a router.

Every error has one shape: `{"errors": [{"field": ..., "code": ..., "message": ...}]}`, message in Chinese.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from sunlight.core.errors import ServiceError


class UTF8JSONRenderer(JSONRenderer):
    """JSON with Chinese text as UTF-8 rather than \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=UTF8JSONRenderer(),
    title="阳光执法 API",
    version="1",
    description="阳光执法平台接口。认证：工作人员会话（Cookie + CSRF）。错误格式：{errors: [{field, code, message}]}。",
    urls_namespace="api",
)

_PYDANTIC_MESSAGES = {
    "missing": N_("此项为必填项。"),
    "int_parsing": N_("应为整数。"),
    "date_from_datetime_parsing": N_("日期格式应为 YYYY-MM-DD。"),
    "date_parsing": N_("日期格式应为 YYYY-MM-DD。"),
    "datetime_parsing": N_("时间格式应为 ISO 8601（如 2026-03-02T09:00:00+08:00）。"),
    "datetime_from_date_parsing": N_("时间格式应为 ISO 8601（如 2026-03-02T09:00:00+08:00）。"),
    "uuid_parsing": N_("标识格式不正确。"),
    "string_too_long": N_("内容过长。"),
    "string_too_short": N_("内容过短。"),
    "greater_than_equal": N_("数值过小。"),
    "less_than_equal": N_("数值过大。"),
    "enum": N_("取值无效。"),
    "literal_error": N_("取值无效。"),
    "bool_parsing": N_("应为 true 或 false。"),
    "json_invalid": N_("请求体不是有效的 JSON。"),
}


def errors_response(request: HttpRequest, errors: list[dict[str, str]], status: int) -> HttpResponse:
    """The one error body."""
    return api.create_response(request, {"errors": errors}, status=status)


@api.exception_handler(ServiceError)
def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return errors_response(request, exc.as_dicts(), exc.status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", []) if p not in ("body", "query", "path", "payload")]
        code = str(item.get("type", "invalid"))
        errors.append(
            {
                "field": ".".join(loc) or "__all__",
                "code": code,
                "message": _(_PYDANTIC_MESSAGES.get(code, "格式不正确。")),
            }
        )
    return errors_response(request, errors, 422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return errors_response(
        request, [{"field": "__all__", "code": N_("unauthenticated"), "message": _("请先登录。")}], 401
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return errors_response(
        request, [{"field": "__all__", "code": f"http_{exc.status_code}", "message": str(exc)}], exc.status_code
    )


def _register() -> None:
    from sunlight.catalog.api import router as catalog_router
    from sunlight.core.api import router as core_router
    from sunlight.core.transparency_api import router as transparency_router
    from sunlight.evidence.api import router as evidence_router
    from sunlight.org.api import router as org_router
    from sunlight.registry.api import router as registry_router
    from sunlight.workbench.api import router as warnings_router

    api.add_router("/calendar", core_router)
    api.add_router("/evidence", evidence_router)
    api.add_router("/org", org_router)
    api.add_router("/warnings", warnings_router)
    api.add_router("/transparency", transparency_router)
    api.add_router("/registry", registry_router)
    api.add_router("/catalog", catalog_router)
    api.add_router("/publicity", "sunlight.publicity.api.router")
    api.add_router("/cases", "sunlight.cases.api.router")
    api.add_router("/review", "sunlight.review.api.router")


_register()
