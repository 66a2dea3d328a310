package printers

import (
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// pod follows kubectl's describePod, field by field.
func (d *describer) pod(pod *corev1.Pod) {
	d.write(level0, "Name:\t%s\n", pod.Name)
	d.write(level0, "Namespace:\t%s\n", pod.Namespace)
	if pod.Spec.Priority != nil {
		d.write(level0, "Priority:\t%d\n", *pod.Spec.Priority)
	}
	if pod.Spec.PriorityClassName != "" {
		d.write(level0, "Priority Class Name:\t%s\n", pod.Spec.PriorityClassName)
	}
	if pod.Spec.RuntimeClassName != nil && *pod.Spec.RuntimeClassName != "" {
		d.write(level0, "Runtime Class Name:\t%s\n", *pod.Spec.RuntimeClassName)
	}
	if pod.Spec.ServiceAccountName != "" {
		d.write(level0, "Service Account:\t%s\n", pod.Spec.ServiceAccountName)
	}
	if pod.Spec.NodeName == "" {
		d.write(level0, "Node:\t<none>\n")
	} else {
		d.write(level0, "Node:\t%s\n", pod.Spec.NodeName+"/"+pod.Status.HostIP)
	}
	if pod.Status.StartTime != nil {
		d.write(level0, "Start Time:\t%s\n", rfc1123z(*pod.Status.StartTime))
	}
	d.labelsMultiline("Labels", pod.Labels)
	d.annotationsMultiline("Annotations", pod.Annotations)
	if pod.DeletionTimestamp != nil && !podFinished(pod) {
		d.write(level0, "Status:\tTerminating (lasts %s)\n", age(d.now, *pod.DeletionTimestamp))
		if pod.DeletionGracePeriodSeconds != nil {
			d.write(level0, "Termination Grace Period:\t%ds\n", *pod.DeletionGracePeriodSeconds)
		}
	} else {
		d.write(level0, "Status:\t%s\n", string(pod.Status.Phase))
	}
	if pod.Status.Reason != "" {
		d.write(level0, "Reason:\t%s\n", pod.Status.Reason)
	}
	if pod.Status.Message != "" {
		d.write(level0, "Message:\t%s\n", pod.Status.Message)
	}
	if sc := pod.Spec.SecurityContext; sc != nil && sc.SeccompProfile != nil {
		d.write(level0, "SeccompProfile:\t%s\n", sc.SeccompProfile.Type)
		if sc.SeccompProfile.Type == corev1.SeccompProfileTypeLocalhost && sc.SeccompProfile.LocalhostProfile != nil {
			d.write(level0, "LocalhostProfile:\t%s\n", *sc.SeccompProfile.LocalhostProfile)
		}
	}
	d.write(level0, "IP:\t%s\n", pod.Status.PodIP)
	d.podIPs(pod)
	if controlledBy := controllerOf(pod.OwnerReferences); controlledBy != "" {
		d.write(level0, "Controlled By:\t%s\n", controlledBy)
	}
	if pod.Status.NominatedNodeName != "" {
		d.write(level0, "NominatedNodeName:\t%s\n", pod.Status.NominatedNodeName)
	}
	if pod.Spec.Resources != nil {
		d.write(level0, "Resources:\n")
		d.resources(pod.Spec.Resources, level1)
	}

	env := podFieldResolver(pod)
	if len(pod.Spec.InitContainers) > 0 {
		d.containers("Init Containers", pod.Spec.InitContainers, pod.Status.InitContainerStatuses, env, "")
	}
	d.containers("Containers", pod.Spec.Containers, pod.Status.ContainerStatuses, env, "")
	if len(pod.Spec.EphemeralContainers) > 0 {
		ephemeral := make([]corev1.Container, 0, len(pod.Spec.EphemeralContainers))
		for _, ec := range pod.Spec.EphemeralContainers {
			ephemeral = append(ephemeral, corev1.Container(ec.EphemeralContainerCommon))
		}
		d.containers("Ephemeral Containers", ephemeral, pod.Status.EphemeralContainerStatuses, env, "")
	}
	if len(pod.Spec.ReadinessGates) > 0 {
		d.write(level0, "Readiness Gates:\n  Type\tStatus\n")
		for _, g := range pod.Spec.ReadinessGates {
			status := "<none>"
			for _, c := range pod.Status.Conditions {
				if c.Type == g.ConditionType {
					status = string(c.Status)
					break
				}
			}
			d.write(level1, "%v \t%v \n", g.ConditionType, status)
		}
	}
	if len(pod.Status.Conditions) > 0 {
		d.write(level0, "Conditions:\n  Type\tStatus\n")
		for _, c := range pod.Status.Conditions {
			d.write(level1, "%v \t%v \n", c.Type, c.Status)
		}
	}
	d.volumes(pod.Spec.Volumes, "")
	d.write(level0, "QoS Class:\t%s\n", podQOS(pod))
	d.labelsMultiline("Node-Selectors", pod.Spec.NodeSelector)
	d.tolerationsMultiline("Tolerations", pod.Spec.Tolerations)
	d.topologySpread(pod.Spec.TopologySpreadConstraints, "")

	// kubectl leaves the kind out of a pod's event search.
	d.events(d.searchEvents(eventRef{namespace: pod.Namespace, name: pod.Name, uids: []types.UID{pod.UID}}))
}

// podIPs prints "IPs:" with one "IP:" line per address. The API server fills
// status.podIPs from status.podIP, so a lone podIP counts as the list.
func (d *describer) podIPs(pod *corev1.Pod) {
	ips := make([]string, 0, len(pod.Status.PodIPs))
	for _, ip := range pod.Status.PodIPs {
		ips = append(ips, ip.IP)
	}
	if len(ips) == 0 && pod.Status.PodIP != "" {
		ips = append(ips, pod.Status.PodIP)
	}
	if len(ips) == 0 {
		d.write(level0, "IPs:\t<none>\n")
		return
	}
	d.write(level0, "IPs:\n")
	for _, ip := range ips {
		d.write(level1, "IP:\t%s\n", ip)
	}
}

// controllerOf is "Kind/name" of the controlling owner, "" when there is none.
func controllerOf(refs []metav1.OwnerReference) string {
	for _, ref := range refs {
		if ref.Controller != nil && *ref.Controller {
			return ref.Kind + "/" + ref.Name
		}
	}
	return ""
}

// containers follows kubectl's describeContainers. space is "" for a pod and
// "  " inside a pod template; statuses are nil for templates.
func (d *describer) containers(label string, containers []corev1.Container, statuses []corev1.ContainerStatus,
	env fieldResolver, space string) {
	byName := make(map[string]corev1.ContainerStatus, len(statuses))
	for _, s := range statuses {
		byName[s.Name] = s
	}
	none := ""
	if len(containers) == 0 {
		none = " <none>"
	}
	d.write(level0, "%s%s:%s\n", space, label, none)

	nameIndent := ""
	if space != "" {
		nameIndent = " "
	}
	for _, c := range containers {
		status, ok := byName[c.Name]
		d.write(level1, "%s%v:\n", nameIndent, c.Name)
		if ok {
			d.write(level2, "Container ID:\t%s\n", status.ContainerID)
		}
		d.write(level2, "Image:\t%s\n", c.Image)
		if ok {
			d.write(level2, "Image ID:\t%s\n", status.ImageID)
		}
		d.containerPorts(c.Ports)
		if sc := c.SecurityContext; sc != nil && sc.SeccompProfile != nil {
			d.write(level2, "SeccompProfile:\t%s\n", sc.SeccompProfile.Type)
			if sc.SeccompProfile.Type == corev1.SeccompProfileTypeLocalhost && sc.SeccompProfile.LocalhostProfile != nil {
				d.write(level3, "LocalhostProfile:\t%s\n", *sc.SeccompProfile.LocalhostProfile)
			}
		}
		d.commandAndArgs(c)
		if ok {
			d.containerState("State", status.State)
			if status.LastTerminationState.Terminated != nil {
				d.containerState("Last State", status.LastTerminationState)
			}
			d.write(level2, "Ready:\t%v\n", boolTitle(status.Ready))
			d.write(level2, "Restart Count:\t%d\n", status.RestartCount)
		}
		d.resources(&c.Resources, level2)
		d.probes(c)
		if len(c.EnvFrom) > 0 {
			d.envFrom(c)
		}
		d.envVars(c, env)
		d.mounts(c)
	}
}

func (d *describer) containerPorts(ports []corev1.ContainerPort) {
	container := make([]string, 0, len(ports))
	host := make([]string, 0, len(ports))
	for _, p := range ports {
		container = append(container, fmt.Sprintf("%d/%s", p.ContainerPort, p.Protocol))
		host = append(host, fmt.Sprintf("%d/%s", p.HostPort, p.Protocol))
	}
	if s := strings.Join(container, ", "); strings.Contains(s, ",") {
		d.write(level2, "Ports:\t%s\n", s)
	} else {
		d.write(level2, "Port:\t%s\n", stringOrNone(s))
	}
	if s := strings.Join(host, ", "); strings.Contains(s, ",") {
		d.write(level2, "Host Ports:\t%s\n", s)
	} else {
		d.write(level2, "Host Port:\t%s\n", stringOrNone(s))
	}
}

func (d *describer) commandAndArgs(c corev1.Container) {
	if len(c.Command) > 0 {
		d.write(level2, "Command:\n")
		for _, cmd := range c.Command {
			for _, s := range strings.Split(cmd, "\n") {
				d.write(level3, "%s\n", s)
			}
		}
	}
	if len(c.Args) > 0 {
		d.write(level2, "Args:\n")
		for _, arg := range c.Args {
			for _, s := range strings.Split(arg, "\n") {
				d.write(level3, "%s\n", s)
			}
		}
	}
}

func (d *describer) containerState(name string, state corev1.ContainerState) {
	switch {
	case state.Running != nil:
		d.write(level2, "%s:\tRunning\n", name)
		d.write(level3, "Started:\t%v\n", rfc1123z(state.Running.StartedAt))
	case state.Waiting != nil:
		d.write(level2, "%s:\tWaiting\n", name)
		if state.Waiting.Reason != "" {
			d.write(level3, "Reason:\t%s\n", state.Waiting.Reason)
		}
	case state.Terminated != nil:
		t := state.Terminated
		d.write(level2, "%s:\tTerminated\n", name)
		if t.Reason != "" {
			d.write(level3, "Reason:\t%s\n", t.Reason)
		}
		if t.Message != "" {
			d.write(level3, "Message:\t%s\n", t.Message)
		}
		d.write(level3, "Exit Code:\t%d\n", t.ExitCode)
		if t.Signal > 0 {
			d.write(level3, "Signal:\t%d\n", t.Signal)
		}
		d.write(level3, "Started:\t%s\n", rfc1123z(t.StartedAt))
		d.write(level3, "Finished:\t%s\n", rfc1123z(t.FinishedAt))
	default:
		d.write(level2, "%s:\tWaiting\n", name)
	}
}

// resources prints Limits and Requests, each sorted by resource name.
func (d *describer) resources(r *corev1.ResourceRequirements, level int) {
	if r == nil {
		return
	}
	if len(r.Limits) > 0 {
		d.write(level, "Limits:\n")
	}
	for _, name := range sortedResourceNames(r.Limits) {
		q := r.Limits[name]
		d.write(level+1, "%s:\t%s\n", name, q.String())
	}
	if len(r.Requests) > 0 {
		d.write(level, "Requests:\n")
	}
	for _, name := range sortedResourceNames(r.Requests) {
		q := r.Requests[name]
		d.write(level+1, "%s:\t%s\n", name, q.String())
	}
}

func sortedResourceNames(list corev1.ResourceList) []corev1.ResourceName {
	names := make([]corev1.ResourceName, 0, len(list))
	for name := range list {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return names[i] < names[j] })
	return names
}

func (d *describer) probes(c corev1.Container) {
	if c.LivenessProbe != nil {
		d.write(level2, "Liveness:\t%s\n", describeProbe(c.LivenessProbe))
	}
	if c.ReadinessProbe != nil {
		d.write(level2, "Readiness:\t%s\n", describeProbe(c.ReadinessProbe))
	}
	if c.StartupProbe != nil {
		d.write(level2, "Startup:\t%s\n", describeProbe(c.StartupProbe))
	}
}

// describeProbe is kubectl's one-line probe summary (k8s.io/kubectl v0.37.2 pkg/describe/describe.go
// DescribeProbe: "successThreshold=1 failureThreshold=3", where older releases printed "#success=1
// #failure=3").
func describeProbe(p *corev1.Probe) string {
	attrs := fmt.Sprintf("delay=%ds timeout=%ds period=%ds successThreshold=%d failureThreshold=%d",
		p.InitialDelaySeconds, p.TimeoutSeconds, p.PeriodSeconds, p.SuccessThreshold, p.FailureThreshold)
	switch {
	case p.Exec != nil:
		return fmt.Sprintf("exec %v %s", p.Exec.Command, attrs)
	case p.HTTPGet != nil:
		u := &url.URL{Scheme: strings.ToLower(string(p.HTTPGet.Scheme)), Path: p.HTTPGet.Path}
		if port := p.HTTPGet.Port.String(); port != "" {
			u.Host = net.JoinHostPort(p.HTTPGet.Host, port)
		} else {
			u.Host = p.HTTPGet.Host
		}
		return fmt.Sprintf("http-get %s %s", u.String(), attrs)
	case p.TCPSocket != nil:
		return fmt.Sprintf("tcp-socket %s:%s %s", p.TCPSocket.Host, p.TCPSocket.Port.String(), attrs)
	case p.GRPC != nil:
		service := ""
		if p.GRPC.Service != nil {
			service = *p.GRPC.Service
		}
		return fmt.Sprintf("grpc <pod>:%d %s %s", p.GRPC.Port, service, attrs)
	}
	return fmt.Sprintf("unknown %s", attrs)
}

func (d *describer) envFrom(c corev1.Container) {
	d.write(level2, "Environment Variables from:\n")
	for _, e := range c.EnvFrom {
		from, name, optional := "", "", false
		switch {
		case e.ConfigMapRef != nil:
			from, name = "ConfigMap", e.ConfigMapRef.Name
			optional = e.ConfigMapRef.Optional != nil && *e.ConfigMapRef.Optional
		case e.SecretRef != nil:
			from, name = "Secret", e.SecretRef.Name
			optional = e.SecretRef.Optional != nil && *e.SecretRef.Optional
		}
		if e.Prefix == "" {
			d.write(level3, "%s\t%s\tOptional: %t\n", name, from, optional)
		} else {
			d.write(level3, "%s\t%s with prefix '%s'\tOptional: %t\n", name, from, e.Prefix, optional)
		}
	}
}

func (d *describer) envVars(c corev1.Container, resolve fieldResolver) {
	none := ""
	if len(c.Env) == 0 {
		none = "\t<none>"
	}
	d.write(level2, "Environment:%s\n", none)
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			for i, s := range strings.Split(e.Value, "\n") {
				if i == 0 {
					d.write(level3, "%s:\t%s\n", e.Name, s)
				} else {
					d.write(level3, "\t%s\n", s)
				}
			}
			continue
		}
		switch from := e.ValueFrom; {
		case from.FieldRef != nil:
			value := ""
			if resolve != nil {
				value = resolve(from.FieldRef.FieldPath)
			}
			d.write(level3, "%s:\t%s (%s:%s)\n", e.Name, value, from.FieldRef.APIVersion, from.FieldRef.FieldPath)
		case from.ResourceFieldRef != nil:
			value := containerResourceValue(from.ResourceFieldRef, c)
			if value == "0" && (from.ResourceFieldRef.Resource == "limits.cpu" || from.ResourceFieldRef.Resource == "limits.memory") {
				value = "node allocatable"
			}
			d.write(level3, "%s:\t%s (%s)\n", e.Name, value, from.ResourceFieldRef.Resource)
		case from.SecretKeyRef != nil:
			optional := from.SecretKeyRef.Optional != nil && *from.SecretKeyRef.Optional
			d.write(level3, "%s:\t<set to the key '%s' in secret '%s'>\tOptional: %t\n", e.Name, from.SecretKeyRef.Key, from.SecretKeyRef.Name, optional)
		case from.ConfigMapKeyRef != nil:
			optional := from.ConfigMapKeyRef.Optional != nil && *from.ConfigMapKeyRef.Optional
			d.write(level3, "%s:\t<set to the key '%s' of config map '%s'>\tOptional: %t\n", e.Name, from.ConfigMapKeyRef.Key, from.ConfigMapKeyRef.Name, optional)
		}
	}
}

// mounts prints volume mounts sorted by path, then block devices.
func (d *describer) mounts(c corev1.Container) {
	none := ""
	if len(c.VolumeMounts) == 0 {
		none = "\t<none>"
	}
	d.write(level2, "Mounts:%s\n", none)
	mounts := append([]corev1.VolumeMount(nil), c.VolumeMounts...)
	sort.SliceStable(mounts, func(i, j int) bool { return mounts[i].MountPath < mounts[j].MountPath })
	for _, m := range mounts {
		flags := []string{"rw"}
		if m.ReadOnly {
			flags = []string{"ro"}
		}
		if m.SubPath != "" {
			flags = append(flags, fmt.Sprintf("path=%q", m.SubPath))
		}
		d.write(level3, "%s from %s (%s)\n", m.MountPath, m.Name, strings.Join(flags, ","))
	}
	if len(c.VolumeDevices) > 0 {
		d.write(level2, "Devices:%s\n", none)
		devices := append([]corev1.VolumeDevice(nil), c.VolumeDevices...)
		sort.SliceStable(devices, func(i, j int) bool { return devices[i].DevicePath < devices[j].DevicePath })
		for _, dev := range devices {
			d.write(level3, "%s from %s\n", dev.DevicePath, dev.Name)
		}
	}
}

// topologySpread prints the pod's topology spread constraints, if any.
func (d *describer) topologySpread(constraints []corev1.TopologySpreadConstraint, space string) {
	if len(constraints) == 0 {
		return
	}
	sorted := append([]corev1.TopologySpreadConstraint(nil), constraints...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].TopologyKey < sorted[j].TopologyKey })
	d.write(level0, "%sTopology Spread Constraints:\t", space)
	for i, c := range sorted {
		if i != 0 {
			d.write(level0, "%s", space)
			d.write(level0, "%s", "\t")
		}
		d.write(level0, "%s:", c.TopologyKey)
		d.write(level0, "%v", c.WhenUnsatisfiable)
		d.write(level0, " when max skew %d is exceeded", c.MaxSkew)
		if c.LabelSelector != nil {
			d.write(level0, " for selector %s", metav1.FormatLabelSelector(c.LabelSelector))
		}
		d.write(level0, "\n")
	}
}
