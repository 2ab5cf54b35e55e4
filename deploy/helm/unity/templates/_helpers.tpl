{{- define "unity.name" -}}{{ .Chart.Name }}{{- end -}}

{{- define "unity.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "unity.labels" -}}
app.kubernetes.io/name: {{ include "unity.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "unity.selectorLabels" -}}
app.kubernetes.io/name: {{ include "unity.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "unity.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}{{ default (include "unity.fullname" .) .Values.serviceAccount.name }}
{{- else -}}{{ default "default" .Values.serviceAccount.name }}{{- end -}}
{{- end -}}

{{/* The chart refuses combinations that lose data or split secrets between replicas. */}}
{{- define "unity.validate" -}}
{{- if not (has .Values.database.type (list "sqlite" "postgres")) -}}
{{- fail "database.type must be sqlite or postgres" -}}
{{- end -}}
{{- if and (eq .Values.database.type "sqlite") (gt (int .Values.replicaCount) 1) -}}
{{- fail "replicaCount > 1 needs database.type=postgres: SQLite is one file on one volume" -}}
{{- end -}}
{{- if eq .Values.database.type "postgres" -}}
{{- if not .Values.database.postgres.existingSecret -}}
{{- fail "database.type=postgres needs database.postgres.existingSecret (a Secret with DATABASE_URL)" -}}
{{- end -}}
{{- if not .Values.masterKey.existingSecret -}}
{{- fail "database.type=postgres needs masterKey.existingSecret: every replica must open the same secrets" -}}
{{- end -}}
{{- end -}}
{{- end -}}
