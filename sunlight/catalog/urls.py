"""Workbench pages of the power catalog, under /workbench/catalog/."""

from django.urls import path

from . import views

app_name = "catalog"
KIND = "<str:kind_slug>"
urlpatterns = [
    path("", views.index, name="index"),
    path("laws/", views.law_list, name="law_list"),
    path("laws/new/", views.law_create, name="law_create"),
    path("laws/<uuid:public_id>/", views.law_detail, name="law_detail"),
    path("laws/<uuid:public_id>/amend/", views.law_amend, name="law_amend"),
    path("laws/<uuid:public_id>/articles/", views.law_articles_add, name="law_articles_add"),
    path("flowcharts/", views.flowcharts, name="flowcharts"),
    path("flowcharts/<slug:code>.svg", views.flowchart_svg, name="flowchart_svg"),
    path("major-rules/check/", views.major_check, name="major_check"),
    path("benchmarks/<uuid:public_id>/check/", views.benchmark_check, name="benchmark_check"),
    path("items/<uuid:public_id>/guide/", views.service_guide, name="service_guide"),
    path("flags/<uuid:public_id>/dismiss/", views.flag_dismiss, name="flag_dismiss"),
    path("benchmark-review/", views.benchmark_review, name="benchmark_review"),
    path("transfer/", views.transfer, name="transfer"),
    path("transfer/<str:book>.xlsx", views.export, name="export"),
    path(f"{KIND}/", views.entry_list, name="entry_list"),
    path(f"{KIND}/new/", views.entry_create, name="entry_create"),
    path(f"{KIND}/<uuid:public_id>/", views.entry_detail, name="entry_detail"),
    path(f"{KIND}/<uuid:public_id>/revise/", views.entry_revise, name="entry_revise"),
    path(f"{KIND}/<uuid:public_id>/abolish/", views.entry_abolish, name="entry_abolish"),
    path(f"{KIND}/versions/<uuid:public_id>/", views.version_detail, name="version_detail"),
    path(
        f"{KIND}/versions/<uuid:public_id>/<str:operation>/",
        views.version_action,
        name="version_action",
    ),
]
