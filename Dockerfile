# Builds mimecast-shipper into a small Debian image. The Swift standard library is linked
# statically, so the runtime image needs only libcurl, zlib and CA certificates.
FROM swift:6.1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libcurl4-openssl-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
COPY mappings ./mappings
COPY samples ./samples
RUN swift build -c release --product mimecast-shipper --static-swift-stdlib \
    && install -D .build/release/mimecast-shipper /out/mimecast-shipper

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libcurl4 zlib1g ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/mimecast-shipper --create-home shipper
COPY --from=build /out/mimecast-shipper /usr/local/bin/mimecast-shipper
USER shipper
ENV MIMECAST_SHIPPER_STATE_DIR=/var/lib/mimecast-shipper
VOLUME ["/var/lib/mimecast-shipper"]
ENTRYPOINT ["/usr/local/bin/mimecast-shipper"]
CMD ["run", "--every", "5m"]
