#!/usr/bin/env bash
# Captures what danihodovic/celery-exporter really exposes for a Stock Tracker-like Celery setup,
# and writes the normalised expositions to __tests__/fixtures/celery-exporter/{events-off,events-on}.prom.
#
# Run (from the repository root, as any user):
#   bash tools/capture/celery-exporter.sh <celery-exporter checkout at v0.12.2>
# e.g. a tree made with: git -C <celery-exporter git dir> archive v0.12.2 | tar -x -C /tmp/ce
#
# Needs: Debian packages redis-server, python3-celery, python3-flask, python3-waitress,
# python3-loguru, python3-click, python3-prometheus-client, python3-redis, and curl.
# Everything runs under /usr/bin/python3 (the Debian interpreter that has those packages).
# celery-exporter imports `pretty_errors`, which Debian lacks: an empty stand-in module is
# put on PYTHONPATH. Nothing of the exporter is copied; it is run from the given checkout.
#
# What it does:
#   1. starts redis-server on a free 127.0.0.1 port (no persistence);
#   2. writes a minimal Celery app of its own into a temp dir, module stock_tracker.workers.celery_app,
#      with Stock Tracker's app name, task names, routes and queues (broker db 0, results db 1):
#        sync_tenant_products(mode) -> queue sync, max_retries=3: "ok" succeeds, "retry" retries once
#          (self.retry, countdown 0.1 s) then succeeds, "fail" retries until exhausted, then ValueError;
#        health_check, cleanup_old_logs -> queue maintenance (no worker consumes it);
#        schedule_tenant_syncs -> default queue "default";
#   3. for each phase, on an emptied Redis: starts celery-exporter with the flags Stock Tracker uses
#      (--broker-url=redis://.../0) plus -Q sync,default,maintenance, and the worker exactly as the real
#      compose file runs it: `celery -A stock_tracker.workers.celery_app worker --loglevel=info
#      --concurrency=4 --queues=sync,default`, phase "events-off" as is, phase "events-on" with -E;
#      sends 3 ok + 1 fail + 1 retry syncs, 1 schedule_tenant_syncs and 1 health_check, waits for the
#      results and 6 s more (3 worker heartbeats), scrapes /metrics, stops the worker (SIGTERM) and exporter.
#
# Normalisation (so that a re-run gives byte-identical files):
#   - `# HELP` lines dropped, `# TYPE` lines kept, families in exposition order, samples sorted
#     within each family (by series name, then labels, histogram buckets by numeric `le`);
#   - a label value equal to this machine's hostname becomes "worker-host";
#   - every `_created` sample value becomes 0;
#   - histogram `_sum` and finite-`le` `_bucket` values become the placeholder NaN (timing-dependent);
#     the `le="+Inf"` bucket and `_count` are kept (they count tasks, deterministic);
#   - all other values (counters, gauges) are kept as scraped: with the waits above they were
#     identical across runs (celery_worker_tasks_active is 0 once the tasks are done).
# Each file starts with a comment naming the celery-exporter and Celery versions and the worker command.
set -euo pipefail
src="$(cd "${1:?usage: bash tools/capture/celery-exporter.sh <celery-exporter checkout at v0.12.2>}" && pwd)"
[ -f "$src/cli.py" ] && [ -f "$src/src/exporter.py" ] || { echo "not a celery-exporter checkout: $src" >&2; exit 2; }
out="$(cd "$(dirname "$0")/../.." && pwd)/__tests__/fixtures/celery-exporter"
PY=/usr/bin/python3
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # seconds description command...: retry command every 0.2 s, fail after the bound
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "timed out waiting for $what" >&2; exit 1; }
    sleep 0.2
  done
}
stop() { # pid: SIGTERM, then wait up to 20 s
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  echo "pid $1 did not stop after SIGTERM" >&2; exit 1
}

# --- Redis ------------------------------------------------------------------------------------
rport=$(port)
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 & pids+=($!)
wait_for 10 redis redis-cli -p "$rport" ping
export CAPTURE_REDIS="redis://127.0.0.1:$rport"

# --- The minimal Celery app (names and routes as in Stock Tracker; bodies are stand-ins) ------------
mkdir -p "$work/app/stock_tracker/workers" "$work/shim"
touch "$work/shim/pretty_errors.py" "$work/app/stock_tracker/__init__.py" "$work/app/stock_tracker/workers/__init__.py"
cat >"$work/app/stock_tracker/workers/celery_app.py" <<'PY'
import os
from celery import Celery
from kombu import Queue

url = os.environ["CAPTURE_REDIS"]
celery_app = Celery("stock_tracker", broker=url + "/0", backend=url + "/1",
                    include=["stock_tracker.workers.tasks"])
celery_app.conf.update(
    task_routes={f"stock_tracker.workers.tasks.{name}": {"queue": queue} for name, queue in (
        ("sync_tenant_products", "sync"), ("cleanup_old_logs", "maintenance"), ("health_check", "maintenance"))},
    task_queues=[Queue(q, routing_key=q) for q in ("sync", "maintenance", "default")],
    task_default_queue="default", task_default_routing_key="default",
    task_acks_late=True, worker_prefetch_multiplier=1, accept_content=["json"],
)
PY
cat >"$work/app/stock_tracker/workers/tasks.py" <<'PY'
from .celery_app import celery_app as app

@app.task(bind=True, max_retries=3)
def sync_tenant_products(self, mode):
    if mode == "fail" or (mode == "retry" and self.request.retries == 0):
        raise self.retry(exc=ValueError(f"capture: {mode}"), countdown=0.1)
    return mode

@app.task
def cleanup_old_logs(days=30):
    return days

@app.task
def health_check():
    return "ok"

@app.task
def schedule_tenant_syncs():
    return 0
PY
cat >"$work/app/send.py" <<'PY'
from stock_tracker.workers import tasks
results = [tasks.sync_tenant_products.delay(m) for m in ("ok", "ok", "ok", "fail", "retry")]
results.append(tasks.schedule_tenant_syncs.delay())
tasks.health_check.delay()  # lands on "maintenance", which no worker consumes
for r in results:
    r.get(timeout=60, propagate=False)
PY

worker_cmd="celery -A stock_tracker.workers.celery_app worker --loglevel=info --concurrency=4 --queues=sync,default"
ce_version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$src/pyproject.toml" | head -1)
celery_version=$($PY -c 'import celery; print(celery.__version__)')
host=$($PY -c 'import socket; print(socket.gethostname())')
mkdir -p "$out"

capture() { # phase extra-worker-flags...
  local phase=$1; shift
  redis-cli -p "$rport" flushall >/dev/null
  local eport; eport=$(port)
  (cd "$src" && PYTHONPATH="$work/shim" exec $PY cli.py --broker-url="$CAPTURE_REDIS/0" \
     -Q sync,default,maintenance --host 127.0.0.1 --port "$eport") >"$work/$phase-exporter.log" 2>&1 &
  local exporter=$!; pids+=($exporter)
  wait_for 30 "celery-exporter ($phase)" curl -fsS "http://127.0.0.1:$eport/"
  (cd "$work/app" && PYTHONPATH="$work/app" exec $PY -m $worker_cmd "$@") >"$work/$phase-worker.log" 2>&1 &
  local worker=$!; pids+=($worker)
  wait_for 60 "worker ($phase)" grep -q ' ready\.' "$work/$phase-worker.log"
  (cd "$work/app" && timeout 120 $PY send.py)
  sleep 6
  curl -fsS --max-time 30 "http://127.0.0.1:$eport/metrics" -o "$work/$phase.raw"
  stop "$worker"; stop "$exporter"
  local cmd="$worker_cmd${*:+ $*}"
  $PY - "$work/$phase.raw" "$out/$phase.prom" "$host" \
    "# celery-exporter $ce_version (tag v$ce_version, run from source) on Celery $celery_version (Debian python3-celery); worker: $cmd" <<'PY'
import re, sys
raw, dest, host, header = sys.argv[1:]
families, types = [], {}
for line in open(raw):
    line = line.rstrip("\n")
    if not line or line.startswith("# HELP"):
        continue
    if line.startswith("# TYPE"):
        _, _, name, typ = line.split(" ")
        types[name] = typ
        families.append((line, []))
        continue
    name, labels, value = re.fullmatch(r"([A-Za-z_:][\w:]*)(\{.*\})? (\S+)", line).groups()
    labels = (labels or "").replace(f'="{host}"', '="worker-host"')
    typ = types[families[-1][0].split(" ")[2]]
    if name.endswith("_created"):
        value = "0"
    elif typ == "histogram" and (name.endswith("_sum") or (name.endswith("_bucket") and 'le="+Inf"' not in labels)):
        value = "NaN"
    families[-1][1].append((name, labels, value))

def key(sample):
    name, labels, _ = sample
    le = re.search(r'le="([^"]+)"', labels)
    return (name, re.sub(r',?le="[^"]+"', "", labels), float(le.group(1)) if le else 0.0)

with open(dest, "w") as f:
    f.write(header + "\n")
    for type_line, samples in families:
        f.write(type_line + "\n")
        f.writelines(f"{n}{l} {v}\n" for n, l, v in sorted(samples, key=key))
PY
  echo "$phase: $(grep -vc '^#' "$out/$phase.prom") samples -> $out/$phase.prom"
}

capture events-off
capture events-on -E
