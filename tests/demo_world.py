"""The demo as `make run` builds it (provinces and kab/kota, frameworks, history, demo users and data), with one
assessment taken through verification so review pages, timelines and notifications have content.

Shared by the crawler and raw-key test (tests/test_demo_pages.py) and the browser tests of issue 11.
"""

from __future__ import annotations

from django.core.management import call_command

DEMO_ROLES = [
    "admin_kemenpppa",
    "evaluator_independen",
    "koordinator_dki",
    "verifikator_dki",
    "dp3a_jakpus",
    "dp3a_jaktim",
    "dp3a_banjarmasin",
    "dp3a_mojokerto",
    "dinkes_jakpus",
    "disdukcapil_jakpus",
    "dinkes_banjarmasin",
    "pemantau",
]


def build_demo(settings) -> dict[str, object]:
    """Loads the demo; Jakarta Timur's assessment is submitted, scored and sent back for one revision round."""
    from layak.accounts.models import User
    from layak.dashboards.services import history_load
    from layak.evaluations.demo import PAST_CYCLE_NAME
    from layak.evaluations.models import Assessment
    from layak.frameworks.services import frameworks_load_all
    from layak.regions.services import regions_load
    from layak.reviews import services
    from layak.reviews.tests.factories import assign, open_review_windows, request_revision, submit

    regions_load(levels=(1, 2))
    frameworks_load_all()
    history_load()
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False
    users = {u.username: u for u in User.objects.all()}
    # The verification demo runs on the earlier (indicator-level, kla-2021) demo cycle; the current one is kla-2024.
    jaktim = Assessment.objects.filter(region_id="31.75", cycle__name=PAST_CYCLE_NAME).get()
    open_review_windows(jaktim.cycle)  # the demo cycle's province window opens later; the test acts now
    submit(jaktim, users["dp3a_jaktim"])
    assign(jaktim, "province", users["verifikator_dki"])
    indicator = jaktim.cycle.framework.indicators.order_by("pk").first()
    services.indicator_review_save(
        user=users["verifikator_dki"], assessment=jaktim, indicator=indicator, points="0", reason="Bukti tidak ada"
    )
    request_revision(
        jaktim,
        users["verifikator_dki"],
        {indicator.code: "Unggah SK yang sudah ditandatangani"},
        days=7,
        comment="Lengkapi bukti dukung",
    )
    return {"users": users, "revised": jaktim, "indicator": indicator}
