# Unity: one image, one process. Two stages: the Swift toolchain builds a release binary with the
# Swift runtime linked in statically, and a slim Debian runs it as an unprivileged user.
#
#   docker build -t unity .                      # what a user runs (pulls swift and debian images)
#
# CI cannot pull images, so it builds the SAME runtime stage from a locally imported
# debian:bookworm-slim (debootstrap) and a binary its own toolchain built: put the stripped
# binary at ./.docker-bin/unity and build with `--build-arg UNITY_BINARY_FROM=prebuilt` (BuildKit
# then skips the Swift stage). scripts/e2e/image.sh does exactly that.
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim
ARG UNITY_BINARY_FROM=build

FROM ${SWIFT_IMAGE} AS build
WORKDIR /src
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product unity \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/unity" /out/unity \
 && strip /out/unity

FROM scratch AS prebuilt
COPY .docker-bin/unity /out/unity

FROM ${UNITY_BINARY_FROM} AS binary

FROM ${RUNTIME_IMAGE} AS runtime
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="Unity" \
      org.opencontainers.image.description="Self-hosted homelab control plane: credentials, monitoring over SSH, containers" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0"
# openssh-client: the transport for RSA keys; tini: PID 1 that forwards signals and reaps zombies
# (ssh ControlMaster children); ca-certificates: ACME directories and webhooks over HTTPS.
# Not pinned (DL3008): bookworm's versions only change for security fixes, which a rebuild should get.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssh-client tini ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
 && groupadd --system --gid 10001 unity \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin unity \
 && install -d -m 0700 -o unity -g unity /data
COPY --from=binary /out/unity /usr/local/bin/unity
# Inside the image only: listen on every interface of the container; the data folder is the volume.
ENV UNITY_BIND=0.0.0.0:8080 \
    UNITY_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
USER 10001:10001
WORKDIR /data
# No curl in the image: bash's /dev/tcp asks /healthz on the port UNITY_BIND names.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${UNITY_BIND##*:} && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/unity"]
CMD ["serve"]
