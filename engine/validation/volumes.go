package validation

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

const fileModeErrorMsg = "must be a number between 0 and 0777 (octal), both inclusive"

// volumeSourceKind is one member of the VolumeSource union: the path segment
// its errors use and, for the common kinds, how to validate it.
type volumeSourceKind struct {
	child    string
	present  func(*corev1.VolumeSource) bool
	validate func(*corev1.VolumeSource, *field.Path) field.ErrorList
}

// volumeSourceKinds follows validateVolumeSource's order and spelling
// (including its "downwarAPI" typo in the "more than 1" error).
var volumeSourceKinds = []volumeSourceKind{
	{"emptyDir", func(s *corev1.VolumeSource) bool { return s.EmptyDir != nil }, validateEmptyDir},
	{"hostPath", func(s *corev1.VolumeSource) bool { return s.HostPath != nil }, validateHostPath},
	{"gitRepo", func(s *corev1.VolumeSource) bool { return s.GitRepo != nil }, validateGitRepo},
	{"gcePersistentDisk", func(s *corev1.VolumeSource) bool { return s.GCEPersistentDisk != nil }, nil},
	{"awsElasticBlockStore", func(s *corev1.VolumeSource) bool { return s.AWSElasticBlockStore != nil }, nil},
	{"secret", func(s *corev1.VolumeSource) bool { return s.Secret != nil }, validateSecretVolume},
	{"nfs", func(s *corev1.VolumeSource) bool { return s.NFS != nil }, validateNFS},
	{"iscsi", func(s *corev1.VolumeSource) bool { return s.ISCSI != nil }, nil},
	{"glusterfs", func(s *corev1.VolumeSource) bool { return s.Glusterfs != nil }, nil},
	{"flocker", func(s *corev1.VolumeSource) bool { return s.Flocker != nil }, nil},
	{"persistentVolumeClaim", func(s *corev1.VolumeSource) bool { return s.PersistentVolumeClaim != nil }, validatePVCVolume},
	{"rbd", func(s *corev1.VolumeSource) bool { return s.RBD != nil }, nil},
	{"cinder", func(s *corev1.VolumeSource) bool { return s.Cinder != nil }, nil},
	{"cephFS", func(s *corev1.VolumeSource) bool { return s.CephFS != nil }, nil},
	{"quobyte", func(s *corev1.VolumeSource) bool { return s.Quobyte != nil }, nil},
	{"downwarAPI", func(s *corev1.VolumeSource) bool { return s.DownwardAPI != nil }, validateDownwardAPIVolume},
	{"fc", func(s *corev1.VolumeSource) bool { return s.FC != nil }, nil},
	{"flexVolume", func(s *corev1.VolumeSource) bool { return s.FlexVolume != nil }, nil},
	{"configMap", func(s *corev1.VolumeSource) bool { return s.ConfigMap != nil }, validateConfigMapVolume},
	{"azureFile", func(s *corev1.VolumeSource) bool { return s.AzureFile != nil }, nil},
	{"vsphereVolume", func(s *corev1.VolumeSource) bool { return s.VsphereVolume != nil }, nil},
	{"photonPersistentDisk", func(s *corev1.VolumeSource) bool { return s.PhotonPersistentDisk != nil }, nil},
	{"portworxVolume", func(s *corev1.VolumeSource) bool { return s.PortworxVolume != nil }, nil},
	{"azureDisk", func(s *corev1.VolumeSource) bool { return s.AzureDisk != nil }, nil},
	{"storageos", func(s *corev1.VolumeSource) bool { return s.StorageOS != nil }, nil},
	{"projected", func(s *corev1.VolumeSource) bool { return s.Projected != nil }, validateProjectedVolume},
	{"scaleIO", func(s *corev1.VolumeSource) bool { return s.ScaleIO != nil }, nil},
	{"csi", func(s *corev1.VolumeSource) bool { return s.CSI != nil }, nil},
	{"ephemeral", func(s *corev1.VolumeSource) bool { return s.Ephemeral != nil }, nil},
	{"image", func(s *corev1.VolumeSource) bool { return s.Image != nil }, nil},
}

func volumeSourceCount(s *corev1.VolumeSource) int {
	n := 0
	for _, k := range volumeSourceKinds {
		if k.present(s) {
			n++
		}
	}
	return n
}

// validateVolumes returns the valid volumes by name, for the mounts to refer
// to, and the errors.
func validateVolumes(volumes []corev1.Volume, podMeta *metav1.ObjectMeta, fldPath *field.Path) (map[string]corev1.VolumeSource, field.ErrorList) {
	var allErrs field.ErrorList
	valid := map[string]corev1.VolumeSource{}
	names := map[string]bool{}
	podName := ""
	if podMeta != nil {
		podName = podMeta.Name
	}
	// An ephemeral volume creates the PVC "<pod>-<volume>".
	createdPVCs := map[string]bool{}
	for _, v := range volumes {
		if podName != "" && v.Ephemeral != nil {
			createdPVCs[podName+"-"+v.Name] = true
		}
	}
	for i := range volumes {
		v := &volumes[i]
		idxPath := fldPath.Index(i)
		namePath := idxPath.Child("name")
		errs := validateVolumeSource(&v.VolumeSource, idxPath)
		if v.Ephemeral != nil && volumeSourceCount(&v.VolumeSource) == 1 && podName != "" && v.Name != "" {
			pvcName := podName + "-" + v.Name
			for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(pvcName, false) {
				errs = append(errs, field.Invalid(namePath, v.Name, fmt.Sprintf("PVC name %q: %v", pvcName, msg)))
			}
		}
		if v.Name == "" {
			errs = append(errs, field.Required(namePath, ""))
		} else {
			errs = append(errs, validateDNS1123Label(v.Name, namePath)...)
		}
		if names[v.Name] {
			errs = append(errs, field.Duplicate(namePath, v.Name))
		}
		if len(errs) == 0 {
			names[v.Name] = true
			valid[v.Name] = v.VolumeSource
		} else {
			allErrs = append(allErrs, errs...)
		}
		if v.PersistentVolumeClaim != nil && createdPVCs[v.PersistentVolumeClaim.ClaimName] {
			allErrs = append(allErrs, field.Invalid(idxPath.Child("persistentVolumeClaim", "claimName"), v.PersistentVolumeClaim.ClaimName,
				"must not reference a PVC that gets created for an ephemeral volume"))
		}
	}
	return valid, allErrs
}

func validateVolumeSource(s *corev1.VolumeSource, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	count := 0
	for _, k := range volumeSourceKinds {
		if !k.present(s) {
			continue
		}
		if count > 0 {
			allErrs = append(allErrs, field.Forbidden(fldPath.Child(k.child), "may not specify more than 1 volume type"))
			continue
		}
		count++
		if k.validate != nil {
			allErrs = append(allErrs, k.validate(s, fldPath)...)
		}
	}
	if count == 0 {
		allErrs = append(allErrs, field.Required(fldPath, "must specify a volume type"))
	}
	return allErrs
}

func validateEmptyDir(s *corev1.VolumeSource, fldPath *field.Path) field.ErrorList {
	if limit := s.EmptyDir.SizeLimit; limit != nil && limit.Cmp(resource.Quantity{}) < 0 {
		return field.ErrorList{field.Forbidden(fldPath.Child("emptyDir", "sizeLimit"), "SizeLimit field must be a valid resource quantity")}
	}
	return nil
}

var supportedHostPathTypes = []corev1.HostPathType{
	corev1.HostPathUnset, corev1.HostPathBlockDev, corev1.HostPathCharDev, corev1.HostPathDirectory,
	corev1.HostPathDirectoryOrCreate, corev1.HostPathFile, corev1.HostPathFileOrCreate, corev1.HostPathSocket,
}

func validateHostPath(s *corev1.VolumeSource, fldPath *field.Path) field.ErrorList {
	p := fldPath.Child("hostPath")
	if s.HostPath.Path == "" {
		return field.ErrorList{field.Required(p.Child("path"), "")}
	}
	allErrs := validatePathNoBacksteps(s.HostPath.Path, p.Child("path"))
	if t := s.HostPath.Type; t != nil && !containsValue(supportedHostPathTypes, *t) {
		allErrs = append(allErrs, field.NotSupported(p.Child("type"), t, supportedHostPathTypes))
	}
	return allErrs
}

func validateGitRepo(s *corev1.VolumeSource, fldPath *field.Path) field.ErrorList {
	p := fldPath.Child("gitRepo")
	var allErrs field.ErrorList
	if s.GitRepo.Repository == "" {
		allErrs = append(allErrs, field.Required(p.Child("repository"), ""))
	}
	return append(allErrs, validateLocalDescendingPath(s.GitRepo.Directory, p.Child("directory"))...)
}

func validateSecretVolume(s *corev1.VolumeSource, fldPath *field.Path) field.ErrorList {
	p := fldPath.Child("secret")
	var allErrs field.ErrorList
	if s.Secret.SecretName == "" {
		allErrs = append(allErrs, field.Required(p.Child("secretName"), ""))
	}
	allErrs = append(allErrs, validateFileMode(s.Secret.DefaultMode, p.Child("defaultMode"))...)
	for i := range s.Secret.Items {
		allErrs = append(allErrs, validateKeyToPath(&s.Secret.Items[i], p.Child("items").Index(i))...)
	}
	return allErrs
}

func validateConfigMapVolume(s *corev1.VolumeSource, fldPath *field.Path) field.ErrorList {
	p := fldPath.Child("configMap")
	var allErrs field.ErrorList
	if s.ConfigMap.Name == "" {
		allErrs = append(allErrs, field.Required(p.Child("name"), ""))
	}
	allErrs = append(allErrs, validateFileMode(s.ConfigMap.DefaultMode, p.Child("defaultMode"))...)
	for i := range s.ConfigMap.Items {
		allErrs = append(allErrs, validateKeyToPath(&s.ConfigMap.Items[i], p.Child("items").Index(i))...)
	}
	return allErrs
}

func validateNFS(s *corev1.VolumeSource, fldPath *field.Path) field.ErrorList {
	p := fldPath.Child("nfs")
	var allErrs field.ErrorList
	if s.NFS.Server == "" {
		allErrs = append(allErrs, field.Required(p.Child("server"), ""))
	}
	if s.NFS.Path == "" {
		allErrs = append(allErrs, field.Required(p.Child("path"), ""))
	}
	if !path.IsAbs(s.NFS.Path) {
		allErrs = append(allErrs, field.Invalid(p.Child("path"), s.NFS.Path, "must be an absolute path"))
	}
	return allErrs
}

func validatePVCVolume(s *corev1.VolumeSource, fldPath *field.Path) field.ErrorList {
	if s.PersistentVolumeClaim.ClaimName == "" {
		return field.ErrorList{field.Required(fldPath.Child("persistentVolumeClaim", "claimName"), "")}
	}
	return nil
}

func validateDownwardAPIVolume(s *corev1.VolumeSource, fldPath *field.Path) field.ErrorList {
	p := fldPath.Child("downwardAPI")
	allErrs := validateFileMode(s.DownwardAPI.DefaultMode, p.Child("defaultMode"))
	for i := range s.DownwardAPI.Items {
		allErrs = append(allErrs, validateDownwardAPIVolumeFile(&s.DownwardAPI.Items[i], p)...)
	}
	return allErrs
}

func validateDownwardAPIVolumeFile(file *corev1.DownwardAPIVolumeFile, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	if file.Path == "" {
		allErrs = append(allErrs, field.Required(fldPath.Child("path"), ""))
	}
	allErrs = append(allErrs, validateLocalNonReservedPath(file.Path, fldPath.Child("path"))...)
	switch {
	case file.FieldRef != nil:
		allErrs = append(allErrs, validateObjectFieldSelector(file.FieldRef, volumeFieldPaths, fldPath.Child("fieldRef"))...)
		if file.ResourceFieldRef != nil {
			allErrs = append(allErrs, field.Invalid(fldPath, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"))
		}
	case file.ResourceFieldRef != nil:
		allErrs = append(allErrs, validateContainerResourceFieldSelector(file.ResourceFieldRef, fldPath.Child("resourceFieldRef"), true)...)
	default:
		allErrs = append(allErrs, field.Required(fldPath, "one of fieldRef and resourceFieldRef is required"))
	}
	return append(allErrs, validateFileMode(file.Mode, fldPath.Child("mode"))...)
}

func validateProjectedVolume(s *corev1.VolumeSource, fldPath *field.Path) field.ErrorList {
	p := fldPath.Child("projected")
	allErrs := validateFileMode(s.Projected.DefaultMode, p.Child("defaultMode"))
	paths := map[string]bool{}
	// claimPath records a projected file path; a second use is an error.
	claimPath := func(file, shown string) {
		if file == "" {
			return
		}
		if paths[file] {
			allErrs = append(allErrs, field.Invalid(p, shown, "conflicting duplicate paths"))
		}
		paths[file] = true
	}
	for i, source := range s.Projected.Sources {
		srcPath := p.Child("sources").Index(i)
		count := 0
		if source.Secret != nil {
			count++
			if source.Secret.Name == "" {
				allErrs = append(allErrs, field.Required(srcPath.Child("secret", "name"), ""))
			}
			for j := range source.Secret.Items {
				allErrs = append(allErrs, validateKeyToPath(&source.Secret.Items[j], srcPath.Child("secret", "items").Index(j))...)
				claimPath(source.Secret.Items[j].Path, source.Secret.Name)
			}
		}
		if source.ConfigMap != nil {
			count++
			if source.ConfigMap.Name == "" {
				allErrs = append(allErrs, field.Required(srcPath.Child("configMap", "name"), ""))
			}
			for j := range source.ConfigMap.Items {
				allErrs = append(allErrs, validateKeyToPath(&source.ConfigMap.Items[j], srcPath.Child("configMap", "items").Index(j))...)
				claimPath(source.ConfigMap.Items[j].Path, source.ConfigMap.Name)
			}
		}
		if source.DownwardAPI != nil {
			count++
			for j := range source.DownwardAPI.Items {
				file := &source.DownwardAPI.Items[j]
				allErrs = append(allErrs, validateDownwardAPIVolumeFile(file, srcPath.Child("downwardAPI"))...)
				claimPath(file.Path, file.Path)
			}
		}
		if token := source.ServiceAccountToken; token != nil {
			count++
			tokenPath := srcPath.Child("serviceAccountToken")
			// The internal type has no pointer: unset means 0.
			seconds := int64(0)
			if token.ExpirationSeconds != nil {
				seconds = *token.ExpirationSeconds
			}
			if seconds < 10*60 {
				allErrs = append(allErrs, field.Invalid(tokenPath.Child("expirationSeconds"), seconds, "may not specify a duration less than 10 minutes"))
			}
			if seconds > 1<<32 {
				allErrs = append(allErrs, field.Invalid(tokenPath.Child("expirationSeconds"), seconds, "may not specify a duration larger than 2^32 seconds"))
			}
			if token.Path == "" {
				allErrs = append(allErrs, field.Required(p.Child("path"), ""))
			} else {
				allErrs = append(allErrs, validateLocalNonReservedPath(token.Path, p.Child("path"))...)
			}
		}
		if source.ClusterTrustBundle != nil {
			count++
		}
		if count > 1 {
			allErrs = append(allErrs, field.Forbidden(srcPath, "may not specify more than 1 volume type per source"))
		}
	}
	return allErrs
}

func validateKeyToPath(kp *corev1.KeyToPath, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	if kp.Key == "" {
		allErrs = append(allErrs, field.Required(fldPath.Child("key"), ""))
	}
	if kp.Path == "" {
		allErrs = append(allErrs, field.Required(fldPath.Child("path"), ""))
	}
	allErrs = append(allErrs, validateLocalNonReservedPath(kp.Path, fldPath.Child("path"))...)
	return append(allErrs, validateFileMode(kp.Mode, fldPath.Child("mode"))...)
}

func validateFileMode(mode *int32, fldPath *field.Path) field.ErrorList {
	if mode != nil && (*mode > 0777 || *mode < 0) {
		return field.ErrorList{field.Invalid(fldPath, *mode, fileModeErrorMsg)}
	}
	return nil
}

// validateLocalDescendingPath: relative, and without ".." elements.
func validateLocalDescendingPath(target string, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	if path.IsAbs(target) {
		allErrs = append(allErrs, field.Invalid(fldPath, target, "must be a relative path"))
	}
	return append(allErrs, validatePathNoBacksteps(target, fldPath)...)
}

func validatePathNoBacksteps(target string, fldPath *field.Path) field.ErrorList {
	for _, item := range strings.Split(filepath.ToSlash(target), "/") {
		if item == ".." {
			return field.ErrorList{field.Invalid(fldPath, target, "must not contain '..'")}
		}
	}
	return nil
}

func validateLocalNonReservedPath(target string, fldPath *field.Path) field.ErrorList {
	allErrs := validateLocalDescendingPath(target, fldPath)
	if strings.HasPrefix(target, "..") && !strings.HasPrefix(target, "../") {
		allErrs = append(allErrs, field.Invalid(fldPath, target, "must not start with '..'"))
	}
	return allErrs
}

func volumeMountMap(mounts []corev1.VolumeMount) map[string]string {
	m := map[string]string{}
	for _, mnt := range mounts {
		m[mnt.Name] = mnt.MountPath
	}
	return m
}

func volumeDeviceMap(devices []corev1.VolumeDevice) map[string]string {
	m := map[string]string{}
	for _, dev := range devices {
		m[dev.Name] = dev.DevicePath
	}
	return m
}

func mapHasValue(m map[string]string, value string) bool {
	for _, v := range m {
		if v == value {
			return true
		}
	}
	return false
}

var supportedMountPropagations = []corev1.MountPropagationMode{
	corev1.MountPropagationBidirectional, corev1.MountPropagationHostToContainer, corev1.MountPropagationNone,
}

func validateVolumeMounts(mounts []corev1.VolumeMount, devices map[string]string, volumes map[string]corev1.VolumeSource, c *corev1.Container, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	mountPoints := map[string]bool{}
	for i, mnt := range mounts {
		idxPath := fldPath.Index(i)
		if mnt.Name == "" {
			allErrs = append(allErrs, field.Required(idxPath.Child("name"), ""))
		}
		if _, ok := volumes[mnt.Name]; !ok {
			allErrs = append(allErrs, field.NotFound(idxPath.Child("name"), mnt.Name))
		}
		if mnt.MountPath == "" {
			allErrs = append(allErrs, field.Required(idxPath.Child("mountPath"), ""))
		}
		if mountPoints[mnt.MountPath] {
			allErrs = append(allErrs, field.Invalid(idxPath.Child("mountPath"), mnt.MountPath, "must be unique"))
		}
		mountPoints[mnt.MountPath] = true
		if _, ok := devices[mnt.Name]; ok {
			allErrs = append(allErrs, field.Invalid(idxPath.Child("name"), mnt.Name, "must not already exist in volumeDevices"))
		}
		if mapHasValue(devices, mnt.MountPath) {
			allErrs = append(allErrs, field.Invalid(idxPath.Child("mountPath"), mnt.MountPath, "must not already exist as a path in volumeDevices"))
		}
		if v, ok := volumes[mnt.Name]; ok && v.Image != nil {
			if mnt.SubPath != "" {
				allErrs = append(allErrs, field.Invalid(idxPath.Child("subPath"), mnt.SubPath, "not allowed in image volume sources"))
			}
			if mnt.SubPathExpr != "" {
				allErrs = append(allErrs, field.Invalid(idxPath.Child("subPathExpr"), mnt.SubPathExpr, "not allowed in image volume sources"))
			}
		}
		// The real code reports subPath problems without the mount's index.
		if mnt.SubPath != "" {
			allErrs = append(allErrs, validateLocalDescendingPath(mnt.SubPath, fldPath.Child("subPath"))...)
		}
		if mnt.SubPathExpr != "" {
			if mnt.SubPath != "" {
				allErrs = append(allErrs, field.Invalid(idxPath.Child("subPathExpr"), mnt.SubPathExpr, "subPathExpr and subPath are mutually exclusive"))
			}
			allErrs = append(allErrs, validateLocalDescendingPath(mnt.SubPathExpr, fldPath.Child("subPathExpr"))...)
		}
		if mnt.MountPropagation != nil {
			allErrs = append(allErrs, validateMountPropagation(*mnt.MountPropagation, c, fldPath.Child("mountPropagation"))...)
		}
		allErrs = append(allErrs, validateMountRecursiveReadOnly(mnt, fldPath.Child("recursiveReadOnly"))...)
	}
	return allErrs
}

func validateMountPropagation(mode corev1.MountPropagationMode, c *corev1.Container, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	if !containsValue(supportedMountPropagations, mode) {
		allErrs = append(allErrs, field.NotSupported(fldPath, mode, supportedMountPropagations))
	}
	privileged := c.SecurityContext != nil && c.SecurityContext.Privileged != nil && *c.SecurityContext.Privileged
	if mode == corev1.MountPropagationBidirectional && !privileged {
		allErrs = append(allErrs, field.Forbidden(fldPath, "Bidirectional mount propagation is available only to privileged containers"))
	}
	return allErrs
}

var supportedRecursiveReadOnly = []corev1.RecursiveReadOnlyMode{
	corev1.RecursiveReadOnlyDisabled, corev1.RecursiveReadOnlyEnabled, corev1.RecursiveReadOnlyIfPossible,
}

func validateMountRecursiveReadOnly(mnt corev1.VolumeMount, fldPath *field.Path) field.ErrorList {
	if mnt.RecursiveReadOnly == nil {
		return nil
	}
	var allErrs field.ErrorList
	switch *mnt.RecursiveReadOnly {
	case corev1.RecursiveReadOnlyDisabled:
	case corev1.RecursiveReadOnlyEnabled, corev1.RecursiveReadOnlyIfPossible:
		if !mnt.ReadOnly {
			allErrs = append(allErrs, field.Forbidden(fldPath, "may only be specified when readOnly is true"))
		}
		if mnt.MountPropagation != nil && *mnt.MountPropagation != corev1.MountPropagationNone {
			allErrs = append(allErrs, field.Forbidden(fldPath, "may only be specified when mountPropagation is None or not specified"))
		}
	default:
		allErrs = append(allErrs, field.NotSupported(fldPath, *mnt.RecursiveReadOnly, supportedRecursiveReadOnly))
	}
	return allErrs
}

func validateVolumeDevices(devices []corev1.VolumeDevice, mounts map[string]string, volumes map[string]corev1.VolumeSource, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	paths, names := map[string]bool{}, map[string]bool{}
	for i, dev := range devices {
		idxPath := fldPath.Index(i)
		src, matched := volumes[dev.Name]
		isPVC := matched && (src.PersistentVolumeClaim != nil || src.Ephemeral != nil)
		if dev.Name == "" {
			allErrs = append(allErrs, field.Required(idxPath.Child("name"), ""))
		}
		if names[dev.Name] {
			allErrs = append(allErrs, field.Invalid(idxPath.Child("name"), dev.Name, "must be unique"))
		}
		if matched && !isPVC {
			allErrs = append(allErrs, field.Invalid(idxPath.Child("name"), dev.Name, "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"))
		}
		if !matched {
			allErrs = append(allErrs, field.NotFound(idxPath.Child("name"), dev.Name))
		}
		if dev.DevicePath == "" {
			allErrs = append(allErrs, field.Required(idxPath.Child("devicePath"), ""))
		}
		if paths[dev.DevicePath] {
			allErrs = append(allErrs, field.Invalid(idxPath.Child("devicePath"), dev.DevicePath, "must be unique"))
		}
		if dev.DevicePath != "" && len(validatePathNoBacksteps(dev.DevicePath, fldPath.Child("devicePath"))) > 0 {
			allErrs = append(allErrs, field.Invalid(idxPath.Child("devicePath"), dev.DevicePath, "can not contain backsteps ('..')"))
		} else {
			paths[dev.DevicePath] = true
		}
		if _, ok := mounts[dev.Name]; ok {
			allErrs = append(allErrs, field.Invalid(idxPath.Child("name"), dev.Name, "must not already exist in volumeMounts"))
		}
		if mapHasValue(mounts, dev.DevicePath) {
			allErrs = append(allErrs, field.Invalid(idxPath.Child("devicePath"), dev.DevicePath, "must not already exist as a path in volumeMounts"))
		}
		if dev.Name != "" {
			names[dev.Name] = true
		}
	}
	return allErrs
}
