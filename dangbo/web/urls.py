"""The web application's URLs (namespace ``web``); each area adds its own in its package.

Every URL here must have a case in the authorization matrix test (tests/web/matrix/).
"""

from django.urls import path

from dangbo.web import views
from dangbo.web.accounts import urls as accounts
from dangbo.web.audit import urls as audit
from dangbo.web.candidates import urls as candidates
from dangbo.web.congresses import urls as congresses
from dangbo.web.dashboards import urls as dashboards
from dangbo.web.documents import urls as documents
from dangbo.web.dues import urls as dues
from dangbo.web.exports import urls as exports
from dangbo.web.grading import urls as grading
from dangbo.web.home import urls as home
from dangbo.web.imports import urls as imports
from dangbo.web.inspections import urls as inspections
from dangbo.web.meetings import urls as meetings
from dangbo.web.members import urls as members
from dangbo.web.orgs import urls as orgs
from dangbo.web.register import urls as register
from dangbo.web.reports import urls as reports
from dangbo.web.targets import urls as targets
from dangbo.web.tasks import urls as tasks
from dangbo.web.transfers import urls as transfers

app_name = "web"

# sign-in and sign-out are open to everyone and not in the matrix (PUBLIC_URLS)
urlpatterns = [
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-xuat/", views.SignOutView.as_view(), name="logout"),
]
for area in (
    home,
    orgs,
    register,
    imports,
    members,
    candidates,
    transfers,
    congresses,
    grading,
    targets,
    inspections,
    documents,
    meetings,
    dues,
    reports,
    dashboards,
    tasks,
    accounts,
    audit,
    exports,
):
    urlpatterns += area.urlpatterns

PUBLIC_URLS = {"web:login", "web:logout"}
