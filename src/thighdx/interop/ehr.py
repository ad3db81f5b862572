"""Reading the patient from the EHR's FHIR server named in a CDS Hooks request (fhirpy)."""

from __future__ import annotations

from typing import Any

import structlog
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import BaseFHIRError

log = structlog.get_logger("thighdx.interop")
TIMEOUT_SECONDS = 5.0


def read_patient(fhir_server: str, patient_id: str, access_token: str | None = None) -> dict[str, Any] | None:
    """The Patient resource, or None when the server cannot be read (the card then goes without it)."""
    client = SyncFHIRClient(fhir_server, authorization=f"Bearer {access_token}" if access_token else None,
                            requests_config={"timeout": TIMEOUT_SECONDS, "allow_redirects": False})
    try:
        patient = client.reference("Patient", patient_id).to_resource()
    except (BaseFHIRError, OSError, ValueError) as error:
        log.warning("cds_fhir_server_unreadable", error=error.__class__.__name__)
        return None
    data = patient.serialize()
    return data if isinstance(data, dict) and data.get("resourceType") == "Patient" else None
