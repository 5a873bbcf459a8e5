#!/usr/bin/env bash
# Validate docker-compose.yml (no Docker engine needed: `docker-compose config`
# only parses and resolves it). Installs Debian's docker-compose if missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/deploy/lib/common.sh"

ensure_packages docker-compose
# The compose file requires a database password from the environment; any
# value does for validation.
out="$(KVMPORTAL_PG_PASSWORD="${KVMPORTAL_PG_PASSWORD:-compose-check}" \
    docker-compose -f "$ROOT/docker-compose.yml" config -q 2>&1)" \
    || { printf '%s\n' "$out" >&2; die "docker-compose.yml is not valid"; }
[[ -z "$out" ]] || printf '%s\n' "$out" >&2
