"""URLs of the congress pages: the overview, a congress, its elections, rounds, approval."""

from django.urls import URLPattern, path

from dangbo.web.congresses import outcomes, plan, views, voting

urlpatterns: list[URLPattern] = [
    path("dai-hoi/", views.congress_overview, name="congresses"),
    path("dai-hoi/moi/", plan.congress_new, name="congress_new"),
    path("dai-hoi/<int:pk>/", views.congress_page, name="congress"),
    path("dai-hoi/<int:pk>/bau-cu/", voting.election_new, name="election_new"),
    path("dai-hoi/<int:pk>/chuan-y/", voting.congress_approval, name="congress_approve"),
    path("bau-cu/<int:pk>/lan-bau/", voting.ballot_round, name="ballot_round"),
    path("bau-cu/<int:pk>/dung-bau/", outcomes.election_halt, name="election_stop"),
    path("bau-cu/<int:pk>/chi-dinh/", outcomes.election_appoint, name="secretary_appoint"),
]
