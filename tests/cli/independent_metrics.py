#!/usr/bin/env python3
"""Win rate, won value and average cycle time of a Pipedrive-shaped deals CSV, computed with
Python's csv module alone (no Pipeboard code), as a reference for the CLI's figures.

usage: independent_metrics.py crm_export.csv  ->  prints one JSON object
Over the whole file: win rate by count = won / (won + lost); won value = sum of the won deals'
Value (exact decimal); cycle time = mean days from Created to Won time over the won deals.
"""

import csv
import datetime as dt
import json
import sys
from decimal import Decimal


def parse_time(text):
    return dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.timezone.utc)


def main(path):
    won = lost = 0
    won_value = Decimal(0)
    cycle_seconds = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            status = row["Status"].strip().lower()
            if status == "won":
                won += 1
                won_value += Decimal(row["Value"].strip() or "0")
                seconds = (parse_time(row["Won time"]) - parse_time(row["Created"])).total_seconds()
                cycle_seconds.append(max(0.0, seconds))
            elif status == "lost":
                lost += 1
    closed = won + lost
    result = {
        "won": won,
        "lost": lost,
        "win_rate_by_count": won / closed if closed else 0.0,
        "won_value": f"{won_value:.2f}",
        "average_cycle_days": (sum(cycle_seconds) / len(cycle_seconds) / 86400.0)
        if cycle_seconds else 0.0,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: independent_metrics.py crm_export.csv")
    main(sys.argv[1])
