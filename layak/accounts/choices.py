from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person may do, always within a region subtree (or nationally for the ministry)."""

    NATIONAL_ADMIN = "national_admin", _("National admin (KemenPPPA)")
    PROVINCE_COORDINATOR = "province_coordinator", _("Province coordinator")
    PROVINCE_VERIFIER = "province_verifier", _("Province verifier")
    REGION_COORDINATOR = "region_coordinator", _("Regency/city coordinator (DP3A)")
    OPD_CONTRIBUTOR = "opd_contributor", _("Agency (OPD) contributor")
    KECAMATAN_OPERATOR = "kecamatan_operator", _("District (kecamatan) operator")
    DESA_OPERATOR = "desa_operator", _("Village (desa/kelurahan) operator")
    INDEPENDENT_EVALUATOR = "independent_evaluator", _("Independent evaluator")
    VIEWER = "viewer", _("Read-only viewer")


# Roles whose scope is the whole country when no region is given.
NATIONAL_SCOPE_ROLES = {Role.NATIONAL_ADMIN, Role.INDEPENDENT_EVALUATOR, Role.VIEWER}
# Roles that must name a region of this level (1 = province, 2 = kab/kota, 3 = kecamatan, 4 = desa/kelurahan).
REQUIRED_REGION_LEVEL = {
    Role.PROVINCE_COORDINATOR: 1,
    Role.PROVINCE_VERIFIER: 1,
    Role.REGION_COORDINATOR: 2,
    Role.OPD_CONTRIBUTOR: 2,
    Role.KECAMATAN_OPERATOR: 3,
    Role.DESA_OPERATOR: 4,
}
# Roles of the Kelana/Dekela checklists (layak.villages): a kecamatan operator (the camat's office) sees its
# kecamatan and the desa/kelurahan below it; a desa operator sees its own desa/kelurahan only.
VILLAGE_ROLES = {Role.KECAMATAN_OPERATOR, Role.DESA_OPERATOR}
