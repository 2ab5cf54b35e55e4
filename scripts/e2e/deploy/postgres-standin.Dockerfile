# A stand-in for the official postgres image, for CI only (no image can be pulled here): Debian's
# PostgreSQL 15 on the same locally imported debian:bookworm-slim, honouring the official image's
# POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB and data path, so compose.postgres.yaml runs as is.
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY postgres-standin-entrypoint.sh /usr/local/bin/entrypoint.sh
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
