from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    """The four Kemendagri levels; the dotted code has as many parts as the level number."""

    PROVINCE = 1, _("Province")
    KABKOTA = 2, _("Regency/city")
    KECAMATAN = 3, _("District (kecamatan)")
    DESA = 4, _("Village (desa/kelurahan)")


class RegionKind(models.TextChoices):
    """What Kemendagri calls the region, as recorded in the source data."""

    PROVINSI = "provinsi", _("Province")
    KABUPATEN = "kabupaten", _("Regency (kabupaten)")
    KOTA = "kota", _("City (kota)")
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    DISTRIK = "distrik", _("District (distrik)")
    KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
    DESA = "desa", _("Village (desa)")
    DESA_ADAT = "desa_adat", _("Customary village (desa adat)")


# The API speaks in these words (?level=province|kabkota|kecamatan|desa).
LEVEL_SLUGS = {
    "province": RegionLevel.PROVINCE,
    "kabkota": RegionLevel.KABKOTA,
    "kecamatan": RegionLevel.KECAMATAN,
    "desa": RegionLevel.DESA,
}
