#!/usr/bin/env bash
# docker-compose.yml's PostgreSQL: run once by the postgres image when it initializes an empty data
# folder (/docker-entrypoint-initdb.d), against its temporary socket-only server, as the superuser
# POSTGRES_USER. The same rules as the project's own cluster (infra/postgres/):
# 1. One LOGIN role per service workload, named exactly as its certificate's CN, owning its own
#    database; no password (the certificate is the only way in); CONNECT revoked from PUBLIC, so no
#    role reaches another service's database (nor the maintenance databases).
# 2. pg_hba.conf: TLS with a client certificate from the platform CA whose CN is the role asked for
#    (`cert` authentication); plaintext, and the Unix socket, refused. It replaces the image's
#    password-from-anywhere file before the real server starts.
# The image sources this file when it is not executable: functions and no `exit`.

platform_database() {
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
    --set role="$1" --set database="$2" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE DATABASE :"database" OWNER :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
}

# role (= certificate CN = compose service)   database (infra/platform.json)
platform_database authorization-server zt_authorization_server
platform_database users zt_users
platform_database accounts zt_accounts
platform_database payments zt_payments

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres <<'SQL'
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
SQL

cat >"$PGDATA/pg_hba.conf" <<'HBA'
# Written by docker-entrypoint-initdb.d/10-platform-roles.sh (infra/docker/postgres-init/).
# TYPE     DATABASE  USER  ADDRESS  METHOD
hostssl    all       all   all      cert clientcert=verify-full
hostnossl  all       all   all      reject
local      all       all            reject
HBA
