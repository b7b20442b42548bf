"""URLs of the pages (namespace ``pages``)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .views import documents, jobs, new, plaques, reports

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="pages:login"), name="logout"),
    path("new/", new.new, name="new"),
    path("new/<slug:kind_name>/", new.new, name="new-kind"),
    path("jobs/", jobs.job_list, name="jobs"),
    path("jobs/<str:job_id>/", jobs.job_detail, name="job"),
    path("jobs/<str:job_id>/progress.json", jobs.job_progress, name="job-progress"),
    path("jobs/<str:job_id>/files/<str:sha256>", jobs.job_file, name="job-file"),
    path("jobs/<str:job_id>/pages/<str:sha256>/<int:page>.png", jobs.job_page_preview, name="job-page"),
    path("jobs/<str:job_id>/proofs/<str:sha256>.png", jobs.job_proof_preview, name="job-proof"),
    path("jobs/<str:job_id>/rerun/", jobs.job_rerun, name="job-rerun"),
    path("reports/", reports.reports, name="reports"),
    path("reports/consolidate/", reports.consolidate, name="consolidate"),
    path("reports/bulletin/", reports.draft_bulletin, name="draft-bulletin"),
    path("replies/", documents.replies, name="replies"),
    path("sign/", documents.sign_list, name="sign"),
    path("register/", documents.register_list, name="register"),
    path("register/<int:pk>/", documents.entry_detail, name="entry"),
    path("register/<int:pk>/progress.json", documents.entry_progress, name="entry-progress"),
    path("register/<int:pk>/sign/", documents.sign_off, name="entry-sign"),
    path("register/<int:pk>/return/", documents.send_back, name="entry-return"),
    path("register/<int:pk>/requeue/", documents.requeue, name="entry-requeue"),
    path("register/<int:pk>/issue/", documents.seal_and_issue, name="entry-issue"),
    path("register/<int:pk>/pages/<str:sha256>/<int:page>.png", documents.entry_page, name="entry-page"),
    path("register/<int:pk>/files/<str:sha256>", documents.entry_file, name="entry-file"),
    path("register/<int:pk>/archive/<int:file_id>/", documents.archived_file, name="archived-file"),
    path("plaques/", plaques.plaques, name="plaques"),
    path("plaques/order/", plaques.order, name="plaque-order"),
    path("plaques/<int:pk>/files/<str:sha256>", plaques.order_file, name="plaque-file"),
    path("plaques/<int:pk>/proofs/<str:sha256>.png", plaques.order_proof, name="plaque-proof"),
    path("plaques/<int:pk>/confirm/", plaques.confirm, name="plaque-confirm"),
]
