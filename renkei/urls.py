from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from renkei.api.urls import api
from renkei.core import views as core_views

urlpatterns = [
    path("", include("renkei.portal.urls")),
    path("disasters/", include("renkei.disasters.urls")),
    path("sources/", include("renkei.sources.urls")),
    path("opendata/", include("renkei.opendata.urls")),
    path("board/", include("renkei.board.urls")),
    path("", include("renkei.registry.urls")),
    path("accounts/", include("renkei.accounts.urls")),
    path("secretariat/", include("renkei.membership.secretariat_urls")),
    path("secretariat/", include("renkei.portal.editor_urls")),
    path("secretariat/inquiries/", include("renkei.inquiries.urls")),
    path("", include("renkei.portal.member_urls")),
    path("", include("renkei.membership.urls")),
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("language/<str:code>/", core_views.language, name="language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error

# The admin is the secretariat's: it opens only after the second factor.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "renkei 管理"
admin.site.site_title = "renkei 管理"
