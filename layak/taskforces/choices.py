"""The words of the Gugus Tugas KLA register: member roles, sub-group areas, sectors and decision status."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    """A member's place in the Gugus Tugas structure set by the decree."""

    KETUA = "ketua", _("Ketua (chair)")
    SEKRETARIS = "sekretaris", _("Sekretaris (secretary)")
    KOORDINATOR = "koordinator", _("Coordinator of a sub-group")
    ANGGOTA = "anggota", _("Member")


class MemberArea(models.TextChoices):
    """The sub-group a member belongs to: kelembagaan or one of the five clusters (klaster I to V)."""

    KELEMBAGAAN = "kelembagaan", _("Kelembagaan")
    KLASTER_1 = "klaster_1", _("Klaster I (civil rights and freedoms)")
    KLASTER_2 = "klaster_2", _("Klaster II (family environment and alternative care)")
    KLASTER_3 = "klaster_3", _("Klaster III (basic health and welfare)")
    KLASTER_4 = "klaster_4", _("Klaster IV (education, leisure and culture)")
    KLASTER_5 = "klaster_5", _("Klaster V (special protection)")


# Short names of the sub-groups, as evaluators write them (domain words, not translated).
AREA_SHORT = {
    MemberArea.KELEMBAGAAN: "Kelembagaan",
    MemberArea.KLASTER_1: "Klaster I",
    MemberArea.KLASTER_2: "Klaster II",
    MemberArea.KLASTER_3: "Klaster III",
    MemberArea.KLASTER_4: "Klaster IV",
    MemberArea.KLASTER_5: "Klaster V",
}


class Sector(models.TextChoices):
    """Where a member comes from; evaluators ask that the Gugus Tugas reaches beyond the government."""

    PEMERINTAH = "pemerintah", _("Government")
    LEMBAGA_MASYARAKAT = "lembaga_masyarakat", _("Lembaga masyarakat (NGO)")
    DUNIA_USAHA = "dunia_usaha", _("Dunia usaha (business)")
    MEDIA = "media", _("Media")
    LAINNYA = "lainnya", _("Other (academia, Forum Anak, …)")


# The sectors beyond the government that evaluators look for in the decree.
REQUIRED_NON_GOVERNMENT_SECTORS = (Sector.LEMBAGA_MASYARAKAT, Sector.DUNIA_USAHA, Sector.MEDIA)


class DecisionStatus(models.TextChoices):
    """Where a decision of a coordination meeting stands."""

    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
