#!/usr/bin/env bash
# Makes sure the local servers INOS and its tests talk to are installed and running:
# PostgreSQL (5432), Redis (6379), RabbitMQ (5672), Mosquitto (1883). Installs missing Debian packages.
# Usage: scripts/services.sh [postgresql] [redis] [rabbitmq] [mosquitto]   (no argument = all)
set -euo pipefail

want=("$@")
[ ${#want[@]} -eq 0 ] && want=(postgresql redis rabbitmq mosquitto)

log() { printf '[services] %s\n' "$*"; }

port_open() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && exec 3>&- 3<&- 2>/dev/null
}

wait_port() { # name port seconds
  local i
  for ((i = 0; i < $3 * 4; i++)); do
    port_open 127.0.0.1 "$2" && { log "$1 is up on $2"; return 0; }
    sleep 0.25
  done
  log "ERROR: $1 did not open port $2 within $3 s"
  return 1
}

apt_updated=0
ensure_packages() { # packages...
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ $apt_updated -eq 0 ]; then $sudo apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

start_postgresql() {
  port_open 127.0.0.1 5432 && { log "postgresql already up"; return 0; }
  ensure_packages postgresql
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  # trust on loopback, as on the development machines (tests connect as postgres without a password)
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_port postgresql 5432 60
}

start_redis() {
  port_open 127.0.0.1 6379 && { log "redis already up"; return 0; }
  ensure_packages redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_port redis 6379 30
}

start_rabbitmq() {
  port_open 127.0.0.1 5672 && { log "rabbitmq already up"; return 0; }
  ensure_packages rabbitmq-server
  rabbitmq-server -detached
  wait_port rabbitmq 5672 120
}

start_mosquitto() {
  port_open 127.0.0.1 1883 && { log "mosquitto already up"; return 0; }
  ensure_packages mosquitto mosquitto-clients
  mosquitto -d -c /etc/mosquitto/mosquitto.conf
  wait_port mosquitto 1883 30
}

for s in "${want[@]}"; do
  case "$s" in
    postgresql) start_postgresql ;;
    redis) start_redis ;;
    rabbitmq) start_rabbitmq ;;
    mosquitto) start_mosquitto ;;
    *) log "unknown service '$s' (postgresql, redis, rabbitmq, mosquitto)"; exit 2 ;;
  esac
done
