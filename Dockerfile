# The application image: build the jar first (./mvnw -DskipTests package), then docker compose up.
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY ledger-api/target/referral-ledger.jar /app/referral-ledger.jar
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+UseSerialGC"
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/referral-ledger.jar"]
