"""Assertions of .ci/import.sh: EMBEDDED_URL serves the embedded catalogue alone, LAYERED_URL
serves it with the free-exercise-db import layered over it.

Usage: import_check.py EMBEDDED_URL LAYERED_URL EXERCISES_JSON IMPORTED_JSON
"""

import json
import sys
import urllib.request

failures = []


def get(base, path):
    with urllib.request.urlopen(f"{base}{path}", timeout=30) as res:
        return res.read()


def get_json(base, path):
    return json.loads(get(base, path))


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def main():
    embedded_url, layered_url, data_path, imported_path = sys.argv[1:5]
    source = json.load(open(data_path))
    imported = json.load(open(imported_path))
    n_imported = len(imported["exercises"])
    embedded = get_json(embedded_url, "/v1/catalogue")
    layered = get_json(layered_url, "/v1/catalogue")
    n_embedded = embedded["counts"]["exercises"]

    # Counts: every source entry imported (none skipped), the layers add up.
    check(n_imported == len(source), f"imported {n_imported} of {len(source)} source exercises")
    check(layered["counts"]["exercises"] == n_embedded + n_imported,
          f"layered exercises {layered['counts']['exercises']} = {n_embedded} + {n_imported}")
    names = [l["name"] for l in layered["layers"]]
    check(len(names) == 2 and names[0] == "embedded" and names[1].endswith(".json"),
          f"/v1/catalogue lists the layers {names}")
    check(layered["layers"][1]["added"] >= n_imported, "the import layer added its exercises")
    sources = {s["id"] for s in layered["sources"]}
    check("free-exercise-db" in sources and "dynamic-pt-chicago" in sources,
          "sources of both layers are listed")

    # Search reaches both layers.
    hits = get_json(layered_url, "/v1/exercises?q=clamshells&limit=5")["data"]
    check(any(h["id"] == "clamshells" for h in hits), "search finds a seed exercise")
    hits = get_json(layered_url, "/v1/exercises?q=barbell+squat&limit=10")["data"]
    check(any(h["source"] == "free-exercise-db" for h in hits), "search finds imported exercises")
    hits = get_json(layered_url, "/v1/search?q=glute+med")
    check(len(hits["data"]) > 0, "/v1/search answers over the layered catalogue")

    # Filters reach both layers.
    quads = get_json(layered_url, "/v1/exercises?muscle=quadriceps&limit=100")
    sources_hit = {e["source"] for e in quads["data"]}
    total_embedded = get_json(embedded_url, "/v1/exercises?muscle=quadriceps&limit=1")["meta"]["total"]
    check(quads["meta"]["total"] > total_embedded, "muscle=quadriceps finds more exercises layered")
    offset, all_sources = 0, set()
    while True:
        page = get_json(layered_url, f"/v1/exercises?muscle=quadriceps&limit=100&offset={offset}")
        all_sources |= {e["source"] for e in page["data"]}
        offset += 100
        if offset >= page["meta"]["total"]:
            break
    check("free-exercise-db" in all_sources and len(all_sources) > 1,
          f"muscle=quadriceps reaches both layers ({sorted(all_sources)})")
    barbell = get_json(layered_url, "/v1/exercises?equipment=barbell&limit=1")["meta"]["total"]
    check(barbell > 0, f"equipment=barbell (added by the import) finds {barbell}")
    none = get_json(layered_url, "/v1/exercises?equipment=none&difficulty=beginner&limit=1")["meta"]["total"]
    none_embedded = get_json(embedded_url, "/v1/exercises?equipment=none&difficulty=beginner&limit=1")["meta"]["total"]
    check(none > none_embedded, "equipment=none&difficulty=beginner finds more layered")

    # The seed exercises are byte-identical to the embedded ones.
    ids, offset = [], 0
    while True:
        page = get_json(embedded_url, f"/v1/exercises?fields=id&limit=100&offset={offset}")
        ids += [e["id"] for e in page["data"]]
        offset += 100
        if offset >= page["meta"]["total"]:
            break
    differing = [i for i in ids if get(embedded_url, f"/v1/exercises/{i}") != get(layered_url, f"/v1/exercises/{i}")]
    check(not differing, f"{len(ids)} seed exercises byte-identical (differing: {differing[:5]})")
    for path in ["/v1/routines/knee-pain-5-best-exercises", "/v1/conditions/knee-pain"]:
        check(get(embedded_url, path) == get(layered_url, path), f"{path} byte-identical")

    print(f"import: {len(failures) == 0 and 'all' or 'not all'} checks passed ({len(failures)} failed)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
