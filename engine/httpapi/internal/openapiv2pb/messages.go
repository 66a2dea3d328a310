package openapiv2pb

import (
	"errors"
	"fmt"
)

// The messages of gnostic's OpenAPIv2.proto (gnostic-models v0.7.0) that this package writes,
// with their field numbers, the JSON keys gnostic reads them from (OpenAPIv2.go) and gnostic's
// required keys and enums. A field without an encoder is a part of OpenAPI v2 that k8slearn's
// document does not use: its key is an error. The tables are built per Encode call, not at
// package initialisation, which is what this package saves.

func documentMessage() *message {
	schema := schemaMessage()
	schemes := []string{"http", "https", "ws", "wss"}
	return &message{name: "Document", required: []string{"info", "paths", "swagger"}, fields: []field{
		{num: 1, key: "swagger", encode: stringField("2.0")},
		{num: 2, key: "info", encode: messageField(infoMessage())},
		{num: 3, key: "host", encode: stringField()},
		{num: 4, key: "basePath", encode: stringField()},
		{num: 5, key: "schemes", encode: stringsField(schemes...)},
		{num: 6, key: "consumes", encode: stringsField()},
		{num: 7, key: "produces", encode: stringsField()},
		{num: 8, key: "paths", encode: messageField(pathsMessage(schema))},
		{num: 9, key: "definitions", encode: messageField(namedSchemas("Definitions", schema))},
		{num: 10, key: "parameters"},
		{num: 11, key: "responses"},
		{num: 12, key: "security", encode: repeated(messageField(securityRequirementMessage()))},
		{num: 13, key: "securityDefinitions", encode: messageField(securityDefinitionsMessage())},
		{num: 14, key: "tags"},
		{num: 15, key: "externalDocs"},
		extensions(16),
	}}
}

func infoMessage() *message {
	return &message{name: "Info", required: []string{"title", "version"}, fields: []field{
		{num: 1, key: "title", encode: stringField()},
		{num: 2, key: "version", encode: stringField()},
		{num: 3, key: "description", encode: stringField()},
		{num: 4, key: "termsOfService", encode: stringField()},
		{num: 5, key: "contact"},
		{num: 6, key: "license"},
		extensions(7),
	}}
}

func pathsMessage(schema *message) *message {
	item := pathItemMessage(schema)
	return &message{name: "Paths", fields: []field{
		extensions(1),
		{num: 2, match: isPath, encode: messageField(item)},
	}}
}

func pathItemMessage(schema *message) *message {
	op := messageField(operationMessage(schema))
	return &message{name: "PathItem", fields: []field{
		{num: 1, key: "$ref", encode: stringField()},
		{num: 2, key: "get", encode: op},
		{num: 3, key: "put", encode: op},
		{num: 4, key: "post", encode: op},
		{num: 5, key: "delete", encode: op},
		{num: 6, key: "options", encode: op},
		{num: 7, key: "head", encode: op},
		{num: 8, key: "patch", encode: op},
		{num: 9, key: "parameters", encode: repeated(parametersItem(schema))},
		extensions(10),
	}}
}

func operationMessage(schema *message) *message {
	schemes := []string{"http", "https", "ws", "wss"}
	return &message{name: "Operation", required: []string{"responses"}, fields: []field{
		{num: 1, key: "tags", encode: stringsField()},
		{num: 2, key: "summary", encode: stringField()},
		{num: 3, key: "description", encode: stringField()},
		{num: 4, key: "externalDocs"},
		{num: 5, key: "operationId", encode: stringField()},
		{num: 6, key: "produces", encode: stringsField()},
		{num: 7, key: "consumes", encode: stringsField()},
		{num: 8, key: "parameters", encode: repeated(parametersItem(schema))},
		{num: 9, key: "responses", encode: messageField(responsesMessage(schema))},
		{num: 10, key: "schemes", encode: stringsField(schemes...)},
		{num: 11, key: "deprecated", encode: boolField},
		{num: 12, key: "security", encode: repeated(messageField(securityRequirementMessage()))},
		extensions(13),
	}}
}

// parametersItem is a parameter or a reference to one. Only a reference has "$ref" (gnostic's
// parameter messages do not allow the key).
func parametersItem(schema *message) encodeFunc {
	reference := messageField(jsonReferenceMessage())
	parameter := parameterOneof(schema)
	return oneof(func(v *value) (int, encodeFunc, error) {
		if v.kind != kindObject {
			return 0, nil, errors.New("a parameter must be an object")
		}
		if _, ok := v.lookup("$ref"); ok {
			return 2, reference, nil
		}
		return 1, parameter, nil
	})
}

// parameterOneof is a Parameter: a body parameter or, wrapped in a NonBodyParameter, one of the
// other kinds, told apart by "in" (each of gnostic's parameter messages allows one value).
func parameterOneof(schema *message) encodeFunc {
	body := messageField(bodyParameterMessage(schema))
	query := wrapped(3, messageField(queryParameterMessage()))
	path := wrapped(4, messageField(pathParameterMessage()))
	return oneof(func(v *value) (int, encodeFunc, error) {
		in, ok := v.lookup("in")
		if !ok || in.kind != kindString {
			return 0, nil, errors.New(`a parameter needs "in", a string`)
		}
		switch in.text {
		case "body":
			return 1, body, nil
		case "query":
			return 2, query, nil
		case "path":
			return 2, path, nil
		}
		return 0, nil, fmt.Errorf("parameters in %q are not supported", in.text)
	})
}

func jsonReferenceMessage() *message {
	return &message{name: "JsonReference", required: []string{"$ref"}, fields: []field{
		{num: 1, key: "$ref", encode: stringField()},
		{num: 2, key: "description", encode: stringField()},
	}}
}

func bodyParameterMessage(schema *message) *message {
	return &message{name: "BodyParameter", required: []string{"in", "name", "schema"}, fields: []field{
		{num: 1, key: "description", encode: stringField()},
		{num: 2, key: "name", encode: stringField()},
		{num: 3, key: "in", encode: stringField("body")},
		{num: 4, key: "required", encode: boolField},
		{num: 5, key: "schema", encode: messageField(schema)},
		extensions(6),
	}}
}

// parameterTypes are the types gnostic allows a query or path parameter.
func parameterTypes() []string { return []string{"string", "number", "boolean", "integer", "array"} }

func queryParameterMessage() *message {
	return &message{name: "QueryParameterSubSchema", required: []string{"in", "name", "type"}, fields: []field{
		{num: 1, key: "required", encode: boolField},
		{num: 2, key: "in", encode: stringField("query")},
		{num: 3, key: "description", encode: stringField()},
		{num: 4, key: "name", encode: stringField()},
		{num: 5, key: "allowEmptyValue", encode: boolField},
		{num: 6, key: "type", encode: stringField(parameterTypes()...)},
		{num: 7, key: "format", encode: stringField()},
		{num: 8, key: "items"},
		{num: 9, key: "collectionFormat", encode: stringField("csv", "ssv", "tsv", "pipes", "multi")},
		{num: 10, key: "default", encode: anyField},
		{num: 11, key: "maximum", encode: doubleField},
		{num: 12, key: "exclusiveMaximum", encode: boolField},
		{num: 13, key: "minimum", encode: doubleField},
		{num: 14, key: "exclusiveMinimum", encode: boolField},
		{num: 15, key: "maxLength", encode: int64Field},
		{num: 16, key: "minLength", encode: int64Field},
		{num: 17, key: "pattern", encode: stringField()},
		{num: 18, key: "maxItems", encode: int64Field},
		{num: 19, key: "minItems", encode: int64Field},
		{num: 20, key: "uniqueItems", encode: boolField},
		{num: 21, key: "enum", encode: repeated(anyField)},
		{num: 22, key: "multipleOf", encode: doubleField},
		extensions(23),
	}}
}

func pathParameterMessage() *message {
	return &message{name: "PathParameterSubSchema", required: []string{"in", "name", "required", "type"}, fields: []field{
		{num: 1, key: "required", encode: boolField},
		{num: 2, key: "in", encode: stringField("path")},
		{num: 3, key: "description", encode: stringField()},
		{num: 4, key: "name", encode: stringField()},
		{num: 5, key: "type", encode: stringField(parameterTypes()...)},
		{num: 6, key: "format", encode: stringField()},
		{num: 7, key: "items"},
		{num: 8, key: "collectionFormat", encode: stringField("csv", "ssv", "tsv", "pipes")},
		{num: 9, key: "default", encode: anyField},
		{num: 10, key: "maximum", encode: doubleField},
		{num: 11, key: "exclusiveMaximum", encode: boolField},
		{num: 12, key: "minimum", encode: doubleField},
		{num: 13, key: "exclusiveMinimum", encode: boolField},
		{num: 14, key: "maxLength", encode: int64Field},
		{num: 15, key: "minLength", encode: int64Field},
		{num: 16, key: "pattern", encode: stringField()},
		{num: 17, key: "maxItems", encode: int64Field},
		{num: 18, key: "minItems", encode: int64Field},
		{num: 19, key: "uniqueItems", encode: boolField},
		{num: 20, key: "enum", encode: repeated(anyField)},
		{num: 21, key: "multipleOf", encode: doubleField},
		extensions(22),
	}}
}

func responsesMessage(schema *message) *message {
	reference := messageField(jsonReferenceMessage())
	response := messageField(responseMessage(schema))
	responseValue := oneof(func(v *value) (int, encodeFunc, error) {
		if v.kind != kindObject {
			return 0, nil, errors.New("a response must be an object")
		}
		if _, ok := v.lookup("$ref"); ok {
			return 2, reference, nil
		}
		return 1, response, nil
	})
	return &message{name: "Responses", fields: []field{
		{num: 1, match: isResponseCode, encode: responseValue},
		extensions(2),
	}}
}

func responseMessage(schema *message) *message {
	// A SchemaItem holds a Schema or, for {"type": "file"}, a FileSchema, which is not supported.
	asSchema := messageField(schema)
	schemaItem := oneof(func(v *value) (int, encodeFunc, error) {
		if typ, ok := v.lookup("type"); ok && typ.kind == kindString && typ.text == "file" {
			return 0, nil, errors.New(`a response schema of type "file" is not supported`)
		}
		return 1, asSchema, nil
	})
	return &message{name: "Response", required: []string{"description"}, fields: []field{
		{num: 1, key: "description", encode: stringField()},
		{num: 2, key: "schema", encode: schemaItem},
		{num: 3, key: "headers"},
		{num: 4, key: "examples"},
		extensions(5),
	}}
}

// schemaMessage is gnostic's Schema, which contains itself.
func schemaMessage() *message {
	s := &message{name: "Schema"}
	schema := messageField(s)
	s.fields = []field{
		{num: 1, key: "$ref", encode: stringField()},
		{num: 2, key: "format", encode: stringField()},
		{num: 3, key: "title", encode: stringField()},
		{num: 4, key: "description", encode: stringField()},
		{num: 5, key: "default", encode: anyField},
		{num: 6, key: "multipleOf", encode: doubleField},
		{num: 7, key: "maximum", encode: doubleField},
		{num: 8, key: "exclusiveMaximum", encode: boolField},
		{num: 9, key: "minimum", encode: doubleField},
		{num: 10, key: "exclusiveMinimum", encode: boolField},
		{num: 11, key: "maxLength", encode: int64Field},
		{num: 12, key: "minLength", encode: int64Field},
		{num: 13, key: "pattern", encode: stringField()},
		{num: 14, key: "maxItems", encode: int64Field},
		{num: 15, key: "minItems", encode: int64Field},
		{num: 16, key: "uniqueItems", encode: boolField},
		{num: 17, key: "maxProperties", encode: int64Field},
		{num: 18, key: "minProperties", encode: int64Field},
		{num: 19, key: "required", encode: stringsField()},
		{num: 20, key: "enum", encode: repeated(anyField)},
		{num: 21, key: "additionalProperties", encode: additionalProperties(schema)},
		{num: 22, key: "type", encode: wrapped(1, typeNames)},
		{num: 23, key: "items", encode: wrapped(1, schema)},
		{num: 24, key: "allOf", encode: repeated(schema)},
		{num: 25, key: "properties", encode: messageField(namedSchemas("Properties", s))},
		{num: 26, key: "discriminator", encode: stringField()},
		{num: 27, key: "readOnly", encode: boolField},
		{num: 28, key: "xml"},
		{num: 29, key: "externalDocs"},
		{num: 30, key: "example", encode: anyField},
		extensions(31),
	}
	return s
}

// namedSchemas is a message of NamedSchema pairs, one per key: Definitions and Properties.
func namedSchemas(name string, schema *message) *message {
	return &message{name: name, fields: []field{{num: 1, match: anyKey, encode: messageField(schema)}}}
}

// additionalProperties is an AdditionalPropertiesItem: a schema, or a boolean, which as a oneof
// member is written even when false.
func additionalProperties(schema encodeFunc) encodeFunc {
	return oneof(func(v *value) (int, encodeFunc, error) {
		switch v.kind {
		case kindObject:
			return 1, schema, nil
		case kindBool:
			return 2, func(w *writer, num int, v *value) error {
				w.presentBool(num, v.text == "true")
				return nil
			}, nil
		}
		return 0, nil, errors.New("additionalProperties must be an object or a boolean")
	})
}

// typeNames reads a schema's type, a string or an array of strings, as repeated strings.
func typeNames(w *writer, num int, v *value) error {
	if v.kind == kindString {
		w.bytes(num, v.text)
		return nil
	}
	return stringsField()(w, num, v)
}

func securityDefinitionsMessage() *message {
	apiKey := messageField(&message{name: "ApiKeySecurity", required: []string{"in", "name", "type"}, fields: []field{
		{num: 1, key: "type", encode: stringField("apiKey")},
		{num: 2, key: "name", encode: stringField()},
		{num: 3, key: "in", encode: stringField("header", "query")},
		{num: 4, key: "description", encode: stringField()},
		extensions(5),
	}})
	// A SecurityDefinitionsItem holds one of six schemes, told apart by "type"; only API keys
	// are supported.
	item := oneof(func(v *value) (int, encodeFunc, error) {
		if v.kind == kindObject {
			if typ, ok := v.lookup("type"); ok && typ.kind == kindString && typ.text == "apiKey" {
				return 2, apiKey, nil
			}
		}
		return 0, nil, errors.New(`only security definitions of type "apiKey" are supported`)
	})
	return &message{name: "SecurityDefinitions", fields: []field{{num: 1, match: anyKey, encode: item}}}
}

// securityRequirementMessage is a SecurityRequirement: NamedStringArray pairs, each a scheme's
// name and its list of scopes.
func securityRequirementMessage() *message {
	return &message{name: "SecurityRequirement", fields: []field{{num: 1, match: anyKey, encode: wrapped(1, stringsField())}}}
}
