FROM alpine:3.19
FROBNICATE the thing
RUN
USER
COPY
run echo lower-case
