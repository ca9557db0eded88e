# Shared by the benchmark scripts (sourced, not run).

# wait_for_server OUT ERR: waits until the `phieu serve` writing to OUT says it
# is listening, and prints its URL; shows ERR and fails if it never does.
wait_for_server() {
  local line=""
  for _ in $(seq 200); do
    line=$(head -n1 "$1" 2>/dev/null || true)
    [[ $line == *listening* ]] && break
    sleep 0.05
  done
  [[ $line == *listening* ]] || { echo "phieu serve did not start" >&2; cat "$2" >&2; return 1; }
  echo "$line" | grep -o 'http://127.0.0.1:[0-9]*'
}
