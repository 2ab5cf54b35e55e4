#!/usr/bin/env python3
"""How big does the SQLite database grow with metric history? Measured, then extrapolated.

Creates Unity's real schema with `unity migrate` in a fresh data folder, fills the history tables
exactly as Unity writes them for ONE server with the series a typical server has (host: cpu, load
1/5/15, memory, swap; 4 filesystems; 4 disks with temperature and bad sectors; 1 ZFS pool with
capacity, fragmentation and errors) — raw samples for 48 h at a 5-minute cycle, 5-minute rollups
for 30 days and hourly rollups for 365 days (the default retention) — then reports the file size
and bytes per row, and the size for 100 servers.

  python3 scripts/bench/history_size.py --unity .build/debug/unity
"""
import argparse, os, random, shutil, sqlite3, subprocess, tempfile

SERIES = ["host|cpu.percent", "host|load.1", "host|load.5", "host|load.15", "host|memory.used_percent", "host|swap.used_percent"] \
    + [f"fs:/mnt/{i}|filesystem.used_percent" for i in range(4)] \
    + [f"disk:SERIAL{i}|{m}" for i in range(4) for m in ("disk.temperature_celsius", "disk.bad_sectors")] \
    + ["zpool:tank|zpool.capacity_percent", "zpool:tank|zpool.fragmentation_percent", "zpool:tank|zpool.errors"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--unity", required=True)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="unity-history-size-")
    try:
        env = dict(os.environ, UNITY_DATA_DIR=work, UNITY_LOG_LEVEL="error")
        subprocess.run([args.unity, "migrate", "--yes"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        path = os.path.join(work, "unity.sqlite")
        db = sqlite3.connect(path)
        db.execute("VACUUM")
        empty = os.path.getsize(path)
        server = "6F1C2B9E-2D1A-4C1B-9F7E-3A5B6C7D8E9F"
        ids = []
        for key in SERIES:
            series, metric = key.split("|")
            cur = db.execute("INSERT INTO metric_series (server_id, series, metric) VALUES (?, ?, ?)", (server, series, metric))
            ids.append(cur.lastrowid)
        now = 1_800_000_000
        raw = [(i, now - t, random.random() * 100) for i in ids for t in range(0, 48 * 3600, 300)]
        five = [(i, 300, now - t, 50.0, 1.0, 99.0, 1) for i in ids for t in range(48 * 3600, 30 * 86400, 300)]
        hourly = [(i, 3600, now - t, 50.0, 1.0, 99.0, 12) for i in ids for t in range(0, 365 * 86400, 3600)]
        db.executemany("INSERT INTO metric_samples (series_id, ts, value) VALUES (?, ?, ?)", raw)
        db.executemany("INSERT INTO metric_rollups (series_id, step, bucket, avg, min, max, n) VALUES (?, ?, ?, ?, ?, ?, ?)", five + hourly)
        db.commit()
        db.execute("VACUUM")
        db.close()
        size = os.path.getsize(path) - empty
        rows = len(raw) + len(five) + len(hourly)
        print(f"one server, {len(SERIES)} series: {len(raw)} raw samples (48 h), {len(five)} 5-minute rollups (30 d), "
              f"{len(hourly)} hourly rollups (365 d) = {rows} rows")
        print(f"history size for one server after a year: {size / 1e6:.1f} MB ({size / rows:.1f} bytes per row incl. indexes)")
        print(f"100 servers after a year: {size * 100 / 1e9:.2f} GB (snapshots, alerts and audit add a few MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
