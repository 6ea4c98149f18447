from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from renkei.api.urls import api
from renkei.core import views as core_views

urlpatterns = [
    path("", include("renkei.portal.urls")),
    path("disasters/", include("renkei.disasters.urls")),
    path("members/disasters/", include("renkei.disasters.member_urls")),
    path("sources/", include("renkei.sources.urls")),
    path("opendata/", include("renkei.opendata.urls")),
    path("board/", include("renkei.board.urls")),
    path("", include("renkei.registry.urls")),
    path("accounts/", include("renkei.accounts.urls")),
    path("secretariat/newsletter/", include("renkei.newsletter.editing_urls")),
    path("secretariat/", include("renkei.secretariat.urls")),
    path("newsletter/", include("renkei.newsletter.urls")),
    path("", include("renkei.portal.member_urls")),
    path("", include("renkei.membership.urls")),
    path("", include("renkei.matching.urls")),
    path("", include("renkei.replies.urls")),
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("language/<str:code>/", core_views.language, name="language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Addresses the back office had before it was one: bookmarks and forms still arrive.
    path("registry/import/", core_views.moved("secretariat:import"), name="moved_import"),
    path("registry/import/<int:pk>/", core_views.moved("secretariat:import_preview"), name="moved_import_preview"),
    path("registry/import/<int:pk>/confirm/", core_views.moved("secretariat:import_confirm"),
         name="moved_import_confirm"),
    path("board/moderation/", core_views.moved("secretariat:moderation"), name="moved_moderation"),
    path("board/threads/<int:pk>/moderate/", core_views.moved("secretariat:moderate_thread"),
         name="moved_moderate_thread"),
    path("board/posts/<int:pk>/moderate/", core_views.moved("secretariat:moderate_post"), name="moved_moderate_post"),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error

# The admin is the secretariat's: it opens only after the second factor.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "renkei 管理"
admin.site.site_title = "renkei 管理"
