# affiliate-sandbox: the four vendor APIs on port 8080, health at /_sandbox/health.
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY sandbox ./sandbox
COPY specs ./specs
COPY fixtures ./fixtures
RUN python -m venv /opt/sandbox \
 && /opt/sandbox/bin/pip install --no-cache-dir --disable-pip-version-check .

FROM python:3.12-slim
COPY --from=build /opt/sandbox /opt/sandbox
RUN useradd --system --uid 10001 --no-create-home sandbox
USER sandbox
ENV PATH=/opt/sandbox/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    SANDBOX_HOST=0.0.0.0 \
    SANDBOX_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=2s --start-period=5s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/_sandbox/health', timeout=2).status == 200 else 1)"
STOPSIGNAL SIGTERM
CMD ["sandbox", "serve", "--host", "0.0.0.0", "--port", "8080"]
