from django.urls import path

from . import partner_views, views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("map/", views.map_page, name="map"),
    path("map.json", views.map_data, name="map-data"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("export.json", views.export_json, name="export-json"),
    path("regions/", views.region_list, name="regions"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
    path("partners/", partner_views.partner_list, name="partners"),
    # Last: any other slug is an organisation's (slugs never take the names above).
    path("<slug:slug>/", views.organisation_detail, name="organisation"),
]
