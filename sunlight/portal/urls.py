from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<uuid:public_id>/", views.agency_detail, name="agency_detail"),
    path("transparency/", views.transparency, name="transparency"),
]
