#!/bin/bash
# usage: scripts/measure/login-flood.sh BINARY PORT  (N=1000 for a bigger crowd) -- starts Zapys, fires 200 parallel wrong logins, reports peak RSS and /healthz latency
BIN=$1; PORT=$2
D=$(mktemp -d); cd $D
ZAPYS_ADDR=127.0.0.1:$PORT ZAPYS_ADMIN_PASSWORD='correct horse battery' ZAPYS_DATA_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= DATABASE_URL=sqlite://$D/z.db RUST_LOG=error $BIN serve >/dev/null 2>&1 &
PID=$!
for i in $(seq 50); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done
grep VmRSS /proc/$PID/status
( for i in $(seq 10); do curl -s -o /dev/null -w "healthz %{http_code} %{time_total}s\n" http://127.0.0.1:$PORT/healthz; sleep 0.3; done ) > $D/health.txt &
seq ${N:-200} | xargs -P ${N:-200} -I{} curl -s -o /dev/null -w "%{http_code}\n" -H 'content-type: application/json' -d '{"username":"admin","password":"wrong guess {}"}' http://127.0.0.1:$PORT/api/auth/login | sort | uniq -c
wait %2 2>/dev/null; sleep 0.5
grep -E "VmHWM|VmRSS" /proc/$PID/status
sort -k3 -n $D/health.txt | tail -1
kill $PID; wait $PID 2>/dev/null; rm -rf $D
