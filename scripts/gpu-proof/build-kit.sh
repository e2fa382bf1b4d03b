#!/usr/bin/env bash
# Builds .gpu-kit/ at the repository's root, for run.sh on a GPU machine that has no network, no Maven and maybe no
# Java: a jlink'd Java runtime with only the modules NvmlProbe needs, its class path (JNA, protobuf-java and our
# jars), and the Un-0 fp32 model package. Run here, where Maven and a JDK with jmods are; prints the kit's size.
# KIT_JDK picks the JDK (default: the one whose jlink is on the PATH).
set -euo pipefail

ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
KIT=$ROOT/.gpu-kit
JDK=${KIT_JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")}
MODEL=$ROOT/un0/src/main/resources/un0/packages/un0-fmnist-fp32
cd "$ROOT"

# The kit is built, never committed.
EXCLUDE=$(git rev-parse --git-path info/exclude)
grep -qxF '/.gpu-kit/' "$EXCLUDE" 2>/dev/null || echo '/.gpu-kit/' >> "$EXCLUDE"

echo "building worker-gpu and what it needs (tests skipped, no Quarkus app: the probe runs from the plain jar)"
mvn -q -o -pl worker-gpu -am install -DskipTests -Dquarkus.build.skip=true
CLASSPATH_FILE=$(mktemp)
trap 'rm -f "$CLASSPATH_FILE"' EXIT
mvn -q -o -pl worker-gpu dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE"

# The one jar of an artifact on worker-gpu's run-time class path, by its artifact id.
jar_of() {
  local found
  found=$(tr ':' '\n' < "$CLASSPATH_FILE" | grep -E "/$1-[0-9][^/]*\.jar$" | head -n 1)
  [ -n "$found" ] || { echo "no $1 jar on worker-gpu's class path" >&2; exit 1; }
  echo "$found"
}

rm -rf "$KIT"
mkdir -p "$KIT/lib" "$KIT/model"
# NvmlProbe needs only these: worker-gpu (the probe), worker-runtime (NvmlPower), JNA, and the proto enum with its runtime.
RUNTIME_JAR=$(jar_of worker-runtime)
VERSION=$(basename "$RUNTIME_JAR" .jar | sed 's/^worker-runtime-//')
cp "$(jar_of jna)" "$(jar_of protobuf-java)" "$(jar_of proto)" "$RUNTIME_JAR" "worker-gpu/target/worker-gpu-$VERSION.jar" "$KIT/lib/"
cp "$MODEL/model.onnx" "$MODEL/manifest.json" "$KIT/model/"

# java.logging: JNA and System.Logger log through it; jdk.unsupported: sun.misc.Unsafe, which protobuf-java uses.
"$JDK/bin/jlink" --add-modules java.base,java.logging,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$KIT/runtime"

{
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git rev-parse --short HEAD) (working tree, uncommitted changes included)"
  echo "runtime: $("$KIT/runtime/bin/java" -version 2>&1 | head -n 1), jlink'd from $JDK"
  (cd "$KIT" && ls lib model)
} > "$KIT/KIT.txt"

# The kit must run here as far as a machine without NVML allows: the probe starts and says NVML is missing.
echo "checking the kit: NvmlProbe on this machine (no GPU expected, so an error line and exit 2)"
set +e
"$KIT/runtime/bin/java" -cp "$KIT/lib/*" io.un0.worker.gpu.NvmlProbe 1
echo "exit $?"
set -e

cat "$KIT/KIT.txt"
echo "kit size: $(du -sh "$KIT" | cut -f1) ($(du -sb "$KIT" | cut -f1) bytes) in $KIT"
