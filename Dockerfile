# The application image: build the jar first (./mvnw -DskipTests package), then docker compose up.
FROM eclipse-temurin:17-jre AS unpack
WORKDIR /build
COPY ledger-api/target/referral-ledger.jar referral-ledger.jar
# the jar unpacked: classes load faster than from jars nested in a jar, and only these can be archived below
RUN java -Djarmode=tools -jar referral-ledger.jar extract --destination /app

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=unpack /app /app
# the settings the benchmark measures (docs/performance.md)
ENV JAVA_TOOL_OPTIONS="-Xmx256m -XX:NewRatio=1 -XX:+UseSerialGC -XX:MetaspaceSize=96m -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m -Xss512k"
# class-data-sharing archive of one start on a throwaway embedded PostgreSQL: about half the start-up CPU
# (docs/performance.md, "Start"); written here, next to the jars it was made from, so that it matches them
RUN java -XX:ArchiveClassesAtExit=/app/referral-ledger.jsa -Xlog:cds=off -Dledger.exit-when-ready=true \
        -jar /app/referral-ledger.jar --server.port=0 --ledger.db.url= --ledger.demo-tenant=false \
        --ledger.embedded.data-dir=/tmp/cds-training \
    && rm -rf /tmp/cds-training /tmp/embedded-pg
EXPOSE 8080
# an archive that does not match the jars is skipped with a warning (-Xshare:auto): the start is only slower
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/referral-ledger.jsa", "-jar", "/app/referral-ledger.jar"]
