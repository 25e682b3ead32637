from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    """Who the partner is: a business (dunia usaha), an NGO (lembaga masyarakat), the media, or other."""

    BUSINESS = "business", _("Business (dunia usaha)")
    NGO = "ngo", _("NGO (lembaga masyarakat)")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class ContributionType(models.TextChoices):
    """What a partner contributed to children's rights."""

    LACTATION_ROOM = "lactation_room", _("Lactation room (ruang laktasi)")
    READING_CORNER = "reading_corner", _("Reading corner (pojok baca)")
    PLAY_SPACE = "play_space", _("Play space")
    CHILD_SAFE_PRODUCT = "child_safe_product", _("Child-safe product")
    CSR = "csr", _("CSR programme")
    PUBLICATION = "publication", _("Publication (media)")
    OTHER = "other", _("Other")


class CommitmentKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement (kesepakatan)")
    DECLARATION = "declaration", _("Declaration (deklarasi)")
