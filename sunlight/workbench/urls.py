from django.urls import path

from . import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("warnings/", views.my_warnings, name="my_warnings"),
    path("warnings/rollup/", views.warning_rollup, name="warning_rollup"),
    path("org/agencies/", views.agency_list, name="agency_list"),
    path("org/agencies/new/", views.agency_edit, name="agency_create"),
    path("org/agencies/<uuid:public_id>/", views.agency_detail, name="agency_detail"),
    path("org/agencies/<uuid:public_id>/edit/", views.agency_edit, name="agency_edit"),
    path("org/agencies/<uuid:agency_id>/units/new/", views.unit_edit, name="unit_create"),
    path("org/agencies/<uuid:agency_id>/units/<uuid:public_id>/edit/", views.unit_edit, name="unit_edit"),
    path("org/regions/", views.region_list, name="region_list"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<uuid:public_id>/", views.user_edit, name="user_edit"),
    path("users/<uuid:public_id>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("users/<uuid:public_id>/unlock/", views.user_unlock, name="user_unlock"),
    path("security/policies/", views.role_policies, name="role_policies"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/rules/", views.deadline_rules, name="deadline_rules"),
    path("calendar/rules/<str:code>/", views.deadline_rule_edit, name="deadline_rule_edit"),
    path("audit/", views.audit_log, name="audit"),
]
