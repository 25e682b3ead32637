from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a facility stands in its certification lifecycle (a kind without a certificate stays "listed")."""

    LISTED = "listed", _("Listed (this kind has no certificate)")
    PROPOSED = "proposed", _("Proposed")
    ASSESSED = "assessed", _("Assessed")
    CERTIFIED = "certified", _("Certified")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class SchoolLevel(models.TextChoices):
    """The school levels the instrument asks SRA percentages for (kla-2024 indicator 19, 2a-2e)."""

    TK = "tk", _("TK/RA")
    SD = "sd", _("SD/MI")
    SMP = "smp", _("SMP/MTs")
    SMA = "sma", _("SMA/MA/SMK")
    SLB = "slb", _("SLB")


# The steps a person takes, from -> to. Expired and revoked end a certificate; proposing again starts anew.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PROPOSED: (Status.ASSESSED,),
    Status.ASSESSED: (Status.CERTIFIED, Status.PROPOSED),
    Status.CERTIFIED: (Status.EXPIRED, Status.REVOKED),
    Status.EXPIRED: (Status.PROPOSED,),
    Status.REVOKED: (Status.PROPOSED,),
    Status.LISTED: (),
}
IRREVERSIBLE = frozenset({Status.EXPIRED, Status.REVOKED})
