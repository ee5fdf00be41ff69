"""What a notification says, as the context that sends it words it.

Each context keeps its messages in a ``notices`` module, one function per kind, that builds the
:class:`Notice` from the records it is about: the title, the link, what the e-mail templates
(``email/<kind>.txt`` and ``.html``, in that context's templates) read, and any file to attach.
Services decide *that* someone is told and who; the notice decides what they read. The outbox
stores all of it with the row, so sending needs nothing but the row.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attachment:
    """A text file sent with the e-mail (a calendar invitation, the audit checkpoint line)."""

    filename: str
    content: str
    mimetype: str

    def as_stored(self) -> dict:
        return {"filename": self.filename, "content": self.content, "mimetype": self.mimetype}


@dataclass(frozen=True)
class Notice:
    kind: str
    title: str
    link: str = ""
    context: dict = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()
