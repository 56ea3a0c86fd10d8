# escape=x
FROM alpine:3.19
USER 0
