#!/usr/bin/env bash
# Set up and run the whole test suite: lint, then every test on SQLite and again on PostgreSQL.
# PostgreSQL defaults to 127.0.0.1:5432 (database "test"); override with CLUSTEROBS_TEST_PG_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/bootstrap.sh test,spark
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p test-artifacts
ruff check src tests benchmarks
ruff format --check src tests benchmarks
mypy  # strict on the analytics core: see [tool.mypy] in pyproject.toml
workers="${TEST_WORKERS:-2}"
# Both database passes always run; each result is reported and either failing fails the run.
echo "== tests on SQLite"
sqlite=0
env -u CLUSTEROBS_DATABASE_URL pytest -n "$workers" --dist loadgroup "$@" || sqlite=$?
echo "== tests on PostgreSQL"
postgres=0
CLUSTEROBS_DATABASE_URL="${CLUSTEROBS_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}" \
  CLUSTEROBS_TEST_DB_NAME="test_clusterobs_$$" \
  pytest -n "$workers" --dist loadgroup -m "not spark" "$@" || postgres=$?
echo "== SQLite pass: $([ $sqlite -eq 0 ] && echo passed || echo "FAILED ($sqlite)")"
echo "== PostgreSQL pass: $([ $postgres -eq 0 ] && echo passed || echo "FAILED ($postgres)")"
[ $sqlite -eq 0 ] && [ $postgres -eq 0 ]
