# Anju service image: broker (MQTT 1883, MQTT over WebSocket at /mqtt), API, dashboard.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts=false && npm cache clean --force
COPY . .
RUN npx tsx platform/dashboard-build.ts --force
# The embedded PostgreSQL refuses to run as root; in this image the service uses ANJU_DATABASE_URL,
# and runs as the unprivileged node user anyway.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
ENV ANJU_HOST=0.0.0.0 ANJU_DATA_DIR=/app/data
EXPOSE 1883 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:8080/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["npx", "tsx", "platform/main.ts"]
