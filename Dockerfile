# Container image for Junction: the fat jar on a JRE. Build the jar first: mvn -B package -DskipTests
FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 --home-dir /app junction && mkdir -p /app/conf /app/data && chown -R junction /app
WORKDIR /app
COPY target/junction.jar /app/junction.jar
USER 10001
EXPOSE 8080 8081
# Container-aware heap; SIGTERM from the kubelet drains in-flight requests (shutdown.gracePeriod).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/junction.jar"]
