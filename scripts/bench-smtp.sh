#!/usr/bin/env bash
# Emails per second through this project's SMTP client against Python's smtplib, to one mail
# sink (scripts/smtp-sink.py, the stack's aiosmtpd sink, started here on a free port with a
# maildir of its own) in the same run. Each client runs twice, alternating, and keeps its
# better run. Prints a table, then one JSON object.
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${BENCH_MESSAGES:-2000}
concurrency=${BENCH_CONCURRENCY:-4}
swift build -c release --product smtp-bench >/dev/null
bench=$(swift build -c release --show-bin-path)/smtp-bench

tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
scripts/smtp-sink.py --listen "127.0.0.1:$port" --maildir "$tmp/mail" >"$tmp/sink.log" 2>&1 &
sink=$!
trap 'kill $sink 2>/dev/null; wait $sink 2>/dev/null; rm -rf "$tmp"' EXIT
until printf 'QUIT\r\n' | nc -w 1 127.0.0.1 "$port" 2>/dev/null | grep -q '^220'; do sleep 0.2; done

args=(--port "$port" --messages "$messages" --concurrency "$concurrency")
for round in 1 2; do
  "$bench" "${args[@]}" >"$tmp/swift-$round.json"
  /usr/bin/python3 scripts/bench/smtp_smtplib.py "${args[@]}" >"$tmp/smtplib-$round.json"
done
delivered=$(ls "$tmp/mail/new" | wc -l)
python3 - "$tmp" "$delivered" <<'PY'
import glob, json, sys
tmp, delivered = sys.argv[1], int(sys.argv[2])
best = {name: max((json.load(open(p)) for p in glob.glob(f"{tmp}/{name}-*.json")), key=lambda r: r["emails_per_s"])
        for name in ("swift", "smtplib")}
ratio = best["swift"]["emails_per_s"] / best["smtplib"]["emails_per_s"]
print(f"{'client':<10}{'emails/s':>12}")
for name, run in best.items():
    print(f"{name:<10}{run['emails_per_s']:>12.1f}")
print(f"swift / smtplib: {ratio:.2f}   ({best['swift']['messages']} messages per run, "
      f"{best['swift']['concurrency']} sessions, {delivered} delivered in all)")
print(json.dumps({"swift_emails_per_s": best["swift"]["emails_per_s"],
                  "smtplib_emails_per_s": best["smtplib"]["emails_per_s"], "ratio": round(ratio, 2),
                  "delivered": delivered}, sort_keys=True))
PY
