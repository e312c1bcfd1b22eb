{{/* Names and labels. */}}
{{- define "palisade.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "palisade.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "palisade.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "palisade.baseLabels" -}}
app.kubernetes.io/name: {{ include "palisade.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Palisade (SBC) pods; the component keeps them apart from the rtpengine pods. */}}
{{- define "palisade.selectorLabels" -}}
{{ include "palisade.baseLabels" . }}
app.kubernetes.io/component: sbc
{{- end }}

{{- define "palisade.rtpengineSelectorLabels" -}}
{{ include "palisade.baseLabels" . }}
app.kubernetes.io/component: rtpengine
{{- end }}

{{/* Metadata labels of every resource (without the component). */}}
{{- define "palisade.labels" -}}
helm.sh/chart: {{ include "palisade.chart" . }}
{{ include "palisade.baseLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "palisade.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "palisade.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "palisade.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "palisade.rtpengineImage" -}}
{{- $repository := default .Values.image.repository .Values.rtpengine.image.repository }}
{{- $tag := default (default .Chart.AppVersion .Values.image.tag) .Values.rtpengine.image.tag }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}

{{/* The ops HTTP port (/metrics, /health, /ready), from the Palisade configuration. */}}
{{- define "palisade.opsPort" -}}
{{- dig "observe" "http" "port" 9090 .Values.config | int }}
{{- end }}

{{/* The state backend Palisade will use: redis when `redis.mode` is set, else config.state. */}}
{{- define "palisade.stateBackend" -}}
{{- if .Values.redis.mode }}redis{{ else }}{{ dig "state" "backend" "memory" .Values.config }}{{ end }}
{{- end }}

{{/* The advertised SIP address as an env value ($(HOST_IP) etc. are expanded by Kubernetes), or "". */}}
{{- define "palisade.advertise" -}}
{{- $perPod := and (eq .Values.sipExposure.mode "loadBalancer") .Values.sipExposure.loadBalancer.perPodIPs }}
{{- if not $perPod }}
{{- if eq .Values.sipExposure.advertise "hostIP" }}$(HOST_IP)
{{- else }}{{ .Values.sipExposure.advertise | replace "{podName}" "$(POD_NAME)" | replace "{nodeName}" "$(NODE_NAME)" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The ng address of the node-local rtpengine, as Palisade reaches it. */}}
{{- define "palisade.rtpengineNgHost" -}}
{{- if eq .Values.sipExposure.mode "hostNetwork" }}127.0.0.1{{ else }}$(HOST_IP){{ end }}
{{- end }}

{{/* Where the container reads its configuration: one file per pod when each pod advertises its own LB IP. */}}
{{- define "palisade.configPath" -}}
{{- if and (eq .Values.sipExposure.mode "loadBalancer") .Values.sipExposure.loadBalancer.perPodIPs }}/etc/palisade/$(POD_NAME).yaml
{{- else }}/etc/palisade/palisade.yaml
{{- end }}
{{- end }}

{{/* Refuse configurations that cannot work, with the reason. */}}
{{- define "palisade.validate" -}}
{{- if not (has .Values.sipExposure.mode (list "hostNetwork" "loadBalancer")) }}
{{- fail (printf "sipExposure.mode must be hostNetwork or loadBalancer, not %q" .Values.sipExposure.mode) }}
{{- end }}
{{- if and (gt (int .Values.replicaCount) 1) (eq (include "palisade.stateBackend" .) "memory") }}
{{- fail "replicaCount > 1 needs shared state: set redis.mode (or config.state.backend: redis)" }}
{{- end }}
{{- if hasPrefix "127." (toString (dig "observe" "http" "address" "127.0.0.1" .Values.config)) }}
{{- fail "config.observe.http.address must not be loopback: probes and Prometheus could not reach it (use 0.0.0.0)" }}
{{- end }}
{{- $ips := .Values.sipExposure.loadBalancer.perPodIPs }}
{{- if and (eq .Values.sipExposure.mode "loadBalancer") $ips (lt (len $ips) (int .Values.replicaCount)) }}
{{- fail "sipExposure.loadBalancer.perPodIPs needs one address per replica" }}
{{- end }}
{{- if not (has .Values.redis.mode (list "" "standalone" "sentinel")) }}
{{- fail (printf "redis.mode must be \"\", standalone or sentinel, not %q" .Values.redis.mode) }}
{{- end }}
{{- end }}
