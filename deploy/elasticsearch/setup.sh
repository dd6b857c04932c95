#!/usr/bin/env bash
# Run once by docker compose: sets the kibana_system password and creates the least-privilege
# role and user the shipper writes with. Safe to run again (PUT/POST are idempotent here).
set -euo pipefail
es=http://elasticsearch:9200
auth="elastic:${ELASTIC_PASSWORD}"
call() { curl -sS -f -u "$auth" -H 'Content-Type: application/json' "$@"; echo; }
until curl -s -u "$auth" "$es" >/dev/null; do echo "waiting for Elasticsearch"; sleep 5; done
call -X POST "$es/_security/user/kibana_system/_password" -d "{\"password\":\"${KIBANA_PASSWORD}\"}"
call -X PUT "$es/_security/role/mimecast_shipper" --data-binary @/setup/shipper-role.json
call -X PUT "$es/_security/user/mimecast_shipper" \
  -d "{\"password\":\"${SHIPPER_PASSWORD}\",\"roles\":[\"mimecast_shipper\"],\"full_name\":\"mimecast-shipper\"}"
echo "setup done"
