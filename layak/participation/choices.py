from django.db import models
from django.utils.translation import gettext_lazy as _


class ForumLevel(models.IntegerChoices):
    """The tier of a Forum Anak, as the level of its Kemendagri region."""

    KABKOTA = 2, _("Regency/city")
    KECAMATAN = 3, _("District (kecamatan)")
    DESA = 4, _("Village (desa/kelurahan)")


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    CAMPAIGN = "campaign", _("Campaign or socialisation")
    PIONEER_REPORTER = "2p", _("Pioneer and reporter (2P)")
    CONSULTATION = "consultation", _("Consultation")
    OTHER = "other", _("Other")


class InputChannel(models.TextChoices):
    """Where the children's input went."""

    MUSRENBANG_DESA = "musrenbang_desa", _("Musrenbang desa/kelurahan")
    MUSRENBANG_KECAMATAN = "musrenbang_kecamatan", _("Musrenbang kecamatan")
    MUSRENBANG_KABKOTA = "musrenbang_kabkota", _("Musrenbang kab/kota")
    POLICY = "policy", _("Policy consultation")
    OTHER = "other", _("Other")


MUSRENBANG_CHANNELS = (
    InputChannel.MUSRENBANG_DESA,
    InputChannel.MUSRENBANG_KECAMATAN,
    InputChannel.MUSRENBANG_KABKOTA,
)


class InputStatus(models.TextChoices):
    """What became of an input: submitted, accepted, partly accepted or rejected."""

    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")
