"""Abstract fields the register models share (no tables of their own)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def evidence_file(verbose_name: Any) -> models.ForeignKey[Any, Any]:
    """An optional file of the record (a decree, minutes, training materials) kept in the region's evidence
    library, so it can also support indicators; emptied if the evidence item is deleted."""
    return models.ForeignKey(
        "evidence.Evidence",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Recorded(models.Model):
    """Who entered a register record, and when."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class Person(models.Model):
    """A person named in a register (a Gugus Tugas member, a training participant): name, position and the OPD
    they work for or the organisation they come from. Nothing more personal. `name_key` is the folded name
    used to match the same person across registers."""

    name = models.CharField(_("name"), max_length=150)
    name_key = models.CharField(max_length=150, editable=False, db_index=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency (OPD)"), null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def affiliation(self) -> str:
        return self.agency.name if self.agency is not None else self.organisation
