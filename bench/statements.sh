#!/usr/bin/env bash
# Statements per create: what PostgreSQL runs for one POST /api/v1/referrals, counted by pg_stat_statements over
# 100 creates of each kind (a new referred person by a known advocate, as the benchmark writes; and one by code).
#   bench/statements.sh [jar]      (default ledger-api/target/referral-ledger.jar)
# Needs a PostgreSQL with pg_stat_statements in shared_preload_libraries (PGHOST, default 127.0.0.1; user postgres;
# see docs/performance.md), curl and python3. Uses a database "statements" on it (dropped and made anew) and port 8080.
set -euo pipefail
cd "$(dirname "$0")/.."
jar="${1:-ledger-api/target/referral-ledger.jar}"
host="${PGHOST:-127.0.0.1}"
P="psql -h $host -U postgres -q"
$P -c "DROP DATABASE IF EXISTS statements" 2>/dev/null
$P -c "CREATE DATABASE statements"
$P -d statements -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
java -Xmx256m -jar "$jar" --ledger.db.url="jdbc:postgresql://$host:5432/statements" --ledger.admin-token=secret \
  > /tmp/statements-app.log 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 90); do curl -sf localhost:8080/actuator/health/readiness >/dev/null && break; sleep 1; done
admin=(-H 'Authorization: Bearer secret' -H 'Content-Type: application/json')
curl -sf -X POST "${admin[@]}" localhost:8080/admin/tenants -d '{"id":"acme","name":"Acme"}' >/dev/null
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
key=$(curl -sf -X POST "${admin[@]}" localhost:8080/admin/tenants/acme/api-keys | field secret)
api=(-H "Authorization: Bearer $key" -H 'Content-Type: application/json')
program=$(curl -sf -X POST "${api[@]}" localhost:8080/api/v1/programs \
  -d '{"name":"Friends","slug":"friends","attributionWindowDays":90,"velocityLimitPerHour":1000}' | field id)
code=$(curl -sf -X POST "${api[@]}" localhost:8080/api/v1/programs/$program/advocates \
  -d '{"name":"Pat","email":"pat@example.com"}' | field referralCode)
plain() {
  curl -s -o /dev/null -w '%{http_code}\n' -X POST "${api[@]}" localhost:8080/api/v1/referrals -d "{
    \"referrer\": {\"name\": \"Advocate $(($1 % 5))\", \"email\": \"advocate$(($1 % 5))@example.com\"},
    \"referred\": {\"firstName\": \"Lead\", \"lastName\": \"$1\", \"email\": \"lead$1@example.com\",
                   \"phone\": \"+14155551$(printf %03d "$1")\"}, \"channel\": \"API\", \"notes\": \"n\"}"
}
by_code() {
  curl -s -o /dev/null -w '%{http_code}\n' -X POST "${api[@]}" localhost:8080/api/v1/referrals -d "{
    \"referralCode\": \"$code\",
    \"referred\": {\"firstName\": \"Ana\", \"email\": \"ana$1@example.com\", \"phone\": \"+14155552$(printf %03d "$1")\"}}"
}
for i in $(seq 1 20); do plain "$i" >/dev/null; by_code "$i" >/dev/null; done   # warm-up: advocates known
sleep 2
for kind in plain by_code; do
  $P -d statements -Atc "SELECT pg_stat_statements_reset()" >/dev/null
  answers=$(for i in $(seq 100 199); do $kind "$i"; done | sort | uniq -c | tr -s ' \n' ' ')
  sleep 3   # the projections' statements of the last creates
  echo "$kind ($answers): statements per create, all / event store reads: $($P -d statements -Atc "
    SELECT round(sum(calls) / 100.0, 2) || ' / ' || round(sum(calls) FILTER (WHERE query ~* '^SELECT' AND query ~* 'FROM domain_event_entry') / 100.0, 2)
    FROM pg_stat_statements WHERE query !~* 'pg_stat_statements'")"
  $P -d statements -Atc "SELECT lpad(calls::text, 5), left(regexp_replace(query, '\s+', ' ', 'g'), 120)
    FROM pg_stat_statements WHERE query !~* 'pg_stat_statements' ORDER BY calls DESC LIMIT 25" | sed 's/^/    /'
done
