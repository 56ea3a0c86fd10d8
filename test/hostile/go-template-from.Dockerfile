FROM {{ .BaseImage }}
USER root
