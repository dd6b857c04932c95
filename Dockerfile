# mimecast-shipper as a small Debian image. Two ways to get the binary into the runtime stage:
#
#   docker build -t mimecast-shipper .
#       builds it from source in the official Swift image (the `build` stage).
#   docker build --build-arg BINARY_FROM=prebuilt -t mimecast-shipper .
#       takes dist/mimecast-shipper, made by scripts/build-release.sh on a Debian bookworm host,
#       so no Swift image is pulled (what scripts/verify-deploy.sh builds, with BuildKit).
#
# RUNTIME_BASE may name any Debian bookworm image (verify-deploy.sh uses one made with debootstrap).
# The Swift standard library and FoundationEssentials are linked statically, so the runtime
# needs only libcurl, zlib (always in Debian) and CA certificates.

# The oldest Swift that resolves every dependency (ToolchainFloorTests keeps this true).
ARG SWIFT_VERSION=6.2
ARG RUNTIME_BASE=debian:bookworm-slim
ARG BINARY_FROM=build

FROM swift:${SWIFT_VERSION}-bookworm AS build
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends libcurl4-openssl-dev zlib1g-dev libdeflate-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
COPY mappings ./mappings
COPY samples ./samples
COPY scripts ./scripts
RUN bash scripts/build-release.sh --output /out/mimecast-shipper

FROM scratch AS prebuilt
COPY dist/mimecast-shipper /out/mimecast-shipper

# hadolint ignore=DL3006
FROM ${BINARY_FROM} AS binary

FROM ${RUNTIME_BASE} AS runtime
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends libcurl4 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 shipper \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/mimecast-shipper --create-home \
       --shell /usr/sbin/nologin shipper \
    && chmod 0700 /var/lib/mimecast-shipper
COPY --from=binary /out/mimecast-shipper /usr/local/bin/mimecast-shipper
USER 10001:10001
ENV MIMECAST_SHIPPER_STATE_DIR=/var/lib/mimecast-shipper
VOLUME ["/var/lib/mimecast-shipper"]
# `run --every` stops cleanly on SIGTERM (exit 0) and exits 2 on a configuration error.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/mimecast-shipper"]
CMD ["run", "--every", "5m"]
