# jobpool container image.
#
#   docker build -t jobpool .
#   docker run --rm -p 8080:8080 jobpool
#
# Stage 1 builds the Spring Boot jar with the Maven wrapper and extracts it into layers;
# stage 2 is a JRE-only runtime that runs the extracted application as a non-root user.

# ---------------------------------------------------------------------------------------
# Build stage
# ---------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /build

# Wrapper, its settings (.mvn/wrapper/) and the POM first: this layer, with
# Maven itself and the dependencies, is rebuilt only when one of these files changes.
COPY mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
# chmod: the execute bit can be lost on checkouts that do not keep it (e.g. Windows).
RUN chmod +x mvnw && ./mvnw -B -q dependency:go-offline

COPY src/ src/
# Tests run in CI, not in the image build.
RUN ./mvnw -B -DskipTests package

# Extract the executable jar into layers (Spring Boot 3.3+ / 4 "tools" jar mode). Without
# --launcher the result is a plain "thin" jar, application/application.jar, whose manifest
# has Main-Class dev.jobpool.JobpoolApplication and a Class-Path listing lib/*.jar, plus the
# libraries in dependencies/lib/ (and snapshot-dependencies/lib/ if any). Every layer
# directory is created, even when empty, so the COPY lines below never miss one.
# "cp" fails loudly if the glob ever matches more than one jar.
RUN cp target/jobpool-*.jar application.jar \
    && java -Djarmode=tools -jar application.jar extract --layers --destination extracted

# ---------------------------------------------------------------------------------------
# Runtime stage
# ---------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre

# curl is installed for HEALTHCHECK only. The Ubuntu-based Temurin images are not
# guaranteed to ship curl or wget (and bash's /dev/tcp cannot read an HTTP status), so it is
# installed explicitly: if the base image already has it this is a no-op.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

# Non-root user with a fixed uid/gid, so volume permissions are predictable.
RUN groupadd --system --gid 10001 jobpool \
    && useradd --system --uid 10001 --gid jobpool --create-home --home-dir /home/jobpool \
        --shell /usr/sbin/nologin jobpool

WORKDIR /application

# Least-changing layers first. The files stay owned by root (read-only for the app user).
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

# JDK 25 AOT caches (JEP 483/514/515: classes loaded and linked, and method profiles) of the
# service JVM and of its worker JVMs, so that they start sooner (no loading and linking of the
# trained classes; the JIT starts with the trained profiles): ops/aot/train.sh runs the service once on a few hundred sum jobs and
# stops it gracefully, and each JVM writes its cache as it exits. Trained here, in the runtime
# stage, because a cache is only used by the JVM that made it (this JRE, not the build stage's
# JDK), with the same class path (/application/application.jar and lib/*.jar). A cache that no
# longer matches is reported on stderr and ignored, never fatal. Owned by root, read-only for the app.
COPY ops/aot/train.sh /tmp/aot-train.sh
RUN bash /tmp/aot-train.sh /application/application.jar /application/aot \
    && rm -f /tmp/aot-train.sh /application/aot/training.log

# Worker processes: the "process"/"spawn" executors start extra JVMs from the service's own
# classpath (java -cp <classpath> dev.jobpool.execution.process.WorkerMain). This image
# therefore keeps:
#   - a `java` binary on PATH (the Temurin JRE, /opt/java/openjdk/bin, also JAVA_HOME), and
#   - the application on disk as /application/application.jar + /application/lib/*.jar.
# The JVM is started with `-jar /application/application.jar` (absolute path), so in the
# running service System.getProperty("java.class.path") is "/application/application.jar";
# its manifest Class-Path pulls in lib/*.jar, so
#   java -cp /application/application.jar dev.jobpool.execution.process.WorkerMain
# sees every class the service sees, from any working directory. (The --launcher layout was
# not used on purpose: with it the app classes are not on the JVM's class path.)

# JVM flags for the service JVM only. They are kept in JAVA_OPTS (read by the ENTRYPOINT
# below, not by the java launcher) rather than JAVA_TOOL_OPTIONS: JAVA_TOOL_OPTIONS is
# inherited by every worker JVM the service starts, which would give each worker the same
# 75% heap ceiling and a "Picked up JAVA_TOOL_OPTIONS" line on stderr. Override JAVA_OPTS
# with `docker run -e JAVA_OPTS=...`; JAVA_TOOL_OPTIONS still works for flags meant for all.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# Worker JVMs (jobpool.process.jvm-options, by relaxed binding): the defaults plus the workers'
# AOT cache, which also makes each "spawn" task's JVM start sooner.
ENV JOBPOOL_PROCESS_JVMOPTIONS="-Xmx256m,-XX:+UseSerialGC,-XX:-UsePerfData,-XX:AOTCache=/application/aot/worker.aot"

USER 10001:10001

EXPOSE 8080

# Aggregate health: 200 when UP, 503 when DOWN/OUT_OF_SERVICE. curl -f turns >= 400 into a
# failure; `|| exit 1` maps curl's own exit codes (7, 22, 28...) to the 1 Docker expects.
# 127.0.0.1 rather than localhost avoids an IPv6-first resolution detour.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/actuator/health || exit 1

# `exec` replaces the shell with java, so java gets SIGTERM directly (graceful shutdown).
# Arguments given to `docker run IMAGE ...` are passed on to the application, e.g.
# `docker run jobpool --server.port=9090`. Run with `--init` (compose: init: true) so that
# orphaned worker processes, if any, are reaped.
# The service's AOT cache comes before JAVA_OPTS, so overriding JAVA_OPTS keeps it
# (JAVA_OPTS=-XX:AOTMode=off turns it off).
ENTRYPOINT ["sh", "-c", "exec java -XX:AOTCache=/application/aot/jobpool.aot $JAVA_OPTS -jar /application/application.jar \"$@\"", "jobpool"]
