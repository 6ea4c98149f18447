import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
django_application = get_wsgi_application()

# In front of Django (after it is set up): 災害モード's light pages from their files
# (renkei.portal.light_server), then finished public pages from memory (renkei.core.front), then
# the public's excess turned away under overload (renkei.core.overload).
from django.conf import settings  # noqa: E402

from renkei.core.front import FrontCache  # noqa: E402
from renkei.core.overload import Shed  # noqa: E402
from renkei.core.requestlog import AccessLog  # noqa: E402
from renkei.portal.light_server import LightPages  # noqa: E402

application = LightPages(FrontCache(Shed(django_application)))
if settings.ACCESS_LOG:  # `make run`: a line for what is answered before Django too
    application = AccessLog(application)
