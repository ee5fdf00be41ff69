"""A file mail backend that a test can hold up mid-send, to kill the worker at that moment."""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class HeldFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["TEST_MAIL_DIR"])
        hold = folder / "hold"
        if hold.exists():
            (folder / f"sending-{os.getpid()}").touch()
            deadline = time.monotonic() + 60
            while hold.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
        return super().send_messages(email_messages)
