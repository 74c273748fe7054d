from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<uuid:public_id>/", views.agency_detail, name="agency_detail"),
    path("agencies/<uuid:public_id>/post-board.pdf", views.post_board, name="post_board"),
    path("officers/", views.officer_list, name="officer_list"),
    path("items/", views.item_list, name="item_list"),
    path("items/<uuid:public_id>/", views.item_detail, name="item_detail"),
    path("benchmarks/", views.benchmark_list, name="benchmark_list"),
    path("benchmarks/<uuid:public_id>/", views.benchmark_detail, name="benchmark_detail"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("av-items/", views.av_list, name="av_list"),
    path("major-decisions/", views.major_rule_list, name="major_rule_list"),
    path("changes/", views.change_list, name="change_list"),
    path("laws/", views.law_list, name="law_list"),
    path("laws/<uuid:public_id>/", views.law_detail, name="law_detail"),
    path("flowcharts/", views.flowcharts, name="flowcharts"),
    path("remedies/", views.remedies, name="remedies"),
    path("complaints/", views.complaints, name="complaints"),
    path("transparency/", views.transparency, name="transparency"),
]
