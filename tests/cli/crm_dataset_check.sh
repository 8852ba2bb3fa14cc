#!/usr/bin/env bash
# Imports the committed Pipedrive-shaped export with the CLI and checks its win rate, won value
# and average cycle time against independent_metrics.py, which reads the CSV with Python alone.
# usage: crm_dataset_check.sh PIPEBOARD_CLI DATA_DIR WORK_DIR
set -euo pipefail

if [ "$#" -ne 3 ]; then
    echo "usage: $0 PIPEBOARD_CLI DATA_DIR WORK_DIR" >&2
    exit 2
fi
cli=$1
data_dir=$2
work_dir=$3
here=$(cd "$(dirname "$0")" && pwd)
csv="$data_dir/crm_export.csv"

mkdir -p "$work_dir"
rm -f "$work_dir/crm.json" "$work_dir/metrics.json" "$work_dir/independent.json"

# The export holds Pipedrive's stage names, which a new workspace lacks.
"$cli" import-csv "$csv" --create-stages --now 2025-07-01 -o "$work_dir/crm.json" \
    > "$work_dir/import.txt"
grep "^imported" "$work_dir/import.txt"
"$cli" metrics "$work_dir/crm.json" --format json --now 2025-07-01 > "$work_dir/metrics.json"
python3 "$here/independent_metrics.py" "$csv" > "$work_dir/independent.json"

python3 - "$work_dir/metrics.json" "$work_dir/independent.json" "$work_dir/import.txt" <<'EOF'
import json
import sys
from decimal import Decimal

cli = json.load(open(sys.argv[1]))
ref = json.load(open(sys.argv[2]))
import_report = open(sys.argv[3]).read()

checks = [
    ("won deals", cli["win_rate"]["won"], ref["won"], lambda a, b: a == b),
    ("lost deals", cli["win_rate"]["lost"], ref["lost"], lambda a, b: a == b),
    ("win rate by count", cli["win_rate"]["by_count"], ref["win_rate_by_count"],
     lambda a, b: abs(a - b) < 1e-12),
    ("won value", cli["win_rate"]["won_value"], ref["won_value"],
     lambda a, b: Decimal(a) == Decimal(b)),
    ("average cycle days", cli["cycle_time"]["average_days"], ref["average_cycle_days"],
     lambda a, b: abs(a - b) <= 0.01),
]
failed = False
print(f"{'figure':<20} {'pipeboard':>22} {'independent':>22}")
for name, ours, theirs, same in checks:
    ok = same(ours, theirs)
    failed |= not ok
    print(f"{name:<20} {str(ours):>22} {str(theirs):>22}  {'ok' if ok else 'MISMATCH'}")
if "skipped 0 row(s)" not in import_report:
    print("the import skipped rows:\n" + import_report)
    failed = True
sys.exit(1 if failed else 0)
EOF
