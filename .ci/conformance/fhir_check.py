"""Validates the service's FHIR bodies with fhir.resources' R4B models.

Usage: fhir_check.py BASE_URL PATH... (paths under /v1, e.g. exercises/clamshells).
Every ActivityDefinition a PlanDefinition references is fetched and validated too.
"""

import json
import sys
import urllib.request

from fhir.resources.R4B.activitydefinition import ActivityDefinition
from fhir.resources.R4B.plandefinition import PlanDefinition

FHIR = "application/fhir+json"
MODELS = {"ActivityDefinition": ActivityDefinition, "PlanDefinition": PlanDefinition}


def fetch(base, path):
    req = urllib.request.Request(f"{base}/v1/{path}", headers={"Accept": FHIR})
    with urllib.request.urlopen(req, timeout=10) as res:
        ctype = res.headers.get("Content-Type", "")
        vary = res.headers.get("Vary", "")
        body = json.load(res)
    problems = []
    if ctype != FHIR:
        problems.append(f"Content-Type is {ctype!r}, not {FHIR}")
    if "Accept" not in [v.strip() for v in vary.split(",")]:
        problems.append(f"Vary ({vary!r}) does not name Accept")
    return body, problems


def validate(body):
    """The model's errors as strings (empty when valid)."""
    model = MODELS.get(body.get("resourceType"))
    if model is None:
        return [f"unexpected resourceType {body.get('resourceType')!r}"]
    try:
        model.model_validate(body)
    except Exception as e:  # pydantic.ValidationError and friends
        return [str(e)]
    return []


def main():
    base, paths = sys.argv[1], sys.argv[2:]
    passed = failed = 0
    queue = list(paths)
    seen = set()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        body, problems = fetch(base, path)
        problems += validate(body)
        if body.get("resourceType") == "PlanDefinition":
            for action in body.get("action", []):
                ref = action.get("definitionCanonical", "")
                if not ref.startswith("ActivityDefinition/"):
                    problems.append(f"action {action.get('id')} references {ref!r}")
                else:
                    queue.append("exercises/" + ref.split("/", 1)[1])
        for site in body.get("bodySite", []):
            for coding in site.get("coding", []):
                if coding.get("system") != "http://purl.org/sig/ont/fma" or not coding.get("code", "").isdigit():
                    problems.append(f"bodySite coding {coding} is not an FMA id")
        if problems:
            failed += 1
            print(f"FAIL {path}:\n  " + "\n  ".join(problems))
        else:
            passed += 1
            print(f"ok   {path} ({body['resourceType']})")
    # The validator must reject a broken body (no status, a bad enum value).
    broken = dict(body)
    broken.pop("status", None)
    broken["relatedArtifact"] = [{"type": "not-a-type"}]
    if not validate(broken):
        failed += 1
        print("FAIL the validator accepted a body without status and with a bad relatedArtifact.type")
    print(f"fhir: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
