"""Forum Anak: the children's forums of a kab/kota at kab/kota, kecamatan and desa level, their activities and
their inputs to policies and to Musrenbang with the follow-up of each.

Only aggregates are kept about children (number of members, number taking part); no names or other personal
data beyond what a forum publishes itself.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import ActivityKind, ForumLevel, InputChannel, InputStatus


class Forum(models.Model):
    """One Forum Anak of a region (the kab/kota itself, one of its kecamatan or desa/kelurahan).

    `kabkota` is the kab/kota it belongs to (its own region for a kab/kota forum), for scoping and counting.
    """

    kabkota = models.ForeignKey(
        "regions.Region", verbose_name=_("regency/city"), on_delete=models.PROTECT, related_name="child_forums"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region of the forum"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=ForumLevel.choices)
    name = models.CharField(_("name"), max_length=200)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    sk_number = models.CharField(_("SK number"), max_length=120, blank=True)
    active = models.BooleanField(_("active"), default=True)
    member_count = models.PositiveIntegerField(_("number of members"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["kabkota_id", "level", "region_id", "name"]
        verbose_name = _("Forum Anak")
        verbose_name_plural = _("Forum Anak")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="forum_unique_name_per_region",
                violation_error_message=_("This region already has a children's forum with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=2, level__lte=4),
                name="forum_level_range",
                violation_error_message=_("A children's forum belongs to a regency/city, a district or a village."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("participation:forum_detail", args=[self.pk])


class ForumActivity(models.Model):
    """Something a forum did on a date, with the number of children taking part (an aggregate only)."""

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="activities")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    summary = models.TextField(_("summary"), blank=True)
    children_count = models.PositiveIntegerField(_("number of children taking part"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["forum_id", "-date", "-pk"]
        verbose_name = _("forum activity")
        verbose_name_plural = _("forum activities")

    def __str__(self) -> str:
        return self.title


class ChildInput(models.Model):
    """Children's input to a policy or a Musrenbang, and what became of it (status and follow-up notes)."""

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="inputs")
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=24, choices=InputChannel.choices)
    text = models.TextField(_("input"))
    status = models.CharField(_("status"), max_length=10, choices=InputStatus.choices, default=InputStatus.SUBMITTED)
    follow_up = models.TextField(_("follow-up notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["forum_id", "-date", "-pk"]
        verbose_name = _("children's input")
        verbose_name_plural = _("children's inputs")
        indexes = [models.Index(fields=["channel", "date"], name="child_input_channel_date")]

    def __str__(self) -> str:
        return f"{self.forum_id} {self.date} {self.channel}"
