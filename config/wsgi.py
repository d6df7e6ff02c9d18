import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# What loading Django and the project made lives as long as the process. Left in the
# collector's generations, it is scanned again by every full collection, which a page
# with many rows sets off; frozen, it is not (docs/performance.md, "an eighth round").
# Garbage of the loading is collected first: frozen, it would never be.
gc.collect()
gc.freeze()
