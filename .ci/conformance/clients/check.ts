// Calls every GET operation through openapi-fetch typed by the openapi-typescript output
// (./schema.d.ts, generated from openapi/openapi.json). `tsc --strict --noEmit` proves the code
// below agrees with the spec's types (paths, parameters, response fields); running it proves the
// live service answers with those shapes (status, the fields read below, their runtime types).
//
// Run by clients.sh from .ci/out/ts/ (copied there beside schema.d.ts). BASE_URL: the service.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];
type Problem = Schemas["ProblemDetails"];

const BASE_URL = process.env.BASE_URL ?? "http://127.0.0.1:8080";
const client = createClient<paths>({ baseUrl: BASE_URL });

// Which path templates were called, to prove every GET operation of the spec was.
const covered = new Set<string>();
client.use({
  onRequest({ schemaPath }) {
    covered.add(schemaPath);
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
    checkProblem(label, error as Problem | undefined, expected);
    return undefined;
  }
  check(data !== undefined, `${label}: a body`);
  console.log(`  ok   ${label} -> ${response.status}`);
  return data;
}

function checkProblem(label: string, p: Problem | undefined, status: number): void {
  check(p !== undefined, `${label}: a problem body`);
  if (!p) return;
  check(isString(p.type) && isString(p.title) && isString(p.detail), `${label}: problem type/title/detail`);
  check(p.status === status, `${label}: problem status ${p.status} = ${status}`);
  if (status === 400) {
    const errors = p.errors ?? [];
    check(errors.length > 0 && errors.every((e) => isString(e.parameter) && isString(e.message)),
      `${label}: errors name their parameters`);
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

function checkExercise(label: string, e: Schemas["ExerciseView"]): void {
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
  check([reps, hold_seconds, duration_seconds].some((v) => typeof v === "number"),
    `${label}: exercise ${e.id} dose has reps, hold_seconds or duration_seconds`);
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

function checkRoutine(label: string, r: Schemas["RoutineDetail"], expanded: boolean): void {
  check(isString(r.id) && isString(r.name), `${label}: routine ${r.id} names`);
  check(isCount(r.estimated_duration_seconds), `${label}: routine ${r.id} duration`);
  check(r.items.length > 0, `${label}: routine ${r.id} has items`);
  for (const item of r.items) {
    check(isString(item.exercise_id), `${label}: item exercise_id`);
    if (expanded) {
      check(item.exercise !== undefined && item.exercise !== null && item.exercise.id === item.exercise_id,
        `${label}: item ${item.exercise_id} embeds its exercise`);
    }
  }
}

const MISSING = "no-such-id-zz9";

async function main(): Promise<void> {
  // /health
  const health = await call("GET /health", 200, () => client.GET("/health"));
  check(health?.status === "ok", "GET /health: status ok");

  // Exercises
  const exercises = await call("GET /v1/exercises", 200, () => client.GET("/v1/exercises", { params: { query: { limit: 100 } } }));
  if (exercises) {
    checkPage("GET /v1/exercises", exercises);
    exercises.data.forEach((e) => checkExercise("GET /v1/exercises", e));
  }
  const firstMuscle = exercises?.data[0]?.targets.primary[0] ?? "gluteals";
  const filtered = await call("GET /v1/exercises filtered", 200, () =>
    client.GET("/v1/exercises", { params: { query: { muscle: firstMuscle, sort: "-name", limit: 2, offset: 0 } } }),
  );
  if (filtered) checkPage("GET /v1/exercises filtered", filtered);
  await call("GET /v1/exercises limit=0", 400, () => client.GET("/v1/exercises", { params: { query: { limit: 0 } } }));
  const exerciseId = process.env.EXERCISE_ID && exercises?.data.some((e) => e.id === process.env.EXERCISE_ID)
    ? process.env.EXERCISE_ID
    : exercises?.data[0]?.id ?? "clamshells";
  const exercise = await call(`GET /v1/exercises/${exerciseId}`, 200, () =>
    client.GET("/v1/exercises/{id}", { params: { path: { id: exerciseId } } }),
  );
  if (exercise) {
    checkExercise("GET /v1/exercises/{id}", exercise);
    check(exercise.id === exerciseId, "GET /v1/exercises/{id}: the asked-for id");
  }
  await call("GET /v1/exercises/{id} unknown", 404, () => client.GET("/v1/exercises/{id}", { params: { path: { id: MISSING } } }));

  // Muscles
  const muscles = await call("GET /v1/muscles", 200, () => client.GET("/v1/muscles", { params: { query: { limit: 100 } } }));
  if (muscles) {
    checkPage("GET /v1/muscles", muscles);
    muscles.data.forEach((m) => checkMuscle("GET /v1/muscles", m));
  }
  await call("GET /v1/muscles kind=group", 200, () => client.GET("/v1/muscles", { params: { query: { kind: "group" } } }));
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
  await call("GET /v1/routines limit=101", 400, () => client.GET("/v1/routines", { params: { query: { limit: 101 } } }));
  const routineId = routines?.data[0]?.id ?? "knee-pain-5-best-exercises";
  const routine = await call(`GET /v1/routines/${routineId}`, 200, () =>
    client.GET("/v1/routines/{id}", { params: { path: { id: routineId } } }),
  );
  if (routine) checkRoutine("GET /v1/routines/{id}", routine, false);
  const expanded = await call(`GET /v1/routines/${routineId}?expand=exercises`, 200, () =>
    client.GET("/v1/routines/{id}", { params: { path: { id: routineId }, query: { expand: "exercises" } } }),
  );
  if (expanded) checkRoutine("GET /v1/routines/{id}?expand=exercises", expanded, true);
  await call("GET /v1/routines/{id} unknown", 404, () => client.GET("/v1/routines/{id}", { params: { path: { id: MISSING } } }));

  // Conditions
  const conditions = await call("GET /v1/conditions", 200, () => client.GET("/v1/conditions"));
  if (conditions) {
    checkPage("GET /v1/conditions", conditions);
    conditions.data.forEach((c) => checkCondition("GET /v1/conditions", c));
  }
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
  calls += 1;
  const first = await client.GET("/v1/exercises/{id}", { params: { path: { id: exerciseId } } });
  const etag = first.response.headers.get("etag");
  check(etag !== null, "GET /v1/exercises/{id}: an ETag");
  if (etag !== null) {
    calls += 1;
    const again = await client.GET("/v1/exercises/{id}", {
      params: { path: { id: exerciseId }, header: { "If-None-Match": etag } },
    });
    check(again.response.status === 304, `If-None-Match: ${etag} -> ${again.response.status}, expected 304`);
    console.log(`  ok   GET /v1/exercises/{id} If-None-Match -> ${again.response.status}`);
  }
}

/** Every GET operation of the served spec was called at least once. */
async function checkCoverage(): Promise<void> {
  const spec = (await (await fetch(`${BASE_URL}/openapi.json`)).json()) as {
    paths: Record<string, { get?: unknown }>;
  };
  for (const [path, item] of Object.entries(spec.paths)) {
    if (item.get !== undefined) check(covered.has(path), `GET ${path} was called`);
  }
  console.log(`  ok   ${covered.size} of ${Object.keys(spec.paths).length} paths called`);
}

main()
  .then(checkCoverage)
  .catch((e: unknown) => {
    failures.push(`unexpected error: ${e instanceof Error ? e.stack : String(e)}`);
    console.log(`  FAIL unexpected error: ${String(e)}`);
  })
  .finally(() => {
    console.log(`ts-client: ${calls} calls, ${passed} assertions passed, ${failures.length} failed`);
    console.log(`COUNTS ts calls=${calls} failed=${failures.length}`);
    console.log(`ts-client: ${passed} passed, ${failures.length} failed`);
    process.exitCode = failures.length === 0 ? 0 : 1;
  });
