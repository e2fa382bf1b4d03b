#!/usr/bin/env bash
# Installs what the build and the tests need beyond Maven, idempotently: Debian's Fashion-MNIST package (required);
# Debian's Prometheus (MeshIT scrapes the running mesh with it, promtool checks the shipped rules), Chromium and
# Node.js, and the npm packages of the two checks run by clients written elsewhere (the gateway's grpc-js client, the
# console's Playwright); kubectl, to render the Kubernetes manifests. Where an optional part cannot be installed, the
# test that needs it skips and says why.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

# apt_install PACKAGE...: installs Debian packages, refreshing the lists once if they are stale.
apt_install() {
  echo "setup: installing Debian packages $*" >&2
  $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 || {
    $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null
  }
}

dir="${UN0_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
if [ ! -f "$dir/train-images-idx3-ubyte.gz" ] || [ ! -f "$dir/t10k-labels-idx1-ubyte.gz" ]; then
  if [ "$dir" != /usr/share/datasets/fashion-mnist ]; then
    echo "setup: UN0_FASHION_MNIST_DIR=$dir lacks the Fashion-MNIST IDX files" >&2
    exit 1
  fi
  apt_install dataset-fashion-mnist
fi
command -v java >/dev/null || { echo "setup: Java 17 is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "setup: Maven is required" >&2; exit 1; }

# Debian's Prometheus: its service is not started here (the test runs its own server).
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  apt_install prometheus || echo "setup: prometheus unavailable; the Prometheus checks will skip" >&2
fi
[ -x /usr/bin/chromium ] || apt_install chromium || echo "setup: chromium unavailable; the console check will skip" >&2
command -v npm >/dev/null || apt_install nodejs npm || echo "setup: Node.js unavailable; the outside-client checks will skip" >&2
# kubectl renders the Kubernetes manifests (kubectl kustomize) for KubernetesManifestsTest; no cluster is needed.
command -v kubectl >/dev/null || apt_install kubectl || echo "setup: kubectl unavailable; the Kubernetes manifest checks will skip" >&2

# The npm packages, as their package-lock.json files pin them.
if command -v npm >/dev/null; then
  for client in gateway/src/test/node deploy/src/test/node; do
    [ -d "$root/$client/node_modules" ] || npm ci --no-audit --no-fund --silent --prefix "$root/$client"
  done
fi
