"""The JSON API at /api/v1/: each app contributes one ninja router from its `api.py`."""

from ninja import NinjaAPI

from layak.evaluations.api import router as evaluations_router
from layak.evidence.api import router as evidence_router
from layak.frameworks.api import router as frameworks_router
from layak.regions.api import router as regions_router

api = NinjaAPI(
    title="Layak API",
    version="1.0.0",
    description="Regions, KLA indicator frameworks and evaluations. Read endpoints on public data need no login.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/regions", regions_router)
api.add_router("/frameworks", frameworks_router)
api.add_router("/assessments", evaluations_router)
api.add_router("/evidence", evidence_router)
