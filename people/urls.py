from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("people/", views.person_list, name="person-list"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("people/<slug:slug>/career.svg", views.person_career_svg, name="person-career-svg"),
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-detail"),
    path(
        "organizations/<slug:slug>/timeline.svg",
        views.organization_timeline_svg,
        name="organization-timeline-svg",
    ),
    path(
        "organizations/<slug:slug>/turnover.svg",
        views.organization_turnover_svg,
        name="organization-turnover-svg",
    ),
]
