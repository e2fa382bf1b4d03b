#!/usr/bin/env bash
# On a GPU machine, from the repository's root, with .gpu-kit/ (build-kit.sh) beside it: proves the GPU worker's
# NVML meter and measures the Un-0 fp32 model's energy per image. NvmlProbe (the worker's NvmlPower, on the kit's
# Java) reads the GPU every 200 ms throughout; first ~5 s with nothing on the GPU (idle watts), then gpu_bench.py
# runs the model at batch sizes 1, 32 and 256, each for a window of ~8 s; report.py cuts the readings to those
# windows. Writes $OUT/gpu-proof.json, the probe's readings, the model run's windows and run.log. Every step has its
# own time limit (under 4 minutes in all) and a failed step leaves what the others measured.
set -u

ROOT=$(pwd)
HERE=$ROOT/scripts/gpu-proof
KIT=$ROOT/.gpu-kit
OUT=${OUT:-/tmp/gpu-proof-out}
IDLE_S=${IDLE_S:-5}
WINDOW_S=${WINDOW_S:-8}
BENCH_DEVICE=${BENCH_DEVICE:-cuda} # cpu: a check of the scripts where there is no GPU
PROBE_MAX_S=200                    # longer than everything after it; stopped as soon as the model is done
mkdir -p "$OUT"
exec > >(tee -a "$OUT/run.log") 2>&1

step() { echo "== $(date -u +%H:%M:%S) $*"; }

step "the machine"
timeout 10 nvidia-smi -L || echo "nvidia-smi -L failed or is absent"
timeout 10 nvidia-smi --query-gpu=name,driver_version,persistence_mode,pstate,power.draw,power.limit,temperature.gpu --format=csv \
  || echo "nvidia-smi --query-gpu failed"
SYSTEM_JAVA=""
if timeout 10 java -version 2>&1; then SYSTEM_JAVA=java; else echo "no java on the PATH"; fi
[ -f "$KIT/KIT.txt" ] && cat "$KIT/KIT.txt" || echo "no kit at $KIT: carry .gpu-kit (scripts/gpu-proof/build-kit.sh builds it)"

JAVA=""
if timeout 15 "$KIT/runtime/bin/java" -version 2>&1; then
  JAVA=$KIT/runtime/bin/java
elif [ -n "$SYSTEM_JAVA" ]; then
  JAVA=$SYSTEM_JAVA
  echo "the kit's Java does not start here: the PATH's java runs the probe"
fi

step "NVML probe"
PROBE=""
if [ -n "$JAVA" ]; then
  timeout $((PROBE_MAX_S + 10)) "$JAVA" -cp "$KIT/lib/*" io.un0.worker.gpu.NvmlProbe "$PROBE_MAX_S" 200 0 \
    > "$OUT/nvml-probe.jsonl" 2> "$OUT/nvml-probe.err" &
  PROBE=$!
  for _ in $(seq 1 30); do # up to 15 s for the first reading
    grep -q '"elapsed_s"' "$OUT/nvml-probe.jsonl" 2>/dev/null && break
    kill -0 "$PROBE" 2>/dev/null || break
    sleep 0.5
  done
  head -n 2 "$OUT/nvml-probe.jsonl"
  cat "$OUT/nvml-probe.err"
else
  echo "no Java: no probe readings (gpu_bench.py still reads the energy counter at each window's edges)"
fi

step "idle, ${IDLE_S} s"
T0=$(date +%s.%N)
sleep "$IDLE_S"
T1=$(date +%s.%N)
echo "{\"t0\": $T0, \"t1\": $T1}" > "$OUT/idle.json"

step "the model on the GPU"
timeout 130 python3 -u "$HERE/gpu_bench.py" --model "$KIT/model/model.onnx" --out "$OUT/bench.json" \
  --seconds "$WINDOW_S" --budget 110 --device "$BENCH_DEVICE"
echo "gpu_bench.py: exit $?"

step "stopping the probe"
if [ -n "$PROBE" ]; then
  kill -TERM "$PROBE" 2>/dev/null
  for _ in $(seq 1 20); do kill -0 "$PROBE" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$PROBE" 2>/dev/null
  wait "$PROBE" 2>/dev/null
  echo "probe: $(grep -c '"elapsed_s"' "$OUT/nvml-probe.jsonl") readings"
  grep '"summary"' "$OUT/nvml-probe.jsonl" || echo "no probe summary"
fi

step "report"
if ! timeout 20 python3 "$HERE/report.py" --dir "$OUT"; then
  echo "report.py failed: gpu-proof.json says so; the raw readings and windows are beside it"
  [ -f "$OUT/gpu-proof.json" ] || echo '{"error": "report.py failed; see run.log, nvml-probe.jsonl, idle.json and bench.json"}' > "$OUT/gpu-proof.json"
fi
step "done: $OUT"
ls -la "$OUT"
