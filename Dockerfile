# citecheck in a container: a static musl build in a builder stage, then a small Alpine runtime
# image that runs as a non-root user. TLS roots are built in (rustls with webpki roots), so the
# runtime needs no packages. Build: docker build -t citecheck .
# Run on the drafts of the current folder: docker run --rm -v "$PWD:/work" citecheck check drafts/
FROM rust:1-alpine AS build
WORKDIR /src
COPY . .
RUN cargo build --locked --release --bin citecheck \
    && strip target/release/citecheck

FROM alpine:3.20
RUN addgroup -S -g 10001 citecheck \
    && adduser -S -u 10001 -G citecheck -h /home/citecheck citecheck
COPY --from=build /src/target/release/citecheck /usr/local/bin/citecheck
USER 10001:10001
ENV HOME=/home/citecheck
WORKDIR /work
ENTRYPOINT ["citecheck"]
CMD ["--help"]
