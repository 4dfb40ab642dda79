{{/* The image of the cache container: registry/repository:tag, as bitnami's common.images.image renders it. */}}
{{- define "session-cache.image" -}}
{{- $registry := .Values.image.registry | default "docker.io" -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}
