// Calls every operation (every GET, and POST /v1/routines/generate) through openapi-fetch typed
// by the openapi-typescript output (./schema.d.ts, generated from openapi/openapi.json).
// `tsc --strict --noEmit` proves the code below agrees with the spec's types (paths, parameters
// and their allowed values, request and response bodies); running it proves the live service
// answers with those shapes (status, content type, the fields read below, their runtime types).
//
// Run by clients.sh from .ci/out/ts/ (copied there beside schema.d.ts). BASE_URL: the service.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];
type Problem = Schemas["ProblemDetails"];
type Exercise = Schemas["ExerciseView"];
type SparseExercise = Schemas["ExerciseFields"];
type Routine = Schemas["RoutineDetail"];

const BASE_URL = process.env.BASE_URL ?? "http://127.0.0.1:8080";
// Every list parameter of the spec is `style: form, explode: false` (`?muscle=a,b`), which
// openapi-fetch does not read from the spec: its default sends `muscle=a&muscle=b`.
const client = createClient<paths>({
  baseUrl: BASE_URL,
  querySerializer: { array: { style: "form", explode: false } },
});

// Which operations were called, to prove every operation of the spec was.
const covered = new Set<string>();
client.use({
  onRequest({ schemaPath, request }) {
    covered.add(`${request.method} ${schemaPath}`);
    return undefined;
  },
});

let calls = 0;
let passed = 0;
const failures: string[] = [];

function check(ok: boolean, what: string): void {
  if (ok) {
    passed += 1;
  } else {
    failures.push(what);
    console.log(`  FAIL ${what}`);
  }
}

function isString(v: unknown): v is string {
  return typeof v === "string";
}
function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every(isString);
}
function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

/** One typed call: counts it, checks the HTTP status, returns the typed body (or undefined). */
async function call<T>(
  label: string,
  expected: number,
  run: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T | undefined> {
  calls += 1;
  const { data, error, response } = await run();
  const ctype = (response.headers.get("content-type") ?? "").split(";")[0];
  const wantType = expected < 400 ? "application/json" : "application/problem+json";
  check(response.status === expected, `${label}: status ${response.status}, expected ${expected}`);
  check(ctype === wantType, `${label}: content-type ${ctype}, expected ${wantType}`);
  if (expected >= 400) {
    checkProblem(label, error as Problem | undefined, expected, response.headers.get("x-request-id"));
    return undefined;
  }
  check(data !== undefined, `${label}: a body`);
  console.log(`  ok   ${label} -> ${response.status}`);
  return data;
}

function checkProblem(label: string, p: Problem | undefined, status: number, requestId: string | null): void {
  check(p !== undefined, `${label}: a problem body`);
  if (!p) return;
  check(isString(p.type) && isString(p.title) && isString(p.detail), `${label}: problem type/title/detail`);
  check(p.status === status, `${label}: problem status ${p.status} = ${status}`);
  check(isString(p.request_id) && p.request_id === requestId,
    `${label}: problem request_id ${p.request_id} = X-Request-Id ${requestId}`);
  if (status === 400 || status === 422) {
    const errors = p.errors ?? [];
    check(errors.length > 0 && errors.every((e) => isString(e.message) && (isString(e.parameter) || isString(e.field))),
      `${label}: errors name their parameters or fields`);
  }
  console.log(`  ok   ${label} -> ${status} problem`);
}

function checkPage(label: string, page: { meta: Schemas["PageMeta"]; links: Schemas["PageLinks"]; data: unknown[] }): void {
  const { total, limit, offset } = page.meta;
  check(isCount(total) && isCount(limit) && isCount(offset), `${label}: meta counts`);
  check(page.data.length <= limit, `${label}: page within limit`);
  check(isString(page.links.self), `${label}: links.self`);
  check(page.links.next === null || page.links.next === undefined || isString(page.links.next), `${label}: links.next`);
}

/** A whole exercise, as served without `fields` (the list and single responses are a union). */
function isWhole(e: Exercise | SparseExercise): e is Exercise {
  const w = e as Partial<Exercise>;
  return isString(w.name) && isString(w.description) && Array.isArray(w.steps) && w.targets !== undefined &&
    w.dose !== undefined && Array.isArray(w.regions);
}

function checkExercise(label: string, whole: Exercise | SparseExercise): void {
  check(isWhole(whole), `${label}: exercise ${whole.id} is whole`);
  if (!isWhole(whole)) return;
  const e: Exercise = whole;
  check(isString(e.id) && isString(e.name) && isString(e.purpose) && isString(e.description), `${label}: exercise ${e.id} text fields`);
  check(isStringArray(e.aliases) && isStringArray(e.steps) && isStringArray(e.equipment), `${label}: exercise ${e.id} lists`);
  check(isStringArray(e.targets.primary) && isStringArray(e.targets.secondary), `${label}: exercise ${e.id} targets`);
  const difficulty: Schemas["Difficulty"] = e.difficulty;
  const laterality: Schemas["Laterality"] = e.laterality;
  check(["beginner", "intermediate", "advanced"].includes(difficulty), `${label}: difficulty ${difficulty}`);
  check(["unilateral", "bilateral", "alternating"].includes(laterality), `${label}: laterality ${laterality}`);
  check(Array.isArray(e.regions), `${label}: exercise ${e.id} regions`);
  const { sets, reps, hold_seconds, duration_seconds } = e.dose;
  const optionalCount = (v: number | null | undefined): boolean => v === undefined || v === null || isCount(v);
  check(optionalCount(sets) && optionalCount(reps) && optionalCount(hold_seconds) && optionalCount(duration_seconds),
    `${label}: exercise ${e.id} dose numbers`);
  // A dose in parts (the Alfredson protocol) gives its work in each part.
  const parts = (e.dose as { parts?: unknown[] }).parts ?? [];
  check([reps, hold_seconds, duration_seconds].some((v) => typeof v === "number") || parts.length > 0,
    `${label}: exercise ${e.id} dose has reps, hold_seconds or duration_seconds`);
}

/** A sparse exercise: `id` and nothing beyond the fields asked for. */
function checkSparse(label: string, e: Exercise | SparseExercise, fields: readonly string[]): void {
  const allowed = new Set(["id", ...fields]);
  const extra = Object.keys(e).filter((k) => !allowed.has(k));
  check(isString(e.id) && extra.length === 0, `${label}: ${e.id} has only ${[...allowed].join(",")} (extra: ${extra.join(",")})`);
}

function checkMuscle(label: string, m: Schemas["MuscleView"]): void {
  const kind: Schemas["MuscleKind"] = m.kind;
  check(isString(m.id) && isString(m.name) && isString(m.common_name), `${label}: muscle ${m.id} names`);
  check(kind === "muscle" || kind === "group", `${label}: muscle kind ${kind}`);
  check(isStringArray(m.groups) && isStringArray(m.members), `${label}: muscle ${m.id} groups/members`);
  check(isCount(m.exercise_count), `${label}: muscle ${m.id} exercise_count`);
}

function checkCondition(label: string, c: Schemas["ConditionView"]): void {
  check(isString(c.id) && isString(c.name) && isString(c.description), `${label}: condition ${c.id} text`);
  check(isStringArray(c.causes) && isStringArray(c.exercises) && isStringArray(c.routines), `${label}: condition ${c.id} lists`);
}

function checkRoutine(label: string, r: Schemas["RoutineDetail"], expanded: boolean, generated = false): void {
  check(isString(r.id) && isString(r.name), `${label}: routine ${r.id} names`);
  check(isCount(r.estimated_duration_seconds), `${label}: routine ${r.id} duration`);
  check(r.items.length > 0, `${label}: routine ${r.id} has items`);
  r.items.forEach((item, i) => {
    check(isString(item.exercise_id), `${label}: item exercise_id`);
    check(item.position === i + 1, `${label}: item ${item.exercise_id} at position ${item.position}`);
    if (expanded) {
      check(item.exercise !== undefined && item.exercise !== null && item.exercise.id === item.exercise_id,
        `${label}: item ${item.exercise_id} embeds its exercise`);
    }
    if (generated) {
      check(isString(item.reason) && item.reason.length > 0, `${label}: item ${item.exercise_id} says why`);
    }
  });
}

const MISSING = "no-such-id-zz9";
const RANK: Record<Schemas["Difficulty"], number> = { beginner: 0, intermediate: 1, advanced: 2 };

async function main(): Promise<void> {
  // Health and readiness
  const health = await call("GET /health", 200, () => client.GET("/health"));
  check(health?.status === "ok", "GET /health: status ok");
  const ready = await call("GET /ready", 200, () => client.GET("/ready"));
  check(isString(ready?.status), "GET /ready: a status");

  // Exercises
  const exercises = await call("GET /v1/exercises", 200, () => client.GET("/v1/exercises", { params: { query: { limit: 100 } } }));
  if (exercises) {
    checkPage("GET /v1/exercises", exercises);
    exercises.data.forEach((e) => checkExercise("GET /v1/exercises", e));
  }
  const byId = new Map<string, Exercise>();
  for (const e of exercises?.data ?? []) if (isWhole(e)) byId.set(e.id, e);

  // Two values in one list parameter: sent as `muscle=gluteus-medius,gluteals`.
  const filtered = await call("GET /v1/exercises muscle=a,b sort=-name", 200, () =>
    client.GET("/v1/exercises", { params: { query: { muscle: ["gluteus-medius", "gluteals"], sort: "-name", limit: 2, offset: 0 } } }),
  );
  if (filtered) {
    checkPage("GET /v1/exercises filtered", filtered);
    check(filtered.meta.total > 0, "GET /v1/exercises muscle=a,b: items");
    filtered.data.forEach((e) => checkExercise("GET /v1/exercises filtered", e));
  }
  const atHand = ["resistance-band", "foam-roller"] as const;
  const narrowed = await call("GET /v1/exercises available_equipment, max_difficulty, region, exclude", 200, () =>
    client.GET("/v1/exercises", {
      params: {
        query: {
          available_equipment: [...atHand],
          max_difficulty: "intermediate",
          region: ["hip", "thigh"],
          exclude: ["clamshells"],
          limit: 100,
        },
      },
    }),
  );
  if (narrowed) {
    checkPage("GET /v1/exercises narrowed", narrowed);
    check(narrowed.data.length > 0, "GET /v1/exercises narrowed: items");
    for (const item of narrowed.data) {
      checkExercise("GET /v1/exercises narrowed", item);
      if (!isWhole(item)) continue;
      check(item.id !== "clamshells", "GET /v1/exercises narrowed: clamshells excluded");
      check(RANK[item.difficulty] <= RANK.intermediate, `GET /v1/exercises narrowed: ${item.id} is ${item.difficulty}`);
      check(item.equipment.every((q) => q === "none" || (atHand as readonly string[]).includes(q)),
        `GET /v1/exercises narrowed: ${item.id} needs ${item.equipment.join(",")}`);
      check((item.regions ?? []).some((r) => r === "hip" || r === "thigh"), `GET /v1/exercises narrowed: ${item.id} in hip or thigh`);
    }
  }
  const fields = ["name", "difficulty"] as const;
  const sparse = await call("GET /v1/exercises fields=name,difficulty", 200, () =>
    client.GET("/v1/exercises", { params: { query: { fields: [...fields], q: "glute", limit: 5 } } }),
  );
  if (sparse) {
    checkPage("GET /v1/exercises fields", sparse);
    check(sparse.data.length > 0, "GET /v1/exercises fields: items");
    sparse.data.forEach((e) => checkSparse("GET /v1/exercises fields", e, fields));
  }
  await call("GET /v1/exercises limit=0", 400, () => client.GET("/v1/exercises", { params: { query: { limit: 0 } } }));
  const exerciseId = process.env.EXERCISE_ID && byId.has(process.env.EXERCISE_ID)
    ? process.env.EXERCISE_ID
    : exercises?.data[0]?.id ?? "clamshells";
  // The JSON representation (the operation also answers FHIR, by Accept).
  const exercise = (await call(`GET /v1/exercises/${exerciseId}`, 200, () =>
    client.GET("/v1/exercises/{id}", { params: { path: { id: exerciseId } } }),
  )) as Exercise | undefined;
  if (exercise) {
    checkExercise("GET /v1/exercises/{id}", exercise);
    check(exercise.id === exerciseId, "GET /v1/exercises/{id}: the asked-for id");
  }
  const oneSparse = (await call(`GET /v1/exercises/${exerciseId}?fields=steps`, 200, () =>
    client.GET("/v1/exercises/{id}", { params: { path: { id: exerciseId }, query: { fields: ["steps"] } } }),
  )) as SparseExercise | undefined;
  if (oneSparse) {
    checkSparse("GET /v1/exercises/{id}?fields=steps", oneSparse, ["steps"]);
    check(isStringArray(oneSparse.steps) && oneSparse.steps.length > 0, "GET /v1/exercises/{id}?fields=steps: steps");
  }
  await call("GET /v1/exercises/{id} unknown", 404, () => client.GET("/v1/exercises/{id}", { params: { path: { id: MISSING } } }));

  // Alternatives
  const alternatives = await call(`GET /v1/exercises/${exerciseId}/alternatives`, 200, () =>
    client.GET("/v1/exercises/{id}/alternatives", {
      params: { path: { id: exerciseId }, query: { available_equipment: ["none", "resistance-band"], max_difficulty: "intermediate", limit: 5 } },
    }),
  );
  if (alternatives) {
    check(alternatives.exercise_id === exerciseId, "GET /v1/exercises/{id}/alternatives: exercise_id");
    check(alternatives.data.length > 0 && alternatives.data.length <= 5, `GET /v1/exercises/{id}/alternatives: ${alternatives.data.length} items`);
    let last = Infinity;
    for (const a of alternatives.data) {
      const difficulty: Schemas["Difficulty"] = a.difficulty;
      check(a.id !== exerciseId, `alternatives: ${a.id} is not the exercise itself`);
      check(a.score >= 0 && a.score <= 1 && a.score <= last, `alternatives: ${a.id} score ${a.score} in 0..1, best first`);
      last = a.score;
      check(isString(a.reason) && a.reason.length > 0 && isStringArray(a.shared_targets), `alternatives: ${a.id} reason, shared_targets`);
      check(RANK[difficulty] <= RANK.intermediate, `alternatives: ${a.id} is ${difficulty}`);
      check(a.equipment.every((q) => q === "none" || q === "resistance-band"), `alternatives: ${a.id} needs ${a.equipment.join(",")}`);
    }
  }
  await call("GET /v1/exercises/{id}/alternatives limit=101", 400, () =>
    client.GET("/v1/exercises/{id}/alternatives", { params: { path: { id: exerciseId }, query: { limit: 101 } } }),
  );
  await call("GET /v1/exercises/{id}/alternatives unknown", 404, () =>
    client.GET("/v1/exercises/{id}/alternatives", { params: { path: { id: MISSING } } }),
  );

  // Search and suggestions
  const hits = await call("GET /v1/search q=glute med type=exercise,muscle", 200, () =>
    client.GET("/v1/search", { params: { query: { q: "glute med", type: ["exercise", "muscle"], limit: 10 } } }),
  );
  if (hits) {
    checkPage("GET /v1/search", hits);
    check(hits.data.length > 0, "GET /v1/search: hits");
    const plural: Record<Schemas["ResourceKind"], string> = { exercise: "exercises", muscle: "muscles", routine: "routines", condition: "conditions" };
    let last = Infinity;
    for (const h of hits.data) {
      const kind: Schemas["ResourceKind"] = h.type;
      check(kind === "exercise" || kind === "muscle", `GET /v1/search: hit type ${kind} was asked for`);
      check(h.href === `/v1/${plural[kind]}/${h.id}`, `GET /v1/search: href ${h.href}`);
      check(typeof h.score === "number" && h.score <= last, `GET /v1/search: ${h.id} score ${h.score}, best first`);
      last = h.score;
      check(isString(h.name) && isString(h.matched_field), `GET /v1/search: ${h.id} name and matched_field`);
    }
    check(hits.data.some((h) => h.id === "gluteus-medius"), "GET /v1/search q=glute med: finds gluteus-medius");
  }
  await call("GET /v1/search without q", 400, () =>
    // @ts-expect-error -- q is required: the types must say so (and the service must reject it).
    client.GET("/v1/search", { params: { query: { limit: 5 } } }),
  );
  await call("GET /v1/search limit=101", 400, () => client.GET("/v1/search", { params: { query: { q: "knee", limit: 101 } } }));
  const suggestions = await call("GET /v1/search/suggest q=glu", 200, () =>
    client.GET("/v1/search/suggest", { params: { query: { q: "glu", limit: 5 } } }),
  );
  if (suggestions) {
    check(suggestions.data.length > 0 && suggestions.data.length <= 5, `GET /v1/search/suggest: ${suggestions.data.length} items`);
    for (const s of suggestions.data) {
      const kind: Schemas["ResourceKind"] = s.type;
      check(isString(s.text) && isString(s.id) && s.href.endsWith(`/${s.id}`), `GET /v1/search/suggest: ${kind} ${s.id}`);
    }
  }
  await call("GET /v1/search/suggest limit=11", 400, () =>
    client.GET("/v1/search/suggest", { params: { query: { q: "glu", limit: 11 } } }),
  );

  // Muscles
  const muscles = await call("GET /v1/muscles", 200, () => client.GET("/v1/muscles", { params: { query: { limit: 100 } } }));
  if (muscles) {
    checkPage("GET /v1/muscles", muscles);
    muscles.data.forEach((m) => checkMuscle("GET /v1/muscles", m));
  }
  await call("GET /v1/muscles kind=group region=hip,thigh", 200, () =>
    client.GET("/v1/muscles", { params: { query: { kind: "group", region: ["hip", "thigh"] } } }),
  );
  await call("GET /v1/muscles limit=0", 400, () => client.GET("/v1/muscles", { params: { query: { limit: 0 } } }));
  const group = muscles?.data.find((m) => m.kind === "group") ?? muscles?.data[0];
  const muscleId = group?.id ?? "gluteals";
  const muscle = await call(`GET /v1/muscles/${muscleId}`, 200, () =>
    client.GET("/v1/muscles/{id}", { params: { path: { id: muscleId } } }),
  );
  if (muscle) checkMuscle("GET /v1/muscles/{id}", muscle);
  await call("GET /v1/muscles/{id} unknown", 404, () => client.GET("/v1/muscles/{id}", { params: { path: { id: MISSING } } }));
  const byMuscle = await call(`GET /v1/muscles/${muscleId}/exercises`, 200, () =>
    client.GET("/v1/muscles/{id}/exercises", { params: { path: { id: muscleId }, query: { limit: 100 } } }),
  );
  if (byMuscle) {
    checkPage("GET /v1/muscles/{id}/exercises", byMuscle);
    byMuscle.data.forEach((e) => checkExercise("GET /v1/muscles/{id}/exercises", e));
  }
  await call("GET /v1/muscles/{id}/exercises unknown", 404, () =>
    client.GET("/v1/muscles/{id}/exercises", { params: { path: { id: MISSING } } }),
  );

  // Routines
  const routines = await call("GET /v1/routines", 200, () => client.GET("/v1/routines"));
  if (routines) {
    checkPage("GET /v1/routines", routines);
    routines.data.forEach((r) => checkRoutine("GET /v1/routines", r, false));
  }
  const routinesQ = await call("GET /v1/routines q=knee condition=knee-pain", 200, () =>
    client.GET("/v1/routines", { params: { query: { q: "knee", condition: ["knee-pain"] } } }),
  );
  if (routinesQ) check(routinesQ.data.length > 0, "GET /v1/routines q=knee: items");
  await call("GET /v1/routines limit=101", 400, () => client.GET("/v1/routines", { params: { query: { limit: 101 } } }));
  const routineId = routines?.data[0]?.id ?? "knee-pain-5-best-exercises";
  const routine = (await call(`GET /v1/routines/${routineId}`, 200, () =>
    client.GET("/v1/routines/{id}", { params: { path: { id: routineId } } }),
  )) as Routine | undefined;
  if (routine) checkRoutine("GET /v1/routines/{id}", routine, false);
  const expanded = (await call(`GET /v1/routines/${routineId}?expand=exercises`, 200, () =>
    client.GET("/v1/routines/{id}", { params: { path: { id: routineId }, query: { expand: ["exercises"] } } }),
  )) as Routine | undefined;
  if (expanded) checkRoutine("GET /v1/routines/{id}?expand=exercises", expanded, true);
  await call("GET /v1/routines/{id} unknown", 404, () => client.GET("/v1/routines/{id}", { params: { path: { id: MISSING } } }));

  // Generated routines
  const request: Schemas["GenerateRoutineRequest"] = {
    conditions: ["knee-pain"],
    available_equipment: ["resistance-band"],
    difficulty: "intermediate",
    exclude: ["clamshells"],
    minutes: 20,
  };
  const made = await call("POST /v1/routines/generate", 200, () => client.POST("/v1/routines/generate", { body: request }));
  if (made) {
    checkRoutine("POST /v1/routines/generate", made, false, true);
    check(made.estimated_duration_minutes <= 20, `POST /v1/routines/generate: ${made.estimated_duration_minutes} min within 20`);
    check(made.conditions.length === 1 && made.conditions[0] === "knee-pain", "POST /v1/routines/generate: conditions");
    for (const item of made.items) {
      check(item.exercise_id !== "clamshells", "POST /v1/routines/generate: clamshells excluded");
      // The catalogue has more exercises than one page: look the item up when it is not there.
      if (!byId.has(item.exercise_id)) {
        const got = await client.GET("/v1/exercises/{id}", { params: { path: { id: item.exercise_id } } });
        if (got.data && isWhole(got.data as Exercise)) byId.set(item.exercise_id, got.data as Exercise);
      }
      const e = byId.get(item.exercise_id);
      check(e !== undefined, `POST /v1/routines/generate: ${item.exercise_id} is in the catalogue`);
      if (e) {
        check(RANK[e.difficulty] <= RANK.intermediate, `POST /v1/routines/generate: ${e.id} is ${e.difficulty}`);
        check(e.equipment.every((q) => q === "none" || q === "resistance-band"), `POST /v1/routines/generate: ${e.id} needs ${e.equipment.join(",")}`);
      }
    }
    const again = await call("POST /v1/routines/generate (same body)", 200, () => client.POST("/v1/routines/generate", { body: request }));
    check(JSON.stringify(again) === JSON.stringify(made), "POST /v1/routines/generate: the same body gives the same routine");
  }
  await call("POST /v1/routines/generate minutes=2", 422, () =>
    client.POST("/v1/routines/generate", { body: { muscles: ["gluteus-medius"], minutes: 2 } }),
  );

  // Conditions
  const conditions = await call("GET /v1/conditions", 200, () => client.GET("/v1/conditions"));
  if (conditions) {
    checkPage("GET /v1/conditions", conditions);
    conditions.data.forEach((c) => checkCondition("GET /v1/conditions", c));
  }
  const conditionsQ = await call("GET /v1/conditions q=ITBS", 200, () => client.GET("/v1/conditions", { params: { query: { q: "ITBS" } } }));
  if (conditionsQ) check(conditionsQ.data.some((c) => c.id === "it-band-syndrome"), "GET /v1/conditions q=ITBS: finds it-band-syndrome");
  const conditionId = conditions?.data[0]?.id ?? "knee-pain";
  const condition = await call(`GET /v1/conditions/${conditionId}`, 200, () =>
    client.GET("/v1/conditions/{id}", { params: { path: { id: conditionId } } }),
  );
  if (condition) checkCondition("GET /v1/conditions/{id}", condition);
  await call("GET /v1/conditions/{id} unknown", 404, () => client.GET("/v1/conditions/{id}", { params: { path: { id: MISSING } } }));

  // Vocabularies and sources
  const equipment = await call("GET /v1/equipment", 200, () => client.GET("/v1/equipment"));
  if (equipment) {
    check(equipment.data.length > 0, "GET /v1/equipment: items");
    for (const e of equipment.data) {
      check(isString(e.id) && isString(e.name) && isCount(e.exercise_count), `GET /v1/equipment: ${e.id}`);
    }
  }
  const sources = await call("GET /v1/sources", 200, () => client.GET("/v1/sources"));
  if (sources) {
    for (const s of sources.data) {
      check(isString(s.id) && isString(s.name) && isString(s.url) && isString(s.usage), `GET /v1/sources: ${s.id}`);
    }
  }
  const sourceId = sources?.data[0]?.id ?? "dynamic-pt-chicago";
  const source = await call(`GET /v1/sources/${sourceId}`, 200, () =>
    client.GET("/v1/sources/{id}", { params: { path: { id: sourceId } } }),
  );
  check(source?.id === sourceId, "GET /v1/sources/{id}: the asked-for id");
  await call("GET /v1/sources/{id} unknown", 404, () => client.GET("/v1/sources/{id}", { params: { path: { id: MISSING } } }));

  // The catalogue as a whole
  const languages = await call("GET /v1/languages", 200, () => client.GET("/v1/languages"));
  if (languages) check(languages.data.some((l) => l.tag === "es"), "GET /v1/languages: Spanish");
  const info = await call("GET /v1/catalogue", 200, () => client.GET("/v1/catalogue"));
  if (info) {
    const counts: Schemas["CatalogueCounts"] = info.counts;
    check(isString(info.version) && info.version.length > 0, "GET /v1/catalogue: version");
    check(typeof info.embedded === "boolean", "GET /v1/catalogue: embedded");
    check(counts.exercises === exercises?.meta.total, `GET /v1/catalogue: ${counts.exercises} exercises = the list's total`);
    check(counts.muscles === muscles?.meta.total, `GET /v1/catalogue: ${counts.muscles} muscles = the list's total`);
    check(counts.routines === routines?.meta.total, "GET /v1/catalogue: routines = the list's total");
    check(counts.conditions === conditions?.meta.total, "GET /v1/catalogue: conditions = the list's total");
  }
  const doc = await call("GET /v1/catalogue/export", 200, () => client.GET("/v1/catalogue/export"));
  if (doc) {
    const ids: string[] = doc.exercises.map((e) => e.id);
    check(ids.length === exercises?.meta.total, `GET /v1/catalogue/export: ${ids.length} exercises`);
    check(doc.routines.every((r) => r.items.every((i) => ids.includes(i.exercise))),
      "GET /v1/catalogue/export: routine items name exported exercises");
  }

  // Conditional GET: the ETag of a response, sent back, gets a 304 with no body.
  for (const [label, get] of [
    ["GET /v1/exercises/{id}", (inm?: string) =>
      client.GET("/v1/exercises/{id}", { params: { path: { id: exerciseId }, header: inm === undefined ? {} : { "If-None-Match": inm } } })],
    ["GET /v1/search", (inm?: string) =>
      client.GET("/v1/search", { params: { query: { q: "knee" }, header: inm === undefined ? {} : { "If-None-Match": inm } } })],
  ] as const) {
    calls += 1;
    const first = await get();
    const etag = first.response.headers.get("etag");
    check(etag !== null, `${label}: an ETag`);
    if (etag !== null) {
      calls += 1;
      const again = await get(etag);
      check(again.response.status === 304, `${label} If-None-Match: ${etag} -> ${again.response.status}, expected 304`);
      check((await again.response.text()) === "", `${label} 304: no body`);
      console.log(`  ok   ${label} If-None-Match -> ${again.response.status}`);
    }
  }
}

/** Body maps: SVG by default, PNG by the `.png` path or `Accept: image/png`; read as bytes. */
async function checkMaps(exerciseId: string): Promise<void> {
  const image = async (
    label: string,
    wantType: "image/svg+xml" | "image/png",
    run: () => Promise<{ response: Response }>,
  ): Promise<void> => {
    calls += 1;
    const { response } = await run();
    const ctype = (response.headers.get("content-type") ?? "").split(";")[0];
    check(response.status === 200, `${label}: status ${response.status}, expected 200`);
    check(ctype === wantType, `${label}: content-type ${ctype}, expected ${wantType}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (wantType === "image/png") {
      check(bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47, `${label}: PNG signature`);
    } else {
      check(new TextDecoder().decode(bytes).startsWith("<svg"), `${label}: an SVG document`);
    }
    console.log(`  ok   ${label} -> ${response.status} ${ctype}, ${bytes.length} bytes`);
  };
  await image("GET /v1/exercises/{id}/map", "image/svg+xml", () =>
    client.GET("/v1/exercises/{id}/map", {
      params: { path: { id: exerciseId }, query: { view: "back", theme: "dark" } },
      parseAs: "stream",
    }));
  await image("GET /v1/exercises/{id}/map.{format}", "image/png", () =>
    client.GET("/v1/exercises/{id}/map.{format}", {
      params: { path: { id: exerciseId, format: "png" }, query: { width: 200 } },
      parseAs: "stream",
    }));
  await image("GET /v1/muscles/{id}/map Accept: image/png", "image/png", () =>
    client.GET("/v1/muscles/{id}/map", {
      params: { path: { id: "gluteals" } },
      headers: { Accept: "image/png" },
      parseAs: "stream",
    }));
  await image("GET /v1/muscles/{id}/map.{format}", "image/svg+xml", () =>
    client.GET("/v1/muscles/{id}/map.{format}", {
      params: { path: { id: "gluteals", format: "svg" }, query: { view: "front" } },
      parseAs: "stream",
    }));
  await image("GET /v1/maps", "image/svg+xml", () =>
    client.GET("/v1/maps", {
      params: { query: { primary: ["gluteus-medius"], secondary: ["hamstrings", "calf"] } },
      parseAs: "stream",
    }));
}

/** Every operation of the served spec was called at least once. */
async function checkCoverage(): Promise<void> {
  const spec = (await (await fetch(`${BASE_URL}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  let operations = 0;
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of ["get", "post", "put", "patch", "delete"]) {
      if (item[method] === undefined) continue;
      operations += 1;
      check(covered.has(`${method.toUpperCase()} ${path}`), `${method.toUpperCase()} ${path} was called`);
    }
  }
  console.log(`  ok   ${covered.size} of ${operations} operations called`);
}

main()
  .then(() => checkMaps("clamshells"))
  .then(checkCoverage)
  .catch((e: unknown) => {
    failures.push(`unexpected error: ${e instanceof Error ? e.stack : String(e)}`);
    console.log(`  FAIL unexpected error: ${String(e)}`);
  })
  .finally(() => {
    console.log(`ts-client: ${calls} calls, ${passed} assertions passed, ${failures.length} failed`);
    console.log(`COUNTS ts calls=${calls} assertions=${passed} failed=${failures.length}`);
    console.log(`ts-client: ${passed} passed, ${failures.length} failed`);
    process.exitCode = failures.length === 0 ? 0 : 1;
  });
