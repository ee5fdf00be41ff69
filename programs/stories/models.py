"""The story wall's own records: colleagues' thanks, and stories a manager took off the wall.

A story is an approved gesture the agent did not keep private (``Gesture.keep_private``); its
words are the gesture's. What is recorded here is only what the wall adds to it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from portal.validators import TEXT_LIMIT, multi_line


class Thanks(models.Model):
    """One colleague's thanks for one story, given once."""

    gesture = models.ForeignKey(
        "empowerment.Gesture", on_delete=models.CASCADE, related_name="thanks"
    )
    # The story's agent, kept here so the database itself refuses thanks for your own story.
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thanked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_given"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "thanks"
        constraints = [
            models.UniqueConstraint(fields=["gesture", "thanked_by"], name="thanks_once_each"),
            models.CheckConstraint(
                condition=~Q(thanked_by=F("agent")), name="thanks_not_for_yourself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thanked_by} thanked gesture #{self.gesture_id}"


class HiddenStory(models.Model):
    """A story a manager took off the wall, and why; showing it again deletes the record (the
    audit trail keeps both)."""

    gesture = models.OneToOneField(
        "empowerment.Gesture", on_delete=models.CASCADE, related_name="hidden_story"
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(max_length=TEXT_LIMIT, validators=[multi_line])
    hidden_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-hidden_at", "-id"]
        verbose_name_plural = "hidden stories"
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="hidden_story_says_why"),
        ]

    def __str__(self) -> str:
        return f"Story of gesture #{self.gesture_id}, hidden"
