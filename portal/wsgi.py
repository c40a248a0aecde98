import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# What starting up created lives as long as the process: taking it out of the garbage
# collector's view spares every later collection from walking it (shorter pauses in
# requests). https://docs.python.org/3/library/gc.html#gc.freeze
gc.collect()
gc.freeze()
