# The application image: build the jar first (./mvnw -DskipTests package), then docker compose up.
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY ledger-api/target/referral-ledger.jar /app/referral-ledger.jar
# the settings the benchmark measures (docs/performance.md)
ENV JAVA_TOOL_OPTIONS="-Xmx256m -XX:+UseSerialGC -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m -Xss512k"
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/referral-ledger.jar"]
