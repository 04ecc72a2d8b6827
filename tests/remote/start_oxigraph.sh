#!/bin/sh
# Start a throwaway `oxigraph serve` on a free loopback port for the remote-backend suite.
# Prints "URL PID DIR"; stop it with `kill PID` (and remove DIR).
# Usage: eval "$(tests/remote/start_oxigraph.sh)"  ->  sets OXIGRAPH_URL, OXIGRAPH_PID, OXIGRAPH_DIR
set -eu
dir=$(mktemp -d "${TMPDIR:-/tmp}/relgraph-oxigraph.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
oxigraph serve --location "$dir/store" --bind "127.0.0.1:$port" --timeout-s "${OXIGRAPH_TIMEOUT_S:-5}" >"$dir/oxigraph.log" 2>&1 &
pid=$!
i=0
until curl -fs "http://127.0.0.1:$port/query?query=ASK%7B%7D" >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -lt 300 ] || { echo "oxigraph did not start; see $dir/oxigraph.log" >&2; exit 1; }
  sleep 0.1
done
echo "OXIGRAPH_URL=http://127.0.0.1:$port OXIGRAPH_PID=$pid OXIGRAPH_DIR=$dir"
