"""Server-rendered pages: the patient web app and the clinician view.

`router` is included by `thighdx.web.app.create_app()`; static files are served at /static.
"""

from __future__ import annotations

from fastapi import APIRouter

from thighdx.web.pages.clinician import router as clinician_router
from thighdx.web.pages.patient import router as patient_router
from thighdx.web.pages.summary import router as summary_router

router = APIRouter(include_in_schema=False)
router.include_router(summary_router)
router.include_router(patient_router)
router.include_router(clinician_router)

__all__ = ["router"]
