# syntax=docker/dockerfile:1
#
# exercise-api container image.
#
#   docker build -t exercise-api:local .
#   docker run --rm -p 8080:8080 exercise-api:local
#
# Two stages: a full Rust toolchain compiles the binary, and only that binary is
# copied into a distroless runtime (glibc + libgcc, no shell, no package manager,
# runs as uid 65532). The catalogue is compiled into the binary, so the runtime
# stage needs no data files.

# ---------------------------------------------------------------------------
# Build stage
# ---------------------------------------------------------------------------
# Official Rust image, pinned by tag. Bookworm on purpose: the binary links
# against glibc 2.36, the same Debian 12 release the distroless runtime uses.
FROM rust:1.95-slim-bookworm AS build

WORKDIR /build

# 1. Dependencies only. The manifest and lockfile are copied with stub sources
#    and everything in Cargo.lock is compiled. This layer is reused until
#    Cargo.toml or Cargo.lock change, so editing src/ does not recompile the
#    ~200 dependency crates. (Plain layer caching, so it also works on builders
#    without BuildKit cache mounts, e.g. CI runners that only keep layers.)
COPY Cargo.toml Cargo.lock ./
RUN mkdir src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && cargo build --release --locked \
    && rm -rf src

# 2. The crate itself. openapi/description.md is pulled in by include_str!.
#    Removing the stub's fingerprints forces Cargo to rebuild the crate even if
#    the copied files carry older timestamps than the stub build's outputs.
COPY openapi ./openapi
COPY src ./src
RUN rm -rf target/release/.fingerprint/exercise-api-* \
    && cargo build --release --locked \
    && ./target/release/exercise-api --version

# ---------------------------------------------------------------------------
# Runtime stage
# ---------------------------------------------------------------------------
FROM gcr.io/distroless/cc-debian12:nonroot

# Set with --build-arg at release time; the defaults keep local builds simple.
ARG VERSION=0.1.0
ARG REVISION=unknown

LABEL org.opencontainers.image.title="exercise-api" \
      org.opencontainers.image.description="JSON REST API serving an exercise catalogue (exercises, muscles, routines, conditions) with OpenAPI docs" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="gcr.io/distroless/cc-debian12:nonroot"

COPY --from=build /build/target/release/exercise-api /usr/local/bin/exercise-api

# Inside a container the service must listen on all interfaces; logs go to
# stdout as one JSON object per line for the log collector.
ENV EXERCISE_API_BIND=0.0.0.0:8080 \
    EXERCISE_API_LOG_FORMAT=json

# The distroless "nonroot" user, written numerically (65532:65532) so that
# Kubernetes' runAsNonRoot can verify it without resolving a user name.
USER 65532:65532

EXPOSE 8080

# SIGTERM (the default stop signal) starts the service's graceful shutdown.
STOPSIGNAL SIGTERM

# There is no shell or curl in this image: the binary probes itself. Exec form
# is required. It GETs http://127.0.0.1:8080/health and exits 0 on a 200;
# EXERCISE_API_HEALTHCHECK_URL overrides the URL (e.g. when --bind changes the port).
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/exercise-api", "healthcheck"]

ENTRYPOINT ["/usr/local/bin/exercise-api"]
CMD ["serve"]
