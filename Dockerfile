# affiliate-sandbox: the vendor APIs on port 8080, health at /_sandbox/health.
# .ci/container-check.sh builds this file and proves what the README's "Run in CI" section promises.

# Build stage: install the package and its dependencies into a virtual environment.
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY sandbox ./sandbox
COPY specs ./specs
COPY fixtures ./fixtures
# One create_app() here keeps the packaged specs and fixtures parsed (sandbox/core/yamlcache.py) in the image:
# every container start reads those instead of the YAML (so it never needs to write a cache of its own).
RUN python -m venv /opt/sandbox \
 && /opt/sandbox/bin/pip install --no-cache-dir --disable-pip-version-check . \
 && /opt/sandbox/bin/python -c "import sandbox; sandbox.create_app()" \
 && /opt/sandbox/bin/python -m pip uninstall --yes --quiet --disable-pip-version-check pip setuptools wheel

# Final stage: the base image, the environment and tini; no compilers, no pip, no tests.
FROM python:3.12-slim
# tini as PID 1 forwards SIGTERM to the server, so `docker stop` is fast even during startup
# (PID 1 ignores a signal it has no handler for). -e 143: a SIGTERM'd server counts as a clean exit.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin sandbox
COPY --from=build /opt/sandbox /opt/sandbox
# Numeric so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
ENV PATH=/opt/sandbox/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SANDBOX_HOST=0.0.0.0 \
    SANDBOX_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=5 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/_sandbox/health', timeout=2).status != 200)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "-e", "143", "--"]
CMD ["sandbox", "serve", "--host", "0.0.0.0", "--port", "8080"]
