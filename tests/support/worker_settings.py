"""Settings for a worker subprocess started by a test: the portal's own, plus a mail backend
the test can watch and hold up."""

import os

from portal.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.support.held_mail.HeldFileBackend"
EMAIL_FILE_PATH = os.environ["TEST_MAIL_DIR"]
