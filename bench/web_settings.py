"""Settings for `bench/web.py --persistent`: the product's, with database connections kept
open between requests (CONN_MAX_AGE) instead of one new connection per request."""

from dangbo.settings import *  # noqa: F403
from dangbo.settings import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
