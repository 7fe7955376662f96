{{/* The operator's objects' name: berth-operator for a release named berth, as in deploy/. */}}
{{- define "berth.fullname" -}}
{{- default (printf "%s-operator" .Release.Name) .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "berth.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "berth.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The selector: the one label deploy/ puts on everything; it never changes on upgrade. */}}
{{- define "berth.selectorLabels" -}}
app.kubernetes.io/name: {{ include "berth.fullname" . }}
{{- end -}}

{{/* Helm's bookkeeping labels on top; HelmChartTest removes exactly these before comparing with deploy/. */}}
{{- define "berth.labels" -}}
{{ include "berth.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{ include "berth.releaseLabels" . }}
{{- end -}}

{{/* On what the chart makes beside the operator (the Registry, its htpasswd Secret). */}}
{{- define "berth.releaseLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}
