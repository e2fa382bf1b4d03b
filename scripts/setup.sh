#!/usr/bin/env bash
# Installs what the build and the tests need beyond Maven: Debian's Fashion-MNIST package. Idempotent.
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
command -v java >/dev/null || { echo "setup: Java 17 is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "setup: Maven is required" >&2; exit 1; }
