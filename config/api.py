"""The JSON API at /api/v1/: each app contributes one ninja router from its `api.py`."""

from ninja import NinjaAPI

from layak.common.api import install_error_handlers
from layak.dashboards.api import router as dashboards_router
from layak.evaluations.api import router as evaluations_router
from layak.evidence.api import router as evidence_router
from layak.frameworks.api import router as frameworks_router
from layak.participation.api import router as participation_router
from layak.partners.api import router as partners_router
from layak.plans.api import router as plans_router
from layak.protection.api import router as protection_router
from layak.regions.api import router as regions_router
from layak.reviews.api import router as reviews_router
from layak.taskforces.api import router as taskforces_router
from layak.trainings.api import router as trainings_router

api = NinjaAPI(
    title="Layak API",
    version="1.0.0",
    description=(
        "Regions, KLA indicator frameworks and evaluations. Read endpoints on public data need no login. "
        "Numbers are JSON numbers, or decimal strings written plainly (806.66: a dot for decimals, no grouping), "
        "whatever the language of the caller; an answer value sent as text is read like a form field "
        "(Indonesian 1.234,5 or plain 1234.5). Sentences (errors, notes) follow the language cookie, Indonesian by "
        "default."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)  # one error shape and status rule for every router (layak/common/api.py)
api.add_router("/regions", regions_router)
api.add_router("/frameworks", frameworks_router)
api.add_router("/assessments", evaluations_router)
api.add_router("/evidence", evidence_router)
api.add_router("/reviews", reviews_router)
# Open data: published results and national statistics (issue 5).
api.add_router("/", dashboards_router)
api.add_router("/taskforces", taskforces_router)
api.add_router("/plans", plans_router)
api.add_router("/trainings", trainings_router)
api.add_router("/partners", partners_router)
api.add_router("/participation", participation_router)
api.add_router("/protection", protection_router)
