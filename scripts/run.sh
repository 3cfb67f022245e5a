#!/usr/bin/env bash
# Set up and start the platform on SQLite with starter content: http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/clusterobs init
exec .venv/bin/clusterobs serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
