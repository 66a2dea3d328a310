package kubectl

// kubectl create namespace, configmap, secret generic, service clusterip|nodeport: the objects
// kubectl v1.37 generates (k8s.io/kubectl v0.37.2 pkg/cmd/create/create_namespace.go,
// create_configmap.go, create_secret.go, create_service.go, pkg/util/util.go).

import (
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
)

// createMoreCommands are the generators of "kubectl create" besides deployment.
func (k *Kubectl) createMoreCommands(s Streams) []*cobra.Command {
	secret := helpOnly("secret (docker-registry | generic | tls)", "Create a secret using a specified subcommand")
	secret.AddCommand(k.newCreateSecretGeneric(s))
	service := helpOnly("service", "Create a service using a specified subcommand")
	service.Aliases = []string{"svc"}
	service.AddCommand(k.newCreateService(s, corev1.ServiceTypeClusterIP), k.newCreateService(s, corev1.ServiceTypeNodePort))
	return []*cobra.Command{k.newCreateNamespace(s), k.newCreateConfigMap(s), k.newCreatePDB(s), secret, service}
}

// helpOnly is a command whose subcommands do the work: alone it prints its help, with an
// unknown subcommand it fails as cobra does.
func helpOnly(use, short string) *cobra.Command {
	return &cobra.Command{Use: use, Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		}}
}

// nameFromArgs is create.go's NameFromCommandArgs.
func nameFromArgs(cmd *cobra.Command, args []string) (string, error) {
	n := cmd.ArgsLenAtDash()
	if n == -1 {
		n = len(args)
	}
	if n != 1 {
		return "", fmt.Errorf("exactly one NAME is required, got %d\nSee '%s -h' for help and examples", n, cmd.CommandPath())
	}
	return args[0], nil
}

// createGenerated sends a generated object (unless a client dry run; a server dry run stores
// nothing) and prints kubectl's line.
// wrap words the server's error as each generator does.
func (k *Kubectl) createGenerated(s Streams, resource, namespace string, obj runtime.Object, dry dryRun, wrap func(error) error) error {
	res, err := k.resolve(resource)
	if err != nil {
		return err
	}
	if dry != dryRunClient {
		if obj, err = k.writer(dry).Create(res.Name, namespace, obj); err != nil {
			return wrap(err)
		}
	}
	fmt.Fprintf(s.Out, "%s/%s created%s\n", res.KindName(), objName(obj), dry.suffix())
	return nil
}

func (k *Kubectl) newCreateNamespace(s Streams) *cobra.Command {
	var dryRunFlag string
	c := &cobra.Command{
		Use:     "namespace NAME [--dry-run=server|client|none]",
		Aliases: []string{"ns"},
		Short:   "Create a namespace with the specified name",
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := nameFromArgs(cmd, args)
			if err != nil {
				return err
			}
			dry, err := k.dryRunStrategy(cmd, dryRunFlag, s)
			if err != nil {
				return err
			}
			ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
			return k.createGenerated(s, "namespaces", "", ns, dry, func(err error) error { return err })
		},
	}
	addDryRunFlag(c, &dryRunFlag)
	return c
}

// dataSources are --from-literal and --from-file of configmap and secret.
type dataSources struct {
	literal, file []string
}

func (d *dataSources) add(c *cobra.Command, what string) {
	c.Flags().StringSliceVar(&d.file, "from-file", nil, "Key file can be specified using its file path, in which case file basename will be used as "+what+" key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid "+what+" key.")
	c.Flags().StringArrayVar(&d.literal, "from-literal", nil, "Specify a key and literal value to insert in "+what+" (i.e. mykey=somevalue)")
}

// parseLiteralSource is pkg/util ParseLiteralSource: "key=value", the value may hold "=".
func parseLiteralSource(source string) (string, string, error) {
	key, value, ok := strings.Cut(source, "=")
	if !ok || key == "" {
		return "", "", fmt.Errorf("invalid literal source %v, expected key=value", source)
	}
	return key, value, nil
}

// parseFileSource is pkg/util ParseFileSource: "path" or "key=path".
func parseFileSource(source string) (string, string, error) {
	n := strings.Count(source, "=")
	switch {
	case n == 0:
		return path.Base(filepath.ToSlash(source)), source, nil
	case n == 1 && strings.HasPrefix(source, "="):
		return "", "", fmt.Errorf("key name for file path %v missing", strings.TrimPrefix(source, "="))
	case n == 1 && strings.HasSuffix(source, "="):
		return "", "", fmt.Errorf("file path for key name %v missing", strings.TrimSuffix(source, "="))
	case n > 1:
		return "", "", errors.New("key names or file paths cannot contain '='")
	}
	key, p, _ := strings.Cut(source, "=")
	return key, p, nil
}

// fileEntries reads a --from-file source: one file, or every regular file of a directory (not
// recursively), as handleConfigMapFromFileSources does. add gets each key and content.
func (k *Kubectl) fileEntries(source string, add func(key string, data []byte) error) error {
	key, p, err := parseFileSource(source)
	if err != nil {
		return err
	}
	info, err := k.files.Stat(p)
	if err != nil {
		var pe interface{ Unwrap() error }
		if errors.As(err, &pe) {
			return fmt.Errorf("error reading %s: %v", p, pe.Unwrap())
		}
		return fmt.Errorf("error reading %s: %v", p, err)
	}
	if !info.IsDir() {
		data, err := k.readAll(p)
		if err != nil {
			return err
		}
		return add(key, data)
	}
	if strings.Contains(source, "=") {
		return errors.New("cannot give a key name for a directory path")
	}
	entries, err := k.files.ReadDir(p)
	if err != nil {
		return fmt.Errorf("error listing files in %s: %v", p, err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := k.readAll(path.Join(p, e.Name()))
		if err != nil {
			return err
		}
		if err := add(e.Name(), data); err != nil {
			return err
		}
	}
	return nil
}

// readAll reads one file, bounded as every -f file is.
func (k *Kubectl) readAll(name string) ([]byte, error) {
	f, err := k.files.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(io.Reader(f))
}

func (k *Kubectl) newCreateConfigMap(s Streams) *cobra.Command {
	var ns namespaceFlags
	var src dataSources
	var dryRunFlag string
	c := &cobra.Command{
		Use:     "configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]",
		Aliases: []string{"cm"},
		Short:   "Create a config map from a local file, directory or literal value",
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := nameFromArgs(cmd, args)
			if err != nil {
				return err
			}
			dry, err := k.dryRunStrategy(cmd, dryRunFlag, s)
			if err != nil {
				return err
			}
			cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name}, Data: map[string]string{}, BinaryData: map[string][]byte{}}
			add := func(key string, data []byte) error {
				if errs := validation.IsConfigMapKey(key); len(errs) > 0 {
					return fmt.Errorf("%q is not a valid key name for a ConfigMap: %s", key, strings.Join(errs, ","))
				}
				if _, ok := cm.Data[key]; ok {
					return fmt.Errorf("cannot add key %q, another key by that name already exists in Data for ConfigMap %q", key, name)
				}
				if _, ok := cm.BinaryData[key]; ok {
					return fmt.Errorf("cannot add key %q, another key by that name already exists in BinaryData for ConfigMap %q", key, name)
				}
				if utf8.Valid(data) {
					cm.Data[key] = string(data)
				} else {
					cm.BinaryData[key] = data
				}
				return nil
			}
			for _, f := range src.file {
				if err := k.fileEntries(f, add); err != nil {
					return err
				}
			}
			for _, l := range src.literal {
				key, value, err := parseLiteralSource(l)
				if err != nil {
					return err
				}
				if err := add(key, []byte(value)); err != nil {
					return err
				}
			}
			return k.createGenerated(s, "configmaps", ns.namespace, cm, dry, func(err error) error {
				return fmt.Errorf("failed to create configmap: %v", err)
			})
		},
	}
	ns.add(c, false)
	src.add(c, "configmap")
	addDryRunFlag(c, &dryRunFlag)
	return c
}

func (k *Kubectl) newCreateSecretGeneric(s Streams) *cobra.Command {
	var ns namespaceFlags
	var src dataSources
	var dryRunFlag, secretType string
	c := &cobra.Command{
		Use:   "generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]",
		Short: "Create a secret from a local file, directory, or literal value",
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := nameFromArgs(cmd, args)
			if err != nil {
				return err
			}
			dry, err := k.dryRunStrategy(cmd, dryRunFlag, s)
			if err != nil {
				return err
			}
			secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name}, Type: corev1.SecretType(secretType), Data: map[string][]byte{}}
			add := func(key string, data []byte) error {
				if errs := validation.IsConfigMapKey(key); len(errs) != 0 {
					return fmt.Errorf("%q is not valid key name for a Secret %s", key, strings.Join(errs, ";"))
				}
				if _, ok := secret.Data[key]; ok {
					return fmt.Errorf("cannot add key %s, another key by that name already exists", key)
				}
				secret.Data[key] = data
				return nil
			}
			// Literals first, then files (createSecret's order).
			for _, l := range src.literal {
				key, value, err := parseLiteralSource(l)
				if err != nil {
					return err
				}
				if err := add(key, []byte(value)); err != nil {
					return err
				}
			}
			for _, f := range src.file {
				if err := k.fileEntries(f, add); err != nil {
					return err
				}
			}
			return k.createGenerated(s, "secrets", ns.namespace, secret, dry, func(err error) error {
				return fmt.Errorf("failed to create secret %v", err)
			})
		},
	}
	ns.add(c, false)
	src.add(c, "secret")
	c.Flags().StringVar(&secretType, "type", "", "The type of secret to create")
	addDryRunFlag(c, &dryRunFlag)
	return c
}

// parseServicePort is create_service.go's parsePorts: "port" or "port:targetPort", the target a
// number or a port name.
func parseServicePort(spec string) (int32, intstr.IntOrString, error) {
	parts := strings.Split(spec, ":")
	port, err := strconv.ParseUint(parts[0], 10, 16)
	if err != nil {
		return 0, intstr.IntOrString{}, err
	}
	if len(parts) == 1 {
		return int32(port), intstr.FromInt32(int32(port)), nil
	}
	if n, err := strconv.Atoi(parts[1]); err == nil {
		if errs := validation.IsValidPortNum(n); len(errs) != 0 {
			return 0, intstr.IntOrString{}, errors.New(strings.Join(errs, ","))
		}
		return int32(port), intstr.FromInt32(int32(n)), nil
	}
	if errs := validation.IsValidPortName(parts[1]); len(errs) != 0 {
		return 0, intstr.IntOrString{}, errors.New(strings.Join(errs, ","))
	}
	return int32(port), intstr.FromString(parts[1]), nil
}

func (k *Kubectl) newCreateService(s Streams, typ corev1.ServiceType) *cobra.Command {
	var ns namespaceFlags
	var tcp []string
	var clusterIP, dryRunFlag string
	var nodePort int
	use := map[corev1.ServiceType]string{
		corev1.ServiceTypeClusterIP: "clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none]",
		corev1.ServiceTypeNodePort:  "nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none]",
	}[typ]
	c := &cobra.Command{
		Use:   use,
		Short: "Create a " + string(typ) + " service",
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := nameFromArgs(cmd, args)
			if err != nil {
				return err
			}
			dry, err := k.dryRunStrategy(cmd, dryRunFlag, s)
			if err != nil {
				return err
			}
			if clusterIP == corev1.ClusterIPNone && typ != corev1.ServiceTypeClusterIP {
				return errors.New("ClusterIP=None can only be used with ClusterIP service type")
			}
			if clusterIP != corev1.ClusterIPNone && len(tcp) == 0 {
				return errors.New("at least one tcp port specifier must be provided")
			}
			ports := []corev1.ServicePort{}
			for _, spec := range tcp {
				port, target, err := parseServicePort(spec)
				if err != nil {
					return err
				}
				ports = append(ports, corev1.ServicePort{Name: strings.ReplaceAll(spec, ":", "-"), Port: port,
					TargetPort: target, Protocol: corev1.ProtocolTCP, NodePort: int32(nodePort)})
			}
			svc := &corev1.Service{
				ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"app": name}},
				Spec:       corev1.ServiceSpec{Type: typ, Selector: map[string]string{"app": name}, Ports: ports, ClusterIP: clusterIP},
			}
			return k.createGenerated(s, "services", ns.namespace, svc, dry, func(err error) error {
				return fmt.Errorf("failed to create %s service: %v", typ, err)
			})
		},
	}
	ns.add(c, false)
	c.Flags().StringSliceVar(&tcp, "tcp", nil, "Port pairs can be specified as '<port>:<targetPort>'.")
	if typ == corev1.ServiceTypeClusterIP {
		c.Flags().StringVar(&clusterIP, "clusterip", "", "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing).")
	} else {
		c.Flags().IntVar(&nodePort, "node-port", 0, "Port used to expose the service on each node in a cluster.")
	}
	addDryRunFlag(c, &dryRunFlag)
	return c
}
