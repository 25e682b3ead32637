from django.db import models

from layak.accounts.choices import Role
from layak.regions.choices import RegionLevel

#: The operator role of each level: a kecamatan gets a kecamatan operator, a desa/kelurahan a desa operator.
ROLE_OF_LEVEL = {RegionLevel.KECAMATAN: Role.KECAMATAN_OPERATOR, RegionLevel.DESA: Role.DESA_OPERATOR}


class InvitationRole(models.TextChoices):
    """The roles an invitation can give (a subset of accounts' roles)."""

    KECAMATAN_OPERATOR = Role.KECAMATAN_OPERATOR.value, Role.KECAMATAN_OPERATOR.label
    DESA_OPERATOR = Role.DESA_OPERATOR.value, Role.DESA_OPERATOR.label
