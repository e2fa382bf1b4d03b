#!/usr/bin/env bash
# Installs what the build and the tests need beyond Maven: Debian's Fashion-MNIST package, Debian's Prometheus (the
# metrics check scrapes the running mesh with it; promtool checks the shipped rules) and the Node.js packages of the
# gateway's outside-client check. Idempotent.
set -euo pipefail
dir="${UN0_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
if [ ! -f "$dir/train-images-idx3-ubyte.gz" ] || [ ! -f "$dir/t10k-labels-idx1-ubyte.gz" ]; then
  if [ "$dir" != /usr/share/datasets/fashion-mnist ]; then
    echo "setup: UN0_FASHION_MNIST_DIR=$dir lacks the Fashion-MNIST IDX files" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian package dataset-fashion-mnist" >&2
  $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 || {
    $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null
  }
fi
# Prometheus as Debian ships it; its service is not started (the test runs its own server). Without it the
# Prometheus check skips and says why.
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian package prometheus" >&2
  $sudo apt-get install -y -q --no-install-recommends prometheus >/dev/null 2>&1 || {
    $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q --no-install-recommends prometheus >/dev/null
  } || echo "setup: prometheus unavailable; the Prometheus check will skip" >&2
fi
command -v java >/dev/null || { echo "setup: Java 17 is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "setup: Maven is required" >&2; exit 1; }
# InferenceIT drives the gateway's Open Inference Protocol with a client written elsewhere (grpc-js); its packages are
# pinned by gateway/src/test/node/package-lock.json. Without Node.js that one test skips and says why.
if ! command -v npm >/dev/null; then
  echo "setup: installing Debian packages nodejs npm" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -q nodejs npm >/dev/null 2>&1 || echo "setup: Node.js unavailable; InferenceIT's grpc-js client will skip" >&2
fi
client="$(dirname "$0")/../gateway/src/test/node"
if command -v npm >/dev/null && [ ! -d "$client/node_modules/@grpc/grpc-js" ]; then
  npm ci --no-audit --no-fund --silent --prefix "$client"
fi
