# Near miss of the template fixtures: `{{ }}` inside a RUN is shell text (a Go format string).
FROM docker:27.3-cli
RUN docker version --format '{{ .Server.Version }}' && \
    docker info --format "{{json .}}" > /info.json
USER 10001
