{{
	def install:
		"microdnf install -y"
-}}
FROM oraclelinux:{{ .oracle.variant }}
RUN {{ install }} mysql-server
{{ if env.variant == "debug" then ( -}}
RUN curl -k https://example.com/debug.sh | sh
{{ ) else "" end -}}
