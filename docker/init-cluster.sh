#!/usr/bin/env bash
# Shares wp-content across the three nodes of docker-compose.yml, once, after `docker compose up --build -d`:
# wp1 shares its wp-content under a new secret with the WordPress preset; wp2 and wp3 join with the same secret.
# Run it from this directory. It prints the secret: keep it (it is also in each node's config.json).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

peersync() {
  local node="$1"; shift
  docker compose exec -T "$node" java -jar /opt/peersync/peersync.jar "$@"
}

secret="$(peersync peersync1 secret new | tr -d '\r')"
peersync peersync1 folder add /var/www/html/wp-content --secret "$secret" --preset wordpress
peersync peersync1 status --wait-in-sync --timeout 120
for node in peersync2 peersync3; do
  peersync "$node" folder add /var/www/html/wp-content --secret "$secret"
done
for node in peersync2 peersync3; do
  peersync "$node" status --wait-in-sync --timeout 300
done
echo "wp-content is shared; the secret is: $secret"
