# The ovs-anp image, built from the repository alone:
#   docker build --build-arg OVSANP_COMMIT="$(git rev-parse --short HEAD)" -t ovs-anp:VERSION .
# Stage 1 builds the release distribution (a jlink'd runtime, the agent's jar, the launcher) with the
# Maven wrapper; stage 2 is a slim Debian with the distribution in /opt/ovs-anp and no other Java.
# .dockerignore leaves .git out of the context, so `--version` takes the commit from OVSANP_COMMIT
# ("unknown" without it). (Not built by CI, which has no container engine; DockerfileTest checks it.)
FROM eclipse-temurin:17-jdk AS build
ARG OVSANP_COMMIT=unknown
WORKDIR /src
COPY . .
RUN ./mvnw -B package -pl distribution -am -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true \
      -Dovsanp.commit="${OVSANP_COMMIT}" \
 && mkdir /dist \
 && tar -xzf distribution/target/ovs-anp-*-linux-x64.tar.gz -C /dist --strip-components=1

FROM debian:bookworm-slim
ARG OVSANP_COMMIT=unknown
LABEL org.opencontainers.image.title="ovs-anp" \
      org.opencontainers.image.revision="${OVSANP_COMMIT}" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV LANG=C.UTF-8
COPY --from=build /dist/ /opt/ovs-anp/
# The launcher makes the AppCDS archive for this path on first use; do it now, in the image, so that
# containers (whose file system may be read-only) start with it.
RUN /opt/ovs-anp/bin/ovs-anp --version
ENTRYPOINT ["/opt/ovs-anp/bin/ovs-anp"]
