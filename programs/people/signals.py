"""What people management tells the contexts above it, which it may not import."""

from django.dispatch import Signal

# Sent inside deactivate_person's transaction, before the person is switched off, so that what
# a context above keeps for them ends in the same transaction (programs.identity revokes their
# personal API tokens). Arguments: person, actor. Each receiver returns a dict of what it
# ended, which goes into the deactivation's audit entry.
person_deactivating = Signal()
