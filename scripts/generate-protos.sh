#!/usr/bin/env bash
# Regenerates the Swift code for the contracts in proto/ into Sources/ShopContracts/Generated,
# and for the part of etcd's API in proto/etcd/ into Sources/EtcdClient/Generated.
# The protoc plugins are built once from the swift-protobuf and grpc-swift-protobuf packages
# into .build-protoc (slow the first time; reused afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v protoc >/dev/null || { echo "protoc missing: run scripts/install-deps.sh" >&2; exit 1; }

tools=.build-protoc
if [ ! -x "$tools/bin/protoc-gen-grpc-swift-2" ] || [ ! -x "$tools/bin/protoc-gen-swift" ]; then
  mkdir -p "$tools"
  [ -d "$tools/grpc-swift-protobuf" ] ||
    git clone -q --branch 2.4.1 https://github.com/grpc/grpc-swift-protobuf "$tools/grpc-swift-protobuf"
  (cd "$tools/grpc-swift-protobuf" &&
    swift build -c release --product protoc-gen-grpc-swift-2 &&
    swift build -c release --product protoc-gen-swift)
  mkdir -p "$tools/bin"
  bin=$(cd "$tools/grpc-swift-protobuf" && swift build -c release --show-bin-path)
  cp "$bin/protoc-gen-grpc-swift-2" "$bin/protoc-gen-swift" "$tools/bin/"
fi

# generate OUT VISIBILITY SERVERS PROTO_PATH FILE...
generate() {
  local out=$1 visibility=$2 servers=$3 path=$4
  shift 4
  rm -rf "$out"
  mkdir -p "$out"
  protoc --proto_path="$path" \
    --plugin=protoc-gen-swift="$tools/bin/protoc-gen-swift" \
    --plugin=protoc-gen-grpc-swift="$tools/bin/protoc-gen-grpc-swift-2" \
    --swift_opt=Visibility="$visibility" --swift_out="$out" \
    --grpc-swift_opt=Visibility="$visibility",Client=true,Server="$servers" --grpc-swift_out="$out" \
    "$@"
  # Formatted like the rest of the code, so that `make lint` holds for generated files too.
  swift format --in-place --recursive "$out"
  echo "generated into $out"
}

generate Sources/ShopContracts/Generated Public true proto proto/*.proto
# The etcd client only calls etcd: clients, internal to it.
generate Sources/EtcdClient/Generated Internal false proto/etcd proto/etcd/etcd.proto
