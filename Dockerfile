# One image per app, from its bundle: `pnpm build`, then
#   docker build --build-arg APP=orchestratord --build-arg PORT=8080 .
# The bundle (apps/<app>/dist/main.js) is plain JS with every dependency inside, so the image has
# no install step and no node_modules. The base is a build argument (DESIGN §7):
# node:24-bookworm-slim for real use, or a local base from scripts/make-base-image.sh on machines
# that cannot pull.
ARG BASE=node:24-bookworm-slim
FROM ${BASE}
ARG APP
ARG PORT=8000
# The V8 flags of the app's `start` script (scripts/build-image.sh reads them from package.json).
ARG NODE_FLAGS=""
ENV NODE_ENV=production HOST=0.0.0.0 PORT=${PORT} NODE_OPTIONS=${NODE_FLAGS}
WORKDIR /app
COPY apps/${APP}/dist/ ./
USER 1000:1000
EXPOSE ${PORT}
HEALTHCHECK --interval=5s --timeout=2s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# No --enable-source-maps: pino maps its call sites when a logger is made (util.getCallSites),
# which decodes the whole bundle's map at start, about +65 MB resident for the process's life
# (engine issue 4). Function names in stack traces stay readable (identifiers are not minified);
# to map positions too, run the container with NODE_OPTIONS=--enable-source-maps.
CMD ["node", "main.js"]
